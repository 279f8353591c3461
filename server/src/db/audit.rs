//! The hash-chained audit trail and the failed-login record.

use sqlx::{Any, AnyPool, FromRow, Transaction};

#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor_id: Option<String>,
    pub device_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub old_version: Option<i64>,
    pub new_version: Option<i64>,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Claims the next sequence number; the UPDATE comes first so concurrent appenders queue here.
pub async fn advance_head(tx: &mut Transaction<'_, Any>) -> sqlx::Result<(i64, String)> {
    // One statement: the row lock that serialises writers, and the new seq with the hash to link.
    sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await
}

pub async fn append(tx: &mut Transaction<'_, Any>, row: &AuditRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, device_id, action, entity, entity_id, old_version, \
         new_version, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(row.seq)
    .bind(&row.at)
    .bind(row.actor_id.as_deref())
    .bind(row.device_id.as_deref())
    .bind(&row.action)
    .bind(&row.entity)
    .bind(&row.entity_id)
    .bind(row.old_version)
    .bind(row.new_version)
    .bind(&row.details)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&row.hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A page of the chain in order, for verification without loading it all at once.
pub async fn page_after(pool: &AnyPool, after_seq: i64, limit: i64) -> sqlx::Result<Vec<AuditRow>> {
    sqlx::query_as(
        "SELECT seq, at, actor_id, device_id, action, entity, entity_id, old_version, new_version, details, \
         prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after_seq)
    .bind(limit)
    .fetch_all(pool)
    .await
}

pub async fn head(pool: &AnyPool) -> sqlx::Result<(i64, String)> {
    sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(pool)
        .await
}

pub async fn record_login_failure(
    pool: &AnyPool,
    id: &str,
    username: &str,
    address: &str,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO login_failures (id, username, address, at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(username)
        .bind(address)
        .bind(at)
        .execute(pool)
        .await?;
    Ok(())
}

/// Failures since `since` for the account and for the address.
pub async fn login_failures_since(
    pool: &AnyPool,
    username: &str,
    address: &str,
    since: &str,
) -> sqlx::Result<(i64, i64)> {
    let by_account: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $2")
            .bind(username)
            .bind(since)
            .fetch_one(pool)
            .await?;
    let by_address: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at > $2")
            .bind(address)
            .bind(since)
            .fetch_one(pool)
            .await?;
    Ok((by_account, by_address))
}

/// A successful login resets the account's count; records older than `before` are dropped.
pub async fn clear_login_failures(
    pool: &AnyPool,
    username: &str,
    before: &str,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE username = $1 OR at < $2")
        .bind(username)
        .bind(before)
        .execute(pool)
        .await?;
    Ok(())
}

/// Claims `n` consecutive sequence numbers at once (bulk writes such as a site import); returns the
/// first one and the hash the first new entry links to.
pub async fn reserve(tx: &mut Transaction<'_, Any>, n: i64) -> sqlx::Result<(i64, String)> {
    sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1")
        .bind(n)
        .execute(&mut **tx)
        .await?;
    let (last, hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut **tx)
            .await?;
    Ok((last - n + 1, hash))
}

/// Appends already chained rows with multi-row INSERTs and moves the head's hash to the last one.
pub async fn append_many(tx: &mut Transaction<'_, Any>, rows: &[AuditRow]) -> sqlx::Result<()> {
    const COLUMNS: usize = 12;
    let Some(last) = rows.last() else {
        return Ok(());
    };
    // About 500 parameters per statement: binding `$n` parameters in SQLite costs quadratically
    // in their number (see `db::sites::insert_many`).
    for chunk in rows.chunks(40) {
        let values = super::values_placeholders(chunk.len(), COLUMNS);
        let sql = format!(
            "INSERT INTO audit_log (seq, at, actor_id, device_id, action, entity, entity_id, old_version, \
             new_version, details, prev_hash, hash) VALUES {values}"
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = query
                .bind(row.seq)
                .bind(&row.at)
                .bind(row.actor_id.as_deref())
                .bind(row.device_id.as_deref())
                .bind(&row.action)
                .bind(&row.entity)
                .bind(&row.entity_id)
                .bind(row.old_version)
                .bind(row.new_version)
                .bind(&row.details)
                .bind(&row.prev_hash)
                .bind(&row.hash);
        }
        query.execute(&mut **tx).await?;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&last.hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
