//! Realisation monitoring (issue 10): `GET /api/v1/reports/realisation` against a small fixture
//! whose answers are worked out by hand, and on the demo data against plain SQL written here.

use serde_json::{json, Value};
use tests::{on_both_databases, TestServer};

/// A past year the demo leaves empty, so the fixture is all there is.
const YEAR: i32 = 2015;

async fn get(server: &TestServer, token: &str, path: &str) -> (u16, Value) {
    tests::sim::get_json(&server.client, &server.base, token, path).await
}

async fn exec(server: &TestServer, sql: &str, binds: &[&str]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(&server.state.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

struct Fixture {
    own: String,
    other: String,
}

/// Two garages (one in the viewer's authority, one in another), two programme lines and five
/// inspections of 2015, three violations with their cases:
///
/// | inspection | authority | date | kind | hours | result | violations (cell/suggested, intervention) |
/// |---|---|---|---|---|---|---|
/// | i1 | own | 10-02 | planned | 4.0 | compliant | - |
/// | i2 | own | 05-03 | planned | 5.5 | violations | B2/B2 warn; C3/B3 penalty order, repeat, BOA cell |
/// | i3 | own | 20-06 | reinspection | 1.5 | compliant | - |
/// | i4 | other | 30-04 | planned | 3.0 | violations | A1/A1 inform |
/// | i5 | other | 01-05 | planned | - | not finished | - |
///
/// Both cases of i2 are found remedied on 20-06; i4's is not remedied on 01-06, a penalty of
/// EUR 1.500 is decided on 10-06, forfeited at the re-inspection of 01-07 and collected on 01-09.
async fn fixture(server: &TestServer) -> Fixture {
    let agency: String =
        sqlx::query_scalar("SELECT agency_id FROM users WHERE username = 'manager'")
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
    let viewer = server.login("gemeente1").await;
    let (_, me) = get(server, &viewer, "/api/v1/me").await;
    let own = me["authority_id"].as_str().unwrap().to_owned();
    let other: String = sqlx::query_scalar(
        "SELECT id FROM authorities WHERE agency_id = $1 AND id <> $2 ORDER BY name LIMIT 1",
    )
    .bind(&agency)
    .bind(&own)
    .fetch_one(&server.state.db.pool)
    .await
    .unwrap();
    let mut tx = server.state.db.pool.begin().await.unwrap();
    let s1 = tests::fixtures::insert_site(&mut tx, &agency, &own, "RPT-1", "Garage Een").await;
    let s2 = tests::fixtures::insert_site(&mut tx, &agency, &other, "RPT-2", "Garage Twee").await;
    tx.commit().await.unwrap();
    for (id, authority, count, hours) in [("l1", &own, "10", "40"), ("l2", &other, "4", "16")] {
        exec(server,
            "INSERT INTO programme_lines (id, agency_id, year, product, authority_id, task_group, planned_count, planned_hours, version, sector) \
             VALUES ($1, $2, 2015, 'Controle garagebedrijven', $3, 'basistaak', CAST($4 AS INTEGER), CAST($5 AS DOUBLE PRECISION), 1, 'garage')",
            &[&format!("{id}-{}", uuid::Uuid::new_v4()), &agency, authority, count, hours]).await;
    }
    let inspections = [
        ("i1", &s1, "2015-02-10", "planned", "4.0", "compliant", true),
        (
            "i2",
            &s1,
            "2015-03-05",
            "planned",
            "5.5",
            "violations",
            true,
        ),
        (
            "i3",
            &s1,
            "2015-06-20",
            "reinspection",
            "1.5",
            "compliant",
            true,
        ),
        (
            "i4",
            &s2,
            "2015-04-30",
            "planned",
            "3.0",
            "violations",
            true,
        ),
        ("i5", &s2, "2015-05-01", "planned", "0", "compliant", false),
    ];
    for (id, site, on, kind, hours, result, finished) in inspections {
        exec(server,
            "INSERT INTO inspections (id, site_id, kind, inspected_on, started_at, finished_at, hours_spent, result) \
             VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS DOUBLE PRECISION), $8)",
            &[&format!("{id}-{YEAR}"), site, kind, on, &format!("{on}T08:00:00Z"),
              if finished { "2015-12-31T00:00:00Z" } else { "" }, hours, result]).await;
        if !finished {
            exec(
                server,
                "UPDATE inspections SET finished_at = NULL WHERE id = $1",
                &[&format!("{id}-{YEAR}")],
            )
            .await;
        }
    }
    let violations = [
        ("v1", "i2", &s1, "B", "2", "B2", "B2", "0", "warn", "0"),
        (
            "v2",
            "i2",
            &s1,
            "C",
            "3",
            "C3",
            "B3",
            "1",
            "penalty_order",
            "1",
        ),
        ("v3", "i4", &s2, "A", "1", "A1", "A1", "0", "inform", "0"),
    ];
    for (
        id,
        inspection,
        site,
        behaviour,
        consequence,
        cell,
        suggested,
        repeat,
        intervention,
        boa,
    ) in violations
    {
        exec(server,
            "INSERT INTO violations (id, inspection_id, site_id, theme, description, rule_ref, consequence, behaviour, cell, \
             suggested_cell, matrix_version, repeat_offence, intervention, boa_consultation) \
             VALUES ($1, $2, $3, 'Bodem', 'Lekbak ontbreekt', 'Bal 4.1', CAST($4 AS INTEGER), $5, $6, $7, 'lhso-default-2022', \
             CAST($8 AS INTEGER), $9, CAST($10 AS INTEGER))",
            &[&format!("{id}-{YEAR}"), &format!("{inspection}-{YEAR}"), site, consequence, behaviour, cell, suggested, repeat, intervention, boa]).await;
    }
    let cases = [
        ("c1", "v1", &s1, &own, "B2"),
        ("c2", "v2", &s1, &own, "C3"),
        ("c3", "v3", &s2, &other, "A1"),
    ];
    for (id, violation, site, authority, cell) in cases {
        exec(server,
            "INSERT INTO enforcement_cases (id, agency_id, authority_id, site_id, violation_id, found_on, cell, intervention, \
             state, file, is_open, updated_at) VALUES ($1, $2, $3, $4, $5, '2015-03-05', $6, 'warn', 'closed', '{}', 0, '2015-12-31T00:00:00Z')",
            &[&format!("{id}-{YEAR}"), &agency, authority, site, &format!("{violation}-{YEAR}"), cell]).await;
    }
    // (case, seq, step, state after, date, amount in cents)
    let steps = [
        ("c1", "1", "opened", "open", "2015-03-05", ""),
        ("c1", "2", "remedied", "closed", "2015-06-20", ""),
        ("c2", "1", "opened", "open", "2015-03-05", ""),
        ("c2", "2", "remedied", "closed", "2015-06-20", ""),
        ("c3", "1", "opened", "open", "2015-04-30", ""),
        ("c3", "2", "not_remedied", "not_remedied", "2015-06-01", ""),
        (
            "c3",
            "3",
            "decision_taken",
            "decision",
            "2015-06-10",
            "150000",
        ),
        // The re-inspection after the grace period: not remedied, so the penalty is forfeited
        // (the step carries no amount; the decision's counts). The office then corrects the
        // amount once, which is not a second forfeiture.
        ("c3", "4", "not_remedied", "forfeited", "2015-07-01", ""),
        ("c3", "5", "forfeited", "forfeited", "2015-07-02", "150000"),
        ("c3", "6", "collected", "collected", "2015-09-01", "150000"),
    ];
    for (case, seq, step, state, on, amount) in steps {
        exec(server,
            "INSERT INTO enforcement_steps (case_id, seq, step, state, on_date, at, amount_cents) \
             VALUES ($1, CAST($2 AS INTEGER), $3, $4, $5, '2015-12-31T00:00:00Z', CAST(NULLIF($6, '') AS INTEGER))",
            &[&format!("{case}-{YEAR}"), seq, step, state, on, amount]).await;
    }
    Fixture { own, other }
}

fn volume(v: &Value) -> (i64, f64) {
    (v["count"].as_i64().unwrap(), v["hours"].as_f64().unwrap())
}

fn cell_count(cells: &Value, cell: &str) -> i64 {
    cells
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cell"] == cell)
        .unwrap()["count"]
        .as_i64()
        .unwrap()
}

/// `by_authority` adds up to the totals.
fn assert_adds_up(r: &Value) {
    let rows = r["by_authority"].as_array().unwrap();
    for key in ["planned", "realised"] {
        let count: i64 = rows.iter().map(|a| a[key]["count"].as_i64().unwrap()).sum();
        let hours: f64 = rows.iter().map(|a| a[key]["hours"].as_f64().unwrap()).sum();
        assert_eq!(count, r[key]["count"].as_i64().unwrap(), "{key} count");
        assert!(
            (hours - r[key]["hours"].as_f64().unwrap()).abs() < 0.05 * rows.len() as f64,
            "{key} hours"
        );
    }
}

on_both_databases! {
    async fn the_realisation_of_a_small_year_matches_the_hand_computed_figures(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let f = fixture(&server).await;
        let manager = server.login("manager").await;
        let (status, r) = get(&server, &manager, &format!("/api/v1/reports/realisation?year={YEAR}")).await;
        assert_eq!(status, 200, "{r}");
        // Planned 10 + 4 = 14 inspections, 40 + 16 = 56 hours; realised i1..i4 (i5 is not
        // finished): 4 inspections, 4 + 5.5 + 1.5 + 3 = 14 hours.
        assert_eq!(volume(&r["planned"]), (14, 56.0));
        assert_eq!(volume(&r["realised"]), (4, 14.0));
        assert_eq!(r["through"], "2015-12-31");
        assert_eq!(volume(&r["forecast"]), (4, 14.0), "a past year: the forecast is the result");
        assert_adds_up(&r);
        let row = |id: &str| r["by_authority"].as_array().unwrap().iter().find(|a| a["authority_id"] == id).unwrap().clone();
        assert_eq!((volume(&row(&f.own)["planned"]), volume(&row(&f.own)["realised"])), ((10, 40.0), (3, 11.0)));
        assert_eq!((volume(&row(&f.other)["planned"]), volume(&row(&f.other)["realised"])), ((4, 16.0), (1, 3.0)));
        // One product, realised by all four garage inspections.
        assert_eq!(r["by_product"].as_array().unwrap().len(), 1);
        assert_eq!(r["by_product"][0]["product"], "Controle garagebedrijven");
        assert_eq!(volume(&r["by_product"][0]["realised"]), (4, 14.0));
        assert_eq!(r["by_task_group"][0]["task_group"], "basistaak");
        // First inspections i1, i2, i4; compliant i1 (33.3 %); after re-inspection also i2,
        // whose two violations were remedied (66.7 %); i4's was not.
        assert_eq!(r["compliance"], json!({"first_inspections": 3, "compliant_at_first": 1,
            "compliant_after_reinspection": 2, "rate_first": 33.3, "rate_after_reinspection": 66.7}));
        // Three violations; heaviest per inspection: C3 for i2 (B2 is lighter), A1 for i4.
        let l = &r["lhso"];
        assert_eq!((l["violations"].as_i64(), l["inspections_with_violations"].as_i64()), (Some(3), Some(2)));
        assert_eq!((cell_count(&l["all_violations"], "B2"), cell_count(&l["all_violations"], "C3")), (1, 1));
        assert_eq!((cell_count(&l["heaviest_per_inspection"], "B2"), cell_count(&l["heaviest_per_inspection"], "C3"),
            cell_count(&l["heaviest_per_inspection"], "A1")), (0, 1, 1));
        // One repeat, one deviation (C3 against B3), one BOA cell: each a third.
        assert_eq!((l["repeat_offence_rate"].as_f64(), l["deviation_rate"].as_f64(), l["boa_share"].as_f64()),
            (Some(33.3), Some(33.3), Some(33.3)));
        assert_eq!(r["interventions"], json!([{"intervention": "inform", "count": 1}, {"intervention": "warn", "count": 1},
            {"intervention": "penalty_order", "count": 1}]));
        assert_eq!(r["penalties"], json!({"forfeited_count": 1, "forfeited_cents": 150000, "collected_count": 1, "collected_cents": 150000}));
        // Cumulative progress: 0 in January, 1 in February, 2 in March, 3 in April, 4 from June.
        let realised: Vec<i64> = r["progress"].as_array().unwrap().iter().map(|p| p["realised"].as_i64().unwrap()).collect();
        assert_eq!(realised, vec![0, 1, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4]);

        // The 4-month view: i1, i2, i4 (30-04 included), 12.5 hours; the re-inspection verdicts
        // (June) are not known yet, so compliance after re-inspection is compliance at first.
        let (_, four) = get(&server, &manager, &format!("/api/v1/reports/realisation?year={YEAR}&months=4")).await;
        assert_eq!(four["through"], "2015-04-30");
        assert_eq!(volume(&four["realised"]), (3, 12.5));
        assert_eq!(four["compliance"]["compliant_after_reinspection"], 1);
        assert_eq!(four["penalties"]["forfeited_count"], 0);
        // 3 in 120 days, extrapolated to 365: 9.1 -> 9.
        assert_eq!(four["forecast"]["count"], 9);
        assert_adds_up(&four);
    }

    async fn the_report_facts_follow_every_change_of_their_sources(backend: Backend) {
        // The realisation reads narrow fact tables kept by database triggers (migration 0020);
        // change each source table the way a write path would and the figures follow.
        let server = TestServer::with_demo(backend).await;
        let f = fixture(&server).await;
        let manager = server.login("manager").await;
        let viewer = server.login("gemeente1").await;
        let path = format!("/api/v1/reports/realisation?year={YEAR}");
        let realised = |r: &Value, authority: &str| {
            volume(&r["by_authority"].as_array().unwrap().iter().find(|a| a["authority_id"] == authority).unwrap()["realised"])
        };
        let s1: String = sqlx::query_scalar("SELECT id FROM sites WHERE external_key = 'RPT-1'")
            .fetch_one(&server.state.db.pool).await.unwrap();
        // The server now holds the year's fact months in memory (report_cache); every change
        // below raises its month's version (migration 0022), so no figure comes from a stale month.
        let demo_months: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM report_versions WHERE version > 0")
            .fetch_one(&server.state.db.pool).await.unwrap();
        assert!(demo_months >= 12, "the demo load raised the version of every month it filled: {demo_months}");
        let (_, before) = get(&server, &manager, &path).await;
        assert_eq!(realised(&before, &f.own).0, 3);
        assert_eq!(server.state.db.facts.months_held(), 12);

        // A site moved to another authority takes its three inspections and two violations along.
        exec(&server, "UPDATE sites SET authority_id = $1, name = 'Garage Een Verhuisd' WHERE id = $2", &[&f.other, &s1]).await;
        let (_, r) = get(&server, &manager, &path).await;
        assert_eq!((realised(&r, &f.own), realised(&r, &f.other)), ((0, 0.0), (4, 14.0)));
        assert_adds_up(&r);
        let (_, mine) = get(&server, &viewer, &path).await;
        assert_eq!((volume(&mine["realised"]), mine["lhso"]["violations"].as_i64()), ((0, 0.0), Some(0)));
        let (_, drill) = get(&server, &manager, &format!("/api/v1/reports/inspections?year={YEAR}")).await;
        assert!(drill.to_string().contains("Garage Een Verhuisd"), "the drill-down shows the new name: {drill}");

        // An inspection's hours corrected; another no longer finished.
        exec(&server, "UPDATE inspections SET hours_spent = 6.5 WHERE site_id = $1 AND inspected_on = '2015-03-05'", &[&s1]).await;
        exec(&server, "UPDATE inspections SET finished_at = NULL WHERE site_id = $1 AND inspected_on = '2015-02-10'", &[&s1]).await;
        let (_, r) = get(&server, &manager, &path).await;
        // i2 (6.5), i3 (1.5) and i4 (3.0) remain.
        assert_eq!(volume(&r["realised"]), (3, 11.0));

        // A violation re-scored: C3 becomes D4.
        exec(&server, "UPDATE violations SET cell = 'D4', suggested_cell = 'D4' WHERE cell = 'C3' AND site_id = $1", &[&s1]).await;
        let (_, r) = get(&server, &manager, &path).await;
        assert_eq!((cell_count(&r["lhso"]["all_violations"], "C3"), cell_count(&r["lhso"]["all_violations"], "D4")), (0, 1));
        assert_eq!(r["lhso"]["deviations"], 0);

        // Each figure still agrees with plain SQL on the source tables.
        let (count, hours): (i64, f64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(SUM(i.hours_spent) AS DOUBLE PRECISION) FROM inspections i JOIN sites s ON s.id = i.site_id \
             WHERE i.inspected_on >= '2015-01-01' AND i.inspected_on <= '2015-12-31' AND i.finished_at IS NOT NULL")
            .fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(volume(&r["realised"]), (count, hours));
    }

    async fn an_authority_viewer_sees_its_own_figures_and_is_refused_another_authority(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let f = fixture(&server).await;
        let manager = server.login("manager").await;
        let viewer = server.login("gemeente1").await;
        let (_, all) = get(&server, &manager, &format!("/api/v1/reports/realisation?year={YEAR}")).await;
        let (status, mine) = get(&server, &viewer, &format!("/api/v1/reports/realisation?year={YEAR}")).await;
        assert_eq!(status, 200, "{mine}");
        assert_eq!(mine["authority_id"], f.own.as_str());
        let rows = mine["by_authority"].as_array().unwrap();
        assert_eq!(rows.len(), 1);
        let managers_row = all["by_authority"].as_array().unwrap().iter().find(|a| a["authority_id"] == f.own.as_str()).unwrap();
        assert_eq!(&rows[0], managers_row, "the viewer sees what management sees of its authority");
        assert_eq!(mine["planned"], managers_row["planned"]);
        assert_eq!(mine["realised"], managers_row["realised"]);
        // Only its own violations: i2's two.
        assert_eq!(mine["lhso"]["violations"], 2);
        assert_eq!(mine["penalties"]["forfeited_count"], 0);
        let (_, asked) = get(&server, &viewer, &format!("/api/v1/reports/realisation?year={YEAR}&authority_id={}", f.own)).await;
        assert_eq!(asked, mine);
        let (status, refused) = get(&server, &viewer, &format!("/api/v1/reports/realisation?year={YEAR}&authority_id={}", f.other)).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (403, Some("auth.forbidden")), "{refused}");
        let (status, _) = get(&server, &manager, &format!("/api/v1/reports/realisation?year={YEAR}&authority_id={}", uuid::Uuid::new_v4())).await;
        assert_eq!(status, 404);
        let inspector = server.login("inspecteur1").await;
        assert_eq!(get(&server, &inspector, &format!("/api/v1/reports/realisation?year={YEAR}")).await.0, 403);
    }

    async fn a_year_without_data_gives_a_valid_empty_report(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let manager = server.login("manager").await;
        let (status, r) = get(&server, &manager, "/api/v1/reports/realisation?year=2001").await;
        assert_eq!(status, 200, "{r}");
        assert_eq!((volume(&r["planned"]), volume(&r["realised"])), ((0, 0.0), (0, 0.0)));
        assert_eq!(r["compliance"]["rate_first"], Value::Null);
        assert_eq!(r["lhso"]["all_violations"].as_array().unwrap().len(), 16);
        assert_eq!(r["by_authority"].as_array().unwrap().len(), 9, "every authority, with zeros");
        assert_adds_up(&r);
    }

    async fn the_demo_year_matches_an_independent_computation_in_sql(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let manager = server.login("manager").await;
        let year = tests::demo_date().format("%Y").to_string();
        let (status, r) = get(&server, &manager, &format!("/api/v1/reports/realisation?year={year}")).await;
        assert_eq!(status, 200, "{r}");
        assert_adds_up(&r);
        let through = r["through"].as_str().unwrap().to_owned();
        let from = format!("{year}-01-01");
        let pool = &server.state.db.pool;
        let scope = "FROM inspections i JOIN sites s ON s.id = i.site_id \
                     WHERE i.inspected_on >= $1 AND i.inspected_on <= $2 AND i.finished_at IS NOT NULL";

        let (planned_count, planned_hours): (i64, f64) = sqlx::query_as(
            "SELECT CAST(SUM(planned_count) AS BIGINT), CAST(SUM(planned_hours) AS DOUBLE PRECISION) FROM programme_lines WHERE year = CAST($1 AS INTEGER)")
            .bind(&year).fetch_one(pool).await.unwrap();
        assert_eq!(r["planned"]["count"].as_i64().unwrap(), planned_count);
        assert!((r["planned"]["hours"].as_f64().unwrap() - planned_hours).abs() < 0.051);

        let per_authority: Vec<(String, i64, f64)> = sqlx::query_as(&format!(
            "SELECT s.authority_id, COUNT(*), CAST(SUM(i.hours_spent) AS DOUBLE PRECISION) {scope} GROUP BY s.authority_id"))
            .bind(&from).bind(&through).fetch_all(pool).await.unwrap();
        assert!(per_authority.iter().map(|a| a.1).sum::<i64>() > 100, "the demo year has inspections");
        for (authority, count, hours) in &per_authority {
            let row = r["by_authority"].as_array().unwrap().iter().find(|a| a["authority_id"] == authority.as_str()).unwrap();
            assert_eq!(row["realised"]["count"].as_i64().unwrap(), *count, "{authority}");
            assert!((row["realised"]["hours"].as_f64().unwrap() - hours).abs() < 0.051, "{authority}");
        }

        let (first, compliant): (i64, i64) = sqlx::query_as(&format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN i.result = 'compliant' THEN 1 ELSE 0 END), 0) AS BIGINT) {scope} AND i.kind <> 'reinspection'"))
            .bind(&from).bind(&through).fetch_one(pool).await.unwrap();
        assert_eq!(r["compliance"]["first_inspections"].as_i64().unwrap(), first);
        assert_eq!(r["compliance"]["compliant_at_first"].as_i64().unwrap(), compliant);

        // The demo's focus points: compliance at first inspection of fuel stations and garages,
        // and the realisation of the livestock lines, read here in plain SQL.
        let focus = |title: &str| r["by_focus_point"].as_array().unwrap().iter().find(|f| f["title"] == title).unwrap().clone();
        let (first, compliant): (i64, i64) = sqlx::query_as(&format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN i.result = 'compliant' THEN 1 ELSE 0 END), 0) AS BIGINT) {scope} \
             AND i.kind <> 'reinspection' AND s.sector IN ('fuel_station', 'garage')"))
            .bind(&from).bind(&through).fetch_one(pool).await.unwrap();
        let fuel = focus("Bodem en brandstof");
        assert!(first > 0);
        assert!((fuel["value_percent"].as_f64().unwrap() - 100.0 * compliant as f64 / first as f64).abs() < 0.051, "{fuel}");
        assert_eq!(fuel["met"].as_bool(), Some(fuel["value_percent"].as_f64().unwrap() >= 75.0));
        let (livestock,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) {scope} AND s.sector = 'livestock'"))
            .bind(&from).bind(&through).fetch_one(pool).await.unwrap();
        let (planned_livestock,): (i64,) = sqlx::query_as(
            "SELECT CAST(SUM(planned_count) AS BIGINT) FROM programme_lines WHERE year = CAST($1 AS INTEGER) AND sector = 'livestock'")
            .bind(&year).fetch_one(pool).await.unwrap();
        let cattle = focus("Veehouderijen op schema");
        assert_eq!((cattle["realised"]["count"].as_i64(), cattle["planned"]["count"].as_i64()), (Some(livestock), Some(planned_livestock)));
        assert!((cattle["value_percent"].as_f64().unwrap() - 100.0 * livestock as f64 / planned_livestock as f64).abs() < 0.051, "{cattle}");

        let cells: Vec<(String, i64)> = sqlx::query_as(&format!(
            "SELECT v.cell, COUNT(*) FROM violations v WHERE v.inspection_id IN (SELECT i.id {scope}) GROUP BY v.cell"))
            .bind(&from).bind(&through).fetch_all(pool).await.unwrap();
        assert!(!cells.is_empty());
        for (cell, count) in &cells {
            assert_eq!(cell_count(&r["lhso"]["all_violations"], cell), *count, "{cell}");
        }
        let (violations, boa, repeats): (i64, i64, i64) = sqlx::query_as(&format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM(v.boa_consultation), 0) AS BIGINT), CAST(COALESCE(SUM(v.repeat_offence), 0) AS BIGINT) \
             FROM violations v WHERE v.inspection_id IN (SELECT i.id {scope})"))
            .bind(&from).bind(&through).fetch_one(pool).await.unwrap();
        assert_eq!(r["lhso"]["violations"].as_i64().unwrap(), violations);
        assert_eq!(r["lhso"]["boa_cells"].as_i64().unwrap(), boa);
        assert_eq!(r["lhso"]["repeat_offences"].as_i64().unwrap(), repeats);
        let heaviest: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(DISTINCT v.inspection_id) FROM violations v WHERE v.inspection_id IN (SELECT i.id {scope})"))
            .bind(&from).bind(&through).fetch_one(pool).await.unwrap();
        let counted: i64 = r["lhso"]["heaviest_per_inspection"].as_array().unwrap().iter().map(|c| c["count"].as_i64().unwrap()).sum();
        assert_eq!(counted, heaviest, "one heaviest violation per inspection with violations");

        let interventions: Vec<(String, i64)> = sqlx::query_as(&format!(
            "SELECT v.intervention, COUNT(*) FROM violations v WHERE v.inspection_id IN (SELECT i.id {scope}) GROUP BY v.intervention"))
            .bind(&from).bind(&through).fetch_all(pool).await.unwrap();
        assert_eq!(r["interventions"].as_array().unwrap().len(), interventions.len());
        for (intervention, count) in &interventions {
            let row = r["interventions"].as_array().unwrap().iter().find(|i| i["intervention"] == intervention.as_str()).unwrap();
            assert_eq!(row["count"].as_i64().unwrap(), *count, "{intervention}");
        }

        // Forfeited: the first step of a case that left it in the `forfeited` state.
        let forfeited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM enforcement_steps st WHERE st.state = 'forfeited' AND st.on_date >= $1 AND st.on_date <= $2 \
             AND st.seq = (SELECT MIN(p.seq) FROM enforcement_steps p WHERE p.case_id = st.case_id AND p.state = 'forfeited')")
            .bind(&from).bind(&through).fetch_one(pool).await.unwrap();
        assert!(forfeited > 0, "the demo year has forfeited penalties");
        assert_eq!(r["penalties"]["forfeited_count"].as_i64().unwrap(), forfeited);
        assert!(r["penalties"]["forfeited_cents"].as_i64().unwrap() > 0);
        let (collected, collected_cents): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM enforcement_steps WHERE step = 'collected' AND on_date >= $1 AND on_date <= $2")
            .bind(&from).bind(&through).fetch_one(pool).await.unwrap();
        assert_eq!(r["penalties"]["collected_count"].as_i64().unwrap(), collected);
        assert_eq!(r["penalties"]["collected_cents"].as_i64().unwrap(), collected_cents);
    }
}

async fn get_text(server: &TestServer, token: &str, path: &str) -> (u16, String, String, Vec<u8>) {
    let r = server
        .client
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = r.bytes().await.unwrap().to_vec();
    (
        status,
        kind,
        String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    )
}

on_both_databases! {
    async fn the_annual_report_says_the_figures_in_html_and_csv(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let f = fixture(&server).await;
        let manager = server.login("manager").await;
        let (status, kind, html, _) = get_text(&server, &manager, &format!("/api/v1/reports/annual/{YEAR}.html")).await;
        assert_eq!(status, 200, "{html}");
        assert!(kind.starts_with("text/html"), "{kind}");
        assert!(html.starts_with("<!doctype html><html lang=\"nl\">"));
        assert!(html.contains("<h1>Jaarverslag toezicht 2015</h1>"));
        // The hand-computed figures of the fixture, in sentences.
        assert!(html.contains("In 2015 voerden we 4 van de 14 geplande controles uit (28,6 %), met 14 van de 56 geplande uren."), "{html}");
        assert!(html.contains("Bij 1 van de 3 eerste controles werd geen overtreding gevonden (33,3 %); na hercontrole was 66,7 % in orde."));
        assert!(html.contains("1 dwangsom raakte verbeurd (€ 1.500,00); € 1.500,00 werd ingevorderd."));
        assert_eq!(html.matches("<svg").count(), 2, "two charts");
        assert!(html.contains("<a href=\"#definities\">Definities</a>"));

        let (status, kind, csv, bytes) = get_text(&server, &manager, &format!("/api/v1/reports/annual/{YEAR}.csv")).await;
        assert_eq!(status, 200);
        assert!(kind.starts_with("text/csv"), "{kind}");
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 with a byte-order mark");
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "Tabel;Onderdeel;Kengetal;Waarde;Eenheid");
        assert!(lines.iter().all(|l| l.is_empty() || l.split(';').count() == 5), "five fields on every line");
        assert!(lines.contains(&"Realisatie;Omgevingsdienst Achterhoek;Uitgevoerd aantal;4;controles"), "{csv}");
        assert!(lines.contains(&"Realisatie;Omgevingsdienst Achterhoek;Uitgevoerd uren;14,0;uur"));
        assert!(lines.contains(&"Naleving;Omgevingsdienst Achterhoek;Naleving na hercontrole;66,7;%"));
        assert!(lines.contains(&"Dwangsommen;Verbeurd;Bedrag;1500,00;euro"));
        assert!(lines.contains(&"LHSO alle overtredingen;C3;Aantal;1;overtredingen"));

        // An authority viewer: its own authority, whatever it asks; another is refused.
        let viewer = server.login("gemeente1").await;
        let (status, _, mine, _) = get_text(&server, &viewer, &format!("/api/v1/reports/annual/{YEAR}.html")).await;
        assert_eq!(status, 200);
        assert!(mine.contains("In 2015 voerden we 3 van de 10 geplande controles uit (30,0 %)"), "{mine}");
        let (status, _, _, _) = get_text(&server, &viewer, &format!("/api/v1/reports/annual/{YEAR}.csv?authority_id={}", f.other)).await;
        assert_eq!(status, 403);
        // Unknown forms and years are 404.
        for name in ["2015.doc", "2015.pdf.zip", "2015", "1999.html", "twee.csv"] {
            let (status, _, _, _) = get_text(&server, &manager, &format!("/api/v1/reports/annual/{name}")).await;
            assert_eq!(status, 404, "{name}");
        }
    }

    async fn an_annual_report_of_a_year_without_data_is_valid_and_mostly_empty(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let manager = server.login("manager").await;
        let (status, _, html, _) = get_text(&server, &manager, "/api/v1/reports/annual/2001.html").await;
        assert_eq!(status, 200);
        assert!(html.contains("In 2001 voerden we 0 van de 0 geplande controles uit (-), met 0 van de 0 geplande uren."), "{html}");
        assert!(html.ends_with("</html>"));
        let (status, _, csv, _) = get_text(&server, &manager, "/api/v1/reports/annual/2001.csv").await;
        assert_eq!(status, 200);
        assert!(csv.contains("Realisatie;Omgevingsdienst Achterhoek;Gepland aantal;0;controles"), "{csv}");
    }
}

/// The XML of one part of an XLSX workbook.
fn xlsx_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut part = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the workbook"));
    let mut text = String::new();
    std::io::Read::read_to_string(&mut part, &mut text).unwrap();
    text
}

on_both_databases! {
    async fn the_annual_report_workbook_has_a_sheet_per_table_with_typed_cells(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        fixture(&server).await;
        let manager = server.login("manager").await;
        let (status, kind, _, bytes) = get_text(&server, &manager, &format!("/api/v1/reports/annual/{YEAR}.xlsx")).await;
        assert_eq!(status, 200);
        assert_eq!(kind, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        let workbook = xlsx_part(&bytes, "xl/workbook.xml");
        for name in ["Samenvatting", "Realisatie", "Per bevoegd gezag", "Per product", "Per taakveld", "Speerpunten", "Voortgang",
            "Naleving", "LHSO", "Interventies", "Dwangsommen", "Definities"] {
            assert!(workbook.contains(&format!("name=\"{name}\"")), "sheet {name}: {workbook}");
        }
        // Sheet 2 (Realisatie): row 2 holds the region's planned 14, realised 4, 4/14 as a
        // fraction and the hours 56 and 14, as numbers (no `t="s"` string cells).
        let sheet = xlsx_part(&bytes, "xl/worksheets/sheet2.xml");
        for (cell, value) in [("B2", "14"), ("C2", "4"), ("E2", "56"), ("F2", "14")] {
            assert!(sheet.contains(&format!("<c r=\"{cell}\" s=\"")) && sheet.contains(&format!("<v>{value}</v>")), "{cell}: {sheet}");
        }
        assert!(sheet.contains("<v>0.2857"), "the realisation share as a fraction: {sheet}");
        // Sheet 11 (Dwangsommen): EUR 1.500 forfeited and collected.
        let penalties = xlsx_part(&bytes, "xl/worksheets/sheet11.xml");
        assert_eq!(penalties.matches("<v>1500</v>").count(), 2, "{penalties}");
        // The summary's sentences are there, in the shared strings.
        let strings = xlsx_part(&bytes, "xl/sharedStrings.xml");
        assert!(strings.contains("In 2015 voerden we 4 van de 14 geplande controles uit (28,6 %)"), "{strings}");
    }
}

on_both_databases! {
    async fn the_annual_report_pdf_is_a_paginated_document(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        fixture(&server).await;
        let manager = server.login("manager").await;
        for year in [YEAR, 2001] {
            let r = server.client.get(server.url(&format!("/api/v1/reports/annual/{year}.pdf"))).bearer_auth(&manager).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 200);
            assert_eq!(r.headers()["content-type"], "application/pdf");
            assert_eq!(r.headers()["content-disposition"], format!("attachment; filename=\"jaarverslag-{year}.pdf\"").as_str());
            let bytes = r.bytes().await.unwrap();
            assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
            let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(64)..]).into_owned();
            assert!(tail.trim_end().ends_with("%%EOF"), "a complete PDF: {tail}");
            // Title page, contents and one page per section at least, as poppler reads it
            // (`cargo xtask test` installs poppler-utils).
            let file = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(file.path(), &bytes).unwrap();
            let info = std::process::Command::new("pdfinfo").arg(file.path()).output()
                .expect("pdfinfo (Debian's poppler-utils) reads the PDF");
            let info = String::from_utf8_lossy(&info.stdout).into_owned();
            let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).map(|n| n.trim().parse().unwrap()).unwrap_or(0);
            assert!(info.contains(&format!("Title:           Jaarverslag toezicht {year}")), "{info}");
            assert!(info.contains("Page size:       595 x 842 pts (A4)"), "{info}");
            assert!(pages >= 8, "{year}: {pages} pages");
        }
    }
}

on_both_databases! {
    async fn a_figure_drills_down_to_the_inspections_behind_it(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let f = fixture(&server).await;
        let manager = server.login("manager").await;
        let drill = |query: String| {
            let manager = manager.clone();
            let server = &server;
            async move { get(server, &manager, &format!("/api/v1/reports/inspections?year={YEAR}{query}")).await }
        };
        // The viewer's authority realised i1, i2, i3 (newest first); the other i4.
        let (status, own) = drill(format!("&authority_id={}", f.own)).await;
        assert_eq!(status, 200, "{own}");
        let ids: Vec<&str> = own["inspections"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["i3-2015", "i2-2015", "i1-2015"]);
        assert_eq!(own["total"], 3);
        assert_eq!(own["inspections"][1]["site_name"], "Garage Een");
        assert_eq!(own["inspections"][1]["cells"], json!(["C3", "B2"]), "heaviest first");
        // The product row opens all four garage inspections, as its realised count says.
        let (_, product) = drill("&product=Controle%20garagebedrijven".into()).await;
        assert_eq!(product["total"], 4);
        // B2 is found at i2 but is not its heaviest.
        assert_eq!(drill("&cell=B2".into()).await.1["total"], 1);
        assert_eq!(drill("&cell=B2&heaviest=true".into()).await.1["total"], 0);
        assert_eq!(drill("&cell=C3&heaviest=true".into()).await.1["inspections"][0]["id"], "i2-2015");
        // Key figures open the inspections they count: first inspections i1, i2, i4 (i1 without a
        // violation), the re-inspection i3; i2 has the repeat offence, the deviation (C3 for B3),
        // the BOA cell and the penalty order; i4 was informed.
        let listed = |answer: Value| -> Vec<String> {
            let mut ids: Vec<String> = answer["inspections"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect();
            ids.sort();
            ids
        };
        for (query, expected) in [
            ("&figure=first_inspections", vec!["i1-2015", "i2-2015", "i4-2015"]),
            ("&figure=compliant_first", vec!["i1-2015"]),
            ("&figure=reinspections", vec!["i3-2015"]),
            ("&figure=with_violations", vec!["i2-2015", "i4-2015"]),
            ("&figure=repeat_offence", vec!["i2-2015"]),
            ("&figure=deviation", vec!["i2-2015"]),
            ("&figure=boa", vec!["i2-2015"]),
            ("&intervention=penalty_order", vec!["i2-2015"]),
            ("&intervention=inform", vec!["i4-2015"]),
        ] {
            assert_eq!(listed(drill(query.into()).await.1), expected, "{query}");
        }
        // The counts are those of the figures themselves.
        let (_, figures) = get(&server, &manager, &format!("/api/v1/reports/realisation?year={YEAR}")).await;
        assert_eq!(drill("&figure=first_inspections".into()).await.1["total"], figures["compliance"]["first_inspections"]);
        assert_eq!(drill("&figure=compliant_first".into()).await.1["total"], figures["compliance"]["compliant_at_first"]);
        // Bad filters are 400; the viewer sees only its own authority.
        for bad in ["&cell=E5", "&task_group=hobby", "&heaviest=misschien", "&colour=red", "&figure=all", "&intervention=scold"] {
            assert_eq!(drill(bad.into()).await.0, 400, "{bad}");
        }
        let viewer = server.login("gemeente1").await;
        let (_, mine) = get(&server, &viewer, &format!("/api/v1/reports/inspections?year={YEAR}")).await;
        assert_eq!(mine["total"], 3);
        let (status, _) = get(&server, &viewer, &format!("/api/v1/reports/inspections?year={YEAR}&authority_id={}", f.other)).await;
        assert_eq!(status, 403);
    }
}

on_both_databases! {
    async fn the_penalty_figures_drill_down_to_their_cases(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let f = fixture(&server).await;
        let manager = server.login("manager").await;
        let penalties = |query: String| {
            let manager = manager.clone();
            let server = &server;
            async move { get(server, &manager, &format!("/api/v1/reports/penalties?year={YEAR}{query}")).await }
        };
        // i4's case (the other authority): forfeited at the re-inspection of 01-07 (the step of
        // 02-07 records the amount of a case already forfeited, not a second forfeiture) and
        // collected on 01-09, each EUR 1.500 (the forfeiture has no amount of its own: the
        // decision's). Newest first.
        let (status, all) = penalties(String::new()).await;
        assert_eq!(status, 200, "{all}");
        assert_eq!(all["total"], 2);
        let steps: Vec<(&str, &str, i64)> = all["penalties"].as_array().unwrap().iter()
            .map(|p| (p["kind"].as_str().unwrap(), p["on"].as_str().unwrap(), p["cents"].as_i64().unwrap()))
            .collect();
        assert_eq!(steps, [("collected", "2015-09-01", 150000), ("forfeited", "2015-07-01", 150000)]);
        let first = &all["penalties"][0];
        assert_eq!(first["site_name"], "Garage Twee");
        assert_eq!(first["authority_id"], f.other.as_str());
        assert_eq!(first["cell"], "A1");
        assert_eq!(first["found_on"], "2015-03-05", "the fixture records every case as found on 05-03");
        assert_eq!(first["case_id"], all["penalties"][1]["case_id"]);
        // The lists are those the figures count.
        let (_, figures) = get(&server, &manager, &format!("/api/v1/reports/realisation?year={YEAR}")).await;
        assert_eq!(penalties("&kind=forfeited".into()).await.1["total"], figures["penalties"]["forfeited_count"]);
        assert_eq!(penalties("&kind=collected".into()).await.1["total"], figures["penalties"]["collected_count"]);
        // The four-month view ends before either step; the viewer's own authority has none.
        assert_eq!(penalties("&months=4".into()).await.1["total"], 0);
        assert_eq!(penalties(format!("&authority_id={}", f.own)).await.1["total"], 0);
        assert_eq!(penalties(format!("&authority_id={}", f.other)).await.1["total"], 2);
        for bad in ["&kind=paid", "&months=5", "&colour=red"] {
            let (status, body) = penalties(bad.into()).await;
            assert_eq!(status, 400, "{bad}");
            assert_eq!(body["error"]["code"], "request.invalid");
        }
        let viewer = server.login("gemeente1").await;
        let (_, mine) = get(&server, &viewer, &format!("/api/v1/reports/penalties?year={YEAR}")).await;
        assert_eq!(mine["total"], 0);
        let (status, _) = get(&server, &viewer, &format!("/api/v1/reports/penalties?year={YEAR}&authority_id={}", f.other)).await;
        assert_eq!(status, 403);
        let inspector = server.login("inspecteur1").await;
        let (status, _) = get(&server, &inspector, &format!("/api/v1/reports/penalties?year={YEAR}")).await;
        assert_eq!(status, 403);

        // The server holds the months in memory; a new penalty step, a renamed site and a
        // re-scored case each reach the next answer (their month's version moved, migration 0022).
        exec(&server,
            "INSERT INTO enforcement_steps (case_id, seq, step, state, on_date, at, amount_cents) \
             VALUES ($1, 7, 'collected', 'collected', '2015-09-15', '2015-12-31T00:00:00Z', 2500)",
            &[&format!("c3-{YEAR}")]).await;
        exec(&server, "UPDATE sites SET name = 'Garage Twee Nieuw' WHERE external_key = 'RPT-2'", &[]).await;
        exec(&server, "UPDATE enforcement_cases SET cell = 'B1' WHERE id = $1", &[&format!("c3-{YEAR}")]).await;
        let (_, after) = penalties(String::new()).await;
        assert_eq!(after["total"], 3, "{after}");
        assert_eq!(after["penalties"][0]["on"], "2015-09-15");
        assert_eq!(after["penalties"][0]["cents"], 2500);
        assert!(after["penalties"].as_array().unwrap().iter().all(|p| p["site_name"] == "Garage Twee Nieuw" && p["cell"] == "B1"), "{after}");
        let (_, figures) = get(&server, &manager, &format!("/api/v1/reports/realisation?year={YEAR}")).await;
        assert_eq!(figures["penalties"]["collected_count"], 2);
        assert_eq!(figures["penalties"]["collected_cents"], 152500);
    }
}

async fn put_capacity(server: &TestServer, token: &str, year: &str, body: Value) -> (u16, Value) {
    let r = server
        .client
        .put(server.url(&format!("/api/v1/programme/capacity/{year}")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn capacity_versions(server: &TestServer) -> Vec<(i64, f64, i64)> {
    sqlx::query_as("SELECT year, fte, version FROM capacity_years ORDER BY year")
        .fetch_all(&server.state.db.pool)
        .await
        .unwrap()
}

on_both_databases! {
    async fn capacity_sets_the_risk_models_demand_against_the_programme_and_the_entered_fte(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let year = tests::demo_date().format("%Y").to_string();
        let manager = server.login("manager").await;
        let (status, c) = get(&server, &manager, &format!("/api/v1/reports/capacity?year={year}")).await;
        assert_eq!(status, 200, "{c}");
        assert_eq!(c["capacity_version"], 0);
        assert_eq!(c["available"], Value::Null);
        let sites: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sites").fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(c["sites"].as_i64(), Some(sites));
        let required = c["required_visits"].as_f64().unwrap();
        assert!(required > 1.0 && c["required_hours"].as_f64().unwrap() > required, "{c}");
        // The planned figures are the programme's, read here in plain SQL.
        let (count, hours): (i64, f64) = sqlx::query_as(&format!(
            "SELECT CAST(SUM(planned_count) AS BIGINT), SUM(planned_hours) FROM programme_lines WHERE year = {year} AND sector IS NOT NULL"))
            .fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(c["planned_count"].as_i64(), Some(count));
        assert!((c["planned_inspection_hours"].as_f64().unwrap() - hours).abs() < 1e-6);
        // The authorities' rows add up to the totals.
        let rows = c["by_authority"].as_array().unwrap();
        let sum = |key: &str| rows.iter().map(|r| r[key].as_f64().unwrap()).sum::<f64>();
        assert!((sum("required_hours") - c["required_hours"].as_f64().unwrap()).abs() < 1e-6);
        assert_eq!(sum("planned_count") as i64, count);
        assert!(c["summary"][0].as_str().unwrap().starts_with(&format!("Het risicomodel vraagt in {year} ")), "{c}");

        // The manager enters the year's capacity; a second entry from the same base is a conflict.
        let (status, entered) = put_capacity(&server, &manager, &year, json!({"base_version": 0, "fte": 24.5, "productive_hours_per_fte": 1200})).await;
        assert_eq!((status, entered["version"].as_i64()), (200, Some(1)), "{entered}");
        let (status, stale) = put_capacity(&server, &manager, &year, json!({"base_version": 0, "fte": 30, "productive_hours_per_fte": 1200})).await;
        assert_eq!((status, stale["error"]["code"].as_str()), (409, Some("record.version_conflict")));
        let (_, c) = get(&server, &manager, &format!("/api/v1/reports/capacity?year={year}")).await;
        assert_eq!((c["capacity_version"].as_i64(), c["available_hours"].as_f64()), (Some(1), Some(29_400.0)), "{c}");
        assert!(c["summary"].as_array().unwrap().iter().any(|s| s.as_str().unwrap().starts_with("Beschikbaar: 24,5 fte × 1.200 productieve uren = 29.400 uur")), "{c}");
        let (status, _) = put_capacity(&server, &manager, &year, json!({"base_version": 1, "fte": 25, "productive_hours_per_fte": 1210.5})).await;
        assert_eq!(status, 200);
        let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'capacity.enter'")
            .fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(audit, 2);

        // An authority viewer sees its own authority's demand, not the agency's capacity.
        let viewer = server.login("gemeente1").await;
        let (_, me) = get(&server, &viewer, "/api/v1/me").await;
        let (status, own) = get(&server, &viewer, &format!("/api/v1/reports/capacity?year={year}")).await;
        assert_eq!(status, 200);
        assert_eq!(own["authority_id"], me["authority_id"]);
        assert_eq!(own["available"], Value::Null);
        let mine = rows.iter().find(|r| r["key"] == me["authority_id"]).unwrap();
        assert_eq!(own["required_hours"], mine["required_hours"]);
    }

    async fn bad_or_unauthorised_capacity_entries_change_nothing(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let manager = server.login("manager").await;
        for body in [
            json!({"base_version": 0, "fte": -1, "productive_hours_per_fte": 1200}),
            json!({"base_version": 0, "fte": 10, "productive_hours_per_fte": 9000}),
            json!({"base_version": -1, "fte": 10, "productive_hours_per_fte": 1200}),
            json!({"base_version": 0, "fte": 10}),
            json!({"base_version": 0, "fte": 10, "productive_hours_per_fte": 1200, "extra": 1}),
        ] {
            let (status, answer) = put_capacity(&server, &manager, "2026", body.clone()).await;
            assert_eq!(status, 400, "{body} -> {answer}");
        }
        assert_eq!(put_capacity(&server, &manager, "1999", json!({"base_version": 0, "fte": 1, "productive_hours_per_fte": 1})).await.0, 400);
        for user in ["inspecteur1", "teamleider1", "gemeente1"] {
            let token = server.login(user).await;
            let (status, _) = put_capacity(&server, &token, "2026", json!({"base_version": 0, "fte": 1, "productive_hours_per_fte": 1})).await;
            assert_eq!(status, 403, "{user}");
        }
        assert_eq!(capacity_versions(&server).await, vec![]);
        let inspector = server.login("inspecteur1").await;
        assert_eq!(get(&server, &inspector, "/api/v1/reports/capacity?year=2026").await.0, 403);
        assert_eq!(get(&server, &manager, "/api/v1/reports/capacity?year=tien").await.0, 400);
    }
}
