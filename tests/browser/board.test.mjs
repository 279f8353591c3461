// The team lead's day board (issue 11) with two browsers: the board shows every inspector's day;
// when the inspector's tablet starts a visit and syncs, the lead's board shows it within seconds
// without a reload (row and map); the team filter narrows the table and the map.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  INSPECTOR,
  loginAs,
  openBrowser,
  readStore,
  startServer,
} from './helpers.mjs';
import { inspectorTablet, isoDate, waitForSyncSuccess } from './field.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;

/** How long the board may take to show a sync: its poll interval plus a margin. */
const BOARD_FOLLOWS_MS = 12_000;

describe('the day board', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('follows a tablet that syncs, without a reload, and filters by team', async () => {
    const tablet = await inspectorTablet(server);
    const office = await openBrowser(server.url);
    try {
      const { page } = tablet;

      const lead = office.page;
      await loginAs(lead, 'teamleider1', '**/kantoor/team');
      const board = lead.getByTestId('day-board');
      const row = board.getByTestId('board-row').filter({ hasText: INSPECTOR.name });
      await row.waitFor();
      const rows = await board.getByTestId('board-row').count();
      assert.equal(rows, 12, 'every inspector of the demo agency');
      assert.equal(await row.getByTestId('board-in-progress').innerText(), '0');
      const planned = Number(await row.getByTestId('board-planned').innerText());
      assert.ok(planned > 0, 'the inspector has visits today');
      const sites = await board.getByTestId('board-site').count();
      const total = await board.locator('tfoot td.num').first().innerText();
      assert.equal(sites, Number(total), 'one marker per visit of the day');
      const updated = await board.getByTestId('board-updated').getAttribute('data-read-at');

      // The tablet starts today's first planned visit; its sync reaches the board by itself.
      const today = isoDate(new Date());
      const visit = (await readStore(page, 'visits'))
        .filter((v) => v.visit.status === 'planned' && v.visit.planned_date === today)
        .sort((a, b) => a.visit.route_order - b.visit.route_order)[0];
      assert.ok(visit, 'a planned visit today');
      await page.goto(`/bezoek/${visit.visit.id}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      await waitForSyncSuccess(page);
      const synced = Date.now();
      await row.getByTestId('board-in-progress').filter({ hasText: /^1$/ }).waitFor({ timeout: BOARD_FOLLOWS_MS });
      const followedMs = Date.now() - synced;
      assert.equal(await row.getByTestId('board-planned').innerText(), String(planned - 1));
      await board.locator(`[data-testid="board-site"][data-visit-id="${visit.visit.id}"][data-status="in_progress"]`).waitFor();
      assert.notEqual(await board.getByTestId('board-updated').getAttribute('data-read-at'), updated, 'read again');
      console.log(`the board showed the sync ${followedMs} ms after the tablet finished it`);
      if (SHOTS) await lead.screenshot({ path: `${SHOTS}/day-board.png`, fullPage: true });

      // The team filter: the inspector's team keeps the row, the other team drops it.
      const teamOf = await row.locator('td').first().innerText();
      const other = teamOf === 'Team Noord' ? 'Team Zuid' : 'Team Noord';
      await board.getByTestId('board-team').selectOption(other);
      await row.waitFor({ state: 'detached' });
      const narrowed = await board.getByTestId('board-row').count();
      assert.ok(narrowed > 0 && narrowed < rows, `${narrowed} of ${rows} inspectors in ${other}`);
      assert.equal(await board.locator(`[data-testid="board-site"][data-visit-id="${visit.visit.id}"]`).count(), 0);
      await board.getByTestId('board-team').selectOption(teamOf);
      await row.waitFor();
      if (SHOTS) await board.screenshot({ path: `${SHOTS}/day-board-team.png` });
    } finally {
      await office.close();
      await tablet.close();
    }
  });
});
