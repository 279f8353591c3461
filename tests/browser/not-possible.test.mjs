// "Niet mogelijk" (issue 12, the day): offline, the inspector gives up a planned visit with a
// reason; "Anders" needs an explanation before it can be saved; the day card and the visit say
// why; back online it reaches the server, and the team lead's day board counts it and marks it on
// the map. The visit can still be started afterwards.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { INSPECTOR, loginAs, openBrowser, readStore, startServer } from './helpers.mjs';
import { api, inspectorTablet, isoDate, tokenOf, waitForSyncSuccess } from './field.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;

describe('a visit that is not possible', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('is marked offline with a reason, reaches the server and shows on the day board', async () => {
    const tablet = await inspectorTablet(server);
    const office = await openBrowser(server.url);
    try {
      const { page, context } = tablet;
      const today = isoDate(new Date());
      const visit = (await readStore(page, 'visits'))
        .filter((v) => v.visit.status === 'planned' && v.visit.planned_date === today)
        .sort((a, b) => a.visit.route_order - b.visit.route_order)[0];
      assert.ok(visit, 'a planned visit today');
      const id = visit.visit.id;

      await context.setOffline(true);
      await page.goto(`/bezoek/${id}`);
      await page.getByTestId('not-possible-open').click();
      const form = page.getByTestId('not-possible-form');
      await form.getByLabel('Anders').check();
      const save = form.getByTestId('not-possible-save');
      assert.equal(await save.isDisabled(), true, '"Anders" needs an explanation first');
      await form.getByLabel('Toelichting').fill('Terrein afgezet door de brandweer');
      assert.equal(await save.isDisabled(), false);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/not-possible-form.png`, fullPage: true });
      await save.click();
      await page.getByTestId('visit-status').filter({ hasText: 'Niet mogelijk' }).waitFor();
      assert.equal(await page.getByTestId('not-possible-reason').innerText(), 'Anders');
      await page.getByText('Terrein afgezet door de brandweer').waitFor();
      // It may still be started (the situation may change the same day).
      await page.getByTestId('start-visit').waitFor();
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/not-possible-visit.png`, fullPage: true });

      const stored = (await readStore(page, 'visits')).find((v) => v.visit.id === id);
      assert.equal(stored.visit.status, 'not_possible');
      assert.equal(stored.visit.not_possible.reason, 'other');
      const queued = (await readStore(page, 'outbox')).map((e) => e.mutation);
      const mutation = queued.find((m) => m.type === 'visit.not_possible' && m.entity_id === id);
      assert.ok(mutation, 'the change waits in the outbox');
      assert.equal(mutation.data.note, 'Terrein afgezet door de brandweer');

      await page.getByRole('link', { name: /Mijn dag/ }).first().click();
      const card = page.locator(`[data-testid="visit-card"][data-visit-id="${id}"]`);
      await card.getByTestId('card-not-possible').filter({ hasText: 'Terrein afgezet' }).waitFor();
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/not-possible-day.png`, fullPage: true });

      // Online: the server holds it, the lead's board counts it and marks it on the map.
      await context.setOffline(false);
      await waitForSyncSuccess(page);
      const lead = await tokenOf(server, 'teamleider1');
      const detail = await api(server, lead, 'GET', `/api/v1/visits/${id}`);
      assert.equal(detail.body.status, 'not_possible');
      assert.deepEqual([detail.body.not_possible.reason, detail.body.not_possible.note],
        ['other', 'Terrein afgezet door de brandweer']);

      await loginAs(office.page, 'teamleider1', '**/kantoor/team');
      const board = office.page.getByTestId('day-board');
      const row = board.getByTestId('board-row').filter({ hasText: INSPECTOR.name });
      await row.getByTestId('board-not-possible').filter({ hasText: /^1$/ }).waitFor();
      const marker = board.locator(`[data-testid="board-site"][data-visit-id="${id}"][data-status="not_possible"]`);
      await marker.waitFor();
      assert.match(await marker.locator('title').textContent(), /Niet mogelijk: Anders/);
      if (SHOTS) await office.page.screenshot({ path: `${SHOTS}/not-possible-board.png`, fullPage: true });
    } finally {
      await office.close();
      await tablet.close();
    }
  });
});
