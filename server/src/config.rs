//! Typed configuration in one place: defaults that work out of the box for the embedded demo,
//! environment overrides for deployments.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// `SCHOUW_ADDR`, default `127.0.0.1:3000`.
    pub addr: SocketAddr,
    /// `SCHOUW_DATA`, default `./data`: the SQLite database and stored blobs.
    pub data_dir: PathBuf,
    /// `SCHOUW_DATABASE_URL`: a `postgres://` URL for larger deployments; unset means embedded SQLite.
    pub database_url: Option<String>,
    /// `SCHOUW_DIST`, default `./dist`: the built PWA (`cargo xtask dist`).
    pub dist_dir: PathBuf,
    /// `SCHOUW_TOKEN_DAYS`, default 30: long enough that a tablet offline for days stays logged in.
    pub token_days: i64,
    /// `SCHOUW_BODY_LIMIT`, default 1 MiB for JSON requests.
    pub body_limit: usize,
    /// `SCHOUW_TRUST_PROXY=1`: take the client address from `X-Forwarded-For` (behind a load balancer).
    pub trust_proxy: bool,
    /// Failed logins allowed per account, and per client address, within `login_window_minutes`.
    pub login_max_failures_per_account: i64,
    pub login_max_failures_per_address: i64,
    pub login_window_minutes: i64,
    /// `SCHOUW_BLOB_MAX_BYTES`, default 20 MiB: the largest photo or other blob accepted.
    pub blob_max_bytes: u64,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Config> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Ok(Config {
            addr: var("SCHOUW_ADDR")
                .unwrap_or_else(|| "127.0.0.1:3000".into())
                .parse()
                .map_err(|e| anyhow::anyhow!("SCHOUW_ADDR: {e}"))?,
            data_dir: var("SCHOUW_DATA").unwrap_or_else(|| "data".into()).into(),
            database_url: var("SCHOUW_DATABASE_URL"),
            dist_dir: var("SCHOUW_DIST").unwrap_or_else(|| "dist".into()).into(),
            token_days: match var("SCHOUW_TOKEN_DAYS") {
                Some(v) => v
                    .parse()
                    .map_err(|e| anyhow::anyhow!("SCHOUW_TOKEN_DAYS: {e}"))?,
                None => 30,
            },
            body_limit: match var("SCHOUW_BODY_LIMIT") {
                Some(v) => v
                    .parse()
                    .map_err(|e| anyhow::anyhow!("SCHOUW_BODY_LIMIT: {e}"))?,
                None => 1024 * 1024,
            },
            blob_max_bytes: match var("SCHOUW_BLOB_MAX_BYTES") {
                Some(v) => v
                    .parse()
                    .map_err(|e| anyhow::anyhow!("SCHOUW_BLOB_MAX_BYTES: {e}"))?,
                None => 20 * 1024 * 1024,
            },
            trust_proxy: var("SCHOUW_TRUST_PROXY").is_some_and(|v| v == "1" || v == "true"),
            ..Config::defaults()
        })
    }

    fn defaults() -> Config {
        Config {
            addr: "127.0.0.1:3000".parse().expect("static address"),
            data_dir: "data".into(),
            database_url: None,
            dist_dir: "dist".into(),
            token_days: 30,
            body_limit: 1024 * 1024,
            trust_proxy: false,
            login_max_failures_per_account: 10,
            login_max_failures_per_address: 100,
            login_window_minutes: 15,
            blob_max_bytes: 20 * 1024 * 1024,
        }
    }

    /// A configuration for tests: everything under one fresh directory.
    pub fn for_data_dir(data_dir: PathBuf) -> Config {
        Config {
            addr: "127.0.0.1:0".parse().expect("static address"),
            dist_dir: data_dir.join("dist"),
            data_dir,
            ..Config::defaults()
        }
    }
}
