// Offline work and the sync protocol (issue 5, client side): the working set is on the device,
// work recorded without a network survives a reload, and reaches the server exactly once after
// the network returns.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  login,
  openBrowser,
  readStore,
  startServer,
  waitForServiceWorkerControl,
  waitForStoredSession,
} from './helpers.mjs';

/** How long a sync run (push, pull, working-set refresh) may take in a debug build. */
const SYNC_TIMEOUT_MS = 90_000;

/** The header's sync badge as data: phase, unsent count and the last successful sync. */
async function syncState(page) {
  return page.getByTestId('sync-state').evaluate((el) => ({
    phase: el.dataset.phase,
    pending: Number(el.dataset.pending),
    last: el.dataset.last ?? '',
  }));
}

/** Waits until a sync run newer than `after` finished with nothing left to send. */
async function waitForSyncSuccess(page, after = '') {
  await page.waitForFunction(
    (previous) => {
      const el = document.querySelector('[data-testid="sync-state"]');
      return el && el.dataset.phase === 'idle' && el.dataset.pending === '0'
        && el.dataset.last && el.dataset.last !== previous;
    },
    after,
    { timeout: SYNC_TIMEOUT_MS, polling: 200 },
  );
}

async function storedToken(page) {
  const [session] = await readStore(page, 'session');
  assert.ok(session?.token, 'a stored session with a token');
  return session.token;
}

async function api(server, token, path) {
  const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
}

/** Logs in and waits until the first sync has put the working set on the device. */
async function loginWithWorkingSet(page) {
  await login(page);
  await waitForStoredSession(page, true);
  await waitForServiceWorkerControl(page);
  await waitForSyncSuccess(page);
}

/** Logs in, waits for the working set, and picks the first or last planned visit on the device. */
async function loginAndPickPlannedVisit(page, which) {
  await loginWithWorkingSet(page);
  const token = await storedToken(page);
  const planned = (await readStore(page, 'visits')).filter((v) => v.visit.status === 'planned');
  const target = which === 'first' ? planned[0] : planned.at(-1);
  assert.ok(target, 'a planned visit on the device');
  return { token, visitId: target.visit.id };
}

describe('offline work and sync', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  it('a start 600 m from the site shows the verdict the server records', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      await loginWithWorkingSet(page);
      const token = await storedToken(page);
      const planned = (await readStore(page, 'visits')).filter((v) => v.visit.status === 'planned');
      const target = planned[1] ?? planned[0];
      assert.ok(target, 'a planned visit on the device');
      const site = target.visit.site;
      // 600 m due north (a degree of latitude is 111.2 km), reported with 20 m accuracy: beyond the
      // default radius of 250 m plus the accuracy, so "far" on both sides.
      await context.grantPermissions(['geolocation'], { origin: server.url });
      await context.setGeolocation({ latitude: site.lat + 600 / 111_195, longitude: site.lon, accuracy: 20 });

      await context.setOffline(true);
      await page.goto(`/bezoek/${target.visit.id}`);
      await page.getByTestId('start-visit').click();
      const started = page.getByTestId('started');
      await started.filter({ hasText: 'Niet bij de locatie (op 600 m)' }).waitFor();

      await context.setOffline(false);
      await waitForSyncSuccess(page);
      const detail = await api(server, token, `/api/v1/visits/${target.visit.id}`);
      assert.equal(detail.status, 'in_progress');
      assert.equal(detail.on_site, 'far', `the server's verdict: ${JSON.stringify(detail)}`);
    } finally {
      await browser.close();
    }
  });

  it('work recorded offline reaches the server exactly once after reconnect', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      await context.grantPermissions(['geolocation'], { origin: server.url });
      await context.setGeolocation({ latitude: 52.22, longitude: 6.89, accuracy: 15 });
      await loginWithWorkingSet(page);

      // A planned visit of the working set whose site has a checklist on the device.
      const visits = await readStore(page, 'visits');
      const templates = await readStore(page, 'templates');
      assert.ok(visits.length > 0, 'the working set holds visits');
      assert.ok(templates.length > 0, 'the working set holds checklist templates');
      const target = visits.find((v) => v.visit.status === 'planned'
        && templates.some((t) => t.sectors.includes(v.visit.site.sector)));
      assert.ok(target, 'a planned visit with a checklist');
      const visitId = target.visit.id;

      await context.setOffline(true);
      await page.goto(`/bezoek/${visitId}`);
      await page.getByRole('heading', { name: target.visit.site.name }).waitFor();
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      await page.getByTestId('started').waitFor();

      const item = page.getByTestId('checklist-item').first();
      const itemId = await item.getAttribute('data-item-id');
      await item.getByRole('button', { name: 'N.v.t.' }).click();
      await item.locator('button[aria-pressed="true"]', { hasText: 'N.v.t.' }).waitFor();

      const noteText = `Lekbak ontbreekt bij de opslag (${Date.now()})`;
      await page.getByTestId('note-input').fill(noteText);
      await page.getByTestId('add-note').click();
      await page.getByTestId('note').filter({ hasText: noteText }).waitFor();

      // Reload without a network: everything is still there, and waits to be sent.
      const reload = await page.reload();
      assert.ok(reload?.fromServiceWorker(), 'the offline reload comes from the service worker');
      await page.getByTestId('note').filter({ hasText: noteText }).waitFor();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      await page.getByTestId('checklist-item').first()
        .locator('button[aria-pressed="true"]', { hasText: 'N.v.t.' }).waitFor();
      await page.getByTestId('delivery').filter({ hasText: 'Opgeslagen op apparaat' }).waitFor();
      const offline = await syncState(page);
      assert.equal(offline.phase, 'offline');
      assert.equal(offline.pending, 3, 'start, answer and note wait in the outbox');
      const outbox = await readStore(page, 'outbox');
      assert.deepEqual(outbox.map((e) => e.mutation.type), ['visit.start', 'finding.upsert', 'visit_note.add']);
      const seqs = outbox.map((e) => e.mutation.seq);
      assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), `strictly increasing seqs: ${seqs}`);

      // Back online: the app syncs by itself. Every delivery state the visit shows on the way is
      // recorded: it only moves forward, in one vocabulary.
      await page.evaluate(() => {
        const seen = [];
        window.deliveriesSeen = seen;
        const note = () => {
          const text = document.querySelector('[data-testid="delivery"]')?.textContent;
          if (text && seen.at(-1) !== text) seen.push(text);
        };
        note();
        new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await context.setOffline(false);
      await waitForSyncSuccess(page, offline.last);
      assert.deepEqual(await readStore(page, 'outbox'), [], 'the outbox is empty');
      assert.deepEqual(await readStore(page, 'problems'), [], 'no conflicts or rejections');
      await page.getByTestId('delivery').filter({ hasText: /Verzonden|Bevestigd door server/ }).waitFor();
      const stages = ['Opgeslagen op apparaat', 'Wacht op verzending', 'Verzonden', 'Bevestigd door server'];
      const seen = await page.evaluate(() => window.deliveriesSeen);
      const ranks = seen.map((text) => stages.indexOf(text));
      assert.ok(ranks.every((r) => r >= 0), `only the four stages: ${seen}`);
      assert.ok(ranks.every((r, i) => i === 0 || r >= ranks[i - 1]), `never backwards: ${seen}`);

      // A second, manual sync sends nothing twice.
      const first = await syncState(page);
      await page.goto('/synchronisatie');
      await page.getByRole('button', { name: 'Nu synchroniseren' }).click();
      await waitForSyncSuccess(page, first.last);

      const token = await storedToken(page);
      const detail = await api(server, token, `/api/v1/visits/${visitId}`);
      assert.equal(detail.status, 'in_progress');
      const notes = detail.notes.filter((n) => n.text === noteText);
      assert.equal(notes.length, 1, `the note is on the server exactly once: ${JSON.stringify(detail.notes)}`);
      assert.equal(detail.notes.length, 1, 'and nothing else was added');
      const findings = detail.findings.filter((f) => f.item_id === itemId);
      assert.equal(findings.length, 1, `one finding for the answered item: ${JSON.stringify(detail.findings)}`);

      // The pull feed echoed the state back: the visit is confirmed on the device.
      await page.goto(`/bezoek/${visitId}`);
      await page.getByTestId('delivery').filter({ hasText: 'Bevestigd door server' }).waitFor({ timeout: SYNC_TIMEOUT_MS });
    } finally {
      await browser.close();
    }
  });

  it('a photo taken offline is uploaded in parts, resumes after a broken part, and is attached once', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      const { token, visitId } = await loginAndPickPlannedVisit(page, 'first');

      // A camera-sized picture (2,100 x 1,400, noisy so it compresses badly): the app must shrink
      // it to at most 2,048 px and it still needs several 256 KB parts.
      const png = await page.evaluate(async () => {
        const canvas = new OffscreenCanvas(2100, 1400);
        const ctx = canvas.getContext('2d');
        const image = ctx.createImageData(2100, 1400);
        let seed = 7;
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

      await context.setOffline(true);
      await page.goto(`/bezoek/${visitId}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      await page.getByTestId('photos').getByTestId('photo-input').setInputFiles({
        name: 'opslag.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64'),
      });
      const thumb = page.getByTestId('photos').getByTestId('photo');
      await thumb.filter({ hasText: 'Opgeslagen op apparaat' }).waitFor();

      // On the device, with its bytes, after an offline reload; nothing is in the outbox yet.
      await page.reload();
      await thumb.filter({ hasText: 'Opgeslagen op apparaat' }).waitFor();
      await page.waitForFunction(() => {
        const img = document.querySelector('[data-testid="photo"] img');
        return img && img.complete && img.naturalWidth > 0;
      });
      const [photo] = await readStore(page, 'photos');
      assert.equal(photo.state, 'saved');
      assert.ok(Math.max(photo.width, photo.height) <= 2048, `downscaled: ${photo.width}x${photo.height}`);
      assert.ok(photo.size > 3 * 256 * 1024, `needs several parts: ${photo.size} bytes`);
      assert.match(photo.sha256, /^[0-9a-f]{64}$/);
      assert.deepEqual((await readStore(page, 'outbox')).map((e) => e.mutation.type), ['visit.start'],
        'photo.attach waits until the server holds the blob');

      // Back online, the second part's connection breaks once: the next run asks the server how
      // much it holds (HEAD) and goes on from there instead of starting over.
      const log = [];
      let broken = false;
      await context.route('**/api/v1/blobs/**', async (route) => {
        const request = route.request();
        const range = request.headers()['content-range'] ?? '';
        log.push(`${request.method()} ${range}`.trim());
        if (!broken && request.method() === 'PUT' && !range.startsWith('bytes 0-')) {
          broken = true;
          await route.abort('connectionreset');
          return;
        }
        await route.continue();
      });
      await context.setOffline(false);
      await thumb.filter({ hasText: 'Bevestigd door server' }).waitFor({ timeout: SYNC_TIMEOUT_MS });
      await waitForSyncSuccess(page);

      const part = 256 * 1024;
      const puts = log.filter((l) => l.startsWith('PUT')).map((l) => Number(l.match(/bytes (\d+)-/)[1]));
      assert.ok(broken, `a part was broken off: ${log}`);
      assert.equal(puts[0], 0, `the upload starts at 0: ${log}`);
      assert.equal(puts[1], part, `the second part starts at 256 KB: ${log}`);
      assert.equal(puts[2], part, `after the break it resumes at 256 KB, not at 0: ${log}`);
      assert.equal(puts.filter((p) => p === 0).length, 1, `the first part is sent once: ${log}`);
      assert.equal(log.filter((l) => l === 'HEAD').length, 2, `one HEAD per attempt: ${log}`);

      // On the server exactly once, with the bytes the device hashed.
      const detail = await api(server, token, `/api/v1/visits/${visitId}`);
      assert.equal(detail.photos.length, 1, `one photo: ${JSON.stringify(detail.photos)}`);
      assert.equal(detail.photos[0].sha256, photo.sha256);
      const head = await fetch(`${server.url}/api/v1/blobs/${photo.sha256}`, {
        method: 'HEAD', headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(head.status, 200);
      assert.equal(Number(head.headers.get('upload-offset')), photo.size);
      const [stored] = await readStore(page, 'photos');
      assert.equal(stored.state, 'confirmed');
      await page.getByTestId('delivery').filter({ hasText: /Verzonden|Bevestigd door server/ }).waitFor();
    } finally {
      await browser.close();
    }
  });

  it('a photo the server refuses stays on the device as a problem until the inspector removes it', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      const { visitId } = await loginAndPickPlannedVisit(page, 'first');
      await page.goto(`/bezoek/${visitId}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();

      // The server takes no photo (as when it is over SCHOUW_BLOB_MAX_BYTES): 413 in the error format.
      await context.route('**/api/v1/blobs/**', async (route) => {
        if (route.request().method() !== 'PUT') return route.continue();
        return route.fulfill({
          status: 413,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'request.too_large', message: 'Te groot.' } }),
        });
      });
      const png = await page.evaluate(async () => {
        const canvas = new OffscreenCanvas(64, 48);
        canvas.getContext('2d').fillRect(0, 0, 32, 24);
        const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
        return btoa(String.fromCharCode(...bytes));
      });
      await page.getByTestId('photos').getByTestId('photo-input').setInputFiles({
        name: 'klein.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64'),
      });
      const thumb = page.getByTestId('photos').getByTestId('photo');
      await thumb.locator('.error').waitFor({ timeout: SYNC_TIMEOUT_MS });
      await page.getByTestId('delivery').filter({ hasText: 'Probleem' }).waitFor();
      const [photo] = await readStore(page, 'photos');
      assert.ok(photo.problem, 'the refusal is kept with the photo');
      assert.deepEqual((await readStore(page, 'outbox')).map((e) => e.mutation.type), [],
        'nothing was attached');

      // Removing it is the inspector's decision, after a confirmation.
      page.once('dialog', (dialog) => dialog.accept());
      await thumb.getByRole('button', { name: 'Foto van dit apparaat verwijderen' }).click();
      await thumb.waitFor({ state: 'detached' });
      assert.deepEqual(await readStore(page, 'photos'), []);
      const blobs = await page.evaluate(() => new Promise((resolve) => {
        const open = indexedDB.open('schouw');
        open.onsuccess = () => {
          const req = open.result.transaction('photo_blobs').objectStore('photo_blobs').count();
          req.onsuccess = () => { open.result.close(); resolve(req.result); };
        };
      }));
      assert.equal(blobs, 0, 'its bytes are gone too');
    } finally {
      await browser.close();
    }
  });

  it('a conflicting offline edit is shown as a problem, and "send mine again" resolves it', async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      const { token, visitId } = await loginAndPickPlannedVisit(page, 'last');

      await page.goto(`/bezoek/${visitId}`);
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-status').filter({ hasText: 'Bezig' }).waitFor();
      await page.getByTestId('note-input').fill('Olieafscheider niet geleegd');
      const before = await syncState(page);
      await page.getByTestId('add-note').click();
      await waitForSyncSuccess(page, before.last);
      const [note] = (await readStore(page, 'notes')).filter((n) => n.visit_id === visitId);
      assert.ok(note?.version, `the note reached the server: ${JSON.stringify(note)}`);

      // While the tablet is offline, the same note is changed elsewhere (another device).
      await context.setOffline(true);
      const other = await fetch(`${server.url}/api/v1/sync/push`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          device_id: crypto.randomUUID(),
          mutations: [{
            id: crypto.randomUUID(), seq: 1, type: 'visit_note.edit', entity_id: note.id,
            base_version: note.version, at: new Date().toISOString(),
            data: { text: 'Olieafscheider niet geleegd (kantoor)' },
          }],
        }),
      });
      assert.equal(other.status, 200);
      assert.equal((await other.json()).results[0].status, 'applied');

      const mine = 'Olieafscheider niet geleegd; eigenaar belt terug';
      await page.getByTestId('note').getByRole('button', { name: 'Wijzigen' }).click();
      await page.getByTestId('note').locator('textarea').fill(mine);
      await page.getByTestId('note').getByRole('button', { name: 'Opslaan' }).click();
      await page.getByTestId('note').filter({ hasText: mine }).waitFor();

      // Online again: the server refuses the stale edit, and the device says so.
      const offline = await syncState(page);
      await context.setOffline(false);
      await waitForSyncSuccess(page, offline.last);
      await page.getByTestId('delivery').filter({ hasText: 'Probleem' }).waitFor();
      await page.goto('/synchronisatie');
      const problem = page.getByTestId('problem');
      await problem.filter({ hasText: 'Conflict' }).waitFor();
      assert.equal(await problem.getAttribute('data-code'), 'record.version_conflict');
      assert.match(await problem.innerText(), /eigenaar belt terug/);

      // The team lead sees the same conflict, and the inspector's device, on /team.
      const lead = await openBrowser(server.url);
      try {
        const lp = lead.page;
        await lp.goto('/');
        await lp.waitForURL('**/inloggen');
        await lp.locator('#username').fill('teamleider1');
        await lp.locator('#password').fill('schouw-demo');
        await lp.locator('form button[type="submit"]').click();
        await lp.waitForURL('**/team');
        await lp.getByRole('heading', { name: 'Team: apparaten en synchronisatie' }).waitFor();
        await lp.getByTestId('device').first().waitFor();
        const row = lp.getByTestId('team-problem').filter({ hasText: 'Conflict: Notitie gewijzigd' }).first();
        await row.waitFor();
        // The lead keeps the server's version (after confirming); it leaves the list once the
        // server has the settlement.
        const settledId = await row.getAttribute('data-id');
        let question = '';
        lp.once('dialog', (d) => { question = d.message(); d.accept(); });
        await row.getByTestId('team-settle').click();
        await lp.locator(`[data-testid="team-problem"][data-id="${settledId}"]`)
          .waitFor({ state: 'detached', timeout: SYNC_TIMEOUT_MS });
        assert.match(question, /wat nu op de server staat, blijft staan/);
        const open = await api(server, token, '/api/v1/sync/problems');
        assert.ok(!open.problems.some((p) => p.id === settledId), 'settled on the server by the lead');
      } finally {
        await lead.close();
      }

      // The inspector's own device still shows the problem (it is theirs to decide), and they
      // keep their version: it goes to the server on top of the newer one.
      const resolved = await syncState(page);
      await problem.getByRole('button', { name: 'Mijn versie opnieuw versturen' }).click();
      await waitForSyncSuccess(page, resolved.last);
      await page.getByTestId('problem').waitFor({ state: 'detached' });
      assert.deepEqual(await readStore(page, 'problems'), []);
      const detail = await api(server, token, `/api/v1/visits/${visitId}`);
      assert.deepEqual(detail.notes.map((n) => n.text), [mine]);
      // The settlement reached the server: the conflict left the team lead's list.
      const open = await api(server, token, '/api/v1/sync/problems');
      assert.ok(!open.problems.some((p) => p.problem === 'conflict' && p.entity_id === note.id),
        `the conflict is settled on the server: ${JSON.stringify(open.problems)}`);
      assert.equal(detail.notes[0].version, note.version + 2, 'one edit elsewhere, one resend');
    } finally {
      await browser.close();
    }
  });

  it("the day's visits are listed from the device after an offline reload", async () => {
    const browser = await openBrowser(server.url);
    try {
      const { page, context } = browser;
      await loginWithWorkingSet(page);
      const token = await storedToken(page);

      // Today's list, or (on a weekend) the first workday of the working set that has visits.
      const days = await page.locator('.day-picker .chip').evaluateAll((els) => els.map((e) => e.dataset.date));
      let day;
      let expected = [];
      for (const date of days) {
        const list = await api(server, token, `/api/v1/me/visits?date=${date}`);
        if (list.visits.length > 0) {
          day = date;
          expected = list.visits.map((v) => v.site.name);
          break;
        }
      }
      assert.ok(day, `the demo plans visits on one of ${days}`);

      await context.setOffline(true);
      const reload = await page.reload();
      assert.ok(reload?.fromServiceWorker(), 'the offline reload comes from the service worker');
      await page.getByRole('heading', { name: 'Mijn dag' }).waitFor();
      await page.locator('header').getByText('Offline', { exact: true }).waitFor();
      await page.locator(`.day-picker .chip[data-date="${day}"]`).click();
      await page.getByTestId('visit-card').first().waitFor();
      const shown = await page.getByTestId('visit-card').locator('.visit-name').allTextContents();
      assert.deepEqual(shown, expected, 'the same visits in route order');

      // Each card explains its place on the list.
      const first = page.getByTestId('visit-card').first();
      await first.locator('summary').click();
      assert.ok(await first.locator('.factors tr').count() > 0, 'a per-factor explanation');
      assert.match(await first.locator('.tags').innerText(), /gepland|hercontrole|steekproef/);
    } finally {
      await browser.close();
    }
  });
});
