//! Violations assessed through the sync protocol (the row's id is the finding's).

use sqlx::{AnyPool, FromRow};

use super::Tx;

/// A violation's LHSO assessment as the sync protocol writes it (the row's id is the finding's).
pub struct ViolationWrite<'a> {
    pub id: &'a str,
    pub inspection_id: &'a str,
    pub site_id: &'a str,
    pub visit_id: &'a str,
    pub theme: &'a str,
    pub description: &'a str,
    pub rule_ref: &'a str,
    pub consequence: i64,
    pub behaviour: String,
    pub cell: String,
    pub suggested_cell: String,
    pub deviation_reason: Option<&'a str>,
    pub matrix_version: &'a str,
    pub repeat_offence: bool,
    pub repeat_offence_reason: Option<&'a str>,
    pub intervention: &'a str,
    pub intervention_chosen: bool,
    pub intervention_reason: Option<&'a str>,
    pub boa_consultation: bool,
    pub boa_consulted: Option<bool>,
    pub remedy_deadline: Option<String>,
    pub version: i64,
}

/// The version of a finding's violation row, if it has one.
pub async fn violation_version(tx: &mut Tx<'_>, id: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT version FROM violations WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Inserts (version 1) or replaces the assessment of a violation.
pub async fn write_violation(tx: &mut Tx<'_>, v: &ViolationWrite<'_>) -> sqlx::Result<()> {
    if v.version == 1 {
        sqlx::query(
            "INSERT INTO violations (id, inspection_id, site_id, theme, description, rule_ref, consequence, \
             behaviour, cell, suggested_cell, deviation_reason, matrix_version, repeat_offence, intervention, \
             remedy_deadline, finding_id, visit_id, version, repeat_offence_reason, intervention_chosen, \
             intervention_reason, boa_consultation, boa_consulted) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $1, $16, $17, $18, $19, $20, $21, $22)",
        )
    } else {
        sqlx::query(
            "UPDATE violations SET inspection_id = $2, site_id = $3, theme = $4, description = $5, rule_ref = $6, \
             consequence = $7, behaviour = $8, cell = $9, suggested_cell = $10, deviation_reason = $11, \
             matrix_version = $12, repeat_offence = $13, intervention = $14, remedy_deadline = $15, \
             visit_id = $16, version = $17, repeat_offence_reason = $18, intervention_chosen = $19, \
             intervention_reason = $20, boa_consultation = $21, boa_consulted = $22 WHERE id = $1",
        )
    }
    .bind(v.id)
    .bind(v.inspection_id)
    .bind(v.site_id)
    .bind(v.theme)
    .bind(v.description)
    .bind(v.rule_ref)
    .bind(v.consequence)
    .bind(&v.behaviour)
    .bind(&v.cell)
    .bind(&v.suggested_cell)
    .bind(v.deviation_reason)
    .bind(v.matrix_version)
    .bind(i64::from(v.repeat_offence))
    .bind(v.intervention)
    .bind(v.remedy_deadline.as_deref())
    .bind(v.visit_id)
    .bind(v.version)
    .bind(v.repeat_offence_reason)
    .bind(i64::from(v.intervention_chosen))
    .bind(v.intervention_reason)
    .bind(i64::from(v.boa_consultation))
    .bind(v.boa_consulted.map(i64::from))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A violation assessed through the sync protocol (the feed's `violation`).
#[derive(Debug, Clone, FromRow)]
pub struct ViolationRow {
    pub id: String,
    pub visit_id: Option<String>,
    pub cell: String,
    pub suggested_cell: String,
    pub deviation_reason: Option<String>,
    pub matrix_version: String,
    pub repeat_offence: i64,
    pub intervention: String,
    pub intervention_chosen: i64,
    pub intervention_reason: Option<String>,
    pub boa_consultation: i64,
    pub boa_consulted: Option<i64>,
    pub remedy_deadline: Option<String>,
    pub version: i64,
}

/// The columns of a `ViolationRow`.
const VIOLATION_COLUMNS: &str =
    "id, visit_id, cell, suggested_cell, deviation_reason, matrix_version, \
    repeat_offence, intervention, intervention_chosen, intervention_reason, boa_consultation, \
    boa_consulted, remedy_deadline, version";

/// The LHSO assessments of a visit's findings, for the visit's detail (the review page).
pub async fn violations_of_visit(
    pool: &AnyPool,
    visit_id: &str,
) -> sqlx::Result<Vec<ViolationRow>> {
    sqlx::query_as(&format!(
        "SELECT {VIOLATION_COLUMNS} FROM violations WHERE visit_id = $1 ORDER BY id"
    ))
    .bind(visit_id)
    .fetch_all(pool)
    .await
}

/// The violations with these ids (those that exist), for a page of the feed.
pub async fn by_ids(pool: &AnyPool, ids: &[&str]) -> sqlx::Result<Vec<ViolationRow>> {
    super::rows_by_ids(
        pool,
        &format!("SELECT {VIOLATION_COLUMNS} FROM violations"),
        "id",
        ids,
    )
    .await
}
