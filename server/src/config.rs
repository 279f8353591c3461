//! Typed configuration in one place: defaults that work out of the box for the embedded demo,
//! environment overrides (or flags) for deployments. Each variable, its default and its help are
//! written once, in the clap attributes below; `schouw --help` lists them. A variable set to the
//! empty string counts as unset.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Command, FromArgMatches};

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Listen address (`127.0.0.1:0` picks a free port and prints it).
    #[arg(long, env = "SCHOUW_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Data directory: the SQLite database and stored blobs.
    #[arg(long = "data", env = "SCHOUW_DATA", default_value = "data")]
    pub data_dir: PathBuf,
    /// A `postgres://` URL for larger deployments; unset means embedded SQLite.
    #[arg(long, env = "SCHOUW_DATABASE_URL")]
    pub database_url: Option<String>,
    /// The built PWA (`cargo xtask dist`).
    #[arg(long = "dist", env = "SCHOUW_DIST", default_value = "dist")]
    pub dist_dir: PathBuf,
    /// Lifetime of a login token in days: long enough that a tablet offline for days stays logged in.
    #[arg(long, env = "SCHOUW_TOKEN_DAYS", default_value_t = 30)]
    pub token_days: i64,
    /// Largest accepted JSON request body, in bytes (1 MiB).
    #[arg(long, env = "SCHOUW_BODY_LIMIT", default_value_t = 1024 * 1024)]
    pub body_limit: usize,
    /// `1`: take the client address from `X-Forwarded-For` (behind a load balancer).
    #[arg(long, env = "SCHOUW_TRUST_PROXY", value_parser = clap::builder::BoolishValueParser::new())]
    pub trust_proxy: bool,
    /// Failed logins allowed per account within `login_window_minutes`.
    #[arg(skip = 10)]
    pub login_max_failures_per_account: i64,
    /// Failed logins allowed per client address within `login_window_minutes`.
    #[arg(skip = 100)]
    pub login_max_failures_per_address: i64,
    #[arg(skip = 15)]
    pub login_window_minutes: i64,
    /// Largest photo (or other blob) accepted, in bytes (20 MiB).
    #[arg(long, env = "SCHOUW_BLOB_MAX_BYTES", default_value_t = 20 * 1024 * 1024)]
    pub blob_max_bytes: u64,
}

/// Treats every variable of `command` that is set to the empty string as unset.
pub fn empty_env_is_unset(command: Command) -> Command {
    command.mut_args(|arg| {
        let empty = arg
            .get_env()
            .and_then(std::env::var_os)
            .is_some_and(|value| value.is_empty());
        if empty {
            arg.env(None)
        } else {
            arg
        }
    })
}

impl Config {
    /// The configuration from the environment alone (no flags).
    pub fn from_env() -> anyhow::Result<Config> {
        let command = empty_env_is_unset(Config::augment_args(Command::new("schouw")));
        Ok(Config::from_arg_matches(
            &command.try_get_matches_from(["schouw"])?,
        )?)
    }

    /// The defaults, whatever the environment says.
    fn defaults() -> Config {
        let command = Config::augment_args(Command::new("schouw")).mut_args(|arg| arg.env(None));
        let matches = command
            .try_get_matches_from(["schouw"])
            .expect("the defaults parse");
        Config::from_arg_matches(&matches).expect("the defaults parse")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_those_of_the_readme() {
        let d = Config::defaults();
        assert_eq!(d.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(d.data_dir, PathBuf::from("data"));
        assert_eq!(d.database_url, None);
        assert_eq!(d.dist_dir, PathBuf::from("dist"));
        assert_eq!(
            (d.token_days, d.body_limit, d.blob_max_bytes),
            (30, 1_048_576, 20_971_520)
        );
        assert!(!d.trust_proxy);
        assert_eq!(
            (
                d.login_max_failures_per_account,
                d.login_max_failures_per_address,
                d.login_window_minutes
            ),
            (10, 100, 15)
        );
    }

    #[test]
    fn flags_override_and_booleans_read_one() {
        let command = Config::augment_args(Command::new("schouw")).mut_args(|arg| arg.env(None));
        let matches = command
            .try_get_matches_from(["schouw", "--token-days", "7", "--trust-proxy"])
            .unwrap();
        let c = Config::from_arg_matches(&matches).unwrap();
        assert_eq!(c.token_days, 7);
        assert!(c.trust_proxy);
    }
}
