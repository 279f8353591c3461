// The enforcement chain on the tablet (issue 9): offline, the inspector chooses an intervention
// from those the chosen cell proposes and sets the remedy deadline, then finishes the visit (the
// unanswered items are listed first); once synced, the server holds an open case; after a team
// lead plans the due day the re-inspection is on the tablet's list; re-inspected offline as
// remedied, the case is closed on the server once the tablet is online again.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  login,
  loginAs,
  openBrowser,
  readStore,
  startServer,
  waitForServiceWorkerControl,
  waitForStoredSession,
} from './helpers.mjs';
import {
  B3_ANSWERS, MATRIX, SYNC_TIMEOUT_MS, api, isoDate, tokenOf, plannedVisitWithYesNoItem, waitForSyncSuccess,
} from './field.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;

/** The next Monday-to-Friday after today (the demo has no holidays close enough to matter). */
function nextWorkday() {
  const d = new Date();
  do { d.setDate(d.getDate() + 1); } while (d.getDay() === 0 || d.getDay() === 6);
  return isoDate(d);
}

describe('the enforcement chain on the tablet', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('chooses an intervention offline, and a planned re-inspection closes the case', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      await login(page);
      await waitForStoredSession(page, true);
      await waitForServiceWorkerControl(page);
      await waitForSyncSuccess(page);

      // Today's first planned visit whose checklist has a yes/no item.
      const today = isoDate(new Date());
      const { target, item } = await plannedVisitWithYesNoItem(page, today);
      const violating = item.answer.violation_on === 'yes' ? 'Ja' : 'Nee';

      await context.setOffline(true);
      await page.goto(`/bezoek/${target.visit.id}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      const row = page.locator(`[data-testid="checklist-item"][data-item-id="${item.id}"]`);
      await row.getByRole('button', { name: violating, exact: true }).click();
      await row.getByTestId('lhso-open').click();
      const panel = row.getByTestId('lhso-panel');
      for (const [question, value] of Object.entries(B3_ANSWERS)) {
        await panel.locator(`[data-question-id="${question}"] button[data-value="${value}"]`).click();
      }
      // A repeat offence the site's history suggests is part of the advice; clear it with a reason
      // if it is there, so the cell is B3.
      if (await panel.getByTestId('lhso-earlier').count()) {
        await panel.getByTestId('lhso-repeat').uncheck();
        await panel.getByTestId('lhso-repeat-reason').fill('Andere installatie dan bij de vorige controle');
      }
      await panel.getByTestId('lhso-suggested').filter({ hasText: 'B3' }).waitFor();

      // While deviating, the chosen cell's interventions show at once (before saving).
      await panel.getByTestId('lhso-cell').selectOption('C3');
      const proposedC3 = MATRIX.cells.C3.interventions;
      await panel.locator(`[data-testid="lhso-intervention"] input[value="${proposedC3[0]}"]`).waitFor();
      assert.deepEqual(
        await panel.locator('[data-testid="lhso-intervention"] input[type="radio"]').evaluateAll((els) => els.map((e) => e.value)),
        proposedC3,
      );
      await panel.getByTestId('lhso-cell').selectOption('B3');
      const proposed = MATRIX.cells.B3.interventions;
      const chosen = proposed[proposed.length - 1];
      await panel.locator(`[data-testid="lhso-intervention"] input[value="${chosen}"]`).check();
      // Another intervention than the cell proposes needs a reason: refused without one.
      const other = Object.keys(MATRIX.cells).flatMap((c) => MATRIX.cells[c].interventions)
        .find((i) => !proposed.includes(i));
      await panel.getByTestId('lhso-other-intervention').selectOption(other);
      await panel.getByTestId('lhso-save').click();
      await panel.getByTestId('lhso-error').filter({ hasText: 'geef een reden' }).waitFor();
      // Back to one the cell proposes; the deadline set to today (the re-inspection is due at once).
      await panel.getByTestId('lhso-other-intervention').selectOption('');
      await panel.locator(`[data-testid="lhso-intervention"] input[value="${chosen}"]`).check();
      await panel.getByTestId('lhso-deadline-input').fill(today);
      const [y, m, d] = today.split('-');
      await panel.getByTestId('lhso-deadline').filter({ hasText: `Hersteltermijn tot ${d}-${m}-${y}` }).waitFor();
      if (MATRIX.cells.B3.boa_consultation) await panel.getByTestId('lhso-boa-consulted').check();
      if (SHOTS) await panel.screenshot({ path: `${SHOTS}/lhso-intervention.png` });
      await panel.getByTestId('lhso-save').click();
      const saved = row.getByTestId('lhso-saved');
      await saved.waitFor();
      assert.equal(await saved.getByTestId('lhso-chosen-intervention').getAttribute('data-code'), chosen);

      // Finishing lists the unanswered items first.
      let message = '';
      page.once('dialog', (d) => { message = d.message(); d.accept(); });
      await page.getByTestId('finish-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Afgerond' }).waitFor();
      assert.match(message, /nog niet beantwoord/);
      assert.equal(await page.getByText('Start het bezoek om de checklist in te vullen.').count(), 0);
      const outbox = await readStore(page, 'outbox');
      const assess = outbox.find((e) => e.mutation.type === 'violation.assess').mutation;
      assert.equal(assess.data.intervention, chosen);
      assert.equal(assess.data.remedy_deadline, today);

      // Online: the server holds an open case with the inspector's choice.
      await context.setOffline(false);
      await waitForSyncSuccess(page);
      const lead = await tokenOf(server, 'teamleider1');
      const site = await api(server, lead, 'GET', `/api/v1/sites/${target.visit.site.id}`);
      const finding = (await readStore(page, 'findings')).find((f) => f.item_id === item.id && f.visit_id === target.visit.id);
      const caseOnServer = site.body.enforcement.find((c) => c.violation_id === finding.id);
      assert.ok(caseOnServer, `the violation opened a case: ${JSON.stringify(site.body.enforcement.slice(0, 1))}`);
      assert.deepEqual([caseOnServer.state, caseOnServer.intervention, caseOnServer.remedy_deadline], ['open', chosen, today]);

      // The team lead plans the next working day: the re-inspection goes first on the list.
      const day = nextWorkday();
      const plan = await api(server, lead, 'POST', '/api/v1/team/plan', { date: day });
      assert.equal(plan.status, 200, JSON.stringify(plan.body));
      await page.goto('/vandaag');
      await page.getByRole('button', { name: 'Nu synchroniseren' }).click();
      await waitForSyncSuccess(page);
      let reinspection;
      for (let i = 0; i < 30 && !reinspection; i += 1) {
        reinspection = (await readStore(page, 'visits'))
          .find((v) => v.visit.kind === 'reinspection' && v.visit.site.id === target.visit.site.id);
        if (!reinspection) await page.waitForTimeout(500);
      }
      assert.ok(reinspection, 'the re-inspection is on the tablet');
      assert.equal(reinspection.visit.planned_date, day);
      assert.equal(reinspection.visit.route_order, 1, 'first of its day');
      const cases = await readStore(page, 'cases');
      assert.ok(cases.some((c) => c.id === caseOnServer.id), 'the open case is on the tablet');

      // Offline re-inspection: remedied.
      await context.setOffline(true);
      await page.goto(`/bezoek/${reinspection.visit.id}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      const card = page.locator(`[data-testid="case"][data-case-id="${caseOnServer.id}"]`);
      await card.waitFor();
      assert.match(await card.getByTestId('case-facts').innerText(), /Cel B3/);
      if (SHOTS) await page.getByTestId('reinspection').screenshot({ path: `${SHOTS}/reinspection.png` });
      await card.getByTestId('case-remedied').click();
      await card.getByTestId('verdict-delivery').filter({ hasText: 'wacht op verzending' }).waitFor();

      await context.setOffline(false);
      await card.getByTestId('verdict-delivery').filter({ hasText: 'ontvangen door de server' }).waitFor({ timeout: SYNC_TIMEOUT_MS });
      const closed = await api(server, lead, 'GET', `/api/v1/enforcement/cases/${caseOnServer.id}`);
      assert.equal(closed.body.state, 'closed', JSON.stringify(closed.body));
      assert.deepEqual(closed.body.steps.map((s) => s.step), ['opened', 'remedied']);
      if (SHOTS) await page.getByTestId('reinspection').screenshot({ path: `${SHOTS}/reinspection-done.png` });

      // The same item broken again at this site: the tablet flags a repeat offence from the
      // site's history (offline), and the advice takes it into account.
      await context.setOffline(true);
      const again = page.locator(`[data-testid="checklist-item"][data-item-id="${item.id}"]`);
      await again.getByRole('button', { name: violating, exact: true }).click();
      await again.getByTestId('lhso-open').click();
      const repeatPanel = again.getByTestId('lhso-panel');
      await repeatPanel.getByTestId('lhso-earlier').waitFor();
      assert.ok(await repeatPanel.getByTestId('lhso-repeat').isChecked(), 'the repeat offence is flagged');
      for (const [question, value] of Object.entries(B3_ANSWERS)) {
        await repeatPanel.locator(`[data-question-id="${question}"] button[data-value="${value}"]`).click();
      }
      // B3 answers with the aggravating repeat: one behaviour letter graver.
      await repeatPanel.getByTestId('lhso-suggested').filter({ hasText: 'C3' }).waitFor();
      // Clearing it needs a reason.
      await repeatPanel.getByTestId('lhso-repeat').uncheck();
      await repeatPanel.getByTestId('lhso-save').click();
      await repeatPanel.getByTestId('lhso-error').filter({ hasText: 'herhaalde overtreding' }).waitFor();
      await context.setOffline(false);
    } finally {
      await browser.close();
    }
  });

  it('lets a team lead record office steps, and refuses one the machine does not allow', async () => {
    const lead = await tokenOf(server, 'teamleider1');
    const list = await api(server, lead, 'GET', '/api/v1/enforcement/cases?open=true');
    const target = list.body.cases.find((c) => c.state === 'open');
    assert.ok(target, 'the demo has a case whose letter is not sent yet');
    const browser = await openBrowser(server.url);
    try {
      const { page } = browser;
      await loginAs(page, 'teamleider1', /\/kantoor\/team$/);
      await page.getByTestId('to-enforcement').click();
      await page.waitForURL(/\/kantoor\/handhaving$/);
      const card = page.locator(`[data-testid="office-case"][data-case-id="${target.id}"]`);
      await card.waitFor();
      assert.match(await card.getByTestId('office-case-next').innerText(), /brief met hersteltermijn/);

      // Collecting a penalty on a case that has not even had its letter: refused, in Dutch.
      await card.getByTestId('office-step-open').click();
      await card.getByTestId('office-step-kind').selectOption('collected');
      await card.getByTestId('office-step-amount').fill('tien euro');
      await card.getByTestId('office-step-save').click();
      await card.getByTestId('office-step-message').filter({ hasText: 'bedrag in euro' }).waitFor();
      await card.getByTestId('office-step-amount').fill('2.500,00');
      await card.getByTestId('office-step-save').click();
      await card.getByTestId('office-step-message').filter({ hasText: 'past niet bij de huidige stand' }).waitFor();
      if (SHOTS) await card.screenshot({ path: `${SHOTS}/office-refused.png` });
      const unchanged = await api(server, lead, 'GET', `/api/v1/enforcement/cases/${target.id}`);
      assert.equal(unchanged.body.version, target.version, 'a refused step changes nothing');

      // The letter goes out: the case moves on, with the step recorded by this team lead.
      await card.getByTestId('office-step-kind').selectOption('letter_sent');
      await card.getByTestId('office-step-save').click();
      await page.locator(`[data-testid="office-case"][data-case-id="${target.id}"][data-state="letter_sent"]`).waitFor();
      const after = await api(server, lead, 'GET', `/api/v1/enforcement/cases/${target.id}`);
      assert.equal(after.body.state, 'letter_sent');
      const me = await api(server, lead, 'GET', '/api/v1/me');
      assert.equal(after.body.steps.at(-1).by, me.body.id);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/office-cases.png` });

      // Finished cases are listed on request: the demo has collected penalties.
      await page.getByTestId('show-closed').check();
      await page.locator('[data-testid="office-case"][data-state="collected"]').first().waitFor();
    } finally {
      await browser.close();
    }
  });
});
