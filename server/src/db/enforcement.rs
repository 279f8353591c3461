//! Enforcement cases and their steps (0016). A case is written only through
//! `crate::enforcement`, which applies the shared machine first.

use sqlx::{AnyPool, FromRow};

use super::Tx;

/// A case as stored, with what its violation says (for the re-inspection).
#[derive(Debug, Clone, FromRow)]
pub struct CaseRow {
    pub id: String,
    pub agency_id: String,
    pub authority_id: String,
    pub site_id: String,
    pub violation_id: String,
    pub inspector_id: Option<String>,
    pub found_on: String,
    pub cell: String,
    pub intervention: String,
    pub state: String,
    pub file: String,
    pub reinspection_due: Option<String>,
    pub is_open: i64,
    pub version: i64,
    pub visit_id: Option<String>,
    pub description: String,
    pub rule_ref: String,
    pub item_id: Option<String>,
    pub site_name: String,
}

const CASE_SELECT: &str = "SELECT c.id, c.agency_id, c.authority_id, c.site_id, c.violation_id, \
     c.inspector_id, c.found_on, c.cell, c.intervention, c.state, c.file, c.reinspection_due, \
     c.is_open, c.version, v.visit_id, v.description, v.rule_ref, f.item_id, s.name AS site_name \
     FROM enforcement_cases c JOIN violations v ON v.id = c.violation_id \
     JOIN sites s ON s.id = c.site_id LEFT JOIN findings f ON f.id = v.finding_id";

/// The columns a write sets (the violation's texts are read through the join).
pub struct CaseWrite<'a> {
    pub id: &'a str,
    pub agency_id: &'a str,
    pub authority_id: &'a str,
    pub site_id: &'a str,
    pub violation_id: &'a str,
    pub inspector_id: Option<&'a str>,
    pub found_on: &'a str,
    pub cell: &'a str,
    pub intervention: &'a str,
    pub state: &'a str,
    pub file: &'a str,
    pub reinspection_due: Option<&'a str>,
    pub is_open: bool,
    pub updated_at: &'a str,
}

pub async fn insert(tx: &mut Tx<'_>, c: &CaseWrite<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO enforcement_cases (id, agency_id, authority_id, site_id, violation_id, inspector_id, \
         found_on, cell, intervention, state, file, reinspection_due, is_open, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1)",
    )
    .bind(c.id)
    .bind(c.agency_id)
    .bind(c.authority_id)
    .bind(c.site_id)
    .bind(c.violation_id)
    .bind(c.inspector_id)
    .bind(c.found_on)
    .bind(c.cell)
    .bind(c.intervention)
    .bind(c.state)
    .bind(c.file)
    .bind(c.reinspection_due)
    .bind(i64::from(c.is_open))
    .bind(c.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the case's new state if it is still at `base_version`; returns the new version, or
/// `None` when someone else changed it first.
pub async fn update(
    tx: &mut Tx<'_>,
    c: &CaseWrite<'_>,
    base_version: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "UPDATE enforcement_cases SET cell = $2, intervention = $3, state = $4, file = $5, \
         reinspection_due = $6, is_open = $7, updated_at = $8, version = version + 1 \
         WHERE id = $1 AND version = $9 RETURNING version",
    )
    .bind(c.id)
    .bind(c.cell)
    .bind(c.intervention)
    .bind(c.state)
    .bind(c.file)
    .bind(c.reinspection_due)
    .bind(i64::from(c.is_open))
    .bind(c.updated_at)
    .bind(base_version)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn by_id<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    id: &str,
) -> sqlx::Result<Option<CaseRow>> {
    sqlx::query_as(&format!("{CASE_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

pub async fn by_violation(tx: &mut Tx<'_>, violation_id: &str) -> sqlx::Result<Option<CaseRow>> {
    sqlx::query_as(&format!("{CASE_SELECT} WHERE c.violation_id = $1"))
        .bind(violation_id)
        .fetch_optional(&mut **tx)
        .await
}

/// The cases with these ids (those that exist), for a page of the feed.
pub async fn by_ids(pool: &AnyPool, ids: &[&str]) -> sqlx::Result<Vec<CaseRow>> {
    super::rows_by_ids(pool, CASE_SELECT, "c.id", ids).await
}

/// A site's cases, newest first.
pub async fn of_site(pool: &AnyPool, site_id: &str) -> sqlx::Result<Vec<CaseRow>> {
    sqlx::query_as(&format!(
        "{CASE_SELECT} WHERE c.site_id = $1 ORDER BY c.found_on DESC, c.id"
    ))
    .bind(site_id)
    .fetch_all(pool)
    .await
}

/// An agency's cases (one authority's when given), open ones only when asked, oldest due first.
pub async fn of_agency(
    pool: &AnyPool,
    agency_id: &str,
    authority_id: Option<&str>,
    open_only: bool,
) -> sqlx::Result<Vec<CaseRow>> {
    sqlx::query_as(&format!(
        "{CASE_SELECT} WHERE c.agency_id = $1 AND ($2 IS NULL OR c.authority_id = $2) \
         AND ($3 = 0 OR c.is_open = 1) ORDER BY c.reinspection_due IS NULL, c.reinspection_due, c.found_on, c.id"
    ))
    .bind(agency_id)
    .bind(authority_id)
    .bind(i64::from(open_only))
    .fetch_all(pool)
    .await
}

/// One step of a case as stored.
#[derive(Debug, Clone, FromRow)]
pub struct StepRow {
    pub case_id: String,
    pub seq: i64,
    pub step: String,
    pub state: String,
    pub on_date: String,
    pub by_user: Option<String>,
    pub at: String,
    pub note: Option<String>,
    pub amount_cents: Option<i64>,
    pub visit_id: Option<String>,
    pub photo_ids: String,
}

/// Appends a step as the case's next (seq is per case, from 1).
pub async fn append_step(tx: &mut Tx<'_>, s: &StepRow) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO enforcement_steps (case_id, seq, step, state, on_date, by_user, at, note, amount_cents, visit_id, photo_ids) \
         VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM enforcement_steps WHERE case_id = $1), \
         $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&s.case_id)
    .bind(&s.step)
    .bind(&s.state)
    .bind(&s.on_date)
    .bind(s.by_user.as_deref())
    .bind(&s.at)
    .bind(s.note.as_deref())
    .bind(s.amount_cents)
    .bind(s.visit_id.as_deref())
    .bind(&s.photo_ids)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The steps of these cases, in order per case.
pub async fn steps_of(pool: &AnyPool, case_ids: &[&str]) -> sqlx::Result<Vec<StepRow>> {
    let mut rows: Vec<StepRow> = super::rows_by_ids(
        pool,
        "SELECT case_id, seq, step, state, on_date, by_user, at, note, amount_cents, visit_id, photo_ids \
         FROM enforcement_steps",
        "case_id",
        case_ids,
    )
    .await?;
    rows.sort_by(|a, b| (&a.case_id, a.seq).cmp(&(&b.case_id, b.seq)));
    Ok(rows)
}

/// (photo id, finding id) of the photos taken of these violations (a violation's id is its finding's).
pub async fn photos_of(
    pool: &AnyPool,
    violation_ids: &[&str],
) -> sqlx::Result<Vec<(String, String)>> {
    let mut rows: Vec<(String, String)> = super::rows_by_ids(
        pool,
        "SELECT id, finding_id FROM photos",
        "finding_id",
        violation_ids,
    )
    .await?;
    rows.sort();
    Ok(rows)
}
