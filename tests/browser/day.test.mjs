// The inspector's day, the small promises (issue 12): the "Vandaag" chip shows the date and the
// day its planned hours; a note shows its author and time; a number field refuses what is not a
// number with a message and takes a decimal comma; the sync badge, "Nu synchroniseren" and
// "Waarom" are full-size touch targets (at least 44 px high).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { INSPECTOR, readStore, startServer } from './helpers.mjs';
import { inspectorTablet, isoDate, plannedVisitWithItem } from './field.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;
const MIN_TARGET_PX = 44;

/** The rendered height of the first element `locator` finds. */
async function heightOf(locator) {
  const box = await locator.first().boundingBox();
  assert.ok(box, 'the element is rendered');
  return box.height;
}

describe("the inspector's day", () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('dates today, counts its hours, signs notes, refuses a non-number and has full-size targets', async () => {
    const tablet = await inspectorTablet(server);
    try {
      const { page } = tablet;
      const today = new Date();
      const chip = page.locator(`.day-picker .chip[data-date="${isoDate(today)}"]`);
      const weekday = ['zo', 'ma', 'di', 'wo', 'do', 'vr', 'za'][today.getDay()];
      assert.match(await chip.innerText(), new RegExp(`^Vandaag\\s+${weekday} ${today.getDate()} `));
      const visits = (await readStore(page, 'visits')).filter((v) => v.visit.planned_date === isoDate(today));
      const load = await page.getByTestId('day-load').innerText();
      assert.match(load, new RegExp(`^${visits.length} bezoek(en)? · \\d+,\\d uur gepland$`), load);

      // Touch targets on "Mijn dag": the badge, "Nu synchroniseren", "Waarom".
      for (const [name, locator] of [
        ['sync badge', page.locator('.sync-badge')],
        ['Nu synchroniseren', page.getByRole('button', { name: 'Nu synchroniseren' })],
        ['Waarom', page.locator('.why summary')],
      ]) {
        const h = await heightOf(locator);
        assert.ok(h >= MIN_TARGET_PX, `${name} is ${h} px high`);
      }
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/day-chip-and-load.png` });

      // A visit with a number item: start it, type a word, then a decimal comma.
      const { target, item } = await plannedVisitWithItem(page, isoDate(today), 'number');
      await page.goto(`/bezoek/${target.visit.id}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      const row = page.locator(`[data-testid="checklist-item"][data-item-id="${item.id}"]`);
      const field = row.getByTestId('number-input');
      await field.fill('twaalf');
      await field.press('Tab');
      await row.getByTestId('number-error').filter({ hasText: 'Dit is geen getal' }).waitFor();
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      const findings = (await readStore(page, 'findings')).filter((f) => f.item_id === item.id && f.visit_id === target.visit.id);
      assert.equal(findings.length, 0, 'a word is not saved');
      if (SHOTS) await row.screenshot({ path: `${SHOTS}/day-number-refused.png` });
      await field.fill('12,5');
      await field.press('Tab');
      await row.getByTestId('number-error').waitFor({ state: 'detached' });
      await page.waitForFunction(async ([visitId, itemId]) => {
        const open = indexedDB.open('schouw');
        const db = await new Promise((r) => { open.onsuccess = () => r(open.result); });
        const all = await new Promise((r) => {
          const req = db.transaction('findings').objectStore('findings').getAll();
          req.onsuccess = () => r(req.result);
        });
        db.close();
        return all.some((f) => f.visit_id === visitId && f.item_id === itemId && f.answer.value === 12.5);
      }, [target.visit.id, item.id], { polling: 200, timeout: 10_000 });

      // A note says who wrote it and when.
      await page.getByTestId('note-input').fill('Dieren geteld in stal 2');
      await page.getByTestId('add-note').click();
      const by = page.getByTestId('note-by').first();
      await by.waitFor();
      assert.match(await by.innerText(), new RegExp(`^${INSPECTOR.name} · \\d\\d:\\d\\d$`));
      if (SHOTS) await page.getByTestId('note').first().screenshot({ path: `${SHOTS}/day-note-byline.png` });
    } finally {
      await tablet.close();
    }
  });
});
