//! Checklist templates per agency, every version kept: every query on `checklist_templates`.

use sqlx::{Any, Executor, Transaction};

pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    id: &str,
    version: i64,
    title: &str,
    body: &str,
    created_at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO checklist_templates (agency_id, id, version, title, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(agency_id)
    .bind(id)
    .bind(version)
    .bind(title)
    .bind(body)
    .bind(created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The newest version of every template of the agency, as stored JSON bodies, ordered by id.
pub async fn latest(
    executor: impl Executor<'_, Database = Any>,
    agency_id: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT t.body FROM checklist_templates t \
         WHERE t.agency_id = $1 AND t.version = \
           (SELECT MAX(v.version) FROM checklist_templates v WHERE v.agency_id = t.agency_id AND v.id = t.id) \
         ORDER BY t.id",
    )
    .bind(agency_id)
    .fetch_all(executor)
    .await
}

/// One version of a template, as its stored JSON body.
pub async fn version(
    executor: impl Executor<'_, Database = Any>,
    agency_id: &str,
    id: &str,
    version: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT body FROM checklist_templates WHERE agency_id = $1 AND id = $2 AND version = $3",
    )
    .bind(agency_id)
    .bind(id)
    .bind(version)
    .fetch_optional(executor)
    .await
}
