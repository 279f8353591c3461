//! The devices that sync: registered on first push, locked per push, and their health for the
//! team lead (last push, unsent work).

use sqlx::{AnyPool, FromRow};

use super::Tx;

/// Registers a device on first contact. The insert never fails, so it is safe inside a PostgreSQL
/// transaction (a failed statement there would abort the whole transaction); `ON CONFLICT` rather
/// than `WHERE NOT EXISTS`, because two first pushes of one device at the same moment both see no
/// row and the second insert then violated the primary key (a 500 on PostgreSQL).
pub async fn ensure_device(tx: &mut Tx<'_>, device_id: &str, user_id: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sync_devices (device_id, user_id, last_seq, pending_count) \
         VALUES ($1, $2, 0, 0) ON CONFLICT (device_id) DO NOTHING",
    )
    .bind(device_id)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Locks the device row for this transaction (the UPDATE takes the row lock on PostgreSQL and the
/// write lock on SQLite), so two pushes of one device are applied one after the other.
pub async fn lock_device(
    tx: &mut Tx<'_>,
    device_id: &str,
    now: &str,
) -> sqlx::Result<(String, i64)> {
    sqlx::query("UPDATE sync_devices SET last_push_at = $1 WHERE device_id = $2")
        .bind(now)
        .bind(device_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query_as("SELECT user_id, last_seq FROM sync_devices WHERE device_id = $1")
        .bind(device_id)
        .fetch_one(&mut **tx)
        .await
}

pub async fn finish_device(
    tx: &mut Tx<'_>,
    device_id: &str,
    last_seq: i64,
    pending_count: i64,
    oldest_pending_at: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE sync_devices SET last_seq = $1, pending_count = $2, oldest_pending_at = $3 WHERE device_id = $4",
    )
    .bind(last_seq)
    .bind(pending_count)
    .bind(oldest_pending_at)
    .bind(device_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct DeviceRow {
    pub device_id: String,
    pub user_id: String,
    pub user_name: String,
    pub last_seq: i64,
    pub pending_count: i64,
    pub oldest_pending_at: Option<String>,
    pub last_push_at: Option<String>,
}

/// The agency's devices, those with unsent work first, then the longest silent.
pub async fn devices_of_agency(pool: &AnyPool, agency_id: &str) -> sqlx::Result<Vec<DeviceRow>> {
    sqlx::query_as(
        "SELECT d.device_id, d.user_id, u.display_name AS user_name, d.last_seq, d.pending_count, \
         d.oldest_pending_at, d.last_push_at FROM sync_devices d JOIN users u ON u.id = d.user_id \
         WHERE u.agency_id = $1 ORDER BY d.pending_count DESC, d.last_push_at, d.device_id",
    )
    .bind(agency_id)
    .fetch_all(pool)
    .await
}
