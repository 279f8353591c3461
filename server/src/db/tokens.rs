//! Server-side session tokens: revocable, and valid across restarts until they expire.

use sqlx::{Any, AnyPool, Executor};

pub async fn insert<'e>(
    executor: impl Executor<'e, Database = Any>,
    token_hash: &str,
    user_id: &str,
    created_at: &str,
    expires_at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(created_at)
    .bind(expires_at)
    .execute(executor)
    .await?;
    Ok(())
}

/// The user id behind a token that is neither revoked nor expired at `now`.
pub async fn active_user(
    pool: &AnyPool,
    token_hash: &str,
    now: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT user_id FROM auth_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await
}

pub async fn revoke<'e>(
    executor: impl Executor<'e, Database = Any>,
    token_hash: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE auth_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(token_hash)
    .execute(executor)
    .await?;
    Ok(())
}
