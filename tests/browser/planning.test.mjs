// Planning by hand (issue 11) with two browsers: the team lead moves one of the inspector's
// visits to a colleague and pushes another to the top of the day with a reason; at its next sync
// the inspector's tablet drops the moved visit, shows the boosted one first and says why in its
// "why" panel; the lead locks the day, after which the planner's button is off.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { INSPECTOR, loginAs, openBrowser, startServer } from './helpers.mjs';
import { SYNC_TIMEOUT_MS, api, inspectorTablet, tokenOf } from './field.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;
const REASON = 'Klacht van omwonenden over stank, gisteren gemeld';

describe('planning by hand', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('moves and boosts visits, the tablet follows, and the day is locked', async () => {
    const tablet = await inspectorTablet(server);
    const office = await openBrowser(server.url);
    try {
      const lead = office.page;
      await loginAs(lead, 'teamleider1', '**/kantoor/team');
      await lead.getByTestId('to-planning').click();
      await lead.waitForURL('**/kantoor/planning');
      const mine = lead.getByTestId('planning-inspector').filter({ has: lead.locator('h2', { hasText: INSPECTOR.name }) });
      await mine.getByTestId('planning-visit').first().waitFor();
      const ids = await mine.getByTestId('planning-visit').evaluateAll((els) => els.map((e) => e.dataset.visitId));
      assert.ok(ids.length >= 2, 'the inspector has at least two visits today');
      const [moved, boosted] = [ids[0], ids[ids.length - 1]];

      // Move the first visit to a colleague.
      const myId = await mine.getAttribute('data-inspector-id');
      const sections = await lead.getByTestId('planning-inspector').evaluateAll((els) => els.map((e) => e.dataset.inspectorId));
      const colleagueId = sections.find((id) => id !== myId);
      const colleague = lead.locator(`[data-testid="planning-inspector"][data-inspector-id="${colleagueId}"]`);
      const first = mine.locator(`[data-testid="planning-visit"][data-visit-id="${moved}"]`);
      await first.getByTestId('planning-move-inspector').selectOption(colleagueId);
      await first.getByTestId('planning-move').click();
      await lead.getByTestId('planning-message').filter({ hasText: 'Gedaan.' }).waitFor();
      await colleague.locator(`[data-testid="planning-visit"][data-visit-id="${moved}"]`).waitFor();
      assert.equal(await mine.locator(`[data-testid="planning-visit"][data-visit-id="${moved}"]`).count(), 0);

      // Push the last one to the top, with a reason.
      const last = mine.locator(`[data-testid="planning-visit"][data-visit-id="${boosted}"]`);
      await last.getByTestId('planning-boost').click();
      await lead.getByTestId('planning-message').filter({ hasText: 'Schrijf waarom' }).waitFor();
      await last.getByTestId('planning-boost-reason').fill(REASON);
      await last.getByTestId('planning-boost').click();
      await lead.getByTestId('planning-message').filter({ hasText: 'Gedaan.' }).waitFor();
      await lead.waitForFunction((id) => {
        const section = [...document.querySelectorAll('[data-testid="planning-inspector"]')]
          .find((s) => s.querySelector(`[data-visit-id="${id}"]`));
        return section?.querySelector('[data-testid="planning-visit"]')?.dataset.visitId === id;
      }, boosted);
      if (SHOTS) await lead.screenshot({ path: `${SHOTS}/planning.png`, fullPage: true });

      // The tablet at its next sync: the moved visit is gone, the boosted one first, and why.
      const { page } = tablet;
      await page.goto('/vandaag');
      await page.getByRole('button', { name: 'Nu synchroniseren' }).click();
      await page.waitForFunction(([gone, top]) => {
        const cards = [...document.querySelectorAll('[data-testid="visit-card"]')].map((c) => c.dataset.visitId);
        return !cards.includes(gone) && cards[0] === top;
      }, [moved, boosted], { timeout: SYNC_TIMEOUT_MS });
      const card = page.locator(`[data-testid="visit-card"][data-visit-id="${boosted}"]`);
      await card.locator('details.why summary').click();
      const factor = card.locator('tr[data-factor="manual_boost"]');
      assert.match(await factor.innerText(), /Voorrang van de teamleider/);
      assert.match(await factor.innerText(), new RegExp(REASON));
      if (SHOTS) await card.screenshot({ path: `${SHOTS}/tablet-boost-why.png` });

      // A colleague's hours a day (decimal comma) and absence: kept, and shown again after a reload.
      const hoursInput = colleague.getByTestId('planning-capacity');
      await hoursInput.fill('13');
      await colleague.getByTestId('planning-capacity-save').click();
      await lead.getByTestId('planning-message').filter({ hasText: 'tussen 0,5 en 12' }).waitFor();
      await hoursInput.fill('6,5');
      await colleague.getByTestId('planning-capacity-save').click();
      await lead.getByTestId('planning-message').filter({ hasText: 'Gedaan.' }).waitFor();
      await colleague.getByTestId('planning-absent').check();
      // Stored on the server (the page's message reads "Gedaan." already).
      const token = await tokenOf(server, 'teamleider1');
      for (let i = 0; i < 50; i += 1) {
        const { body } = await api(server, token, 'GET', '/api/v1/team/board');
        if (body.inspectors.find((x) => x.id === colleagueId)?.absent) break;
        await lead.waitForTimeout(100);
      }
      await lead.reload();
      const again = lead.locator(`[data-testid="planning-inspector"][data-inspector-id="${colleagueId}"]`);
      await again.getByTestId('planning-capacity').waitFor();
      assert.equal(await again.getByTestId('planning-capacity').inputValue(), '6,5');
      assert.equal(await again.getByTestId('planning-absent').isChecked(), true);

      // A site from the register pushed to the top with a reason.
      const siteBoost = lead.getByTestId('site-boost');
      await siteBoost.getByTestId('site-boost-query').fill('Hotel');
      await siteBoost.getByRole('button', { name: 'Zoeken' }).click();
      const found = siteBoost.getByTestId('site-boost-found').first();
      await found.waitFor();
      await found.getByRole('button', { name: 'Kiezen' }).click();
      await siteBoost.getByTestId('site-boost-reason').fill('Melding van de politie over een lozing');
      await siteBoost.getByTestId('site-boost-send').click();
      await lead.getByTestId('planning-message').filter({ hasText: /^Gedaan\. (Het geplande bezoek|De planner)/ }).waitFor();
      if (SHOTS) await siteBoost.screenshot({ path: `${SHOTS}/planning-site-boost.png` });

      // Lock the day: the planner's button is off until it is unlocked.
      await lead.getByTestId('planning-lock').click();
      await lead.locator('[data-testid="planning-lock-state"][data-locked="true"]').waitFor();
      assert.equal(await lead.getByTestId('planning-plan').isDisabled(), true);
      if (SHOTS) await lead.getByTestId('planning').locator('.day-controls').screenshot({ path: `${SHOTS}/planning-locked.png` });
    } finally {
      await office.close();
      await tablet.close();
    }
  });
});
