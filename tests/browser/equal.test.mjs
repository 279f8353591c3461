// Equal treatment (issue 11): the team lead opens the page from the team page, sees per LHSO cell
// the interventions per inspector against the team with the stated rule, and a count drills down
// to exactly that many cases, each opening its visit where it came through one.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { loginAs, openBrowser, startServer } from './helpers.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;

describe('equal treatment', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('shows each cell per inspector and drills down to the cases', async () => {
    const office = await openBrowser(server.url);
    try {
      const lead = office.page;
      await loginAs(lead, 'teamleider1', '**/kantoor/team');
      await lead.getByTestId('to-equal').click();
      await lead.waitForURL('**/kantoor/gelijke-behandeling');
      assert.match(await lead.getByTestId('equal-rule').innerText(), /minstens 5 zaken/);
      const cells = lead.getByTestId('equal-cell');
      await cells.first().waitFor();
      assert.ok(await cells.count() > 0);
      // The busiest cell: its first inspector's count opens that many cases.
      const counts = await cells.evaluateAll((els) => els.map((e) => e.querySelectorAll('[data-testid="equal-inspector"]').length));
      const cell = cells.nth(counts.indexOf(Math.max(...counts)));
      const row = cell.getByTestId('equal-inspector').first();
      const n = Number(await row.getByTestId('equal-drill').innerText());
      await row.getByTestId('equal-drill').click();
      const list = cell.getByTestId('equal-cases');
      await list.getByTestId('equal-case').first().waitFor();
      assert.equal(await list.getByTestId('equal-case').count(), n);
      const flagged = await lead.locator('[data-testid="equal-inspector"]:not([data-outlier="none"])').count();
      console.log(`${await cells.count()} cells, ${flagged} outlier rows marked`);
      if (SHOTS) await lead.screenshot({ path: `${SHOTS}/equal-treatment.png`, fullPage: true });
    } finally {
      await office.close();
    }
  });
});
