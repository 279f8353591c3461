//! Site import (issue 4 "Site import"): the admin CSV upload and `schouw import-sites` share one
//! all-or-nothing, idempotent upsert with an audit entry per created or changed site.

use serde_json::Value;
use shared::coords::Wgs84;
use tests::{on_both_databases, TestServer};

const HEADER: &str =
    "key;name;street;house_number;postcode;city;municipality_code;sector;activities;lat;lon;x;y";

/// Near the market square of Aalten, as RD New metres (rounded as a register would export them).
fn aalten_rd() -> (f64, f64) {
    let rd = Wgs84 {
        lat: 51.9251,
        lon: 6.5808,
    }
    .to_rd();
    (rd.x.round(), rd.y.round())
}

/// Three sites: two with WGS84 coordinates (one of the province), one with RD New only.
fn valid_csv(first_name: &str) -> String {
    let (x, y) = aalten_rd();
    format!(
        "\u{feff}{HEADER}\n\
         IMP-1;{first_name};Markt;1;7121 AB;Aalten;GM0197;garage;vehicle_repair|fuel_storage;51,9300;6,5800;;\n\
         IMP-2;Metaalwerken Bredevoort;Industrieweg;12b;7126ac;Bredevoort;PV25;metal_industry;metal_working;51.9410;6.6210;;\n\
         IMP-3;Café De Zon;Hogestraat;3;7121 CG;Aalten;gm0197;hospitality;;;;{x};{y}\n"
    )
}

async fn count(server: &TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

/// Rows that a rejected request must leave alone.
async fn snapshot(server: &TestServer) -> (i64, i64, i64) {
    (
        count(server, "SELECT COUNT(*) FROM sites").await,
        count(server, "SELECT COUNT(*) FROM audit_log").await,
        count(
            server,
            "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM sites",
        )
        .await,
    )
}

async fn upload(server: &TestServer, token: &str, csv: impl Into<reqwest::Body>) -> (u16, Value) {
    let response = server
        .client
        .post(server.url("/api/v1/admin/sites/import"))
        .bearer_auth(token)
        .header("content-type", "text/csv; charset=utf-8")
        .body(csv)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn site_by_key(server: &TestServer, key: &str) -> (String, f64, f64, i64, String) {
    sqlx::query_as("SELECT id, lat, lon, version, name FROM sites WHERE external_key = $1")
        .bind(key)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

on_both_databases! {
    async fn a_valid_csv_with_wgs84_and_rd_coordinates_is_imported_and_audited(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let admin = server.login("admin").await;
        let (sites_before, audit_before, _) = snapshot(&server).await;
        let (status, report) = upload(&server, &admin, valid_csv("Garage Jansen")).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["created"], 3);
        assert_eq!(report["updated"], 0);
        assert_eq!(report["unchanged"], 0);
        assert_eq!(report["written"], true);
        assert_eq!(report["rejected"], Value::Array(vec![]));
        let (sites_after, audit_after, _) = snapshot(&server).await;
        assert_eq!(sites_after, sites_before + 3);
        assert_eq!(audit_after, audit_before + 3);
        let creates = count(&server, "SELECT COUNT(*) FROM audit_log WHERE action = 'site.import.create' AND new_version = 1").await;
        assert_eq!(creates, 3);

        // The decimal comma of a Dutch spreadsheet is read as a decimal point.
        let (_, lat, lon, version, _) = site_by_key(&server, "IMP-1").await;
        assert!((lat - 51.93).abs() < 1e-9 && (lon - 6.58).abs() < 1e-9);
        assert_eq!(version, 1);
        // RD New is converted to WGS84: within a few metres of the point it was made from.
        let (id, lat, lon, _, _) = site_by_key(&server, "IMP-3").await;
        let off = Wgs84 { lat, lon }.distance_m(Wgs84 { lat: 51.9251, lon: 6.5808 });
        assert!(off < 2.0, "RD conversion is {off:.1} m off");

        let response = server.client.get(server.url(&format!("/api/v1/sites/{id}"))).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let site: Value = response.json().await.unwrap();
        assert_eq!(site["name"], "Café De Zon");
        assert_eq!(site["postcode"], "7121 CG");
        assert_eq!(site["authority"]["code"], "GM0197");
        assert_eq!(site["inspections"], Value::Array(vec![]));
        let (_, _, _, _, _) = site_by_key(&server, "IMP-2").await;
        let province: String = sqlx::query_scalar("SELECT a.cbs_code FROM sites s JOIN authorities a ON a.id = s.authority_id WHERE s.external_key = 'IMP-2'")
            .fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(province, "PV25");
        assert!(matches!(server::audit::verify(&server.state.db.pool).await.unwrap(), server::audit::Verification::Intact { .. }));
    }

    async fn re_importing_the_same_file_changes_nothing(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let admin = server.login("admin").await;
        let (status, _) = upload(&server, &admin, valid_csv("Garage Jansen")).await;
        assert_eq!(status, 200);
        let before = snapshot(&server).await;
        let (status, report) = upload(&server, &admin, valid_csv("Garage Jansen")).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!((report["created"].as_i64(), report["updated"].as_i64(), report["unchanged"].as_i64()), (Some(0), Some(0), Some(3)));
        assert_eq!(snapshot(&server).await, before, "no site, version or audit entry changed");
    }

    async fn a_changed_row_bumps_its_version_and_is_audited_with_old_and_new_version(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let admin = server.login("admin").await;
        let (status, _) = upload(&server, &admin, valid_csv("Garage Jansen")).await;
        assert_eq!(status, 200);
        let (sites_before, audit_before, _) = snapshot(&server).await;
        let (status, report) = upload(&server, &admin, valid_csv("Garage Jansen & Zn.")).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!((report["created"].as_i64(), report["updated"].as_i64(), report["unchanged"].as_i64()), (Some(0), Some(1), Some(2)));
        let (id, _, _, version, name) = site_by_key(&server, "IMP-1").await;
        assert_eq!((version, name.as_str()), (2, "Garage Jansen & Zn."));
        assert_eq!(site_by_key(&server, "IMP-2").await.3, 1);
        let (sites_after, audit_after, _) = snapshot(&server).await;
        assert_eq!((sites_after, audit_after), (sites_before, audit_before + 1));
        let (action, old, new, details): (String, Option<i64>, Option<i64>, String) = sqlx::query_as(
            "SELECT action, old_version, new_version, details FROM audit_log WHERE entity_id = $1 ORDER BY seq DESC LIMIT 1",
        )
        .bind(&id)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
        assert_eq!((action.as_str(), old, new), ("site.import.update", Some(1), Some(2)));
        assert!(details.contains("\"name\""), "{details}");
    }

    async fn a_file_with_one_bad_row_writes_nothing_and_says_where_and_why_in_dutch(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let admin = server.login("admin").await;
        let before = snapshot(&server).await;
        let csv = valid_csv("Garage Jansen").replace("7121 CG", "712 CG");
        let (status, body) = upload(&server, &admin, csv).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["code"], "import.rejected");
        assert!(body["error"]["message"].as_str().unwrap().contains("niets gewijzigd"));
        let report = &body["report"];
        assert_eq!(report["written"], false);
        assert_eq!(report["accepted"], 2);
        assert_eq!(report["created"], 0);
        let rejected = report["rejected"].as_array().unwrap();
        assert_eq!(rejected.len(), 1, "{report}");
        assert_eq!(rejected[0]["line"], 4);
        assert_eq!(rejected[0]["column"], "postcode");
        let reason = rejected[0]["reason"].as_str().unwrap();
        assert!(reason.contains("postcode") && reason.contains("4 cijfers en 2 letters"), "{reason}");
        assert_eq!(snapshot(&server).await, before, "a rejected import writes nothing");

        // Other rejections: unknown authority, unknown sector, outside the Netherlands, empty name.
        let csv = format!(
            "{HEADER}\n\
             A;Een;Markt;1;7121 AB;Aalten;GM0363;garage;;51.93;6.58;;\n\
             B;Twee;Markt;1;7121 AB;Aalten;GM0197;bakery;;51.93;6.58;;\n\
             C;Drie;Markt;1;7121 AB;Aalten;GM0197;garage;;48.85;2.35;;\n\
             D;;Markt;1;7121 AB;Aalten;GM0197;garage;;51.93;6.58;;\n"
        );
        let (status, body) = upload(&server, &admin, csv).await;
        assert_eq!(status, 422);
        let got: Vec<(i64, String)> = body["report"]["rejected"].as_array().unwrap().iter()
            .map(|r| (r["line"].as_i64().unwrap(), r["column"].as_str().unwrap_or("").to_owned()))
            .collect();
        assert_eq!(got, vec![
            (2, "municipality_code".to_owned()),
            (3, "sector".to_owned()),
            (4, "lat".to_owned()),
            (5, "name".to_owned()),
        ]);
        assert_eq!(snapshot(&server).await, before);
    }

    async fn only_an_admin_may_upload_sites(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let before = snapshot(&server).await;
        for user in ["inspecteur1", "teamleider1", "manager", "gemeente1"] {
            let token = server.login(user).await;
            let (status, body) = upload(&server, &token, valid_csv("Garage Jansen")).await;
            assert_eq!((status, body["error"]["code"].as_str()), (403, Some("auth.forbidden")), "{user}");
        }
        let response = server.client.post(server.url("/api/v1/admin/sites/import"))
            .header("content-type", "text/csv").body(valid_csv("x")).send().await.unwrap();
        assert_eq!(response.status(), 401);
        // An admin must say it is CSV.
        let admin = server.login("admin").await;
        let response = server.client.post(server.url("/api/v1/admin/sites/import")).bearer_auth(&admin)
            .header("content-type", "application/json").body("{}").send().await.unwrap();
        assert_eq!(response.status(), 400);
        let (sites, _, versions) = snapshot(&server).await;
        assert_eq!((sites, versions), (before.0, before.2));
    }

    async fn an_upload_over_the_limit_is_413_and_writes_nothing(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let admin = server.login("admin").await;
        let before = snapshot(&server).await;
        let mut csv = valid_csv("Garage Jansen");
        let row = "IMP-9;Vulling;Markt;1;7121 AB;Aalten;GM0197;garage;;51.93;6.58;;\n";
        while csv.len() <= server::import::UPLOAD_LIMIT {
            csv.push_str(row);
        }
        let (status, body) = upload(&server, &admin, csv).await;
        assert_eq!((status, body["error"]["code"].as_str()), (413, Some("request.too_large")));
        assert_eq!(snapshot(&server).await, before);
    }

    async fn the_command_line_import_uses_the_same_rules(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.csv");
        std::fs::write(&good, valid_csv("Garage Jansen")).unwrap();
        let report = server::import::import_file(&server.state.db, &good, None).await.unwrap();
        assert_eq!((report.created, report.written), (3, true));
        assert!(report.summary_nl().contains("3 nieuw"));
        let again = server::import::import_file(&server.state.db, &good, Some("oda")).await.unwrap();
        assert_eq!((again.created, again.unchanged), (0, 3));

        let before = snapshot(&server).await;
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, valid_csv("Garage Jansen & Zn.").replace("garage;", "bakkerij;")).unwrap();
        let report = server::import::import_file(&server.state.db, &bad, None).await.unwrap();
        assert!(!report.written);
        let summary = report.summary_nl();
        assert!(summary.starts_with("Niets geïmporteerd: 1 regel afgekeurd"), "{summary}");
        assert!(summary.contains("regel 2, kolom sector: onbekende sector"), "{summary}");
        assert_eq!(snapshot(&server).await, before);
    }
}
