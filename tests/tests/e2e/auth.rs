//! Health and login, black-box against the real server (API.md "Health and auth").

use serde_json::{json, Value};
use tests::{on_both_databases, TestServer};

async fn error_code(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("error body is JSON");
    (
        status,
        body["error"]["code"].as_str().expect("code").to_owned(),
        body["error"]["message"]
            .as_str()
            .expect("message")
            .to_owned(),
    )
}

on_both_databases! {
async fn healthz_answers_ok_once_the_database_is_migrated(backend: Backend) {
    let server = TestServer::empty(backend).await;
    let response = server
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"status": "ok"})
    );
}

async fn a_demo_inspector_logs_in_and_gets_a_token_that_identifies_them(backend: Backend) {
    let server = TestServer::with_demo(backend).await;
    let response = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"username": "inspecteur1", "password": "schouw-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let token = body["token"].as_str().unwrap();
    assert!(token.len() >= 32);
    assert!(chrono::DateTime::parse_from_rfc3339(body["expires_at"].as_str().unwrap()).is_ok());
    assert_eq!(body["user"]["name"], "Anouk Bruggink");
    assert_eq!(body["user"]["role"], "inspector");
    assert!(body["user"]["authority_id"].is_null());
    assert!(uuid::Uuid::parse_str(body["user"]["id"].as_str().unwrap()).is_ok());

    let me: Value = server
        .client
        .get(server.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["name"], "Anouk Bruggink");
}

async fn every_demo_account_of_the_contract_can_log_in_with_its_role(backend: Backend) {
    let server = TestServer::with_demo(backend).await;
    let mut accounts: Vec<(String, &str)> = (1..=12)
        .map(|i| (format!("inspecteur{i}"), "inspector"))
        .collect();
    accounts.extend([
        ("teamleider1".into(), "team_lead"),
        ("teamleider2".into(), "team_lead"),
        ("manager".into(), "manager"),
        ("gemeente1".into(), "authority_viewer"),
        ("admin".into(), "admin"),
    ]);
    for (username, role) in accounts {
        let body: Value = server
            .client
            .post(server.url("/api/v1/auth/login"))
            .json(&json!({"username": username, "password": "schouw-demo"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(body["user"]["role"], role, "{username}");
        assert_eq!(
            body["user"]["authority_id"].is_null(),
            role != "authority_viewer",
            "{username}"
        );
    }
}

async fn a_wrong_password_and_an_unknown_user_get_the_same_answer(backend: Backend) {
    let server = TestServer::with_demo(backend).await;
    let wrong = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"username": "inspecteur1", "password": "fout"}))
        .send()
        .await
        .unwrap();
    let unknown = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"username": "niemand", "password": "schouw-demo"}))
        .send()
        .await
        .unwrap();
    let wrong = error_code(wrong).await;
    let unknown = error_code(unknown).await;
    assert_eq!(wrong.0, 401);
    assert_eq!(wrong.1, "auth.invalid_credentials");
    assert!(!wrong.2.is_empty());
    assert_eq!(wrong, unknown);
}

async fn a_malformed_login_body_is_a_400_with_the_stable_code(backend: Backend) {
    let server = TestServer::with_demo(backend).await;
    for body in [
        "{not json",
        r#"{"username": 12, "password": "x"}"#,
        r#"{"username": "inspecteur1"}"#,
        r#"["inspecteur1", "schouw-demo"]"#,
    ] {
        let response = server
            .client
            .post(server.url("/api/v1/auth/login"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, code, _) = error_code(response).await;
        assert_eq!((status, code.as_str()), (400, "request.invalid"), "{body}");
    }
}

async fn a_body_over_the_limit_is_413_request_too_large(backend: Backend) {
    let server = TestServer::with_demo(backend).await;
    let huge = format!(
        r#"{{"username": "{}", "password": "x"}}"#,
        "a".repeat(2 * 1024 * 1024)
    );
    let response = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_code(response).await;
    assert_eq!((status, code.as_str()), (413, "request.too_large"));
}

async fn requests_without_a_valid_token_are_401_and_a_revoked_token_stops_working(backend: Backend) {
    let server = TestServer::with_demo(backend).await;
    let response = server
        .client
        .get(server.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(response).await.1, "auth.required");
    let response = server
        .client
        .get(server.url("/api/v1/me"))
        .bearer_auth("forged")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(response).await.0, 401);

    let token = server.login("inspecteur2").await;
    let logout = server
        .client
        .post(server.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    let response = server
        .client
        .get(server.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(response).await.1, "auth.required");
}

async fn a_token_stays_valid_across_a_server_restart(backend: Backend) {
    let server = TestServer::with_demo(backend).await;
    let token = server.login("inspecteur3").await;
    // A second server process on the same database stands in for the restarted one.
    let config = (*server.state.config).clone();
    let restarted = server::AppState::new(config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(server::serve(listener, restarted));
    let response = server
        .client
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn unknown_api_paths_are_json_404_and_app_routes_get_the_shell_without_caching(backend: Backend) {
    let server = TestServer::empty(backend).await;
    let response = server
        .client
        .get(server.url("/api/v1/bestaat-niet"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(response).await.0, 404);
    let response = server
        .client
        .get(server.url("/api/elders"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(response).await.1, "request.not_found");
    let shell = server
        .client
        .get(server.url("/vandaag"))
        .send()
        .await
        .unwrap();
    if shell.status() == 200 {
        assert_eq!(shell.headers()["cache-control"], "no-cache");
        assert!(shell.text().await.unwrap().contains("<html lang=\"nl\">"));
    } else {
        // Without a built app the shell route says so instead of pretending.
        assert_eq!(shell.status(), 503);
    }
}
}

/// The build writes q11 brotli and best-gzip siblings of every asset; the server must send those
/// (not a weaker on-the-fly compression) with the year-long cache header.
#[tokio::test]
async fn hashed_assets_are_served_precompressed_and_cacheable_for_a_year() {
    let server = TestServer::empty(tests::Backend::Sqlite).await;
    let dist = server.state.config.dist_dir.clone();
    // Without a built app there is nothing to check: that is a failure, not a pass. `cargo xtask
    // test` builds it first; by hand, `cargo xtask dist`.
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_else(|e| {
        panic!(
            "no built app in {}: run `cargo xtask dist` first ({e})",
            dist.display()
        )
    });
    let start = index
        .find("/assets/app_bg-")
        .expect("the shell names its wasm module");
    let end = start + index[start..].find(".wasm").expect("wasm extension") + ".wasm".len();
    let path = &index[start..end];
    let brotli_len = std::fs::metadata(dist.join(format!("{}.br", path.trim_start_matches('/'))))
        .unwrap()
        .len();
    let response = server
        .client
        .get(server.url(path))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.bytes().await.unwrap().len() as u64, brotli_len);
}
