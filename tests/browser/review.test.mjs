// The review loop (issue 11) with two browsers: an inspector finishes a visit whose assessment
// deviates from the suggested cell, with a photo; the team lead sees it on the review list with
// its reasons, opens it (answers, assessment, photo) and returns it with a comment; the inspector's
// tablet receives it at the next sync with the comment, the inspector corrects and finishes it
// again; it is back on the lead's list and the lead approves it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  loginAs,
  openBrowser,
  startServer,
} from './helpers.mjs';
import {
  B3_ANSWERS, MATRIX, SYNC_TIMEOUT_MS, api, inspectorTablet, isoDate, tokenOf, plannedVisitWithYesNoItem, waitForSyncSuccess,
} from './field.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;

/** A small picture drawn in the page (a gradient), as PNG bytes. */
async function aPicture(page) {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(640, 480);
    const ctx = canvas.getContext('2d');
    const gradient = ctx.createLinearGradient(0, 0, 640, 480);
    gradient.addColorStop(0, '#14532d');
    gradient.addColorStop(1, '#dcefe2');
    ctx.fillStyle = gradient;
    ctx.fillRect(0, 0, 640, 480);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  });
  return Buffer.from(base64, 'base64');
}

describe('the review loop between a team lead and a tablet', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('returns a visit with a comment, the tablet corrects it, the lead approves it', async () => {
    const tablet = await inspectorTablet(server);
    const office = await openBrowser(server.url);
    try {
      const { page } = tablet;

      // Today's first planned visit whose checklist has a yes/no item.
      const today = isoDate(new Date());
      const { target, item } = await plannedVisitWithYesNoItem(page, today);
      const visitId = target.visit.id;

      // On site: a photo, a violation scored one cell heavier than suggested, with a reason.
      await page.goto(`/bezoek/${visitId}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      await page.getByTestId('photos').getByTestId('photo-input').setInputFiles({
        name: 'lekbak.png', mimeType: 'image/png', buffer: await aPicture(page),
      });
      await page.getByTestId('photos').getByTestId('photo').waitFor();
      const row = page.locator(`[data-testid="checklist-item"][data-item-id="${item.id}"]`);
      await row.getByRole('button', { name: item.answer.violation_on === 'yes' ? 'Ja' : 'Nee', exact: true }).click();
      await row.getByTestId('lhso-open').click();
      const panel = row.getByTestId('lhso-panel');
      for (const [question, value] of Object.entries(B3_ANSWERS)) {
        await panel.locator(`[data-question-id="${question}"] button[data-value="${value}"]`).click();
      }
      if (await panel.getByTestId('lhso-earlier').count()) {
        await panel.getByTestId('lhso-repeat').uncheck();
        await panel.getByTestId('lhso-repeat-reason').fill('Andere installatie dan bij de vorige controle');
      }
      await panel.getByTestId('lhso-suggested').filter({ hasText: 'B3' }).waitFor();
      await panel.getByTestId('lhso-cell').selectOption('C3');
      await panel.getByTestId('lhso-reason').fill('Het lek loopt al weken; ernstiger dan de vragen laten zien.');
      const chosen = MATRIX.cells.C3.interventions[0];
      await panel.locator(`[data-testid="lhso-intervention"] input[value="${chosen}"]`).check();
      if (MATRIX.cells.C3.boa_consultation) await panel.getByTestId('lhso-boa-consulted').check();
      await panel.getByTestId('lhso-save').click();
      await row.getByTestId('lhso-saved').waitFor();
      page.once('dialog', (d) => d.accept());
      await page.getByTestId('finish-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Afgerond' }).waitFor();
      await waitForSyncSuccess(page);

      // The team lead: the visit is on the review list, with "deviation" among its reasons.
      const lead = office.page;
      await loginAs(lead, 'teamleider1', '**/kantoor/team');
      await lead.getByTestId('to-review').click();
      await lead.waitForURL('**/kantoor/beoordelen');
      const entry = lead.locator(`[data-testid="review-item"][data-visit-id="${visitId}"]`);
      await entry.waitFor();
      assert.ok(await entry.locator('[data-reason="deviation"]').count(), 'deviation is a reason');
      if (SHOTS) await lead.screenshot({ path: `${SHOTS}/review-list.png`, fullPage: true });
      await entry.getByRole('link').click();
      await lead.waitForURL(`**/kantoor/beoordelen/${visitId}`);
      const assessment = lead.getByTestId('review-assessment');
      await assessment.waitFor();
      assert.equal(await assessment.getAttribute('data-cell'), 'C3');
      assert.match(await assessment.innerText(), /voorgesteld: B3/);
      assert.match(await assessment.innerText(), /ernstiger dan de vragen laten zien/);
      // The photo comes from the server (with the lead's token) and shows.
      const photo = lead.getByTestId('review-photo').locator('img');
      await photo.waitFor();
      await lead.waitForFunction((img) => img.complete && img.naturalWidth > 0, await photo.elementHandle());
      if (SHOTS) await lead.screenshot({ path: `${SHOTS}/review-visit.png`, fullPage: true });

      // Returning needs a comment; with one (and a confirmation) the visit leaves the list.
      await lead.getByTestId('review-return').click();
      await lead.getByTestId('review-message').filter({ hasText: 'Schrijf bij terugsturen' }).waitFor();
      const comment = 'Leg de hersteltermijn vast en voeg een foto van de lekbak toe.';
      await lead.getByTestId('review-comment').fill(comment);
      lead.once('dialog', (d) => d.accept());
      await lead.getByTestId('review-return').click();
      await lead.waitForURL('**/kantoor/beoordelen');
      await lead.getByTestId('review-list').waitFor();
      await lead.waitForFunction((id) => !document.querySelector(`[data-testid="review-item"][data-visit-id="${id}"]`)
        && !document.body.innerText.includes('Laden'), visitId);

      // The tablet: the next sync brings the returned visit with the comment.
      await page.goto('/vandaag');
      await page.getByRole('button', { name: 'Nu synchroniseren' }).click();
      const card = page.locator(`[data-testid="visit-card"][data-visit-id="${visitId}"]`);
      await card.getByTestId('card-returned-comment').filter({ hasText: comment }).waitFor({ timeout: SYNC_TIMEOUT_MS });
      await card.getByRole('link').first().click();
      await page.getByTestId('visit-status').filter({ hasText: 'Teruggestuurd' }).waitFor();
      const banner = page.getByTestId('returned-comment');
      assert.match(await banner.innerText(), /Teruggestuurd door de teamleider/);
      assert.match(await banner.innerText(), new RegExp(comment));
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/tablet-returned.png`, fullPage: true });

      // Corrected: reopened, a note added, finished again.
      await page.getByTestId('start-visit').filter({ hasText: 'Correctie starten' }).click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      await page.getByTestId('note-input').fill('Hersteltermijn besproken met de eigenaar; foto toegevoegd.');
      await page.getByTestId('add-note').click();
      await page.getByTestId('note').first().waitFor();
      page.once('dialog', (d) => d.accept());
      await page.getByTestId('finish-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Afgerond' }).waitFor();
      await waitForSyncSuccess(page);

      // Back on the lead's list; the history shows the return; the lead approves.
      await lead.reload();
      await entry.waitFor({ timeout: SYNC_TIMEOUT_MS });
      await entry.getByRole('link').click();
      const history = lead.getByTestId('review-history');
      await history.locator('li[data-decision="return"]').filter({ hasText: comment }).waitFor();
      await lead.getByText('Hersteltermijn besproken met de eigenaar').waitFor();
      await lead.getByTestId('review-approve').click();
      await lead.waitForURL('**/kantoor/beoordelen');
      await lead.waitForFunction((id) => !document.querySelector(`[data-testid="review-item"][data-visit-id="${id}"]`)
        && !document.body.innerText.includes('Laden'), visitId);

      // The server keeps both steps on the visit, oldest first.
      const { body: detail } = await api(server, await tokenOf(server, 'teamleider1'), 'GET', `/api/v1/visits/${visitId}`);
      assert.deepEqual(detail.reviews.map((r) => r.decision), ['return', 'approve']);
      assert.equal(detail.status, 'done');
    } finally {
      await office.close();
      await tablet.close();
    }
  });
});
