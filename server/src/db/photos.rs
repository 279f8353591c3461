//! Photos attached to a visit (optionally to a finding); their bytes are blobs.

use sqlx::{Any, AnyPool, FromRow};

use super::Tx;

#[derive(Debug, Clone, FromRow)]
pub struct PhotoRow {
    pub id: String,
    pub visit_id: String,
    pub finding_id: Option<String>,
    pub sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub captured_at: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub uploaded_by: String,
    pub created_at: String,
    pub version: i64,
}

const PHOTO_COLUMNS: &str =
    "id, visit_id, finding_id, sha256, size_bytes, content_type, width, height, captured_at, \
    lat, lon, accuracy_m, uploaded_by, created_at, version";

pub async fn photo(
    executor: impl sqlx::Executor<'_, Database = Any>,
    id: &str,
) -> sqlx::Result<Option<PhotoRow>> {
    sqlx::query_as(&format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

pub async fn insert_photo(tx: &mut Tx<'_>, p: &PhotoRow) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO photos ({PHOTO_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    ))
    .bind(&p.id)
    .bind(&p.visit_id)
    .bind(p.finding_id.as_deref())
    .bind(&p.sha256)
    .bind(p.size_bytes)
    .bind(&p.content_type)
    .bind(p.width)
    .bind(p.height)
    .bind(p.captured_at.as_deref())
    .bind(p.lat)
    .bind(p.lon)
    .bind(p.accuracy_m)
    .bind(&p.uploaded_by)
    .bind(&p.created_at)
    .bind(p.version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn photos_of_visit(pool: &AnyPool, visit_id: &str) -> sqlx::Result<Vec<PhotoRow>> {
    sqlx::query_as(&format!(
        "SELECT {PHOTO_COLUMNS} FROM photos WHERE visit_id = $1 ORDER BY created_at, id"
    ))
    .bind(visit_id)
    .fetch_all(pool)
    .await
}

/// The photos with these ids (those that exist), for a page of the feed.
pub async fn by_ids(pool: &AnyPool, ids: &[&str]) -> sqlx::Result<Vec<PhotoRow>> {
    super::rows_by_ids(
        pool,
        &format!("SELECT {PHOTO_COLUMNS} FROM photos"),
        "id",
        ids,
    )
    .await
}
