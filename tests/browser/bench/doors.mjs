// Two front doors benchmark (issue 8): what each door's browser downloads, and the first paint of
// an office page.
//
// Usage, from the repo root, after `cargo build -p server --bin schouw` and a RELEASE
// `cargo xtask dist`:
//
//   node tests/browser/bench/doors.mjs [--runs 5]
//
// It starts `$SCHOUW_BIN serve --demo` on a free port (fresh data directory), then in headless
// Debian Chromium with a fresh profile per run:
//   - inspector: logs in as inspecteur1, waits until the service worker controls the page and the
//     first sync has run, and sums the wasm bytes on the wire (page and service worker, Resource
//     Timing `transferSize`, see `downloads` in ../helpers.mjs) and all bytes on the wire;
//   - office: logs in as teamleider1, waits for the team page, sums the wasm bytes, and reads the
//     office page's first-contentful-paint (performance paint entry; from the office document's
//     navigation start, so the login page is not counted) and the time until the team page shows.
// Budgets: inspector <= 250 KB brotli of wasm, office <= 400 KB.

import { parseArgs } from 'node:util';

import {
  downloads,
  login,
  loginAs,
  openBrowser,
  startServer,
  waitForServiceWorkerControl,
  wasmOf,
} from '../helpers.mjs';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(args.runs);
const kb = (n) => (n / 1024).toFixed(1);
const sum = (entries) => entries.reduce((total, [, n]) => total + n, 0);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const server = await startServer();
try {
  const field = [];
  const office = [];
  for (let run = 0; run < runs; run += 1) {
    {
      const browser = await openBrowser(server.url);
      try {
        await login(browser.page);
        await waitForServiceWorkerControl(browser.page);
        await browser.page.waitForFunction(() => document.querySelector('[data-testid="sync-state"]')?.dataset.last,
          undefined, { timeout: 120_000 });
        const all = await downloads(browser.context, browser.page);
        field.push({ wasm: sum(wasmOf(all)), all: sum(all) });
      } finally {
        await browser.close();
      }
    }
    {
      const browser = await openBrowser(server.url);
      try {
        await loginAs(browser.page, 'teamleider1', '**/kantoor/team');
        await browser.page.getByTestId('team-sync').waitFor();
        const shown = await browser.page.evaluate(() => performance.now());
        const fcp = await browser.page.evaluate(() =>
          performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
        // The office document's downloads: after logging in (the login page is the field app's).
        office.push({ wasm: sum(wasmOf(await downloads(browser.context, browser.page))), fcp, shown });
      } finally {
        await browser.close();
      }
    }
  }
  console.log(`runs: ${runs}`);
  console.log(`inspector: wasm ${kb(median(field.map((r) => r.wasm)))} KB on the wire, all ${kb(median(field.map((r) => r.all)))} KB (median)`);
  console.log(`office: wasm after login ${kb(median(office.map((r) => r.wasm)))} KB on the wire; first contentful paint ${median(office.map((r) => r.fcp)).toFixed(0)} ms, team page shown ${median(office.map((r) => r.shown)).toFixed(0)} ms after the office document's start (median)`);
} finally {
  await server.stop();
}
