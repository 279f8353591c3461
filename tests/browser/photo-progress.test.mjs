// Photo uploads on a slow link (issue 12): while a photo goes up, its card shows a progress bar
// in bytes and the visit shows one for the whole queue; both only move forward and end at the
// photo's size, and the photo's state moves through the one delivery vocabulary.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { readStore, startServer } from './helpers.mjs';
import { inspectorTablet, isoDate, SYNC_TIMEOUT_MS } from './field.mjs';

const SHOTS = process.env.SCHOUW_SCREENSHOTS;
/** Upload bandwidth of the emulated mobile link, in bytes a second. */
const UPLOAD_BPS = 150 * 1024;

/** A PNG of noise that stays large after the app's downscaling (several 256 KB parts). */
async function noisePng(page) {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(2100, 1400);
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(2100, 1400);
    let seed = 11;
    for (let i = 0; i < image.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      image.data[i] = seed & 255; image.data[i + 1] = (seed >> 8) & 255;
      image.data[i + 2] = (seed >> 16) & 255; image.data[i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  });
  return Buffer.from(base64, 'base64');
}

describe('photo upload progress', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('shows bytes per photo and for the queue on a throttled link', async () => {
    const tablet = await inspectorTablet(server);
    try {
      const { page, context } = tablet;
      const today = isoDate(new Date());
      const visit = (await readStore(page, 'visits'))
        .filter((v) => v.visit.status === 'planned' && v.visit.planned_date === today)
        .sort((a, b) => a.visit.route_order - b.visit.route_order)[0];
      const png = await noisePng(page);

      await context.setOffline(true);
      await page.goto(`/bezoek/${visit.visit.id}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      await page.getByTestId('photos').getByTestId('photo-input').setInputFiles({
        name: 'lekbak.png', mimeType: 'image/png', buffer: png,
      });
      const thumb = page.getByTestId('photos').getByTestId('photo');
      await thumb.filter({ hasText: 'Opgeslagen op apparaat' }).waitFor();
      const [photo] = await readStore(page, 'photos');
      assert.ok(photo.size > 3 * 256 * 1024, `several parts: ${photo.size} bytes`);

      // Online on a slow mobile link: sample both bars until the photo is confirmed.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: 80, downloadThroughput: 1024 * 1024, uploadThroughput: UPLOAD_BPS,
      });
      const samples = [];
      const states = [];
      let shot = false;
      await context.setOffline(false);
      const deadline = Date.now() + SYNC_TIMEOUT_MS;
      while (Date.now() < deadline) {
        const sample = await page.evaluate(() => {
          const one = document.querySelector('[data-testid="photo-progress"]');
          const queue = document.querySelector('[data-testid="photo-queue-progress"]');
          const state = document.querySelector('[data-testid="photo"]')?.dataset.state;
          return {
            one: one ? [Number(one.value), Number(one.max)] : null,
            queue: queue ? [Number(queue.value), Number(queue.max)] : null,
            state,
          };
        });
        if (sample.one) samples.push(sample);
        if (states.at(-1) !== sample.state) states.push(sample.state);
        if (!shot && sample.one && sample.one[0] > 0 && SHOTS) {
          shot = true;
          await page.getByTestId('photos').screenshot({ path: `${SHOTS}/photo-progress.png` });
        }
        if (sample.state === 'confirmed') break;
        await page.waitForTimeout(150);
      }
      assert.equal(states.at(-1), 'confirmed', `the photo arrived: ${states}`);
      const order = ['saved', 'queued', 'uploaded', 'confirmed'];
      const ranks = states.map((s) => order.indexOf(s));
      assert.ok(ranks.every((r, i) => r >= 0 && (i === 0 || r >= ranks[i - 1])), `never backwards: ${states}`);

      // The bars: in bytes of this photo, moving forward through several parts.
      assert.ok(samples.length > 0, 'a progress bar showed while the photo went up');
      for (const s of samples) {
        assert.equal(s.one[1], photo.size, 'the photo bar counts this photo\'s bytes');
        assert.ok(s.queue && s.queue[1] === photo.size, 'the queue bar counts the queue (one photo)');
      }
      const values = samples.map((s) => s.one[0]);
      assert.ok(values.every((v, i) => i === 0 || v >= values[i - 1]), `never backwards: ${values}`);
      const between = new Set(values.filter((v) => v > 0 && v < photo.size));
      assert.ok(between.size >= 2, `several steps in between: ${[...between]}`);
      console.log(`progress steps seen: ${[...new Set(values)].join(', ')} of ${photo.size} bytes`);
    } finally {
      await tablet.close();
    }
  });
});
