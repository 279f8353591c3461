// Realisation monitoring (issue 10): a manager opens the monitoring page and sees the figures with
// their charts, opens the inspections behind a key figure, downloads the annual report as PDF, narrows them to one authority and to the 4-month view; an authority viewer sees
// exactly that authority's figures and cannot choose another.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loginAs, openBrowser, startServer } from './helpers.mjs';

describe('realisation monitoring', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('a manager sees the charts and narrows them; an authority viewer sees only its own authority', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page } = browser;
      await loginAs(page, 'manager', '**/kantoor/monitoring');
      const headline = page.getByTestId('headline');
      await headline.waitFor();
      const region = await headline.textContent();
      assert.match(region, /^In \d{4} (tot en met \d{2}-\d{2}-\d{4} )?voerden we [\d.]+ van de [\d.]+ geplande controles uit \([\d,]+ %\)/);
      // Both charts are drawn: the progress lines and a bar per authority.
      const progress = page.getByTestId('progress-chart').locator('svg');
      await progress.waitFor();
      assert.equal(await progress.getAttribute('role'), 'img');
      assert.equal(await progress.locator('polyline').count(), 2, 'planned and realised lines');
      const box = await progress.boundingBox();
      assert.ok(box.width > 300 && box.height > 100, `the chart has a size: ${JSON.stringify(box)}`);
      const bars = page.getByTestId('authority-chart').locator('rect');
      assert.equal(await bars.count(), 2 * 9, 'planned and realised bars for the nine authorities');
      assert.equal(await page.getByTestId('lhso-all').locator('tbody td').count(), 16);
      assert.ok(await page.getByText('Naleving bij eerste controle', { exact: true }).first().isVisible());
      // The demo's two focus points with their indicators and verdicts.
      const focusRows = page.getByTestId('focus-table').locator('tbody tr');
      assert.equal(await focusRows.count(), 2);
      assert.match(await focusRows.first().textContent(), /Bodem en brandstof.*Naleving bij eerste controle.*75 %.*(Gehaald|Niet gehaald)/);

      // The annual report downloads as a PDF (fetched with the session's token).
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('annual-pdf').click(),
      ]);
      assert.match(download.suggestedFilename(), /^jaarverslag-\d{4}\.pdf$/);
      const pdf = await readFile(await download.path());
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-', 'a PDF file');
      assert.ok(pdf.length > 10_000, `${pdf.length} bytes`);

      // A figure opens the inspections behind it: Aalten's row lists as many as it realised.
      const aaltenRow = page.locator('table.figures tr', { has: page.getByRole('button', { name: 'Aalten', exact: true }) });
      const realisedAalten = (await aaltenRow.locator('td').nth(1).textContent()).replace('.', '');
      await page.getByRole('button', { name: 'Aalten', exact: true }).click();
      const drill = page.getByTestId('drill');
      await drill.getByText(`${realisedAalten} controles`).waitFor();
      assert.equal(await drill.locator('tbody tr').count(), Number(realisedAalten));
      assert.match(await drill.locator('tbody tr').first().locator('td').first().textContent(), /^\d{2}-\d{2}-\d{4}$/);
      // An LHSO cell of the heaviest-per-inspection grid opens its inspections too.
      const cell = page.getByTestId('lhso-heaviest').locator('button.cell-drill').first();
      const count = Number(await cell.textContent());
      await cell.click();
      await drill.getByText(`${count} controles`).waitFor();
      // A key figure opens what it counts: compliance at first inspection lists the first inspections.
      const firsts = (await page.locator('.kpi', { hasText: 'Naleving bij eerste controle' }).locator('.kpi-detail').textContent())
        .match(/van ([\d.]+) eerste controles/)[1].replace('.', '');
      await page.getByRole('button', { name: 'Toon controles: Naleving bij eerste controle' }).click();
      await drill.getByText(`${Number(firsts).toLocaleString('nl-NL')} controles`).waitFor();
      assert.equal(await drill.locator('tbody tr').count(), Math.min(Number(firsts), 500));
      assert.equal(await drill.locator('tbody tr td:nth-child(3)', { hasText: 'Hercontrole' }).count(), 0, 'first inspections only');
      await page.screenshot({ path: join(process.env.SCHOUW_SCREENSHOTS ?? tmpdir(), 'monitoring-kpi-drill.png'), fullPage: false });
      await drill.getByRole('button', { name: 'Sluiten' }).click();
      assert.equal(await drill.count(), 0);

      // The penalty figures open the forfeitures and collections behind them, with their cases.
      const penaltyTable = page.locator('table', { hasText: 'Verbeurd en ingevorderd' });
      const forfeited = Number((await penaltyTable.locator('tr', { hasText: 'Verbeurd' }).locator('td').first().textContent()).replace('.', ''));
      assert.ok(forfeited > 0, 'the demo year has forfeited penalties');
      await page.getByTestId('penalty-drill-verbeurd').click();
      const penaltyRows = page.getByTestId('penalty-drill');
      await penaltyRows.getByText(`${forfeited.toLocaleString('nl-NL')} stappen`).waitFor();
      assert.equal(await penaltyRows.locator('tbody tr').count(), Math.min(forfeited, 500));
      const first = await penaltyRows.locator('tbody tr').first().locator('td').allTextContents();
      assert.match(first[0], /^\d{2}-\d{2}-\d{4}$/);
      assert.equal(first[1], 'Verbeurd');
      assert.match(first[3], /^[A-D][1-4]$/);
      assert.match(first[5], /^€ [\d.]+,\d{2}$/);
      await page.screenshot({ path: join(process.env.SCHOUW_SCREENSHOTS ?? tmpdir(), 'monitoring-penalty-drill.png'), fullPage: false });
      await drill.getByRole('button', { name: 'Sluiten' }).click();

      // The 4-month view ends on 30 April.
      await page.getByTestId('period').selectOption('4');
      await page.waitForFunction(() => document.querySelector('[data-testid=headline]')?.textContent.includes('tot en met 30-04-'));

      // One authority, the whole year.
      await page.getByTestId('period').selectOption('12');
      await page.getByTestId('authority').selectOption({ label: 'Aalten' });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=authority-chart] rect').length === 2);
      const aalten = await headline.textContent();
      assert.notEqual(aalten, region, 'Aalten is a part of the region');

      await page.getByRole('button', { name: 'Uitloggen' }).click();
      await page.waitForURL('**/inloggen');
      await loginAs(page, 'gemeente1', '**/kantoor/gemeente');
      await page.getByRole('heading', { name: 'Mijn gemeente' }).waitFor();
      await headline.waitFor();
      assert.equal(await headline.textContent(), aalten, 'the viewer sees what management sees of Aalten');
      assert.equal(await page.getByTestId('authority').count(), 0, 'no other authority to choose');
      assert.equal(await page.getByTestId('authority-chart').locator('rect').count(), 2);
      // The manager's page is not theirs.
      await page.goto('/kantoor/monitoring');
      await page.waitForURL('**/kantoor/gemeente');
    } finally {
      await browser.close();
    }
  });
});
