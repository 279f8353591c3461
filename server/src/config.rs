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
        })
    }

    /// A configuration for tests: everything under one fresh directory.
    pub fn for_data_dir(data_dir: PathBuf) -> Config {
        Config {
            addr: "127.0.0.1:0".parse().expect("static address"),
            dist_dir: data_dir.join("dist"),
            data_dir,
            database_url: None,
            token_days: 30,
            body_limit: 1024 * 1024,
        }
    }
}
