//! Visit notes written on a device.

use sqlx::{Any, AnyPool, FromRow};

use super::Tx;

#[derive(Debug, Clone, FromRow)]
pub struct NoteRow {
    pub id: String,
    pub visit_id: String,
    pub author_id: String,
    pub text: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    /// The author's display name (joined from `users`).
    pub author_name: Option<String>,
}

pub async fn note(
    executor: impl sqlx::Executor<'_, Database = Any>,
    id: &str,
) -> sqlx::Result<Option<NoteRow>> {
    sqlx::query_as("SELECT id, visit_id, author_id, text, created_at, updated_at, version, \
         (SELECT display_name FROM users u WHERE u.id = visit_notes.author_id) AS author_name FROM visit_notes WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await
}

pub async fn insert_note(
    tx: &mut Tx<'_>,
    id: &str,
    visit_id: &str,
    author_id: &str,
    text: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO visit_notes (id, visit_id, author_id, text, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $5, 1)",
    )
    .bind(id)
    .bind(visit_id)
    .bind(author_id)
    .bind(text)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn update_note(tx: &mut Tx<'_>, id: &str, text: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE visit_notes SET text = $1, updated_at = $2, version = version + 1 WHERE id = $3",
    )
    .bind(text)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn notes_of_visit(pool: &AnyPool, visit_id: &str) -> sqlx::Result<Vec<NoteRow>> {
    sqlx::query_as(
        "SELECT id, visit_id, author_id, text, created_at, updated_at, version, \
         (SELECT display_name FROM users u WHERE u.id = visit_notes.author_id) AS author_name FROM visit_notes WHERE visit_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(visit_id)
    .fetch_all(pool)
    .await
}

/// The notes with these ids (those that exist), for a page of the feed.
pub async fn by_ids(pool: &AnyPool, ids: &[&str]) -> sqlx::Result<Vec<NoteRow>> {
    super::rows_by_ids(
        pool,
        "SELECT id, visit_id, author_id, text, created_at, updated_at, version, \
         (SELECT display_name FROM users u WHERE u.id = visit_notes.author_id) AS author_name FROM visit_notes",
        "id",
        ids,
    )
    .await
}
