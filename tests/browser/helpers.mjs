// Shared helpers of the browser tests and the benchmark: start the real server on a free port
// with a fresh data directory, launch Debian's headless Chromium through playwright-core, log in
// through the form, and wait until the service worker controls the page.
//
// Environment (set by `cargo xtask test`; defaults are for running from a checkout):
//   SCHOUW_BIN   the `schouw` binary          (default <repo>/target/debug/schouw)
//   SCHOUW_DIST  the built PWA (`cargo xtask dist`) (default <repo>/dist)
//   SCHOUW_CHROMIUM  the browser              (default /usr/bin/chromium)

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');

/** The demo account every test logs in with (see docs/API.md, "Health and auth"). */
export const INSPECTOR = {
  username: 'inspecteur1',
  password: 'schouw-demo',
  name: 'Anouk Bruggink',
  role: 'Toezichthouder',
};

/** Loading the demo region takes a while in a debug build; give the server this long to listen. */
const SERVER_START_TIMEOUT_MS = 180_000;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts `schouw serve --demo` on 127.0.0.1:0 with a fresh data directory and resolves once it
 * prints its URL. `stop()` ends it (SIGTERM, SIGKILL after 5 s) and removes the data directory.
 */
export async function startServer() {
  const bin = process.env.SCHOUW_BIN ?? path.join(repoRoot, 'target/debug/schouw');
  const dist = process.env.SCHOUW_DIST ?? path.join(repoRoot, 'dist');
  if (!existsSync(bin)) throw new Error(`SCHOUW_BIN ${bin} does not exist (cargo build -p server --bin schouw)`);
  if (!existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`SCHOUW_DIST ${dist} holds no index.html (cargo xtask dist)`);
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'schouw-browser-'));
  const child = spawn(bin, ['serve', '--demo'], {
    env: { ...process.env, SCHOUW_ADDR: '127.0.0.1:0', SCHOUW_DATA: dataDir, SCHOUW_DIST: dist },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not listen within ${SERVER_START_TIMEOUT_MS} ms:\n${output}`)),
      SERVER_START_TIMEOUT_MS,
    );
    const onData = (chunk) => {
      output += chunk;
      const match = /Schouw luistert op (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  }).catch(async (err) => {
    await killChild(child, exited);
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  });

  return {
    url,
    /** The server's data directory (its SQLite database is `schouw.db` there). */
    dataDir,
    async stop() {
      await killChild(child, exited);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function killChild(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer;
  const killed = await Promise.race([
    exited.then(() => true),
    new Promise((resolve) => { timer = setTimeout(() => resolve(false), 5_000); }),
  ]);
  clearTimeout(timer);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Debian's headless Chromium (never a browser downloaded by Playwright) with a fresh profile of
 * its own in a temporary directory: a real, non-incognito profile, as an installed PWA has (an
 * incognito context is never installable). `close()` ends the browser and removes the profile.
 */
export async function openBrowser(baseURL) {
  const profileDir = await mkdtemp(path.join(tmpdir(), 'schouw-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: process.env.SCHOUW_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      baseURL,
      locale: 'nl-NL',
      serviceWorkers: 'allow',
    });
    context.setDefaultTimeout(30_000);
    context.setDefaultNavigationTimeout(60_000);
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      async close() {
        await context.close().catch(() => {});
        await rm(profileDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(profileDir, { recursive: true, force: true });
    throw err;
  }
}

/** The name in the header, as a locator that only matches once it shows this user's name. */
export function userName(page, name = INSPECTOR.name) {
  return page.getByTestId('user-name').filter({ hasText: name });
}

/**
 * Logs in through the form at /inloggen (reached by opening / with no session) and waits until
 * the landing page shows with the user's name in the header.
 */
export async function login(page, account = INSPECTOR) {
  await page.goto('/');
  await page.waitForURL('**/inloggen');
  await page.locator('#username').fill(account.username);
  await page.locator('#password').fill(account.password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL('**/vandaag');
  await userName(page, account.name).waitFor({ state: 'visible' });
  await page.getByRole('heading', { name: 'Mijn dag' }).waitFor({ state: 'visible' });
}

/**
 * Waits until the service worker is active (so the shell is precached) and controls this page.
 * The worker claims open clients on activation; should it not, one reload puts the page under it.
 */
export async function waitForServiceWorkerControl(page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  try {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10_000 });
  } catch {
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10_000 });
  }
}

/**
 * Waits until the app has written (`present`) or removed (`!present`) the session in IndexedDB
 * "schouw". The app shows the name before its write has committed, so a test that reloads right
 * after logging in or out must wait for it.
 */
export async function waitForStoredSession(page, present = true) {
  await page.waitForFunction(
    (wanted) => new Promise((resolve) => {
      const open = indexedDB.open('schouw');
      open.onerror = () => resolve(false);
      // The app creates the database; never create (or upgrade) it from here.
      open.onupgradeneeded = () => { open.transaction.abort(); resolve(false); };
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('session')) { db.close(); resolve(wanted === false); return; }
        const get = db.transaction('session', 'readonly').objectStore('session').get('current');
        get.onsuccess = () => { db.close(); resolve((get.result !== undefined) === wanted); };
        get.onerror = () => { db.close(); resolve(false); };
      };
    }),
    present,
    { polling: 100 },
  );
}

/** Logs in, waits for the stored session and the service worker, then cuts the network. */
export async function loginAndGoOffline(page) {
  await login(page);
  await waitForStoredSession(page, true);
  await waitForServiceWorkerControl(page);
  await page.context().setOffline(true);
  // Prove the network is really gone for the page: a request past the service worker fails.
  const reachable = await page.evaluate(() => fetch('/healthz', { cache: 'no-store' }).then(() => true, () => false));
  if (reachable) throw new Error('the page still reaches the server after setOffline(true)');
}

/** Reads every record of an object store of the app's database (records are JSON strings). */
export async function readStore(page, store) {
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

/**
 * What the current document and the service workers downloaded, from their Resource Timing
 * entries: `[url, transferSize]` for every resource that came over the network (a response from
 * the HTTP cache or a worker's cache has transferSize 0 and is left out). `transferSize` is the
 * bytes on the wire, headers included, after content encoding (brotli).
 */
export async function downloads(context, page) {
  const read = () => performance.getEntriesByType('resource')
    .filter((e) => e.transferSize > 0)
    .map((e) => [e.name, e.transferSize]);
  const entries = await page.evaluate(read);
  for (const worker of context.serviceWorkers()) {
    entries.push(...(await worker.evaluate(read)));
  }
  return entries;
}

/** The `.wasm` downloads of `downloads()`. */
export function wasmOf(entries) {
  return entries.filter(([url]) => new URL(url).pathname.endsWith('.wasm'));
}

/** Logs in through the one login page as `username` and waits until the URL matches `landing`. */
export async function loginAs(page, username, landing) {
  await page.goto('/inloggen');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(INSPECTOR.password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(landing);
}

const AXE_SOURCE = path.join(here, 'node_modules', 'axe-core', 'axe.min.js');
/** The WCAG 2.1 A and AA rules, as axe-core tags them. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core (npm `axe-core`, injected into the page) against the WCAG 2.1 AA rules and returns
 * the serious and critical violations, each as `rule: target (message)` lines.
 */
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE_SOURCE });
  const results = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)})`),
    }));
  }, WCAG_21_AA);
  return results
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} [${v.impact}]: ${n}`));
}
