//! An agency's own LHSO matrix and risk model (issue 3: "an agency can load its own matrix (JSON)
//! and every assessment records the version used"; "parameters as versioned data per agency"),
//! black-box against the real server on both databases.

use serde_json::{json, Value};
use tests::fixtures;
use tests::{demo_date, on_both_databases, TestServer};

const DEFAULT_MATRIX: &str = "lhso-default-2022";
const DEFAULT_RISK_MODEL: &str = "risk-default-2026";

async fn call(
    server: &TestServer,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = server
        .client
        .request(method, server.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get(server: &TestServer, path: &str, token: &str) -> (u16, Value) {
    call(server, reqwest::Method::GET, path, token, None).await
}

async fn put(server: &TestServer, path: &str, token: &str, body: &Value) -> (u16, Value) {
    call(server, reqwest::Method::PUT, path, token, Some(body)).await
}

async fn assess(server: &TestServer, token: &str, body: &Value) -> (u16, Value) {
    call(
        server,
        reqwest::Method::POST,
        "/api/v1/lhso/assess",
        token,
        Some(body),
    )
    .await
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

async fn count(server: &TestServer, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// What a refused load must leave as it was.
async fn counts(server: &TestServer) -> [i64; 3] {
    [
        count(server, "SELECT COUNT(*) FROM agency_configs").await,
        count(
            server,
            "SELECT COUNT(*) FROM agency_configs WHERE active = 1",
        )
        .await,
        count(server, "SELECT COUNT(*) FROM audit_log").await,
    ]
}

/// The default matrix as `GET /lhso/matrix` answers it, under another version id and with a
/// lighter A1 (still valid: no graver cell becomes lighter than A1).
fn customised(default: &Value, version: &str) -> Value {
    let mut matrix = default.clone();
    matrix["version"] = json!(version);
    matrix["label"] = json!("Handhavingsmatrix Omgevingsdienst test");
    matrix["cells"]["A1"]["interventions"] = json!(["inform", "address"]);
    matrix
}

on_both_databases! {
    async fn a_loaded_matrix_is_active_and_assessments_record_the_version_used(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let admin = server.login("admin").await;
        let inspector = server.login("inspecteur1").await;

        let (status, default) = get(&server, "/api/v1/lhso/matrix", &inspector).await;
        assert_eq!(status, 200);
        assert_eq!((default["version"].as_str(), default["is_default"].as_bool()), (Some(DEFAULT_MATRIX), Some(true)));
        let (_, before) = assess(&server, &inspector, &json!({"consequence": 1, "behaviour": "A"})).await;
        assert_eq!(before["matrix_version"], DEFAULT_MATRIX);
        assert_eq!(before["interventions"], json!(["inform", "warn"]));

        // The body GET answers is what PUT takes.
        let custom = customised(&default, "odt-2027-1");
        let audit_before = count(&server, "SELECT COUNT(*) FROM audit_log").await;
        let (status, body) = put(&server, "/api/v1/admin/lhso/matrix", &admin, &custom).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body, json!({"kind": "lhso_matrix", "version": "odt-2027-1", "active": true}));
        let (action, details): (String, String) = sqlx::query_as(
            "SELECT action, details FROM audit_log ORDER BY seq DESC LIMIT 1",
        )
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
        assert_eq!(action, "config.lhso_matrix.activate");
        let details: Value = serde_json::from_str(&details).unwrap();
        assert_eq!((details["old_version"].as_str(), details["new_version"].as_str()), (Some(DEFAULT_MATRIX), Some("odt-2027-1")));
        assert_eq!(count(&server, "SELECT COUNT(*) FROM audit_log").await, audit_before + 1);

        let (status, active) = get(&server, "/api/v1/lhso/matrix", &inspector).await;
        assert_eq!(status, 200);
        assert_eq!(active["version"], "odt-2027-1");
        assert_eq!(active["is_default"], false, "an agency's own matrix is not the shipped default");
        assert_eq!(active["cells"]["A1"]["interventions"], json!(["inform", "address"]));
        assert_eq!(active["questions"], default["questions"]);

        let (status, advice) = assess(&server, &inspector, &json!({"consequence": 1, "behaviour": "A"})).await;
        assert_eq!(status, 200, "{advice}");
        assert_eq!(advice["matrix_version"], "odt-2027-1");
        assert_eq!(advice["interventions"], json!(["inform", "address"]));

        // An assessment may still name the default, or any version the agency stored.
        let (status, old) = assess(&server, &inspector,
            &json!({"consequence": 1, "behaviour": "A", "matrix_version": DEFAULT_MATRIX})).await;
        assert_eq!(status, 200, "{old}");
        assert_eq!(old["matrix_version"], DEFAULT_MATRIX);
        assert_eq!(old["interventions"], json!(["inform", "warn"]));
        let (status, unknown) = assess(&server, &inspector,
            &json!({"consequence": 1, "behaviour": "A", "matrix_version": "odt-1999"})).await;
        assert_eq!((status, code(&unknown)), (400, "lhso.invalid_input"));

        // The same version again is idempotent; the same id with other content is a conflict.
        let before = counts(&server).await;
        let (status, again) = put(&server, "/api/v1/admin/lhso/matrix", &admin, &custom).await;
        assert_eq!((status, again["version"].as_str()), (200, Some("odt-2027-1")));
        assert_eq!(counts(&server).await, before, "loading it again writes nothing");
        let mut other = custom.clone();
        other["cells"]["A1"]["remedy_days"] = json!(21);
        let (status, conflict) = put(&server, "/api/v1/admin/lhso/matrix", &admin, &other).await;
        assert_eq!((status, code(&conflict)), (409, "record.duplicate"));
        let mut default_id = other.clone();
        default_id["version"] = json!(DEFAULT_MATRIX);
        let (status, conflict) = put(&server, "/api/v1/admin/lhso/matrix", &admin, &default_id).await;
        assert_eq!((status, code(&conflict)), (409, "record.duplicate"), "the default's id is reserved");
        assert_eq!(counts(&server).await, before);

        // A second version takes over; the first stays usable by name.
        let (status, _) = put(&server, "/api/v1/admin/lhso/matrix", &admin, &customised(&default, "odt-2027-2")).await;
        assert_eq!(status, 200);
        let (status, first) = assess(&server, &inspector,
            &json!({"consequence": 1, "behaviour": "A", "matrix_version": "odt-2027-1"})).await;
        assert_eq!((status, first["matrix_version"].as_str()), (200, Some("odt-2027-1")));

        let lead = server.login("teamleider1").await;
        let (status, list) = get(&server, "/api/v1/admin/configs", &lead).await;
        assert_eq!(status, 200, "{list}");
        let matrices = &list["lhso_matrix"];
        assert_eq!((matrices["default_version"].as_str(), matrices["active_version"].as_str()),
            (Some(DEFAULT_MATRIX), Some("odt-2027-2")));
        let versions: Vec<(&str, bool)> = matrices["versions"].as_array().unwrap().iter()
            .map(|v| (v["version"].as_str().unwrap(), v["active"].as_bool().unwrap()))
            .collect();
        assert_eq!(versions.len(), 2);
        assert!(versions.contains(&("odt-2027-1", false)) && versions.contains(&("odt-2027-2", true)), "{versions:?}");
        assert!(matrices["versions"][0].get("body").is_none() && matrices["versions"][0]["created_by_name"].is_string());
        assert_eq!(list["risk_model"]["active_version"], DEFAULT_RISK_MODEL);

        // The default's own content under its id brings the default back.
        let (status, back) = put(&server, "/api/v1/admin/lhso/matrix", &admin, &default).await;
        assert_eq!((status, back["version"].as_str()), (200, Some(DEFAULT_MATRIX)));
        let (_, active) = get(&server, "/api/v1/lhso/matrix", &inspector).await;
        assert_eq!(active, default, "the default keeps its is_default label");
        assert_eq!(count(&server, "SELECT COUNT(*) FROM agency_configs WHERE active = 1").await, 0);
    }
}

on_both_databases! {
    async fn an_invalid_or_unauthorised_load_is_refused_and_changes_nothing(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let admin = server.login("admin").await;
        // Logins are audited: every token this test uses is taken before counting.
        let mut others = Vec::new();
        for username in ["inspecteur1", "teamleider1", "manager", "gemeente1"] {
            others.push((username, server.login(username).await));
        }
        let (_, default) = get(&server, "/api/v1/lhso/matrix", &admin).await;
        let before = counts(&server).await;

        let mut missing_cell = customised(&default, "odt-missing-cell");
        missing_cell["cells"].as_object_mut().unwrap().remove("B3");
        let mut not_monotone = customised(&default, "odt-not-monotone");
        not_monotone["cells"]["D4"]["interventions"] = json!(["inform"]);
        let mut unknown_intervention = customised(&default, "odt-unknown");
        unknown_intervention["cells"]["A1"]["interventions"] = json!(["scold"]);
        let mut no_version = customised(&default, " ");
        no_version["label"] = json!("Zonder versie");
        for matrix in [missing_cell, not_monotone, unknown_intervention, no_version, json!({"version": "x"})] {
            let (status, body) = put(&server, "/api/v1/admin/lhso/matrix", &admin, &matrix).await;
            assert_eq!((status, code(&body)), (400, "config.invalid_lhso_matrix"), "{}", matrix["version"]);
            assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        }

        let mut model = serde_json::to_value(shared::risk::RiskModel::default_2026()).unwrap();
        model["version"] = json!("odt-risk-invalid");
        model["environment"]["additional_activity_share"] = json!(1.5);
        let mut incomplete = model.clone();
        incomplete.as_object_mut().unwrap().remove("classes");
        for model in [model, incomplete] {
            let (status, body) = put(&server, "/api/v1/admin/risk-model", &admin, &model).await;
            assert_eq!((status, code(&body)), (400, "config.invalid_risk_model"));
        }
        let response = server.client.put(server.url("/api/v1/admin/risk-model"))
            .bearer_auth(&admin).header("content-type", "application/json").body("{not json")
            .send().await.unwrap();
        assert_eq!(response.status(), 400);
        assert_eq!(counts(&server).await, before, "a refused load stores, activates and audits nothing");

        let valid = customised(&default, "odt-by-someone-else");
        for (username, token) in &others {
            let (status, body) = put(&server, "/api/v1/admin/lhso/matrix", token, &valid).await;
            assert_eq!((status, code(&body)), (403, "auth.forbidden"), "{username}");
            let mut model = serde_json::to_value(shared::risk::RiskModel::default_2026()).unwrap();
            model["version"] = json!("odt-risk-by-someone-else");
            let (status, _) = put(&server, "/api/v1/admin/risk-model", token, &model).await;
            assert_eq!(status, 403, "{username}");
        }
        let (status, _) = get(&server, "/api/v1/admin/configs", &others[0].1).await;
        assert_eq!(status, 403);
        assert_eq!(counts(&server).await, before);
        let (_, active) = get(&server, "/api/v1/lhso/matrix", &admin).await;
        assert_eq!(active["version"], DEFAULT_MATRIX);
    }
}

on_both_databases! {
    async fn an_agencys_configuration_never_affects_another_agency(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let foreign = fixtures::foreign_tenant(&server, "ZZANDERS", demo_date(), 2027, "garage-basis").await;
        let admin = server.login("admin").await;
        let (_, default) = get(&server, "/api/v1/lhso/matrix", &admin).await;
        let (status, _) = put(&server, "/api/v1/admin/lhso/matrix", &admin, &customised(&default, "odt-eigen")).await;
        assert_eq!(status, 200);
        let mut model = serde_json::to_value(shared::risk::RiskModel::default_2026()).unwrap();
        model["version"] = json!("odt-risk-eigen");
        let (status, _) = put(&server, "/api/v1/admin/risk-model", &admin, &model).await;
        assert_eq!(status, 200);

        let stranger = server.login(&foreign.inspector_username).await;
        let (status, matrix) = get(&server, "/api/v1/lhso/matrix", &stranger).await;
        assert_eq!(status, 200);
        assert_eq!(matrix, default, "the other agency still has the default");
        let (_, advice) = assess(&server, &stranger, &json!({"consequence": 1, "behaviour": "A"})).await;
        assert_eq!(advice["matrix_version"], DEFAULT_MATRIX);
        let (status, body) = assess(&server, &stranger,
            &json!({"consequence": 1, "behaviour": "A", "matrix_version": "odt-eigen"})).await;
        assert_eq!((status, code(&body)), (400, "lhso.invalid_input"), "another agency's version is unknown here");

        let lead = server.login("zzanders-teamleider").await;
        let (status, list) = get(&server, "/api/v1/admin/configs", &lead).await;
        assert_eq!(status, 200);
        assert_eq!(list["lhso_matrix"]["versions"], json!([]));
        assert_eq!(list["lhso_matrix"]["active_version"], DEFAULT_MATRIX);
        assert_eq!(list["risk_model"]["active_version"], DEFAULT_RISK_MODEL);
        assert!(!list.to_string().contains("odt-"), "{list}");

        // The same version id may exist in two agencies independently.
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM agency_configs WHERE agency_id = $1")
            .bind(&foreign.agency_id)
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
        assert_eq!(stored, 0);
    }
}

on_both_databases! {
    async fn days_planned_after_a_risk_model_is_loaded_are_ranked_with_it(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let admin = server.login("admin").await;
        let mut model = serde_json::to_value(shared::risk::RiskModel::default_2026()).unwrap();
        model["version"] = json!("odt-risk-2027");
        model["label"] = json!("Risicomodel Omgevingsdienst test 2027");
        model["environment"]["sector_weight"] = json!(2.75);
        let (status, body) = put(&server, "/api/v1/admin/risk-model", &admin, &model).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body, json!({"kind": "risk_model", "version": "odt-risk-2027", "active": true}));

        // The demo's days were planned before: they keep the default. Days planned now use the
        // agency's model and say so.
        let later = demo_date() + chrono::Days::new(28);
        let summary = server::planning::ensure_planned(&server.state.db, later, 3).await.unwrap();
        assert!(summary.visits > 0, "{summary}");
        let days: Vec<(String, String)> = sqlx::query_as(
            "SELECT planned_date, model_version FROM planned_days ORDER BY planned_date",
        )
        .fetch_all(&server.state.db.pool)
        .await
        .unwrap();
        let first_later = later.to_string();
        for (date, version) in &days {
            let expected = if *date >= first_later { "odt-risk-2027" } else { DEFAULT_RISK_MODEL };
            assert_eq!(version, expected, "{date}");
        }
        assert!(days.iter().filter(|(d, _)| *d >= first_later).count() == 3);

        // The sector factor of every new visit carries the agency's weight; the earlier ones the default's.
        let priorities: Vec<(String, String)> = sqlx::query_as(
            "SELECT planned_date, priority_json FROM visits WHERE kind <> 'reinspection'",
        )
        .fetch_all(&server.state.db.pool)
        .await
        .unwrap();
        let mut checked = 0;
        for (date, priority) in priorities {
            let priority: Value = serde_json::from_str(&priority).unwrap();
            let Some(sector) = priority["factors"].as_array().unwrap().iter().find(|f| f["name"] == "sector") else {
                continue;
            };
            let expected = if date >= first_later { 2.75 } else { 2.0 };
            assert_eq!(sector["weight"].as_f64(), Some(expected), "{date}: {priority}");
            checked += 1;
        }
        assert!(checked > 0);
    }
}

on_both_databases! {
    async fn each_named_unique_constraint_is_told_apart_on_both_databases(backend: Backend) {
        use server::db::{AGENCY_CONFIGS_ONE_ACTIVE, AGENCY_CONFIGS_PKEY, PROGRAMME_LINES_KEY};
        let server = TestServer::with_demo(backend).await;
        let pool = &server.state.db.pool;
        let agency: String = sqlx::query_scalar("SELECT id FROM agencies ORDER BY id LIMIT 1").fetch_one(pool).await.unwrap();
        sqlx::query("DELETE FROM agency_configs").execute(pool).await.unwrap();
        let insert = |version: &'static str, active: i64| {
            sqlx::query(
                "INSERT INTO agency_configs (agency_id, kind, version, body, active, created_at) \
                 VALUES ($1, 'risk_model', $2, '{}', $3, '2026-01-01T00:00:00Z')",
            )
            .bind(agency.clone())
            .bind(version)
            .bind(active)
        };
        insert("a", 1).execute(pool).await.unwrap();
        let same_version = insert("a", 0).execute(pool).await.unwrap_err();
        let second_active = insert("b", 1).execute(pool).await.unwrap_err();
        assert!(AGENCY_CONFIGS_PKEY.violated_by(&same_version), "{same_version}");
        assert!(!AGENCY_CONFIGS_ONE_ACTIVE.violated_by(&same_version));
        assert!(AGENCY_CONFIGS_ONE_ACTIVE.violated_by(&second_active), "{second_active}");
        assert!(!AGENCY_CONFIGS_PKEY.violated_by(&second_active));
        assert!(!PROGRAMME_LINES_KEY.violated_by(&second_active));
        // The programme key, with a copy of an existing line under a new id.
        let copy = sqlx::query(
            "INSERT INTO programme_lines (id, agency_id, year, product, authority_id, task_group, planned_count, planned_hours, version) \
             SELECT 'copy', agency_id, year, product, authority_id, task_group, planned_count, planned_hours, version \
             FROM programme_lines ORDER BY id LIMIT 1",
        )
        .execute(pool)
        .await
        .unwrap_err();
        assert!(PROGRAMME_LINES_KEY.violated_by(&copy), "{copy}");
        assert!(!AGENCY_CONFIGS_PKEY.violated_by(&copy));
    }
}
