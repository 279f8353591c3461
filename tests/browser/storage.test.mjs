// The storage guard (issue 12): in a browser tab the app warns that it is not installed (and when
// the browser refuses persistent storage), shows usage against the quota, and when space runs low
// it removes the bytes of photos the server confirmed, never a photo that is not sent yet.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { readStore, startServer } from './helpers.mjs';
import { inspectorTablet, isoDate, SYNC_TIMEOUT_MS, waitForSyncSuccess } from './field.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;

/** A small picture of noise (one upload part). */
async function smallPng(page, seed) {
  const base64 = await page.evaluate(async (s) => {
    const canvas = new OffscreenCanvas(320, 240);
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(320, 240);
    let x = s;
    for (let i = 0; i < image.data.length; i += 4) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      image.data[i] = x & 255; image.data[i + 1] = (x >> 8) & 255; image.data[i + 2] = (x >> 16) & 255; image.data[i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }, seed);
  return Buffer.from(base64, 'base64');
}

/** The keys of the photo bytes on the device. */
async function blobKeys(page) {
  return page.evaluate(async () => {
    const open = indexedDB.open('schouw');
    const db = await new Promise((r) => { open.onsuccess = () => r(open.result); });
    const keys = await new Promise((r) => {
      const req = db.transaction('photo_blobs').objectStore('photo_blobs').getAllKeys();
      req.onsuccess = () => r(req.result);
    });
    db.close();
    return keys;
  });
}

describe('the storage guard', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('warns in a tab, shows usage, and frees confirmed photos first when space runs low', async () => {
    const tablet = await inspectorTablet(server);
    try {
      const { page, context } = tablet;
      // In a browser tab: the warning to install, and the facts on the sync panel.
      await page.getByTestId('storage-warning').filter({ hasText: 'browsertabblad' }).waitFor();
      await page.goto('/synchronisatie');
      await page.getByTestId('storage-usage').filter({ hasText: /MB gebruikt/ }).waitFor();
      const persisted = await page.getByTestId('storage-persisted').innerText();
      assert.ok(['ja', 'nee'].includes(persisted), persisted);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/storage-sync-panel.png`, fullPage: true });

      // A photo that reaches the server and is confirmed.
      const today = isoDate(new Date());
      const visit = (await readStore(page, 'visits'))
        .filter((v) => v.visit.status === 'planned' && v.visit.planned_date === today)
        .sort((a, b) => a.visit.route_order - b.visit.route_order)[0];
      await page.goto(`/bezoek/${visit.visit.id}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      const input = page.getByTestId('photos').getByTestId('photo-input');
      await input.setInputFiles({ name: 'een.png', mimeType: 'image/png', buffer: await smallPng(page, 3) });
      await page.locator('[data-testid="photo"][data-state="confirmed"]').waitFor({ timeout: SYNC_TIMEOUT_MS });
      await waitForSyncSuccess(page);

      // Offline, a second photo that is not sent yet.
      await context.setOffline(true);
      await input.setInputFiles({ name: 'twee.png', mimeType: 'image/png', buffer: await smallPng(page, 5) });
      await page.locator('[data-testid="photo"][data-state="saved"]').waitFor();
      const photos = await readStore(page, 'photos');
      const sent = photos.find((p) => p.state === 'confirmed');
      const unsent = photos.find((p) => p.state === 'saved');
      assert.deepEqual((await blobKeys(page)).sort(), [sent.sha256, unsent.sha256].sort());

      // The browser reports little room left (headless Chromium's quota override does not reach
      // navigator.storage.estimate, so the page's reading is given 20 MB of room from here on):
      // the guard frees the confirmed photo at the next start, keeps the unsent one, and says
      // space is low.
      await context.addInitScript(() => {
        const real = navigator.storage.estimate.bind(navigator.storage);
        navigator.storage.estimate = async () => {
          const e = await real();
          return { ...e, quota: e.usage + 20 * 1024 * 1024 };
        };
      });
      await page.goto('/vandaag');
      await page.getByTestId('storage-warning').filter({ hasText: 'Weinig opslagruimte' }).waitFor();
      await page.waitForFunction(async () => {
        const open = indexedDB.open('schouw');
        const db = await new Promise((r) => { open.onsuccess = () => r(open.result); });
        const all = await new Promise((r) => {
          const req = db.transaction('photos').objectStore('photos').getAll();
          req.onsuccess = () => r(req.result);
        });
        db.close();
        return all.some((p) => p.removed);
      }, null, { polling: 200, timeout: 15_000 });
      assert.deepEqual(await blobKeys(page), [unsent.sha256], 'the unsent photo keeps its bytes');
      const after = await readStore(page, 'photos');
      assert.equal(after.find((p) => p.id === sent.id).removed, true);
      assert.equal(after.find((p) => p.id === unsent.id).removed ?? false, false);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/storage-warnings.png` });
      await page.goto(`/bezoek/${visit.visit.id}`);
      await page.getByTestId('photo-removed').waitFor();
      await page.locator('[data-testid="photo"][data-state="saved"] img').waitFor();
      if (SHOTS) await page.getByTestId('photos').screenshot({ path: `${SHOTS}/storage-photos.png` });
    } finally {
      await tablet.close();
    }
  });
});
