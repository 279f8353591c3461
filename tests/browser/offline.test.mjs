// The offline foundation (issue 2): the service worker serves the app shell without a network,
// the session survives an offline reload, and the manifest makes the app installable.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  INSPECTOR,
  loginAndGoOffline,
  openBrowser,
  startServer,
  userName,
} from './helpers.mjs';

describe('the app without a network', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('an inspector who logged in online still sees their name after an offline reload', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page } = browser;
      await loginAndGoOffline(page);

      const response = await page.reload();
      assert.equal(response?.status(), 200, 'the reload is answered (by the service worker)');
      assert.ok(response.fromServiceWorker(), 'the offline reload is served by the service worker');

      await userName(page).waitFor({ state: 'visible' });
      await page.getByRole('heading', { name: 'Mijn dag' }).waitFor({ state: 'visible' });
      await page.locator('header').getByText('Offline', { exact: true }).waitFor({ state: 'visible' });
      await page.locator('header').getByText(INSPECTOR.role, { exact: true }).waitFor({ state: 'visible' });
      assert.match(new URL(page.url()).pathname, /^\/vandaag$/);
    } finally {
      await browser.close();
    }
  });

  it('a deep link opened offline renders the app shell', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      await loginAndGoOffline(page);

      // A route of the app, opened directly (as from a bookmark) without a network.
      const landing = await page.goto('/vandaag');
      assert.equal(landing?.status(), 200);
      await userName(page).waitFor({ state: 'visible' });
      await page.getByRole('heading', { name: 'Mijn dag' }).waitFor({ state: 'visible' });

      // An unknown route still gets the shell, and the app itself says the page does not exist.
      const unknown = await page.goto('/some/unknown/route');
      assert.equal(unknown?.status(), 200);
      await page.getByRole('heading', { name: 'Pagina niet gevonden' }).waitFor({ state: 'visible' });
      await userName(page).waitFor({ state: 'visible' });
      await page.locator('header').getByText('Offline', { exact: true }).waitFor({ state: 'visible' });

      // A new tab in the same (offline) profile starts from the shell too.
      const tab = await context.newPage();
      await tab.goto('/');
      await tab.waitForURL('**/vandaag');
      await userName(tab).waitFor({ state: 'visible' });
    } finally {
      await browser.close();
    }
  });

  it('the manifest makes the app installable', async () => {
    const res = await fetch(`${server.url}/manifest.webmanifest`);
    assert.equal(res.status, 200);
    const manifest = await res.json();
    assert.ok(manifest.name?.includes('Schouw'), `name: ${manifest.name}`);
    assert.equal(manifest.short_name, 'Schouw');
    assert.equal(manifest.lang, 'nl');
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, '/');
    assert.ok(manifest.description, 'a (Dutch) description');

    const icons = manifest.icons ?? [];
    const sizes = (icon) => icon.sizes.split(/\s+/);
    const purposes = (icon) => (icon.purpose ?? 'any').split(/\s+/);
    assert.ok(icons.some((i) => sizes(i).includes('192x192') && purposes(i).includes('any')), 'a 192 px icon');
    assert.ok(icons.some((i) => sizes(i).includes('512x512') && purposes(i).includes('any')), 'a 512 px icon');
    assert.ok(icons.some((i) => purposes(i).includes('maskable')), 'a maskable icon');
    for (const icon of icons) {
      const iconRes = await fetch(new URL(icon.src, `${server.url}/manifest.webmanifest`));
      assert.equal(iconRes.status, 200, `${icon.src}`);
      assert.equal(iconRes.headers.get('content-type'), 'image/png', `${icon.src}`);
      const bytes = Buffer.from(await iconRes.arrayBuffer());
      assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], `${icon.src} is a PNG`);
      // The PNG's IHDR holds its width and height; they must match what the manifest claims.
      const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
      assert.ok(sizes(icon).includes(`${w}x${h}`), `${icon.src} is ${w}x${h}, manifest says ${icon.sizes}`);
    }

    // Chromium's own verdict, as DevTools' Application panel shows it.
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      await page.goto('/');
      await page.waitForURL('**/inloggen');
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      const cdp = await context.newCDPSession(page);
      const { url: manifestUrl, errors: parseErrors } = await cdp.send('Page.getAppManifest');
      assert.equal(manifestUrl, `${server.url}/manifest.webmanifest`);
      assert.deepEqual(parseErrors, [], 'the manifest parses without errors');
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      assert.deepEqual(installabilityErrors, [], 'Chromium finds nothing that stops installation');
    } finally {
      await browser.close();
    }
  });
});
