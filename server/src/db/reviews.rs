//! Review steps on finished visits (`visit_reviews`, migration 0023) and the reads of the review
//! list: recently finished visits not approved since, their assessed violations and open conflicts.

use sqlx::{AnyPool, FromRow};

use super::Tx;

#[derive(Debug, Clone, FromRow)]
pub struct ReviewRow {
    pub visit_id: String,
    pub decision: String,
    pub comment: Option<String>,
    pub by_user: String,
    /// The reviewer's display name.
    pub by_name: String,
    pub at: String,
    pub seq: i64,
}

/// Appends a review step to the visit's history.
pub async fn insert(
    tx: &mut Tx<'_>,
    visit_id: &str,
    agency_id: &str,
    decision: &str,
    comment: Option<&str>,
    by: &str,
    at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO visit_reviews (visit_id, seq, agency_id, decision, comment, by_user, at) \
         VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM visit_reviews WHERE visit_id = $1), \
         $2, $3, $4, $5, $6)",
    )
    .bind(visit_id)
    .bind(agency_id)
    .bind(decision)
    .bind(comment)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The review steps of these visits, oldest first per visit.
pub async fn of_visits(pool: &AnyPool, visit_ids: &[&str]) -> sqlx::Result<Vec<ReviewRow>> {
    let mut rows: Vec<ReviewRow> = super::rows_by_ids(
        pool,
        "SELECT r.visit_id, r.decision, r.comment, r.by_user, u.display_name AS by_name, r.at, r.seq \
         FROM visit_reviews r JOIN users u ON u.id = r.by_user",
        "r.visit_id",
        visit_ids,
    )
    .await?;
    rows.sort_by(|a, b| a.visit_id.cmp(&b.visit_id).then_with(|| a.seq.cmp(&b.seq)));
    Ok(rows)
}

/// A finished visit that has not been approved since it was last finished.
#[derive(Debug, Clone, FromRow)]
pub struct CandidateRow {
    pub visit_id: String,
    pub inspection_id: String,
    pub inspector_id: String,
    pub finished_at: String,
}

/// The agency's visits that are done, were finished at or after `since` (RFC 3339) and have no
/// approval at or after their finish, oldest finish first.
pub async fn candidates(
    pool: &AnyPool,
    agency_id: &str,
    since: &str,
) -> sqlx::Result<Vec<CandidateRow>> {
    sqlx::query_as(
        "SELECT v.id AS visit_id, i.id AS inspection_id, v.inspector_id, i.finished_at \
         FROM inspections i JOIN visits v ON v.id = i.visit_id \
         WHERE i.finished_at >= $2 AND v.agency_id = $1 AND v.status = 'done' \
         AND NOT EXISTS (SELECT 1 FROM visit_reviews r WHERE r.visit_id = v.id \
           AND r.decision = 'approve' AND r.at >= i.finished_at) \
         ORDER BY i.finished_at, v.id",
    )
    .bind(agency_id)
    .bind(since)
    .fetch_all(pool)
    .await
}

/// What the review rules read of a violation.
#[derive(Debug, Clone, FromRow)]
pub struct AssessedRow {
    pub inspection_id: String,
    pub cell: String,
    pub suggested_cell: String,
    pub intervention: String,
    pub boa_consultation: i64,
}

pub async fn assessed_violations(
    pool: &AnyPool,
    inspection_ids: &[&str],
) -> sqlx::Result<Vec<AssessedRow>> {
    super::rows_by_ids(
        pool,
        "SELECT inspection_id, cell, suggested_cell, intervention, boa_consultation FROM violations v",
        "v.inspection_id",
        inspection_ids,
    )
    .await
}

/// Unsettled conflicts of the agency's users: (entity id, data) — the data names the visit of a
/// note, finding or photo.
pub async fn open_conflicts(
    pool: &AnyPool,
    agency_id: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT c.entity_id, c.data FROM sync_conflicts c JOIN users u ON u.id = c.user_id \
         WHERE u.agency_id = $1 AND c.resolved_at IS NULL AND NOT EXISTS \
         (SELECT 1 FROM sync_problem_resolutions p WHERE p.mutation_id = c.mutation_id)",
    )
    .bind(agency_id)
    .fetch_all(pool)
    .await
}
