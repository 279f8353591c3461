// LHSO advice on the tablet (issue 3, section 1): a violation is scored offline with the default
// matrix through its questions; the suggested cell, the BOA flag, the interventions (Dutch names),
// the remedy deadline and the explanation show at once; another cell needs a written reason; the
// assessment is kept with the finding on the device, survives an offline reload and reaches the
// server; an agency's own matrix replaces the default on the tablet.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  login,
  openBrowser,
  readStore,
  startServer,
  waitForServiceWorkerControl,
  waitForStoredSession,
} from './helpers.mjs';
import {
  B3_ANSWERS, MATRIX, SYNC_TIMEOUT_MS, plannedVisitWithYesNoItem, waitForSyncSuccess,
} from './field.mjs';


/** The default matrix the app embeds (the same file as the shared engine's). */

/** The Dutch display names the app must show (issue 3: "Dutch display names live in the app's strings"). */
const DUTCH = {
  inform: 'Informeren',
  address: 'Aanspreken',
  warn: 'Waarschuwen',
  administrative_talk: 'Bestuurlijk gesprek',
  intensified_supervision: 'Verscherpt toezicht',
  penalty_order: 'Last onder dwangsom',
  enforcement_order: 'Last onder bestuursdwang',
  temporary_shutdown: 'Tijdelijke stillegging',
  closure: 'Sluiting',
  permit_suspension: 'Schorsing vergunning',
  permit_withdrawal: 'Intrekking vergunning',
  administrative_fine: 'Bestuurlijke boete',
  official_report: 'Proces-verbaal',
  punishment_order: 'Strafbeschikking',
};

const REASON = 'Eerder schriftelijk gewaarschuwd voor dezelfde lekkage';

function dutchNames(cell) {
  return MATRIX.cells[cell].interventions.map((code) => DUTCH[code]);
}

/** `dd-mm-yyyy` of today plus `days`, on this machine's (and so the browser's) calendar. */
function dateNl(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const two = (n) => String(n).padStart(2, '0');
  return `${two(d.getDate())}-${two(d.getMonth() + 1)}-${d.getFullYear()}`;
}

async function texts(locator) {
  return (await locator.allTextContents()).map((t) => t.trim());
}

describe('LHSO scoring on the device', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('scores a violation offline, refuses a deviation without a reason and keeps it after a reload', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      await login(page);
      await waitForStoredSession(page, true);
      await waitForServiceWorkerControl(page);
      await waitForSyncSuccess(page);

      // A planned visit whose checklist has a yes/no item, and the answer that breaks its rule.
      const { target, item } = await plannedVisitWithYesNoItem(page);
      const violating = item.answer.violation_on === 'yes' ? 'Ja' : 'Nee';

      await context.setOffline(true);
      await page.goto(`/bezoek/${target.visit.id}`);
      await page.getByRole('heading', { name: target.visit.site.name }).waitFor();
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();

      const row = page.locator(`[data-testid="checklist-item"][data-item-id="${item.id}"]`);
      await row.getByRole('button', { name: violating, exact: true }).click();
      await row.locator('.violation-tag').waitFor();
      await row.getByTestId('lhso-open').click();

      const panel = row.getByTestId('lhso-panel');
      await panel.waitFor();
      const label = await panel.getByTestId('lhso-matrix-label').innerText();
      assert.match(label, /Standaardmatrix lhso-default-2022/);
      assert.match(label, /niet door uw omgevingsdienst vastgesteld/);
      const questionIds = await panel.getByTestId('lhso-question').evaluateAll((els) => els.map((e) => e.dataset.questionId));
      assert.deepEqual(
        questionIds.sort(),
        [...MATRIX.consequence.questions, ...MATRIX.behaviour.questions].map((q) => q.id).sort(),
        'every question of both axes is asked',
      );
      // Nothing is suggested before every question is answered.
      assert.equal(await panel.getByTestId('lhso-suggested').count(), 0);

      for (const [question, value] of Object.entries(B3_ANSWERS)) {
        const button = panel.locator(`[data-question-id="${question}"] button[data-value="${value}"]`);
        await button.click();
        await panel.locator(`[data-question-id="${question}"] button[data-value="${value}"][aria-pressed="true"]`).waitFor();
      }
      const suggested = panel.getByTestId('lhso-suggested');
      await suggested.filter({ hasText: 'B3' }).waitFor();
      assert.deepEqual(await texts(panel.getByTestId('lhso-interventions').locator('li')), dutchNames('B3'));
      assert.equal(await panel.getByTestId('lhso-boa').getAttribute('data-boa'), String(MATRIX.cells.B3.boa_consultation));
      assert.equal(
        (await panel.getByTestId('lhso-deadline').innerText()).trim(),
        `Hersteltermijn tot ${dateNl(MATRIX.cells.B3.remedy_days)}`,
      );
      const explanation = await panel.getByTestId('lhso-explanation').locator('li').allTextContents();
      assert.ok(explanation.some((s) => s.includes('Cel B3')), `the explanation names the cell: ${explanation}`);
      assert.ok(explanation.some((s) => s.includes('standaardmatrix')), 'and says the matrix is a default');

      // A repeat offence makes the behaviour one letter graver; untick it again.
      await panel.getByTestId('lhso-repeat').check();
      await suggested.filter({ hasText: 'C3' }).waitFor();
      await panel.getByTestId('lhso-repeat').uncheck();
      await suggested.filter({ hasText: 'B3' }).waitFor();

      // Another cell without a written reason is refused, and nothing is saved.
      await panel.getByTestId('lhso-cell').selectOption('C3');
      await panel.getByTestId('lhso-save').click();
      await panel.getByTestId('lhso-error').filter({ hasText: 'schriftelijke reden' }).waitFor();
      assert.equal(await row.getByTestId('lhso-saved').count(), 0);
      let findings = await readStore(page, 'findings');
      assert.ok(findings.every((f) => !f.lhso), 'no assessment stored after the refusal');

      // With a reason it is accepted, marked as a deviation, and waits to be sent.
      await panel.getByTestId('lhso-reason').fill(REASON);
      await panel.getByTestId('lhso-save').click();
      const saved = row.getByTestId('lhso-saved');
      await saved.waitFor();
      assert.equal(await saved.getAttribute('data-cell'), 'C3');
      assert.equal(await saved.getAttribute('data-deviated'), 'true');
      assert.match(await saved.getByTestId('lhso-deviation').innerText(), /B3.*Eerder schriftelijk gewaarschuwd/);
      await saved.getByTestId('lhso-delivery').filter({ hasText: 'wacht op verzending' }).waitFor();
      assert.deepEqual(await texts(saved.getByTestId('lhso-interventions').locator('li')), dutchNames('C3'));
      assert.match(await saved.getByTestId('lhso-matrix-label').innerText(), /Standaardmatrix lhso-default-2022/);

      findings = await readStore(page, 'findings');
      const stored = findings.find((f) => f.item_id === item.id);
      assert.equal(stored?.lhso?.choice?.chosen, 'C3');
      assert.equal(stored.lhso.choice.suggested, 'B3');
      assert.equal(stored.lhso.choice.reason, REASON);
      assert.equal(stored.lhso.advice.matrix_version, 'lhso-default-2022');
      // The outbox holds the start, the answer and the assessment, in that order.
      const outbox = await readStore(page, 'outbox');
      assert.deepEqual(outbox.map((e) => e.mutation.type), ['visit.start', 'finding.upsert', 'violation.assess']);
      const sent = outbox[2].mutation;
      assert.equal(sent.entity_id, stored.id);
      assert.deepEqual(
        { chosen: sent.data.chosen_cell, reason: sent.data.deviation_reason, matrix: sent.data.matrix_version },
        { chosen: 'C3', reason: REASON, matrix: 'lhso-default-2022' },
      );

      // An offline reload shows the same assessment.
      const reload = await page.reload();
      assert.ok(reload?.fromServiceWorker(), 'the offline reload comes from the service worker');
      const again = page.locator(`[data-testid="checklist-item"][data-item-id="${item.id}"]`).getByTestId('lhso-saved');
      await again.waitFor();
      assert.equal(await again.getAttribute('data-cell'), 'C3');
      assert.equal(await again.getAttribute('data-deviated'), 'true');
      assert.match(await again.getByTestId('lhso-deviation').innerText(), /Eerder schriftelijk gewaarschuwd/);
      await again.getByTestId('lhso-delivery').filter({ hasText: 'wacht op verzending' }).waitFor();

      // Online: the server takes it, recomputes the suggestion and keeps the deviation.
      await context.setOffline(false);
      await again.getByTestId('lhso-delivery').filter({ hasText: 'ontvangen door de server' })
        .waitFor({ timeout: 90_000 });
      const [session] = await readStore(page, 'session');
      const res = await fetch(`${server.url}/api/v1/sites/${target.visit.site.id}`, {
        headers: { Authorization: `Bearer ${session.token}` },
      });
      assert.equal(res.status, 200);
      const violations = (await res.json()).inspections.flatMap((i) => i.violations);
      const onServer = violations.find((v) => v.id === stored.id);
      assert.ok(onServer, `the violation is on the server: ${JSON.stringify(violations.slice(0, 2))}`);
      assert.deepEqual(
        [onServer.cell, onServer.suggested_cell, onServer.deviation_reason, onServer.matrix_version],
        ['C3', 'B3', REASON, 'lhso-default-2022'],
      );
    } finally {
      await browser.close();
    }
  });
  it("uses the agency's own matrix on the tablet once the working set brings it", async () => {
    // An admin loads the agency's matrix (the default's content under the agency's own version).
    const adminLogin = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'schouw-demo' }),
    });
    const admin = (await adminLogin.json()).token;
    const own = { ...MATRIX, version: 'od-achterhoek-2026-1', is_default: false, label: 'Handhavingsmatrix OD Achterhoek' };
    const put = await fetch(`${server.url}/api/v1/admin/lhso/matrix`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(own),
    });
    assert.equal(put.status, 200, await put.text());

    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      await login(page);
      await waitForStoredSession(page, true);
      await waitForSyncSuccess(page);
      const { target, item } = await plannedVisitWithYesNoItem(page);

      // Offline, the panel scores with the agency's matrix, not the shipped default.
      await context.setOffline(true);
      await page.goto(`/bezoek/${target.visit.id}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      const row = page.locator(`[data-testid="checklist-item"][data-item-id="${item.id}"]`);
      await row.getByRole('button', { name: item.answer.violation_on === 'yes' ? 'Ja' : 'Nee', exact: true }).click();
      await row.getByTestId('lhso-open').click();
      const panel = row.getByTestId('lhso-panel');
      const label = await panel.getByTestId('lhso-matrix-label').innerText();
      assert.match(label, /od-achterhoek-2026-1/);
      assert.doesNotMatch(label, /Standaardmatrix/);
      for (const [question, value] of Object.entries(B3_ANSWERS)) {
        await panel.locator(`[data-question-id="${question}"] button[data-value="${value}"]`).click();
      }
      await panel.getByTestId('lhso-suggested').filter({ hasText: 'B3' }).waitFor();
      await panel.getByTestId('lhso-save').click();
      await row.getByTestId('lhso-saved').waitFor();

      // The server stores the assessment under the agency's version.
      await context.setOffline(false);
      await row.getByTestId('lhso-delivery').filter({ hasText: 'ontvangen door de server' })
        .waitFor({ timeout: SYNC_TIMEOUT_MS });
      const [session] = await readStore(page, 'session');
      const detail = await (await fetch(`${server.url}/api/v1/sites/${target.visit.site.id}`, {
        headers: { Authorization: `Bearer ${session.token}` },
      })).json();
      // This visit's finding: the feed also brings the first test's findings of the same inspector,
      // possibly for the same checklist item.
      const finding = (await readStore(page, 'findings'))
        .find((f) => f.item_id === item.id && f.visit_id === target.visit.id);
      assert.ok(finding, 'the finding of this visit is on the device');
      const onServer = detail.inspections.flatMap((i) => i.violations).find((v) => v.id === finding.id);
      assert.equal(onServer?.matrix_version, 'od-achterhoek-2026-1');
      assert.equal(onServer.cell, 'B3');
    } finally {
      await browser.close();
    }
  });
});
