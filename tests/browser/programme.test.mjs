// The execution programme (issue 10): a manager enters a line, corrects it in place, imports a
// spreadsheet with a bad row (nothing changes, every bad row is told in Dutch) and then a good one;
// the capacity section compares the risk model's hours with the programme and the entered fte.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loginAs, openBrowser, startServer } from './helpers.mjs';

describe('execution programme', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('a manager adds, corrects and imports lines; a bad import changes nothing', async () => {
    const browser = await openBrowser(server.url);
    const dir = await mkdtemp(join(tmpdir(), 'programme-'));
    try {
      const { page } = browser;
      await loginAs(page, 'manager', '**/kantoor/monitoring');
      await page.getByRole('link', { name: /Uitvoeringsprogramma/ }).click();
      await page.waitForURL('**/kantoor/programma');
      // This year's demo programme: a table with its total.
      const lines = page.getByTestId('programme-lines');
      await lines.waitFor();
      assert.ok((await lines.getByTestId('programme-line').count()) > 30);
      assert.match(await page.getByTestId('programme-total-count').textContent(), /^\d{1,3}(\.\d{3})*$/);

      // Capacity (art. 13.10): the risk model's hours against the programme's, in a chart; the
      // manager enters the year's fte and productive hours and the sentence says what is left.
      const capacity = page.getByTestId('capacity');
      await capacity.getByTestId('capacity-chart').locator('rect').first().waitFor();
      assert.equal(await capacity.getByTestId('capacity-chart').locator('rect').count(), 4);
      assert.match(await capacity.getByTestId('capacity-summary').textContent(), /^Het risicomodel vraagt in \d{4} [\d.]+ controles \([\d.]+ uur\)/);
      assert.match(await capacity.getByTestId('capacity-summary').textContent(), /nog niet ingevuld/);
      await capacity.getByLabel('Beschikbare fte').fill('2,5');
      await capacity.getByLabel('Productieve uren per fte').fill('1.200');
      await capacity.getByRole('button', { name: 'Capaciteit opslaan' }).click();
      await capacity.getByText(/^Beschikbaar: 2,5 fte × 1\.200 productieve uren = 3\.000 uur; het programma/).waitFor();
      await page.screenshot({ path: join(process.env.SCHOUW_SCREENSHOTS ?? dir, 'programme-capacity.png'), fullPage: true });

      // Next year starts empty; a line is added through the form.
      const next = String(new Date().getFullYear() + 1);
      await page.getByTestId('programme-year').selectOption(next);
      await page.getByTestId('programme-empty').waitFor();
      // A focus point for the year, then a line that serves it.
      const newFocus = page.getByTestId('focus-point-new');
      await newFocus.getByLabel('Naam van het speerpunt').fill('Veilige garages');
      await newFocus.getByLabel('Doel (maatschappelijk effect)').fill('Geen bodemverontreiniging bij garages.');
      await newFocus.getByLabel('Indicator').selectOption({ label: 'Naleving bij eerste controle' });
      await newFocus.getByLabel('Streefwaarde in procent').fill('honderdtwintig');
      await newFocus.getByRole('button', { name: 'Speerpunt toevoegen' }).click();
      await newFocus.getByText('Vul een naam in en een streefwaarde').waitFor();
      await newFocus.getByLabel('Streefwaarde in procent').fill('80');
      await newFocus.getByRole('button', { name: 'Speerpunt toevoegen' }).click();
      const focusItem = page.getByTestId('focus-point');
      await focusItem.waitFor();
      assert.match(await focusItem.textContent(), /Veilige garages.*Naleving bij eerste controle: streefwaarde 80 %/);
      const form = page.getByTestId('programme-new');
      await form.getByLabel('Speerpunt (optioneel)').selectOption({ label: 'Veilige garages' });
      await form.getByLabel('Product (soort controle of project)').fill('Controle garages');
      await form.getByLabel('Gemeente of provincie').selectOption({ label: 'Aalten' });
      await form.getByLabel('Sector (controles die meetellen)').selectOption({ label: 'Garagebedrijf' });
      await form.getByLabel('Gepland aantal').fill('120');
      await form.getByLabel('Geplande uren').fill('tien');
      await form.getByRole('button', { name: 'Toevoegen' }).click();
      await form.getByText('Vul bij uren een getal in').waitFor();
      await form.getByLabel('Geplande uren').fill('1.250,5');
      await form.getByRole('button', { name: 'Toevoegen' }).click();
      await form.getByText('Opgeslagen.').waitFor();
      const row = page.getByTestId('programme-line');
      await row.waitFor();
      assert.deepEqual(
        (await row.locator('td').allTextContents()).slice(0, 7),
        ['Controle garages', 'Aalten', 'Basistaak', 'Garagebedrijf', 'Veilige garages', '120', '1.250,5'],
      );

      // Corrected in place.
      await row.getByRole('button', { name: 'Wijzigen: Controle garages Aalten' }).click();
      await row.getByLabel('Gepland aantal: Controle garages Aalten').fill('130');
      await row.getByRole('button', { name: 'Opslaan' }).click();
      await page.getByTestId('programme-total-count').filter({ hasText: '130' }).waitFor();

      // The focus point of an existing line changes in place too: off, and back on.
      await row.getByRole('button', { name: 'Wijzigen: Controle garages Aalten' }).click();
      await row.getByLabel('Speerpunt: Controle garages Aalten').selectOption({ label: 'Geen' });
      await page.screenshot({ path: join(process.env.SCHOUW_SCREENSHOTS ?? dir, 'programme-line-edit.png'), fullPage: false });
      await row.getByRole('button', { name: 'Opslaan' }).click();
      await row.getByRole('button', { name: 'Wijzigen: Controle garages Aalten' }).waitFor();
      await row.locator('td').nth(4).filter({ hasText: /^-$/ }).waitFor();
      await row.getByRole('button', { name: 'Wijzigen: Controle garages Aalten' }).click();
      await row.getByLabel('Speerpunt: Controle garages Aalten').selectOption({ label: 'Veilige garages' });
      await row.getByRole('button', { name: 'Opslaan' }).click();
      await row.getByRole('button', { name: 'Wijzigen: Controle garages Aalten' }).waitFor();
      await row.locator('td').nth(4).filter({ hasText: /^Veilige garages$/ }).waitFor();
      assert.equal((await row.locator('td').allTextContents())[5], '130', 'the figures stayed');

      // A spreadsheet with a bad row: nothing is imported and each bad cell is named.
      const bad = join(dir, 'programma.csv');
      await writeFile(bad, '\ufeffProduct;Gemeente;Taakgroep;Aantal;Uren\r\n'
        + 'Controle horeca;Doetinchem;Basistaak;40;80\r\n'
        + 'Asbest;Nergenshuizen;hobby;veel;10\r\n');
      const upload = page.getByTestId('programme-import');
      await upload.getByLabel('Bestand (CSV of XLSX)').setInputFiles(bad);
      await upload.getByRole('button', { name: 'Importeren' }).click();
      const rejections = page.getByTestId('programme-rejections');
      await rejections.waitFor();
      assert.deepEqual(await rejections.locator('tbody tr td:first-child').allTextContents(), ['3', '3', '3'],
        'the bad row is line 3 of the file (Windows line ends)');
      assert.match(await rejections.textContent(), /Nergenshuizen/);
      assert.equal(await page.getByTestId('programme-line').count(), 1, 'nothing was imported');
      await page.screenshot({ path: join(process.env.SCHOUW_SCREENSHOTS ?? dir, 'programme-rejected.png'), fullPage: true });

      // The corrected file is imported: one new line, the table shows both.
      const good = join(dir, 'programma-goed.csv');
      await writeFile(good, 'Product;Gemeente;Taakgroep;Aantal;Uren\r\nControle horeca;Doetinchem;Basistaak;40;80\r\n');
      await upload.getByLabel('Bestand (CSV of XLSX)').setInputFiles(good);
      await upload.getByRole('button', { name: 'Importeren' }).click();
      await upload.getByText('Geïmporteerd: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd.').waitFor();
      await page.getByTestId('programme-line').nth(1).waitFor();
      assert.equal(await page.getByTestId('programme-total-count').textContent(), '170');
      await page.screenshot({ path: join(process.env.SCHOUW_SCREENSHOTS ?? dir, 'programme.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
