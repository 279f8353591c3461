//! Versioned configuration per agency (`agency_configs`): LHSO matrices and risk models as JSON.
//! The partial unique index `agency_configs_one_active` keeps at most one active version per
//! agency and kind; [`activate`] deactivates the others first, in the caller's transaction.

use sqlx::{Any, AnyPool, FromRow, Transaction};

/// One stored version without its body (for listings).
#[derive(Debug, Clone, FromRow)]
pub struct ConfigVersionRow {
    pub kind: String,
    pub version: String,
    pub active: i64,
    pub created_at: String,
    pub created_by: Option<String>,
    pub created_by_name: Option<String>,
}

/// The body of the active version of `kind`, if the agency has one.
pub async fn active_body(
    pool: &AnyPool,
    agency_id: &str,
    kind: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT body FROM agency_configs WHERE agency_id = $1 AND kind = $2 AND active = 1",
    )
    .bind(agency_id)
    .bind(kind)
    .fetch_optional(pool)
    .await
}

/// The body of a stored version, active or not.
pub async fn body(
    pool: &AnyPool,
    agency_id: &str,
    kind: &str,
    version: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT body FROM agency_configs WHERE agency_id = $1 AND kind = $2 AND version = $3",
    )
    .bind(agency_id)
    .bind(kind)
    .bind(version)
    .fetch_optional(pool)
    .await
}

/// A stored version's body and whether it is active, read inside the writing transaction.
pub async fn stored(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    kind: &str,
    version: &str,
) -> sqlx::Result<Option<(String, i64)>> {
    sqlx::query_as(
        "SELECT body, active FROM agency_configs WHERE agency_id = $1 AND kind = $2 AND version = $3",
    )
    .bind(agency_id)
    .bind(kind)
    .bind(version)
    .fetch_optional(&mut **tx)
    .await
}

/// The version id of the active version of `kind`, inside the writing transaction.
pub async fn active_version(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    kind: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT version FROM agency_configs WHERE agency_id = $1 AND kind = $2 AND active = 1",
    )
    .bind(agency_id)
    .bind(kind)
    .fetch_optional(&mut **tx)
    .await
}

/// Stores a new, inactive version. A version id that exists already violates the primary key.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    kind: &str,
    version: &str,
    body: &str,
    created_at: &str,
    created_by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO agency_configs (agency_id, kind, version, body, active, created_at, created_by) \
         VALUES ($1, $2, $3, $4, 0, $5, $6)",
    )
    .bind(agency_id)
    .bind(kind)
    .bind(version)
    .bind(body)
    .bind(created_at)
    .bind(created_by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Makes `version` the active one of its kind (`None`: none, so the shipped default is in force).
/// Deactivating first keeps the one-active index satisfied after every statement.
pub async fn activate(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    kind: &str,
    version: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE agency_configs SET active = 0 WHERE agency_id = $1 AND kind = $2 AND active = 1",
    )
    .bind(agency_id)
    .bind(kind)
    .execute(&mut **tx)
    .await?;
    if let Some(version) = version {
        sqlx::query(
            "UPDATE agency_configs SET active = 1 WHERE agency_id = $1 AND kind = $2 AND version = $3",
        )
        .bind(agency_id)
        .bind(kind)
        .bind(version)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Every stored version of the agency, per kind, newest first.
pub async fn list(pool: &AnyPool, agency_id: &str) -> sqlx::Result<Vec<ConfigVersionRow>> {
    sqlx::query_as(
        "SELECT c.kind, c.version, c.active, c.created_at, c.created_by, \
         u.display_name AS created_by_name \
         FROM agency_configs c LEFT JOIN users u ON u.id = c.created_by \
         WHERE c.agency_id = $1 ORDER BY c.kind, c.created_at DESC, c.version",
    )
    .bind(agency_id)
    .fetch_all(pool)
    .await
}
