//! Helpers for end-to-end tests: the real server on a random port with a fresh database, on
//! SQLite and on PostgreSQL (`SCHOUW_TEST_POSTGRES_URL`; see `on_both_databases!`).

pub mod fixtures;
pub mod sim;

use std::path::PathBuf;

use server::config::Config;
use server::AppState;

/// Which database a test server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server for tests, e.g. `postgres://postgres@127.0.0.1:5432/test`.
pub fn postgres_url() -> Option<String> {
    std::env::var("SCHOUW_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())
}

/// The PostgreSQL server for tests; panics when `SCHOUW_TEST_POSTGRES_URL` is unset, so the
/// PostgreSQL half of a test fails instead of passing without having run.
pub fn require_postgres_url() -> String {
    postgres_url().unwrap_or_else(|| {
        panic!(
            "SCHOUW_TEST_POSTGRES_URL is not set: this PostgreSQL test cannot run. Set it to a \
             PostgreSQL server the tests may create databases on (`cargo xtask test` uses \
             postgres://postgres@127.0.0.1:5432/test), or run only the SQLite half with the \
             test filter `on_sqlite`."
        )
    })
}

/// A running server with its own data directory (and its own PostgreSQL database when on
/// PostgreSQL); everything is removed when it drops.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub backend: Backend,
    _data: tempfile::TempDir,
    _database: Option<FreshDatabase>,
}

/// Runs each test once on SQLite (`<name>::on_sqlite`) and once on PostgreSQL
/// (`<name>::on_postgres`). The PostgreSQL half fails when `SCHOUW_TEST_POSTGRES_URL` is unset or
/// the server is unreachable: a test that did not run must not pass (`cargo xtask test` sets the
/// variable). The body gets the backend to start its server with: `TestServer::empty(backend)` or
/// `TestServer::with_demo(backend)`.
#[macro_export]
macro_rules! on_both_databases {
    ($(async fn $name:ident($backend:ident: Backend) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_sqlite() {
                    let $backend = $crate::Backend::Sqlite;
                    $body
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    $crate::require_postgres_url();
                    let $backend = $crate::Backend::Postgres;
                    $body
                }
            }
        )*
    };
}

/// A database of its own on the test PostgreSQL server, dropped when this drops.
pub struct FreshDatabase {
    admin_url: String,
    name: String,
}

impl FreshDatabase {
    /// A new, empty database on the server of `SCHOUW_TEST_POSTGRES_URL` (panics when unset or
    /// unreachable) and its URL, for a server started as a separate process.
    pub async fn on_test_server() -> (FreshDatabase, String) {
        FreshDatabase::create(&require_postgres_url()).await
    }

    async fn create(admin_url: &str) -> (FreshDatabase, String) {
        use sqlx::Connection;
        let name = format!("schouw_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| {
                panic!("PostgreSQL for tests (SCHOUW_TEST_POSTGRES_URL) is not reachable: {e}")
            });
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let url = match admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("SCHOUW_TEST_POSTGRES_URL must name a database"),
        };
        (
            FreshDatabase {
                admin_url: admin_url.to_owned(),
                name,
            },
            url,
        )
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop is synchronous; a short-lived runtime on its own thread does the async cleanup.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                runtime.block_on(async {
                    use sqlx::Connection;
                    if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&mut admin)
                                .await;
                    }
                });
            }
        })
        .join();
    }
}

/// The date the demo is loaded for in tests, fixed so tests are reproducible.
pub fn demo_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("valid date")
}

impl TestServer {
    /// An empty, migrated database.
    pub async fn empty(backend: Backend) -> TestServer {
        let data = tempfile::tempdir().expect("temp dir");
        let mut config = Config::for_data_dir(data.path().to_path_buf());
        config.dist_dir = dist_dir();
        let database = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let (database, url) = FreshDatabase::on_test_server().await;
                config.database_url = Some(url);
                Some(database)
            }
        };
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
            backend,
            _data: data,
            _database: database,
        }
    }

    /// A database holding the demo region with its accounts and its planned visits.
    pub async fn with_demo(backend: Backend) -> TestServer {
        let server = TestServer::empty(backend).await;
        server::demo::load_if_empty(&server.state.db, demo_date())
            .await
            .expect("demo loads");
        // As `serve --demo` does: every inspector gets a plan for the demo date and the next days.
        server::planning::ensure_planned(
            &server.state.db,
            demo_date(),
            server::demo::PLAN_WORKDAYS,
        )
        .await
        .expect("demo is planned");
        server
    }

    /// A `schouw` command (e.g. `audit verify`) on this server's data directory and database.
    pub fn command(&self, args: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(schouw_binary());
        command
            .args(args)
            .env("SCHOUW_DATA", &self.state.config.data_dir)
            .env("RUST_LOG", "warn");
        match &self.state.config.database_url {
            Some(url) => command.env("SCHOUW_DATABASE_URL", url),
            None => command.env_remove("SCHOUW_DATABASE_URL"),
        };
        command
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

/// The `schouw` binary (`cargo build -p server --bin schouw`, which `cargo xtask test` runs), or
/// `SCHOUW_BIN`; panics when it is missing, so a test of the command cannot pass without it.
pub fn schouw_binary() -> PathBuf {
    let path = std::env::var("SCHOUW_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/debug/schouw")
        });
    assert!(
        path.exists(),
        "{} is missing: run `cargo build -p server --bin schouw` first (or set SCHOUW_BIN)",
        path.display()
    );
    path
}

/// The built app if there is one (browser tests need it; API tests do not).
fn dist_dir() -> PathBuf {
    std::env::var("SCHOUW_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}
