// Offline work and the sync protocol (issue 5, client side): the working set is on the device,
// work recorded without a network survives a reload, and reaches the server exactly once after
// the network returns.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  login,
  openBrowser,
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

/** Reads every record of an object store of the app's database (records are JSON strings). */
async function readStore(page, store) {
  return page.evaluate((name) => new Promise((resolve, reject) => {
    const open = indexedDB.open('schouw');
    open.onerror = () => reject(open.error);
    open.onupgradeneeded = () => { open.transaction.abort(); reject(new Error('no database')); };
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction(name, 'readonly').objectStore(name).getAll();
      req.onsuccess = () => { db.close(); resolve(req.result.map((s) => JSON.parse(s))); };
      req.onerror = () => { db.close(); reject(req.error); };
    };
  }), store);
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

describe('offline work and sync', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
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
      await page.getByTestId('delivery').filter({ hasText: 'Wacht op verzending' }).waitFor();
      const offline = await syncState(page);
      assert.equal(offline.phase, 'offline');
      assert.equal(offline.pending, 3, 'start, answer and note wait in the outbox');
      const outbox = await readStore(page, 'outbox');
      assert.deepEqual(outbox.map((e) => e.mutation.type), ['visit.start', 'finding.upsert', 'visit_note.add']);
      const seqs = outbox.map((e) => e.mutation.seq);
      assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), `strictly increasing seqs: ${seqs}`);

      // Back online: the app syncs by itself.
      await context.setOffline(false);
      await waitForSyncSuccess(page, offline.last);
      assert.deepEqual(await readStore(page, 'outbox'), [], 'the outbox is empty');
      assert.deepEqual(await readStore(page, 'problems'), [], 'no conflicts or rejections');
      await page.getByTestId('delivery').filter({ hasText: /Verzonden|Bevestigd door server/ }).waitFor();

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
