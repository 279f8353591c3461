// Team lead benchmarks (issue 11): the day board's render for 30 inspectors and 300 visits, planning
// a day for a team of 12, and the equal-treatment view over three years of demo data.
//
// Usage, from the repo root, after `cargo build --profile server -p server` and a RELEASE
// `cargo xtask dist`:
//
//   SCHOUW_BIN=target/server/schouw node tests/browser/bench/team-lead.mjs [--runs 5]
//
// It starts `$SCHOUW_BIN serve --demo` (12 inspectors, the demo region's sites) on a free port and
//   1. plans free working days far ahead with `POST /api/v1/team/plan`, timing each call end to end
//      (the HTTP round trip: load, rank, plan, store, answer);
//   2. times `GET /api/v1/reports/equal-treatment` (three years by default) and the page
//      /kantoor/gelijke-behandeling in Chromium until every cell shows;
//   3. adds 18 inspectors and 264 of today's visits straight into the SQLite database (30
//      inspectors, 300 visits, a quarter of them started or done) and times /kantoor/team in
//      Chromium from navigation start until the board shows 30 rows and 300 map markers.
// Each figure is the median of the runs; times in ms.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { loginAs, openBrowser, startServer } from '../helpers.mjs';
import { api, tokenOf } from '../field.mjs';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(args.runs);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function isoDate(d) {
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** The next `n` Monday-to-Friday dates from `days` ahead. */
function workdaysAhead(days, n) {
  const out = [];
  const d = new Date();
  d.setDate(d.getDate() + days);
  while (out.length < n) {
    if (d.getDay() !== 0 && d.getDay() !== 6) out.push(isoDate(d));
    d.setDate(d.getDate() + 1);
  }
  return out;
}

/** 18 more inspectors and 264 more of today's visits, written straight into the database. */
function growToday(dbPath, today) {
  const script = `
import sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1], timeout=30)
today = sys.argv[2]
agency, = db.execute("SELECT agency_id FROM users WHERE role = 'inspector' LIMIT 1").fetchone()
hash_, created = db.execute("SELECT password_hash, created_at FROM users WHERE role = 'inspector' LIMIT 1").fetchone()
for n in range(13, 31):
    db.execute("INSERT INTO users (id, agency_id, username, display_name, role, password_hash, created_at, team) VALUES (?, ?, ?, ?, 'inspector', ?, ?, ?)",
               (str(uuid.uuid4()), agency, f"bench{n}", f"Inspecteur {n}", hash_, created, "Team Noord" if n % 2 else "Team Zuid"))
inspectors = [r[0] for r in db.execute("SELECT id FROM users WHERE role = 'inspector' AND agency_id = ? ORDER BY display_name", (agency,))]
have = db.execute("SELECT COUNT(*) FROM visits WHERE planned_date = ?", (today,)).fetchone()[0]
priority, = db.execute("SELECT priority_json FROM visits LIMIT 1").fetchone()
sites = [r[0] for r in db.execute("SELECT id FROM sites WHERE agency_id = ? AND id NOT IN (SELECT site_id FROM visits WHERE planned_date = ?) LIMIT ?", (agency, today, 300 - have))]
orders = {i: (db.execute("SELECT COALESCE(MAX(route_order), 0) FROM visits WHERE inspector_id = ? AND planned_date = ?", (i, today)).fetchone()[0]) for i in inspectors}
statuses = ["planned", "planned", "planned", "in_progress", "done"]
for k, site in enumerate(sites):
    who = inspectors[k % len(inspectors)]
    orders[who] += 1
    db.execute("INSERT INTO visits (id, agency_id, site_id, inspector_id, planned_date, kind, size, route_order, status, priority_json, score, created_at, version) VALUES (?, ?, ?, ?, ?, 'planned', 'M', ?, ?, ?, 1.0, ?, 1)",
               (str(uuid.uuid4()), agency, site, who, today, orders[who], statuses[k % len(statuses)], priority, created))
db.commit()
print(len(inspectors), db.execute("SELECT COUNT(*) FROM visits WHERE planned_date = ?", (today,)).fetchone()[0])
`;
  return execFileSync('python3', ['-c', script, dbPath, today], { encoding: 'utf8' }).trim();
}

const server = await startServer();
try {
  const lead = await tokenOf(server, 'teamleider1');
  const db = path.join(server.dataDir, 'schouw.db');
  const sites = execFileSync('python3', ['-c',
    'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM sites").fetchone()[0])', db],
  { encoding: 'utf8' }).trim();

  // 1. Planning a day for the team of 12.
  const plan = [];
  for (const day of workdaysAhead(40, runs)) {
    const t0 = performance.now();
    const answer = await api(server, lead, 'POST', '/api/v1/team/plan', { date: day });
    plan.push(performance.now() - t0);
    if (answer.status !== 200) throw new Error(`plan ${day}: ${answer.status}`);
  }

  // 2. Equal treatment over three years.
  const equalApi = [];
  for (let run = 0; run < runs * 2; run += 1) {
    const t0 = performance.now();
    const answer = await api(server, lead, 'GET', '/api/v1/reports/equal-treatment');
    equalApi.push(performance.now() - t0);
    if (answer.status !== 200) throw new Error(`equal treatment: ${answer.status}`);
  }
  const equalPage = [];
  const browser = await openBrowser(server.url);
  try {
    const { page } = browser;
    await loginAs(page, 'teamleider1', '**/kantoor/team');
    for (let run = 0; run < runs; run += 1) {
      await page.goto('/kantoor/gelijke-behandeling');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="equal-cell"]').length > 0
        && !document.body.innerText.includes('Laden'), undefined, { polling: 'raf', timeout: 60_000 });
      equalPage.push(await page.evaluate(() => performance.now()));
    }

    // 3. The day board for 30 inspectors and 300 visits.
    const grown = growToday(db, isoDate(new Date()));
    const board = [];
    for (let run = 0; run < runs; run += 1) {
      await page.goto('/kantoor/team');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="board-row"]').length === 30
        && document.querySelectorAll('[data-testid="board-site"]').length === 300,
      undefined, { polling: 'raf', timeout: 60_000 });
      board.push(await page.evaluate(() => performance.now()));
    }
    const ms = (x) => Math.round(x);
    console.log(JSON.stringify({
      sites: Number(sites),
      plan_team_of_12_ms: ms(median(plan)),
      plan_runs_ms: plan.map(ms),
      equal_treatment_api_ms: ms(median(equalApi)),
      equal_treatment_page_ms: ms(median(equalPage)),
      board_inspectors_visits: grown,
      board_render_ms: ms(median(board)),
      board_runs_ms: board.map(ms),
    }, null, 2));
  } finally {
    await browser.close();
  }
} finally {
  await server.stop();
}
