//! The execution programme and the checklist templates (issue 4).

use serde_json::{json, Value};
use tests::{on_both_databases, TestServer};

async fn get(server: &TestServer, token: &str, path: &str) -> (u16, Value) {
    let r = server
        .client
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn count_lines(server: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM programme_lines")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn import(
    server: &TestServer,
    token: &str,
    year: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let r = server
        .client
        .post(server.url(&format!("/api/v1/programme/import?year={year}")))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Everything an import could touch: the lines with their versions, and the audit trail's length.
async fn programme_state(server: &TestServer) -> (Vec<(String, i64, f64, i64)>, i64) {
    let lines = sqlx::query_as(
        "SELECT product, planned_count, planned_hours, version FROM programme_lines ORDER BY id",
    )
    .fetch_all(&server.state.db.pool)
    .await
    .unwrap();
    let audit =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'programme_line'")
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
    (lines, audit)
}

/// A Dutch spreadsheet's CSV: BOM, semicolons, decimal commas, authorities by CBS code and by name.
fn dutch_csv(hours: &str) -> Vec<u8> {
    format!(
        "\u{feff}Product;Gemeente;Taakgroep;Aantal;Uren;Sector\r\n\
         Controle garages;GM0197;Basistaak;120;{hours};garage\r\n\
         Asbestdaken;Doetinchem;Projecten;0;1.250;\r\n"
    )
    .into_bytes()
}

on_both_databases! {
    async fn a_programme_is_imported_from_csv_and_xlsx_all_or_nothing_and_audited(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let manager = server.login("manager").await;
        let (status, report) = import(&server, &manager, "2027", "text/csv", dutch_csv("300,5")).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!((report["created"].as_u64(), report["written"].as_bool()), (Some(2), Some(true)), "{report}");
        let (_, lines) = get(&server, &manager, "/api/v1/programme?year=2027").await;
        let lines = lines["lines"].as_array().unwrap().clone();
        assert_eq!(lines.len(), 2);
        let garages = lines.iter().find(|l| l["product"] == "Controle garages").unwrap();
        assert_eq!((garages["planned_count"].as_i64(), garages["planned_hours"].as_f64()), (Some(120), Some(300.5)));
        assert_eq!((garages["task_group"].as_str(), garages["sector"].as_str()), (Some("basistaak"), Some("garage")));
        let asbestos = lines.iter().find(|l| l["product"] == "Asbestdaken").unwrap();
        assert_eq!((asbestos["planned_hours"].as_f64(), asbestos["sector"].as_str()), (Some(1250.0), None));

        // The same file again changes nothing; corrected hours update one line, one version up.
        let (_, again) = import(&server, &manager, "2027", "text/csv", dutch_csv("300,5")).await;
        assert_eq!((again["created"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(2)), "{again}");
        let (_, fixed) = import(&server, &manager, "2027", "text/csv; charset=utf-8", dutch_csv("320")).await;
        assert_eq!((fixed["updated"].as_u64(), fixed["unchanged"].as_u64()), (Some(1), Some(1)), "{fixed}");
        let (_, lines) = get(&server, &manager, "/api/v1/programme?year=2027").await;
        let garages = lines["lines"].as_array().unwrap().iter().find(|l| l["product"] == "Controle garages").unwrap().clone();
        assert_eq!((garages["planned_hours"].as_f64(), garages["version"].as_i64()), (Some(320.0), Some(2)));

        // The same lines as a workbook (numbers as numbers, code names as headers) are unchanged;
        // a third line is added.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (col, head) in shared::programme::TEMPLATE_HEADER.iter().enumerate() {
            sheet.write_string(0, col as u16, *head).unwrap();
        }
        for (row, (product, authority, group, count, hours, sector)) in [
            ("Controle garages", "gm0197", "basistaak", 120.0, 320.0, "garage"),
            ("Asbestdaken", "GM0222", "project", 0.0, 1250.0, ""),
            ("Bedrijfsvoering", "PV25", "bedrijfsvoering", 0.0, 80.25, ""),
        ].into_iter().enumerate() {
            let r = row as u32 + 1;
            sheet.write_string(r, 0, product).unwrap();
            sheet.write_string(r, 1, authority).unwrap();
            sheet.write_string(r, 2, group).unwrap();
            sheet.write_number(r, 3, count).unwrap();
            sheet.write_number(r, 4, hours).unwrap();
            if !sector.is_empty() {
                sheet.write_string(r, 5, sector).unwrap();
            }
        }
        let (status, report) = import(&server, &manager, "2027", XLSX, book.save_to_buffer().unwrap()).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!((report["created"].as_u64(), report["unchanged"].as_u64()), (Some(1), Some(2)), "{report}");

        let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE entity = 'programme_line' ORDER BY seq")
            .fetch_all(&server.state.db.pool).await.unwrap();
        assert_eq!(actions, ["programme_line.create", "programme_line.create", "programme_line.update", "programme_line.create"]);

        // A line names the focus point it serves by title; an unknown title rejects the file.
        let focus: Value = server.client.post(server.url("/api/v1/programme/focus-points")).bearer_auth(&manager)
            .json(&json!({"year": 2027, "title": "Veilige garages", "measure": "compliance_first", "target_percent": 80}))
            .send().await.unwrap().json().await.unwrap();
        let with_focus = |title: &str| format!("product;authority;task_group;planned_count;planned_hours;sector;speerpunt\n\
             Controle garages;GM0197;basistaak;120;320;garage;{title}\n").into_bytes();
        let (status, body) = import(&server, &manager, "2027", "text/csv", with_focus("Onbekend")).await;
        assert_eq!((status, body["report"]["rejected"][0]["column"].as_str()), (422, Some("speerpunt")), "{body}");
        let (status, report) = import(&server, &manager, "2027", "text/csv", with_focus("veilige garages")).await;
        assert_eq!((status, report["updated"].as_u64()), (200, Some(1)), "{report}");
        let (_, lines) = get(&server, &manager, "/api/v1/programme?year=2027").await;
        let garages = lines["lines"].as_array().unwrap().iter().find(|l| l["product"] == "Controle garages").unwrap().clone();
        assert_eq!(garages["focus_point_id"], focus["id"]);
        // A file without the focus point column leaves the link as it is.
        let (_, report) = import(&server, &manager, "2027", "text/csv", dutch_csv("320")).await;
        assert_eq!((report["unchanged"].as_u64(), report["updated"].as_u64()), (Some(2), Some(0)), "{report}");
        let (_, lines) = get(&server, &manager, "/api/v1/programme?year=2027").await;
        let garages = lines["lines"].as_array().unwrap().iter().find(|l| l["product"] == "Controle garages").unwrap().clone();
        assert_eq!(garages["focus_point_id"], focus["id"]);
    }

    async fn a_programme_import_with_bad_rows_changes_nothing_and_reports_every_row(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let manager = server.login("manager").await;
        let before = programme_state(&server).await;
        let csv = "product;authority;task_group;planned_count;planned_hours\n\
                   Goed;GM0197;basistaak;10;20\n\
                   ;GM9999;hobby;-1;tien\n\
                   Ook goed;GM0222;plustaak;5;7,5\n\
                   Half;GM0197;basistaak;2,5;1\n";
        let (status, body) = import(&server, &manager, "2026", "text/csv", csv.as_bytes().to_vec()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("import.rejected")), "{body}");
        let report = &body["report"];
        assert_eq!(report["written"], false);
        let rejected: Vec<(u64, &str)> = report["rejected"].as_array().unwrap().iter()
            .map(|r| (r["line"].as_u64().unwrap(), r["column"].as_str().unwrap_or("")))
            .collect();
        assert_eq!(rejected, [(3, "product"), (3, "authority"), (3, "task_group"), (3, "planned_count"), (3, "planned_hours"), (5, "planned_count")]);
        assert_eq!(report["rejected_total"], 6);
        assert!(report["rejected"][1]["reason"].as_str().unwrap().contains("GM9999"), "{report}");
        assert_eq!(programme_state(&server).await, before);

        // A file that is no workbook, an unknown header: rejected as a whole, nothing changed.
        let (status, body) = import(&server, &manager, "2026", XLSX, b"PK not really".to_vec()).await;
        assert_eq!((status, body["report"]["rejected"][0]["line"].as_u64()), (422, Some(1)), "{body}");
        let (status, body) = import(&server, &manager, "2026", "text/csv", b"kleur;maat\nrood;5\n".to_vec()).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["report"]["rejected_total"].as_u64().unwrap() >= 5, "{body}");
        assert_eq!(programme_state(&server).await, before);
    }

    async fn only_managers_and_admins_import_a_programme_and_bad_requests_are_refused(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let before = programme_state(&server).await;
        for user in ["inspecteur1", "teamleider1", "gemeente1"] {
            let token = server.login(user).await;
            let (status, body) = import(&server, &token, "2027", "text/csv", dutch_csv("1")).await;
            assert_eq!((status, body["error"]["code"].as_str()), (403, Some("auth.forbidden")), "{user}");
        }
        let admin = server.login("admin").await;
        assert_eq!(import(&server, &admin, "2027", "application/json", b"{}".to_vec()).await.0, 400);
        assert_eq!(import(&server, &admin, "1999", "text/csv", dutch_csv("1")).await.0, 400);
        assert_eq!(import(&server, &admin, "twee", "text/csv", dutch_csv("1")).await.0, 400);
        assert_eq!(programme_state(&server).await, before);
        let (status, report) = import(&server, &admin, "2027", "text/csv", dutch_csv("1")).await;
        assert_eq!((status, report["created"].as_u64()), (200, Some(2)), "{report}");
    }

    async fn office_roles_list_the_authorities_and_a_viewer_only_its_own(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let manager = server.login("manager").await;
        let (status, all) = get(&server, &manager, "/api/v1/authorities").await;
        assert_eq!(status, 200);
        let all = all["authorities"].as_array().unwrap();
        assert_eq!(all.len(), 9, "{all:?}");
        assert!(all.iter().any(|a| a["cbs_code"] == "PV25" && a["kind"] == "province"));
        let names: Vec<&str> = all.iter().map(|a| a["name"].as_str().unwrap()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "by name");
        let viewer = server.login("gemeente1").await;
        let (_, me) = get(&server, &viewer, "/api/v1/me").await;
        let (status, own) = get(&server, &viewer, "/api/v1/authorities").await;
        assert_eq!(status, 200);
        let own = own["authorities"].as_array().unwrap();
        assert_eq!(own.len(), 1);
        assert_eq!(own[0]["id"], me["authority_id"]);
        let inspector = server.login("inspecteur1").await;
        assert_eq!(get(&server, &inspector, "/api/v1/authorities").await.0, 403);
    }

    async fn the_demo_programme_is_visible_to_management_and_each_authority_sees_only_its_own_part(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let year = tests::demo_date().format("%Y").to_string();
        let manager = server.login("manager").await;
        let (status, all) = get(&server, &manager, &format!("/api/v1/programme?year={year}")).await;
        assert_eq!(status, 200);
        let lines = all["lines"].as_array().unwrap();
        assert!(lines.len() > 30, "{} lines", lines.len());
        let authorities: std::collections::BTreeSet<&str> = lines.iter().map(|l| l["authority_id"].as_str().unwrap()).collect();
        assert_eq!(authorities.len(), 9, "eight municipalities and the province");

        let viewer = server.login("gemeente1").await;
        let (_, me) = get(&server, &viewer, "/api/v1/me").await;
        let own = me["authority_id"].as_str().unwrap().to_owned();
        let foreign = authorities.iter().find(|a| **a != own).unwrap();
        // Asking for another authority's part still answers only with its own.
        let (status, part) = get(&server, &viewer, &format!("/api/v1/programme?year={year}&authority_id={foreign}")).await;
        assert_eq!(status, 200);
        let part = part["lines"].as_array().unwrap();
        assert!(!part.is_empty());
        assert!(part.iter().all(|l| l["authority_id"] == own.as_str()));

        let inspector = server.login("inspecteur1").await;
        assert_eq!(get(&server, &inspector, &format!("/api/v1/programme?year={year}")).await.0, 403);
        assert_eq!(get(&server, &manager, "/api/v1/programme?year=twintig").await.0, 400);
        assert_eq!(get(&server, &manager, "/api/v1/programme").await.0, 400);
    }

    async fn a_manager_adds_and_updates_a_line_and_a_stale_update_is_a_conflict_that_changes_nothing(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let manager = server.login("manager").await;
        let (_, all) = get(&server, &manager, "/api/v1/programme?year=2026").await;
        let authority = all["lines"][0]["authority_id"].as_str().unwrap().to_owned();
        let new_line = json!({"year": 2027, "product": "Controle asbestdaken", "authority_id": authority,
            "task_group": "project", "planned_count": 40, "planned_hours": 120.0});
        let created = server.client.post(server.url("/api/v1/programme/lines")).bearer_auth(&manager).json(&new_line).send().await.unwrap();
        let status = created.status();
        let created: Value = created.json().await.unwrap();
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["version"], 1);
        let id = created["id"].as_str().unwrap();

        let again = server.client.post(server.url("/api/v1/programme/lines")).bearer_auth(&manager).json(&new_line).send().await.unwrap();
        let status = again.status();
        let again: Value = again.json().await.unwrap();
        assert_eq!((status.as_u16(), &again["error"]["code"]), (409, &json!("record.duplicate")), "{again}");

        let update = |base: i64, count: i64| {
            server.client.put(server.url(&format!("/api/v1/programme/lines/{id}"))).bearer_auth(&manager)
                .json(&json!({"base_version": base, "planned_count": count, "planned_hours": 150.0})).send()
        };
        let updated: Value = update(1, 50).await.unwrap().json().await.unwrap();
        assert_eq!((updated["version"].as_i64(), updated["planned_count"].as_i64()), (Some(2), Some(50)), "{updated}");
        let before = count_lines(&server).await;
        let stale = update(1, 60).await.unwrap();
        let status = stale.status();
        let stale: Value = stale.json().await.unwrap();
        assert_eq!((status.as_u16(), &stale["error"]["code"]), (409, &json!("record.version_conflict")), "{stale}");
        let (_, after) = get(&server, &manager, "/api/v1/programme?year=2027").await;
        assert_eq!(after["lines"][0]["planned_count"], 50, "{after}");
        assert_eq!(count_lines(&server).await, before);

        let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE entity = 'programme_line' ORDER BY seq")
            .fetch_all(&server.state.db.pool).await.unwrap();
        assert_eq!(actions, ["programme_line.create", "programme_line.update"]);
    }

    async fn invalid_or_unauthorised_programme_writes_change_nothing(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let manager = server.login("manager").await;
        let lead = server.login("teamleider1").await;
        let (_, all) = get(&server, &manager, "/api/v1/programme?year=2026").await;
        let authority = all["lines"][0]["authority_id"].as_str().unwrap().to_owned();
        let before = count_lines(&server).await;
        let post = |token: &str, body: Value| server.client.post(server.url("/api/v1/programme/lines")).bearer_auth(token.to_owned()).json(&body).send();
        let good = json!({"year": 2027, "product": "X", "authority_id": authority, "task_group": "basistaak", "planned_count": 1, "planned_hours": 1.0});
        assert_eq!(post(&lead, good.clone()).await.unwrap().status(), 403);
        for (field, value) in [("task_group", json!("hobby")), ("planned_count", json!(-1)), ("year", json!(1850)),
                               ("product", json!("  ")), ("authority_id", json!(uuid::Uuid::new_v4()))] {
            let mut body = good.clone();
            body[field] = value;
            let r = post(&manager, body).await.unwrap();
            assert_eq!(r.status(), 400, "{field}");
            assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "programme.invalid_line", "{field}");
        }
        let mut unknown = good.clone();
        unknown["extra"] = json!(true);
        assert_eq!(post(&manager, unknown).await.unwrap().status(), 400);
        assert_eq!(count_lines(&server).await, before);
        let foreign = server.client.put(server.url(&format!("/api/v1/programme/lines/{}", uuid::Uuid::new_v4())))
            .bearer_auth(&manager).json(&json!({"base_version": 1, "planned_count": 1, "planned_hours": 1.0})).send().await.unwrap();
        assert_eq!(foreign.status(), 404);
    }

    async fn checklist_templates_are_served_newest_first_and_any_pinned_version_stays_readable(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let inspector = server.login("inspecteur1").await;
        let (status, body) = get(&server, &inspector, "/api/v1/checklists").await;
        assert_eq!(status, 200);
        let templates = body["templates"].as_array().unwrap();
        assert!(templates.len() >= 5);
        for t in templates {
            let items = t["items"].as_array().unwrap();
            assert!((10..=30).contains(&items.len()));
            let (status, pinned) = get(&server, &inspector, &format!("/api/v1/checklists/{}/versions/{}", t["id"].as_str().unwrap(), t["version"])).await;
            assert_eq!(status, 200);
            assert_eq!(&pinned, t);
        }
        assert_eq!(get(&server, &inspector, "/api/v1/checklists/garagebedrijf/versions/99").await.0, 404);
    }
}

on_both_databases! {
    async fn a_manager_keeps_focus_points_and_links_lines_to_them(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let manager = server.login("manager").await;
        let post = |path: &str, body: Value| server.client.post(server.url(path)).bearer_auth(&manager).json(&body).send();
        let put = |path: String, body: Value| server.client.put(server.url(&path)).bearer_auth(&manager).json(&body).send();
        let created = post("/api/v1/programme/focus-points", json!({"year": 2027, "title": "Asbest", "goal": "Geen asbestdaken meer",
            "measure": "compliance_first", "target_percent": 80})).await.unwrap();
        assert_eq!(created.status(), 201);
        let focus: Value = created.json().await.unwrap();
        let id = focus["id"].as_str().unwrap().to_owned();
        // The same title again in the year is a duplicate; bad fields are refused.
        let again = post("/api/v1/programme/focus-points", json!({"year": 2027, "title": "Asbest", "measure": "realisation", "target_percent": 50})).await.unwrap();
        assert_eq!(again.status(), 409);
        for bad in [json!({"year": 2027, "title": " ", "measure": "realisation", "target_percent": 50}),
                    json!({"year": 2027, "title": "X", "measure": "geluk", "target_percent": 50}),
                    json!({"year": 2027, "title": "X", "measure": "realisation", "target_percent": 150})] {
            assert_eq!(post("/api/v1/programme/focus-points", bad.clone()).await.unwrap().status(), 400, "{bad}");
        }
        // A line of 2027 serves it; a line of 2026 may not.
        let (_, all) = get(&server, &manager, "/api/v1/programme?year=2026").await;
        let authority = all["lines"][0]["authority_id"].as_str().unwrap().to_owned();
        let old_line = all["lines"][0].clone();
        let line = post("/api/v1/programme/lines", json!({"year": 2027, "product": "Asbestcontrole", "authority_id": authority,
            "task_group": "project", "planned_count": 10, "planned_hours": 30.0, "focus_point_id": id})).await.unwrap();
        assert_eq!(line.status(), 201);
        let line: Value = line.json().await.unwrap();
        assert_eq!(line["focus_point_id"], id.as_str());
        let wrong_year = put(format!("/api/v1/programme/lines/{}", old_line["id"].as_str().unwrap()),
            json!({"base_version": old_line["version"], "planned_count": 1, "planned_hours": 1.0, "focus_point_id": id})).await.unwrap();
        assert_eq!(wrong_year.status(), 400);
        // Unlinking with null; leaving it out keeps it.
        let line_id = line["id"].as_str().unwrap();
        let kept: Value = put(format!("/api/v1/programme/lines/{line_id}"), json!({"base_version": 1, "planned_count": 12, "planned_hours": 30.0}))
            .await.unwrap().json().await.unwrap();
        assert_eq!(kept["focus_point_id"], id.as_str());
        let cleared: Value = put(format!("/api/v1/programme/lines/{line_id}"), json!({"base_version": 2, "planned_count": 12, "planned_hours": 30.0, "focus_point_id": null}))
            .await.unwrap().json().await.unwrap();
        assert_eq!(cleared["focus_point_id"], Value::Null);
        // Changing the focus point needs its current version.
        let changed = put(format!("/api/v1/programme/focus-points/{id}"), json!({"base_version": 1, "title": "Asbest eruit", "measure": "realisation", "target_percent": 90})).await.unwrap();
        assert_eq!(changed.status(), 200);
        let stale = put(format!("/api/v1/programme/focus-points/{id}"), json!({"base_version": 1, "title": "Anders", "measure": "realisation", "target_percent": 90})).await.unwrap();
        assert_eq!(stale.status(), 409);
        let (_, year) = get(&server, &manager, "/api/v1/programme?year=2027").await;
        assert_eq!(year["focus_points"][0]["title"], "Asbest eruit");
        assert_eq!(year["focus_points"][0]["version"], 2);
        let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE entity = 'focus_point' ORDER BY seq")
            .fetch_all(&server.state.db.pool).await.unwrap();
        assert_eq!(actions, ["focus_point.create", "focus_point.update"]);
        // Team leads read but do not write.
        let lead = server.login("teamleider1").await;
        let r = server.client.post(server.url("/api/v1/programme/focus-points")).bearer_auth(&lead)
            .json(&json!({"year": 2027, "title": "Lead", "measure": "realisation", "target_percent": 50})).send().await.unwrap();
        assert_eq!(r.status(), 403);
    }
}
