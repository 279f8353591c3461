// Risk ranking in wasm benchmark (issue 3, goal: rank 2,000 sites in < 20 ms at normal CPU).
//
// Usage, from the repo root, after a RELEASE bench build (the shipped bundle has no bench exports):
//
//   cargo xtask dist --bench-build          # into target/dist-bench/, dist/ is left alone
//   node tests/browser/bench/rank-wasm.mjs [--sites 2000] [--iterations 50] [--rates 1,4] [--dist DIR]
//
// What it does: serves DIR (default target/dist-bench) with a tiny static server in this process
// (no Schouw server: ranking runs entirely in the tablet), opens it in headless Chromium (fresh
// profile, see helpers.mjs), waits until the page's own `init()` of the wasm-bindgen module has
// finished, then for each CPU throttling rate (CDP Emulation.setCPUThrottlingRate) calls the
// module's `bench_rank_sites(sites, iterations)` (app/src/bench.rs) once as a warm-up and once
// counted. That function generates the synthetic sites (same generator as
// shared/benches/engines.rs), ranks them `iterations` times with RiskModel::default_2026() and
// times each run with performance.now(); this prints min, median and p90 (nearest rank).
// This file is not named *.test.mjs, so `node --test tests/browser/` does not run it.

import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { openBrowser, repoRoot } from '../helpers.mjs';

const { values: args } = parseArgs({
  options: {
    sites: { type: 'string', default: '2000' },
    iterations: { type: 'string', default: '50' },
    rates: { type: 'string', default: '1,4' },
    dist: { type: 'string', default: path.join(repoRoot, 'target/dist-bench') },
  },
});
const sites = Number.parseInt(args.sites, 10);
const iterations = Number.parseInt(args.iterations, 10);
const rates = args.rates.split(',').map(Number);
const dist = path.resolve(args.dist);
if (!(sites > 0) || !(iterations > 0) || rates.some((r) => !(r >= 1))) {
  console.error('usage: node tests/browser/bench/rank-wasm.mjs [--sites N] [--iterations N] [--rates 1,4] [--dist DIR]');
  process.exit(2);
}
if (!existsSync(path.join(dist, 'index.html'))) {
  console.error(`${dist} holds no index.html: run \`cargo xtask dist --bench-build\` first`);
  process.exit(1);
}

// The page's module script imports this file; importing it again gives the same module instance.
const index = readFileSync(path.join(dist, 'index.html'), 'utf8');
const appJs = /import init from '([^']+)'/.exec(index)?.[1];
if (!appJs) throw new Error(`no \`import init from '...'\` in ${dist}/index.html`);
if (!readFileSync(path.join(dist, appJs), 'utf8').includes('bench_rank_sites')) {
  console.error(`${dist}${appJs} has no bench_rank_sites export: build it with \`cargo xtask dist --bench-build\``);
  process.exit(1);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

/** Serves `dist` uncompressed; unknown paths get the shell (as the real server's SPA fallback). */
function startStaticServer() {
  const server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    let file = path.join(dist, path.normalize(urlPath));
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) {
      if (urlPath.startsWith('/api/')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found"}}');
        return;
      }
      file = path.join(dist, 'index.html');
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** Calls the export once the page's init() has instantiated the module (it throws before that). */
async function rank(page, n, iters) {
  const json = await page.evaluate(async ({ js, n, iters }) => {
    const m = await import(js);
    for (let tries = 0; ; tries++) {
      try {
        return m.bench_rank_sites(n, iters);
      } catch (err) {
        if (tries > 600) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }, { js: appJs, n, iters });
  return JSON.parse(json);
}

const fmt = (ms) => `${ms.toFixed(2)} ms`;

const server = await startStaticServer();
const browser = await openBrowser(server.url);
try {
  const { page, context } = browser;
  await page.goto('/');
  const cdp = await context.newCDPSession(page);
  const wasm = /href="([^"]+\.wasm)"/.exec(index)?.[1];
  const size = wasm ? statSync(path.join(dist, wasm)).size : 0;

  console.log(`rank-in-wasm benchmark: ${sites} sites, ${iterations} timed rankings per CPU rate after 1 warm-up call`);
  console.log(`app bundle: ${path.join(dist, wasm ?? '?')} (${(size / 1024).toFixed(1)} KB raw)`);
  console.log(`browser: ${await page.evaluate(() => navigator.userAgent.match(/Chrome\/\S+/)?.[0] ?? navigator.userAgent)}`);

  for (const rate of rates) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await rank(page, sites, Math.min(iterations, 5)); // warm-up (tier-up of the wasm code), not counted
    const r = await rank(page, sites, iterations);
    console.log(`\nCPU ${rate}x slowdown (setup: model + ${r.n} sites generated in ${fmt(r.setup_ms)}; top site ${r.top_site})`);
    console.log(`  rank ${r.n} sites: min ${fmt(r.min_ms)}, median ${fmt(r.median_ms)}, p90 ${fmt(r.p90_ms)}, max ${fmt(r.max_ms)}, mean ${fmt(r.mean_ms)} over ${r.iterations} runs`);
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
} finally {
  await browser.close();
  await server.stop();
}
