// Two front doors (issue 8): the inspector's offline PWA and the online office under /kantoor.
// One login page sends each role through its door; an inspector's browser never downloads the
// office bundle, and the field app's service worker neither precaches nor serves it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  downloads,
  login,
  loginAs,
  openBrowser,
  startServer,
  waitForServiceWorkerControl,
  wasmOf,
} from './helpers.mjs';

const OFFICE_WASM = /\/assets\/office_bg-[0-9a-f]+\.wasm$/;
const FIELD_WASM = /\/assets\/app_bg-[0-9a-f]+\.wasm$/;

describe('two front doors', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('an inspector gets the field app only, and its worker caches nothing of the office', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      await login(page);
      await waitForServiceWorkerControl(page);
      // The worker has precached the shell by now (it is active).
      const wasm = wasmOf(await downloads(context, page));
      assert.ok(wasm.some(([url]) => FIELD_WASM.test(url)), `the field module was fetched: ${wasm}`);
      assert.ok(!wasm.some(([url]) => OFFICE_WASM.test(url)), `no office module: ${wasm}`);
      assert.equal(wasm.length, 1, `the module is fetched once (the worker reuses it): ${JSON.stringify(wasm)}`);
      const cached = await page.evaluate(async () => {
        const urls = [];
        for (const name of await caches.keys()) {
          for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
        }
        return urls;
      });
      assert.ok(cached.some((p) => FIELD_WASM.test(p)), `the field module is precached: ${cached}`);
      assert.ok(!cached.some((p) => p.includes('office') || p.startsWith('/kantoor')), `nothing of the office: ${cached}`);
      const kb = (wasm[0][1] / 1024).toFixed(1);
      console.log(`inspector: ${kb} KB of wasm on the wire (${wasm[0][0]})`);

      // Offline, the office is not pretended to work from the field cache.
      await context.setOffline(true);
      const offline = await page.goto('/kantoor/team').catch((e) => e);
      assert.ok(offline instanceof Error || !offline.fromServiceWorker(), 'the worker does not serve /kantoor');
    } finally {
      await browser.close();
    }
  });

  it('office roles are sent from the one login page to their own door', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      await loginAs(page, 'teamleider1', '**/kantoor/team');
      await page.getByTestId('team-sync').waitFor();
      // The office document's own downloads: after the login page.
      const wasm = wasmOf(await downloads(context, page));
      const office = wasm.find(([url]) => OFFICE_WASM.test(url));
      assert.ok(office, `the office module was fetched: ${JSON.stringify(wasm)}`);
      console.log(`office: ${(office[1] / 1024).toFixed(1)} KB of wasm on the wire`);
      // The office keeps the session: a reload of an office page stays in the office.
      await page.reload();
      await page.getByTestId('team-sync').waitFor();
      // The office's own home sends the team lead to their start page.
      await page.goto('/kantoor');
      await page.waitForURL('**/kantoor/team');
      // A team lead asking for a field page is sent back to their own start page.
      await page.goto('/vandaag');
      await page.waitForURL('**/kantoor/team');

      for (const [username, landing, title] of [
        ['manager', '**/kantoor/monitoring', 'Realisatie'],
        ['gemeente1', '**/kantoor/gemeente', 'Mijn gemeente'],
        ['admin', '**/kantoor/beheer', 'Beheer'],
      ]) {
        await page.getByRole('button', { name: 'Uitloggen' }).click();
        await page.waitForURL('**/inloggen');
        await loginAs(page, username, landing);
        await page.getByRole('heading', { name: title }).waitFor();
      }
      // An inspector who opens the office is sent to their day in the field app.
      await page.getByRole('button', { name: 'Uitloggen' }).click();
      await page.waitForURL('**/inloggen');
      await loginAs(page, 'inspecteur2', '**/vandaag');
      await page.goto('/kantoor/team');
      await page.waitForURL('**/vandaag');
    } finally {
      await browser.close();
    }
  });
});
