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

on_both_databases! {
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
