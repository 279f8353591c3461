//! Helpers for end-to-end tests: the real server on a random port with a fresh database.

use std::path::PathBuf;

use server::config::Config;
use server::AppState;

/// A running server with its own data directory; everything is removed when it drops.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    _data: tempfile::TempDir,
}

/// The date the demo is loaded for in tests, fixed so tests are reproducible.
pub fn demo_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("valid date")
}

impl TestServer {
    /// An empty, migrated database.
    pub async fn empty() -> TestServer {
        let data = tempfile::tempdir().expect("temp dir");
        let mut config = Config::for_data_dir(data.path().to_path_buf());
        config.dist_dir = dist_dir();
        let state = AppState::new(config).await.expect("server state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let serving = state.clone();
        tokio::spawn(async move {
            server::serve(listener, serving).await.expect("server runs");
        });
        TestServer {
            base,
            client: reqwest::Client::new(),
            state,
            _data: data,
        }
    }

    /// A database holding the demo region with its accounts.
    pub async fn with_demo() -> TestServer {
        let server = TestServer::empty().await;
        server::demo::load_if_empty(&server.state.db, demo_date())
            .await
            .expect("demo loads");
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Logs in and returns the bearer token.
    pub async fn login(&self, username: &str) -> String {
        let response = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(
                &serde_json::json!({"username": username, "password": server::demo::DEMO_PASSWORD}),
            )
            .send()
            .await
            .expect("login request");
        assert_eq!(response.status(), 200, "login of {username}");
        let body: serde_json::Value = response.json().await.expect("login body");
        body["token"].as_str().expect("token").to_owned()
    }
}

/// The built app if there is one (browser tests need it; API tests do not).
fn dist_dir() -> PathBuf {
    std::env::var("SCHOUW_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}
