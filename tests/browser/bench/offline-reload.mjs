// Offline reload benchmark (issue 2, budget: <= 1 s at 4x CPU slowdown).
//
// Usage, from the repo root, after `cargo build -p server --bin schouw` and a RELEASE
// `cargo xtask dist` (a `--dev` dist is many times larger and slower; the figures would mean nothing):
//
//   node tests/browser/bench/offline-reload.mjs [--runs 10] [--rates 4,1] [--url http://127.0.0.1:3000]
//
// Without --url it starts `$SCHOUW_BIN serve --demo` itself on a free port with a fresh data
// directory (SCHOUW_BIN defaults to target/debug/schouw, SCHOUW_DIST to dist/; the server plays no
// part in an offline reload). With --url it uses a running server that has the demo accounts.
//
// What it does: logs in as inspecteur1 through the form in headless Chromium (fresh profile),
// waits until the session is stored and the service worker controls the page, cuts the network
// (context.setOffline), then for each CPU throttling rate (CDP Emulation.setCPUThrottlingRate)
// reloads once to warm up and then --runs times, timing each reload until the user's name shows
// in the header. It prints the median and p90 (nearest rank) of:
//   - painted: from the reload's navigation start (the new document's performance.timeOrigin) to
//     the first frame after the name is in the DOM, measured in the page (the figure for the budget);
//   - wall: from calling page.reload() in Node until Playwright sees the name visible (includes
//     the DevTools protocol round trips).
// This file is not named *.test.mjs, so `node --test tests/browser/` does not run it.

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import {
  INSPECTOR,
  login,
  openBrowser,
  repoRoot,
  startServer,
  userName,
  waitForServiceWorkerControl,
  waitForStoredSession,
} from '../helpers.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    rates: { type: 'string', default: '4,1' },
    url: { type: 'string' },
  },
});
const runs = Number.parseInt(args.runs, 10);
const rates = args.rates.split(',').map(Number);
if (!(runs > 0) || rates.some((r) => !(r >= 1))) {
  console.error('usage: node tests/browser/bench/offline-reload.mjs [--runs N] [--rates 4,1] [--url URL]');
  process.exit(2);
}

// Runs in every new document before the app: notes when the user's name first shows in the header.
function recordNameShown() {
  const done = () => {
    const el = document.querySelector('[data-testid="user-name"]');
    if (!el || !el.textContent.trim()) return false;
    window.__nameInDomAt = performance.now();
    // The next frame's rAF callback runs before that frame paints; a task queued from it runs
    // after the paint.
    requestAnimationFrame(() => setTimeout(() => { window.__namePaintedAt = performance.now(); }, 0));
    return true;
  };
  const observer = new MutationObserver(() => { if (done()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

function percentile(sorted, p) {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p90: percentile(sorted, 90), sorted };
}

const fmt = (ms) => `${Math.round(ms)} ms`;

async function reloadOnce(page) {
  const start = performance.now();
  await page.reload({ waitUntil: 'commit' });
  await userName(page).waitFor({ state: 'visible' });
  const wall = performance.now() - start;
  const painted = await page.waitForFunction(() => window.__namePaintedAt, null, { polling: 'raf' });
  return { wall, painted: await painted.jsonValue() };
}

/** A fixed amount of JavaScript work in the page, to show the throttling is in force. */
async function calibrate(page) {
  return page.evaluate(() => {
    const t = performance.now();
    let x = 0;
    for (let i = 0; i < 20_000_000; i++) x = (x + i * 7) % 1_000_003;
    return performance.now() - t + (x < 0 ? 1 : 0);
  });
}

function describeDist() {
  const dist = process.env.SCHOUW_DIST ?? path.join(repoRoot, 'dist');
  try {
    const wasm = readdirSync(path.join(dist, 'assets')).find((f) => f.endsWith('.wasm'));
    const size = statSync(path.join(dist, 'assets', wasm)).size;
    return `${path.join(dist, 'assets', wasm)} (${(size / 1024).toFixed(1)} KB raw)`;
  } catch {
    return `${dist} (not inspected)`;
  }
}

const server = args.url ? { url: args.url.replace(/\/$/, ''), stop: async () => {} } : await startServer();
const browser = await openBrowser(server.url);
try {
  const { page, context } = browser;
  await login(page, INSPECTOR);
  await waitForStoredSession(page, true);
  await waitForServiceWorkerControl(page);
  await context.addInitScript(recordNameShown);
  await context.setOffline(true);
  const cdp = await context.newCDPSession(page);

  console.log(`offline reload benchmark: ${server.url}, ${runs} runs per rate after 1 warm-up reload`);
  if (!args.url) console.log(`app bundle: ${describeDist()}`);
  console.log(`browser: ${await page.evaluate(() => navigator.userAgent.match(/Chrome\/\S+/)?.[0] ?? navigator.userAgent)}`);

  for (const rate of rates) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await reloadOnce(page); // warm-up, not counted
    const painted = [];
    const wall = [];
    for (let i = 0; i < runs; i++) {
      const r = await reloadOnce(page);
      painted.push(r.painted);
      wall.push(r.wall);
    }
    const loop = await calibrate(page);
    const p = summary(painted);
    const w = summary(wall);
    console.log(`\nCPU ${rate}x slowdown (calibration loop after the runs: ${fmt(loop)})`);
    console.log(`  painted: median ${fmt(p.median)}, p90 ${fmt(p.p90)}   [${p.sorted.map(Math.round).join(', ')}]`);
    console.log(`  wall:    median ${fmt(w.median)}, p90 ${fmt(w.p90)}   [${w.sorted.map(Math.round).join(', ')}]`);
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
} finally {
  await browser.close();
  await server.stop();
}
