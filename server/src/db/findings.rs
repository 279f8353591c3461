//! Findings: one answer per checklist item of a visit.

use sqlx::{Any, AnyPool, FromRow};

use super::Tx;

#[derive(Debug, Clone, FromRow)]
pub struct FindingRow {
    pub id: String,
    pub visit_id: String,
    pub item_id: String,
    pub answer: String,
    pub is_violation: i64,
    pub note: Option<String>,
    pub updated_at: String,
    pub version: i64,
}

const FINDING_COLUMNS: &str =
    "id, visit_id, item_id, answer, is_violation, note, updated_at, version";

pub async fn finding(
    executor: impl sqlx::Executor<'_, Database = Any>,
    id: &str,
) -> sqlx::Result<Option<FindingRow>> {
    sqlx::query_as(&format!(
        "SELECT {FINDING_COLUMNS} FROM findings WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(executor)
    .await
}

pub async fn finding_for_item(
    tx: &mut Tx<'_>,
    visit_id: &str,
    item_id: &str,
) -> sqlx::Result<Option<FindingRow>> {
    sqlx::query_as(&format!(
        "SELECT {FINDING_COLUMNS} FROM findings WHERE visit_id = $1 AND item_id = $2"
    ))
    .bind(visit_id)
    .bind(item_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn insert_finding(
    tx: &mut Tx<'_>,
    f: &FindingRow,
    inspection_id: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO findings (id, visit_id, inspection_id, item_id, answer, is_violation, note, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&f.id)
    .bind(&f.visit_id)
    .bind(inspection_id)
    .bind(&f.item_id)
    .bind(&f.answer)
    .bind(f.is_violation)
    .bind(f.note.as_deref())
    .bind(&f.updated_at)
    .bind(f.version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn update_finding(tx: &mut Tx<'_>, f: &FindingRow) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE findings SET answer = $1, is_violation = $2, note = $3, updated_at = $4, version = $5 WHERE id = $6",
    )
    .bind(&f.answer)
    .bind(f.is_violation)
    .bind(f.note.as_deref())
    .bind(&f.updated_at)
    .bind(f.version)
    .bind(&f.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn findings_of_visit(pool: &AnyPool, visit_id: &str) -> sqlx::Result<Vec<FindingRow>> {
    sqlx::query_as(&format!(
        "SELECT {FINDING_COLUMNS} FROM findings WHERE visit_id = $1 ORDER BY item_id"
    ))
    .bind(visit_id)
    .fetch_all(pool)
    .await
}

/// The findings with these ids (those that exist), for a page of the feed.
pub async fn by_ids(pool: &AnyPool, ids: &[&str]) -> sqlx::Result<Vec<FindingRow>> {
    super::rows_by_ids(
        pool,
        &format!("SELECT {FINDING_COLUMNS} FROM findings"),
        "id",
        ids,
    )
    .await
}
