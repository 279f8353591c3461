//! Content-addressed blobs (stored once per content) and the agencies that hold them.

use sqlx::{Any, AnyPool, FromRow};

use super::Tx;

/// The size of a blob the agency holds (uploaded by one of its users); `None` for any other.
pub async fn blob_size(
    executor: impl sqlx::Executor<'_, Database = Any>,
    agency_id: &str,
    sha256: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT b.size_bytes FROM blobs b JOIN blob_owners o ON o.sha256 = b.sha256 \
         WHERE b.sha256 = $1 AND o.agency_id = $2",
    )
    .bind(sha256)
    .bind(agency_id)
    .fetch_optional(executor)
    .await
}

/// Records a verified upload: the blob (once per content) and that this agency holds it. Two
/// uploads of one content at the same moment both succeed: `ON CONFLICT DO NOTHING` never fails,
/// where a check-then-insert lets the second insert violate the primary key.
pub async fn register_blob(
    pool: &AnyPool,
    agency_id: &str,
    blob: &BlobRow,
    sha256: &str,
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO blobs (sha256, size_bytes, stored_at, content_type, width, height) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha256)
    .bind(blob.size_bytes)
    .bind(super::now_text())
    .bind(blob.content_type.as_deref())
    .bind(blob.width)
    .bind(blob.height)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO blob_owners (agency_id, sha256) VALUES ($1, $2) \
         ON CONFLICT (agency_id, sha256) DO NOTHING",
    )
    .bind(agency_id)
    .bind(sha256)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

#[derive(Debug, Clone, FromRow)]
pub struct BlobRow {
    pub size_bytes: i64,
    pub content_type: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

/// A blob the agency holds, with what its decoding found.
pub async fn blob(tx: &mut Tx<'_>, agency_id: &str, sha256: &str) -> sqlx::Result<Option<BlobRow>> {
    sqlx::query_as(
        "SELECT b.size_bytes, b.content_type, b.width, b.height FROM blobs b \
         JOIN blob_owners o ON o.sha256 = b.sha256 WHERE b.sha256 = $1 AND o.agency_id = $2",
    )
    .bind(sha256)
    .bind(agency_id)
    .fetch_optional(&mut **tx)
    .await
}
