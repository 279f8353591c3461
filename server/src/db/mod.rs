//! All SQL lives below this module. One code path for both databases: runtime queries through
//! sqlx's `Any` driver with portable SQL (`$1` placeholders, TEXT ids and times), one migrations
//! folder per database.

pub mod audit;
pub mod blobs;
pub mod board;
pub mod capacity;
pub mod changes;
pub mod checklists;
pub mod configs;
pub mod devices;
pub mod enforcement;
pub mod equal_treatment;
pub mod findings;
pub mod inspections;
pub mod mutations;
pub mod notes;
pub mod photos;
pub mod plan_controls;
pub mod planning;
pub mod programme;
pub mod reports;
pub mod reviews;
pub mod seed;
pub mod sites;
pub mod tokens;
pub mod users;
pub mod violations;
pub mod visits;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};

/// A transaction on either database.
pub type Tx<'c> = Transaction<'c, Any>;

use crate::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backend behind a pool, for the few queries whose SQL differs between the two.
pub fn backend_of(pool: &AnyPool) -> Backend {
    if pool
        .connect_options()
        .database_url
        .scheme()
        .starts_with("postgres")
    {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Recent months of report facts in memory, checked against their versions on every read.
    pub facts: std::sync::Arc<crate::report_cache::FactCache>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Opens the configured database (embedded SQLite under the data directory unless
    /// `SCHOUW_DATABASE_URL` is set) and applies pending migrations.
    pub async fn open(config: &Config) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let url = match &config.database_url {
            Some(url) => url.clone(),
            None => {
                std::fs::create_dir_all(&config.data_dir)?;
                let path = config.data_dir.join("schouw.db");
                format!("sqlite://{}?mode=rwc", path.display())
            }
        };
        let backend = if url.starts_with("postgres") {
            Backend::Postgres
        } else if url.starts_with("sqlite") {
            Backend::Sqlite
        } else {
            anyhow::bail!("unsupported database URL (use sqlite:// or postgres://)");
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            // SQLite serialises writers anyway; a few connections let reads go on beside a write.
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL makes every commit durable
                        // before we acknowledge it to a device.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA busy_timeout = 10000",
                        ] {
                            conn.execute(pragma).await?;
                        }
                    } else {
                        // PostgreSQL's JIT compiles a query whose estimated cost is high; for the
                        // short indexed reads here (a month of report facts, a month's penalties)
                        // compiling took 0.5-2.5 s per query, the query itself 14 ms
                        // (docs/BENCHMARKS.md, "Report facts of recent months in memory").
                        conn.execute("SET jit = off").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        Ok(Db {
            pool,
            backend,
            facts: Default::default(),
        })
    }

    /// True once the database answers a query; used by `/healthz`.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// `$from, $from+1, .., $from+n-1`: the placeholders of `n` consecutive values.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, .., $c), ($c+1, ..), ..` for a multi-row INSERT of `rows` rows of `columns` values.
pub fn values_placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(r * columns + 1, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many ids one `IN (...)` list carries (well under SQLite's 32,766 parameters).
const IN_LIST_MAX: usize = 500;

/// The rows of `select` (a `SELECT .. FROM ..` without `WHERE`) whose `id_column` is one of `ids`:
/// one `WHERE id_column IN ($1, ..)` query per 500 ids, in no particular order; none for no ids.
pub async fn rows_by_ids<T>(
    pool: &AnyPool,
    select: &str,
    id_column: &str,
    ids: &[&str],
) -> sqlx::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_LIST_MAX) {
        let sql = format!(
            "{select} WHERE {id_column} IN ({})",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, T>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        rows.extend(query.fetch_all(pool).await?);
    }
    Ok(rows)
}

/// A unique constraint of the schema that a request can run into: its name as PostgreSQL reports
/// it, and its columns as SQLite names them ("UNIQUE constraint failed: table.column, ..").
#[derive(Debug, Clone, Copy)]
pub struct Unique {
    pub name: &'static str,
    pub columns: &'static str,
}

/// One focus point per agency, year and title in any case (0019).
pub const FOCUS_POINTS_KEY: Unique = Unique {
    name: "focus_points_key",
    columns: "focus_points.agency_id, focus_points.year, focus_points.title_key",
};
/// One programme line per agency, year, product, authority and task group (0010).
pub const PROGRAMME_LINES_KEY: Unique = Unique {
    name: "programme_lines_key",
    columns: "programme_lines.agency_id, programme_lines.year, programme_lines.product, \
              programme_lines.authority_id, programme_lines.task_group",
};
/// One row per agency, kind and version of a configuration (0012).
pub const AGENCY_CONFIGS_PKEY: Unique = Unique {
    name: "agency_configs_pkey",
    columns: "agency_configs.agency_id, agency_configs.kind, agency_configs.version",
};
/// At most one active configuration per agency and kind (0012).
pub const AGENCY_CONFIGS_ONE_ACTIVE: Unique = Unique {
    name: "agency_configs_one_active",
    columns: "agency_configs.agency_id, agency_configs.kind",
};

impl Unique {
    /// True when `e` is a violation of this constraint, on either database.
    pub fn violated_by(&self, e: &sqlx::Error) -> bool {
        let Some(d) = e.as_database_error() else {
            return false;
        };
        d.is_unique_violation()
            && match d.constraint() {
                Some(name) => name == self.name,
                None => d
                    .message()
                    .strip_prefix("UNIQUE constraint failed: ")
                    .is_some_and(|columns| columns == self.columns),
            }
    }
}

/// Current time as stored: RFC 3339 in UTC with second precision, so text order is time order.
pub fn now_text() -> String {
    time_text(chrono::Utc::now())
}

pub fn time_text(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_consecutively() {
        assert_eq!(values_placeholders(2, 2), "($1, $2), ($3, $4)");
        assert_eq!(placeholders(1, 3), "$1, $2, $3");
    }
}
