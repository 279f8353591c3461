// Accessibility (issue 12, WCAG 2.1 AA): every page of the field app and of the office passes
// axe-core with no serious or critical violation, in the normal and in the high-contrast outdoor
// view; the login works by keyboard alone with a visible focus; the accessibility statement is
// published in Dutch.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { axeViolations, INSPECTOR, loginAs, openBrowser, readStore, startServer } from './helpers.mjs';
import { inspectorTablet, isoDate } from './field.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;

/** Checks the page as it is now; collects what fails under `label`. */
async function check(page, label, failures) {
  await page.waitForLoadState('networkidle').catch(() => {});
  for (const line of await axeViolations(page)) failures.push(`${label}: ${line}`);
}

describe('accessibility', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('the field app passes axe-core on every page, in both views', async () => {
    const failures = [];
    const tablet = await inspectorTablet(server);
    try {
      const { page } = tablet;
      const today = isoDate(new Date());
      const visit = (await readStore(page, 'visits'))
        .filter((v) => v.visit.status === 'planned' && v.visit.planned_date === today)
        .sort((a, b) => a.visit.route_order - b.visit.route_order)[0];
      for (const outdoor of [false, true]) {
        const view = outdoor ? 'buitenweergave' : 'normaal';
        await page.goto('/vandaag');
        await page.getByTestId('visit-list').waitFor();
        const toggle = page.getByTestId('outdoor-toggle');
        if ((await toggle.getAttribute('aria-pressed')) !== String(outdoor)) await toggle.click();
        await page.locator(`html[data-view="${outdoor ? 'outdoor' : 'normal'}"]`).waitFor({ state: 'attached' });
        await check(page, `Mijn dag (${view})`, failures);
        await page.getByTestId('show-map').click();
        await page.getByTestId('day-map').waitFor();
        await check(page, `Kaart (${view})`, failures);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/a11y-map-${view}.png`, fullPage: true });
        await page.getByTestId('show-list').click();
        await page.goto(`/bezoek/${visit.visit.id}`);
        await page.getByTestId('visit').waitFor();
        await check(page, `Bezoek (${view})`, failures);
        await page.getByTestId('not-possible-open').click();
        await check(page, `Niet mogelijk (${view})`, failures);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/a11y-visit-${view}.png`, fullPage: true });
        await page.goto('/synchronisatie');
        await page.getByRole('heading', { level: 1 }).waitFor();
        await check(page, `Synchronisatie (${view})`, failures);
        await page.goto('/toegankelijkheid');
        await page.getByRole('heading', { name: 'Toegankelijkheidsverklaring' }).waitFor();
        await check(page, `Toegankelijkheid (${view})`, failures);
      }
      // A started visit: the checklist and its answer buttons.
      await page.goto(`/bezoek/${visit.visit.id}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      await check(page, 'Bezoek gestart (buitenweergave)', failures);
    } finally {
      await tablet.close();
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  });

  it('the login works by keyboard alone with a visible focus, and every office page passes axe-core', async () => {
    const failures = [];
    const browser = await openBrowser(server.url);
    try {
      const { page } = browser;
      await page.goto('/inloggen');
      await page.locator('#username').waitFor();
      await check(page, 'Inloggen', failures);
      // Keyboard only: Tab to each field, type, Enter.
      const focusable = [];
      for (let i = 0; i < 6; i += 1) {
        await page.keyboard.press('Tab');
        const id = await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
        focusable.push(id);
        if (id === 'username') break;
      }
      assert.ok(focusable.includes('username'), `Tab reaches the user name: ${focusable}`);
      const outline = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      assert.ok(outline.style !== 'none' && outline.width >= 2, `a visible focus ring: ${JSON.stringify(outline)}`);
      await page.keyboard.type('teamleider1');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
      await page.keyboard.type(INSPECTOR.password);
      await page.keyboard.press('Enter');
      await page.waitForURL('**/kantoor/team');
      await page.getByTestId('day-board').waitFor();
      await check(page, 'Team en dagbord', failures);
      for (const [path, ready] of [
        ['/kantoor/beoordelen', 'h1'],
        ['/kantoor/planning', 'h1'],
        ['/kantoor/gelijke-behandeling', 'h1'],
        ['/kantoor/handhaving', 'h1'],
      ]) {
        await page.goto(path);
        await page.locator(ready).first().waitFor();
        await check(page, path, failures);
      }
      for (const [user, landing, paths] of [
        ['manager', '**/kantoor/monitoring', ['/kantoor/monitoring', '/kantoor/programma']],
        ['gemeente1', '**/kantoor/gemeente', ['/kantoor/gemeente']],
        ['admin', '**/kantoor/beheer', ['/kantoor/beheer']],
      ]) {
        page.once('dialog', (d) => d.accept());
        await page.getByRole('button', { name: 'Uitloggen' }).click();
        await page.waitForURL('**/inloggen');
        await loginAs(page, user, landing);
        for (const p of paths) {
          await page.goto(p);
          await page.locator('h1').first().waitFor();
          await check(page, p, failures);
        }
      }
    } finally {
      await browser.close();
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  });
});
