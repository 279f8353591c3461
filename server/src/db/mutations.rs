//! The mutation log of the sync protocol (`sync_mutations`, primary key device+seq, unique
//! mutation id), its conflicts, and the problems a person settles.

use shared::sync::MutationStatus;
use shared::team::ProblemKind;
use sqlx::{AnyPool, FromRow};

use super::Tx;

#[derive(Debug, Clone, FromRow)]
pub struct StoredMutation {
    pub mutation_id: String,
    pub seq: i64,
    pub status: String,
    pub result: String,
}

pub async fn outcome_by_seq(
    tx: &mut Tx<'_>,
    device_id: &str,
    seq: i64,
) -> sqlx::Result<Option<StoredMutation>> {
    sqlx::query_as("SELECT mutation_id, seq, status, result FROM sync_mutations WHERE device_id = $1 AND seq = $2")
        .bind(device_id)
        .bind(seq)
        .fetch_optional(&mut **tx)
        .await
}

/// A mutation received before under any seq. Another user's mutation counts as not found, so a
/// guessed id reveals nothing about someone else's work.
pub async fn outcome_by_id(
    tx: &mut Tx<'_>,
    mutation_id: &str,
    user_id: &str,
) -> sqlx::Result<Option<StoredMutation>> {
    sqlx::query_as(
        "SELECT mutation_id, seq, status, result FROM sync_mutations WHERE mutation_id = $1 AND user_id = $2",
    )
    .bind(mutation_id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await
}

/// A mutation id seen before: its stored outcome when it is this user's, or only that it exists.
pub enum SeenBefore {
    New,
    Own(StoredMutation),
    /// Another user's id: nothing of it may be told.
    Foreign,
}

/// One lookup for "replay of our own mutation" and "an id someone else used".
pub async fn seen_before(
    tx: &mut Tx<'_>,
    mutation_id: &str,
    user_id: &str,
) -> sqlx::Result<SeenBefore> {
    let row: Option<(String, String, i64, String, String)> = sqlx::query_as(
        "SELECT user_id, mutation_id, seq, status, result FROM sync_mutations WHERE mutation_id = $1",
    )
    .bind(mutation_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        None => SeenBefore::New,
        Some((owner, mutation_id, seq, status, result)) if owner == user_id => {
            SeenBefore::Own(StoredMutation {
                mutation_id,
                seq,
                status,
                result,
            })
        }
        Some(_) => SeenBefore::Foreign,
    })
}

pub struct MutationRecord<'a> {
    pub device_id: &'a str,
    pub seq: i64,
    pub mutation_id: &'a str,
    pub user_id: &'a str,
    pub kind: &'a str,
    pub entity_id: &'a str,
    pub base_version: Option<i64>,
    pub device_at: &'a str,
    pub received_at: &'a str,
    pub status: &'a str,
    pub result: &'a str,
}

pub async fn record_mutation(tx: &mut Tx<'_>, m: &MutationRecord<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sync_mutations (device_id, seq, mutation_id, user_id, kind, entity_id, base_version, \
         device_at, received_at, status, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(m.device_id)
    .bind(m.seq)
    .bind(m.mutation_id)
    .bind(m.user_id)
    .bind(m.kind)
    .bind(m.entity_id)
    .bind(m.base_version)
    .bind(m.device_at)
    .bind(m.received_at)
    .bind(m.status)
    .bind(m.result)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub struct ConflictRecord<'a> {
    pub id: &'a str,
    pub mutation_id: &'a str,
    pub device_id: &'a str,
    pub user_id: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub base_version: Option<i64>,
    pub current_version: Option<i64>,
    pub data: &'a str,
    pub created_at: &'a str,
}

pub async fn record_conflict(tx: &mut Tx<'_>, c: &ConflictRecord<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sync_conflicts (id, mutation_id, device_id, user_id, entity, entity_id, base_version, \
         current_version, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c.id)
    .bind(c.mutation_id)
    .bind(c.device_id)
    .bind(c.user_id)
    .bind(c.entity)
    .bind(c.entity_id)
    .bind(c.base_version)
    .bind(c.current_version)
    .bind(c.data)
    .bind(c.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct ConflictRow {
    /// `conflict` or `rejected`.
    pub problem: String,
    pub id: String,
    pub mutation_id: String,
    pub device_id: String,
    pub user_id: String,
    pub user_name: String,
    pub kind: String,
    pub entity: String,
    pub entity_id: String,
    pub base_version: Option<i64>,
    pub current_version: Option<i64>,
    pub data: String,
    pub created_at: String,
}

/// Unresolved conflicts and rejected mutations of an agency (optionally of one user), newest first.
/// Rejections are read from the mutation log, conflicts from their own table.
pub async fn open_problems(
    pool: &AnyPool,
    agency_id: &str,
    user_id: Option<&str>,
) -> sqlx::Result<Vec<ConflictRow>> {
    sqlx::query_as(
        "SELECT CAST($3 AS TEXT) AS problem, c.id, c.mutation_id, c.device_id, c.user_id, u.display_name AS user_name, m.kind, c.entity, \
         c.entity_id, c.base_version, c.current_version, c.data, c.created_at \
         FROM sync_conflicts c JOIN users u ON u.id = c.user_id JOIN sync_mutations m ON m.mutation_id = c.mutation_id \
         WHERE u.agency_id = $1 AND c.resolved_at IS NULL AND ($2 IS NULL OR c.user_id = $2) \
         UNION ALL \
         SELECT CAST($4 AS TEXT) AS problem, m.mutation_id AS id, m.mutation_id, m.device_id, m.user_id, \
         u.display_name AS user_name, m.kind, '' AS entity, m.entity_id, m.base_version, NULL AS current_version, m.result AS data, m.received_at AS created_at \
         FROM sync_mutations m JOIN users u ON u.id = m.user_id \
         WHERE u.agency_id = $1 AND m.status = $5 AND ($2 IS NULL OR m.user_id = $2) \
         AND NOT EXISTS (SELECT 1 FROM sync_problem_resolutions r WHERE r.mutation_id = m.mutation_id) \
         ORDER BY created_at DESC LIMIT 500",
    )
    .bind(agency_id)
    .bind(user_id)
    .bind(ProblemKind::Conflict.as_str())
    .bind(ProblemKind::Rejected.as_str())
    .bind(MutationStatus::Rejected.as_str())
    .fetch_all(pool)
    .await
}

/// An unsettled conflict: the refused mutation as the device sent it, and who sent it from where.
#[derive(Debug, Clone, FromRow)]
pub struct OpenConflictRow {
    pub device_id: String,
    pub user_id: String,
    pub entity_id: String,
    /// `{"type", "data"}` of the refused mutation.
    pub data: String,
}

/// The open conflict kept for the refused mutation `mutation_id`, if it is not settled yet.
pub async fn open_conflict(
    tx: &mut Tx<'_>,
    mutation_id: &str,
) -> sqlx::Result<Option<OpenConflictRow>> {
    sqlx::query_as(
        "SELECT device_id, user_id, entity_id, data FROM sync_conflicts \
         WHERE mutation_id = $1 AND resolved_at IS NULL",
    )
    .bind(mutation_id)
    .fetch_optional(&mut **tx)
    .await
}

/// A mutation the server refused, as far as resolving it needs.
#[derive(Debug, Clone, FromRow)]
pub struct RefusedMutation {
    pub user_id: String,
    pub agency_id: String,
    pub status: String,
}

pub async fn recorded_mutation(
    tx: &mut Tx<'_>,
    mutation_id: &str,
) -> sqlx::Result<Option<RefusedMutation>> {
    sqlx::query_as(
        "SELECT m.user_id, u.agency_id, m.status FROM sync_mutations m JOIN users u ON u.id = m.user_id \
         WHERE m.mutation_id = $1",
    )
    .bind(mutation_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Marks a refused mutation as settled. `false` when it was settled before (by another device or
/// person): the first settlement stands. `ON CONFLICT DO NOTHING`, so two settlements at the same
/// moment never fail a statement (which would abort the PostgreSQL transaction).
pub async fn resolve_problem(
    tx: &mut Tx<'_>,
    mutation_id: &str,
    resolution: &str,
    user_id: &str,
    device_id: Option<&str>,
    at: &str,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO sync_problem_resolutions (mutation_id, resolution, resolved_by, device_id, resolved_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (mutation_id) DO NOTHING",
    )
    .bind(mutation_id)
    .bind(resolution)
    .bind(user_id)
    .bind(device_id)
    .bind(at)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        sqlx::query(
            "UPDATE sync_conflicts SET resolved_at = $2, resolved_by = $3 \
             WHERE mutation_id = $1 AND resolved_at IS NULL",
        )
        .bind(mutation_id)
        .bind(at)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(inserted)
}
