#!/usr/bin/env python3
"""Office figures at the scale of a large agency (docs/BENCHMARKS.md, "Reports at scale").

Measures, on one database made by `schouw generate`:
  * DuckDB running the annual aggregates (tests/bench/annual_aggregates.sql) on the same rows,
    loaded into DuckDB's own tables; SQLite running the same text on the database file, for
    reference; both checked to give the same answers;
  * the running server: `GET /api/v1/reports/realisation?year=` and the annual report PDF,
    median and p90 over repeated requests, and the server's peak memory (VmHWM) when a pid is
    given. The server keeps months of report facts in memory (server/src/report_cache.rs), so
    the realisation is timed three ways: the first request after the server started (every
    month read), repeated requests with nothing changed, and requests each right after a
    finished inspection of the running month changed (that month read again), the case of a
    working day. The change is made in the database file (SQLite) or through `psql` (--pg-url).

Needs `pip install duckdb`. Figures go to stdout as Markdown table rows.

    python3 tests/bench/office_scale.py --db DIR/schouw.db --year 2026 \
        [--url http://127.0.0.1:3920 --pid PID] [--runs 10] [--pg-url postgres://...]
"""

import argparse
import csv
import json
import os
import sqlite3
import statistics
import subprocess
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))

# The columns the aggregates read, with DuckDB types.
TABLES = {
    "sites": [("id", "VARCHAR"), ("agency_id", "VARCHAR"), ("authority_id", "VARCHAR"),
              ("sector", "VARCHAR")],
    "inspections": [("id", "VARCHAR"), ("site_id", "VARCHAR"), ("kind", "VARCHAR"),
                    ("inspected_on", "VARCHAR"), ("finished_at", "VARCHAR"),
                    ("hours_spent", "DOUBLE"), ("result", "VARCHAR")],
    "violations": [("id", "VARCHAR"), ("inspection_id", "VARCHAR"), ("cell", "VARCHAR"),
                   ("suggested_cell", "VARCHAR"), ("repeat_offence", "BIGINT"),
                   ("intervention", "VARCHAR"), ("boa_consultation", "BIGINT")],
    "enforcement_cases": [("id", "VARCHAR"), ("agency_id", "VARCHAR"),
                          ("authority_id", "VARCHAR"), ("violation_id", "VARCHAR")],
    "enforcement_steps": [("case_id", "VARCHAR"), ("seq", "BIGINT"), ("step", "VARCHAR"),
                          ("state", "VARCHAR"), ("on_date", "VARCHAR"),
                          ("amount_cents", "BIGINT")],
}


def statements(agency, year):
    text = open(os.path.join(HERE, "annual_aggregates.sql"), encoding="utf-8").read()
    text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("--"))
    text = (text.replace(":agency", f"'{agency}'")
                .replace(":from", f"'{year}-01-01'")
                .replace(":through", f"'{year}-12-31'"))
    return [s.strip() for s in text.split(";") if s.strip()]


def timed(run, runs):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return result, times


def summary(times):
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return statistics.median(times), p90


def normalise(rows):
    """Sorted rows with floats rounded, so both engines' answers compare equal."""
    return sorted((tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in rows),
                  key=repr)


def compare_engines(db_path, year, runs):
    import duckdb

    lite = sqlite3.connect(db_path)
    (agency,) = lite.execute("SELECT id FROM agencies").fetchone()
    sql = statements(agency, year)
    counts = {t: lite.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    duck = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:
        for table, columns in TABLES.items():
            path = os.path.join(tmp, f"{table}.csv")
            with open(path, "w", newline="", encoding="utf-8") as f:
                out = csv.writer(f)
                out.writerows(lite.execute(
                    f"SELECT {', '.join(c for c, _ in columns)} FROM {table}"))
            spec = ", ".join(f"'{c}': '{t}'" for c, t in columns)
            duck.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', "
                         f"header = false, columns = {{{spec}}}, nullstr = '')")
    duck_answer, duck_times = timed(lambda: [duck.execute(s).fetchall() for s in sql], runs)
    lite_answer, lite_times = timed(lambda: [lite.execute(s).fetchall() for s in sql], runs)
    for n, (a, b) in enumerate(zip(duck_answer, lite_answer), start=1):
        if normalise(a) != normalise(b):
            raise SystemExit(f"aggregate {n}: DuckDB and SQLite disagree:\n{a}\n{b}")
    return counts, summary(duck_times), summary(lite_times), duck_answer


def login(url, username):
    body = json.dumps({"username": username, "password": "schouw-demo"}).encode()
    req = urllib.request.Request(f"{url}/api/v1/auth/login", data=body,
                                 headers={"content-type": "application/json"})
    return json.load(urllib.request.urlopen(req))["token"]


def fetch(url, token):
    req = urllib.request.Request(url, headers={"authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req) as resp:
        return resp.read()


# Re-writes one finished inspection of the latest day: its report facts are rewritten by the
# triggers and the month's version goes up, as when an inspector's tablet sends a finished visit.
TOUCH = ("UPDATE inspections SET hours_spent = hours_spent WHERE id = (SELECT inspection_id "
         "FROM report_inspections WHERE inspected_on = (SELECT MAX(inspected_on) "
         "FROM report_inspections) ORDER BY inspection_id LIMIT 1)")


def touch(db_path, pg_url):
    if pg_url:
        subprocess.run(["psql", "-q", "-d", pg_url, "-c", TOUCH], check=True)
    else:
        lite = sqlite3.connect(db_path, timeout=30)
        lite.execute(TOUCH)
        lite.commit()
        lite.close()


def peak_kb(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--year", type=int, required=True)
    ap.add_argument("--url")
    ap.add_argument("--pid", type=int)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--pg-url", help="the server's PostgreSQL database, for the change runs")
    args = ap.parse_args()

    counts, duck, lite, answer = compare_engines(args.db, args.year, args.runs)
    print("rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    (first_inspections, compliant), = answer[2]
    print(f"{args.year}: {first_inspections:,} first inspections, {compliant:,} compliant")
    print(f"| DuckDB {__import__('duckdb').__version__}, 8 aggregates, in memory "
          f"| median {duck[0]:.1f} ms, p90 {duck[1]:.1f} ms |")
    print(f"| SQLite {sqlite3.sqlite_version} (Python), same SQL, same file "
          f"| median {lite[0]:.1f} ms, p90 {lite[1]:.1f} ms |")
    if not args.url:
        return
    if args.pid:
        print(f"server peak memory before the requests: {peak_kb(args.pid) / 1024:.1f} MB")
    token = login(args.url, "manager")
    realisation = f"{args.url}/api/v1/reports/realisation?year={args.year}"
    pdf = f"{args.url}/api/v1/reports/annual/{args.year}.pdf"
    start = time.perf_counter()
    fetch(realisation, token)
    print(f"| server: realisation, first request after start | "
          f"{(time.perf_counter() - start) * 1000:.1f} ms |")
    changed = []
    for _ in range(args.runs):
        touch(args.db, args.pg_url)
        start = time.perf_counter()
        fetch(realisation, token)
        changed.append((time.perf_counter() - start) * 1000)
    median, p90 = summary(changed)
    print(f"| server: realisation, each after a change in the running month | median "
          f"{median:.1f} ms, p90 {p90:.1f} ms | ratio to DuckDB {median / duck[0]:.2f}x |")
    for name, target in (("realisation", realisation), ("annual PDF", pdf)):
        fetch(target, token)  # warm-up
        body, times = timed(lambda: fetch(target, token), args.runs)
        median, p90 = summary(times)
        print(f"| server: {name} ({len(body) / 1024:.0f} KB) | median {median:.1f} ms, "
              f"p90 {p90:.1f} ms | ratio to DuckDB {median / duck[0]:.2f}x |")
        if args.pid:
            print(f"server peak memory after {name}: {peak_kb(args.pid) / 1024:.1f} MB")


if __name__ == "__main__":
    main()
