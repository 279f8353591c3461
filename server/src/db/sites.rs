//! Supervised sites.

use sqlx::AnyPool;

pub async fn count(pool: &AnyPool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM sites")
        .fetch_one(pool)
        .await
}
