//! Reads for realisation monitoring: the rows `shared::report` computes the figures from, one query
//! per kind, for one agency (optionally one authority) and one period.

use sqlx::{AnyPool, FromRow};

use shared::enforcement::{CaseState, StepKind};

/// The finished inspections of the period, with their site's authority and sector.
#[derive(Debug, FromRow)]
pub struct InspectionRow {
    pub id: String,
    pub site_name: String,
    pub authority_id: String,
    pub sector: String,
    pub inspected_on: String,
    pub hours_spent: f64,
    pub result: String,
    pub kind: String,
}

/// The violations found at those inspections, with the first re-inspection verdict on their case
/// recorded by the end of the period.
#[derive(Debug, FromRow)]
pub struct ViolationRow {
    pub inspection_id: String,
    pub cell: String,
    pub suggested_cell: String,
    pub repeat_offence: i64,
    pub intervention: String,
    pub boa_consultation: i64,
    /// `remedied` or `not_remedied`; `None` before a re-inspection.
    pub verdict: Option<String>,
}

/// A forfeited or collected penalty of the period.
#[derive(Debug, FromRow)]
pub struct PenaltyRow {
    /// The case state the step led to: `forfeited` or `collected`.
    pub step: String,
    pub on_date: String,
    pub amount_cents: Option<i64>,
}

#[derive(Debug, FromRow)]
pub struct AuthorityRow {
    pub id: String,
    pub name: String,
}

/// The period and scope of one report. Dates are `YYYY-MM-DD`, both ends included.
pub struct Scope<'a> {
    pub agency_id: &'a str,
    pub authority_id: Option<&'a str>,
    pub from: &'a str,
    pub through: &'a str,
}

pub async fn authorities(pool: &AnyPool, scope: &Scope<'_>) -> sqlx::Result<Vec<AuthorityRow>> {
    sqlx::query_as(
        "SELECT id, name FROM authorities WHERE agency_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY name",
    )
    .bind(scope.agency_id)
    .bind(scope.authority_id)
    .fetch_all(pool)
    .await
}

/// The agency's name, for the report's title.
pub async fn agency_name(pool: &AnyPool, agency_id: &str) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT name FROM agencies WHERE id = $1")
        .bind(agency_id)
        .fetch_one(pool)
        .await
}

/// The agency with this code, or the only agency when no code is given.
pub async fn agency_by_code(pool: &AnyPool, code: Option<&str>) -> anyhow::Result<String> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM agencies WHERE ($1 IS NULL OR code = $1)")
            .bind(code)
            .fetch_all(pool)
            .await?;
    match ids.as_slice() {
        [id] => Ok(id.clone()),
        [] => anyhow::bail!("geen omgevingsdienst gevonden"),
        _ => anyhow::bail!("meer dan een omgevingsdienst: kies er een met --agency"),
    }
}

const INSPECTIONS_OF_SCOPE: &str = "FROM inspections i JOIN sites s ON s.id = i.site_id \
     WHERE s.agency_id = $1 AND ($2 IS NULL OR s.authority_id = $2) \
     AND i.inspected_on >= $3 AND i.inspected_on <= $4 AND i.finished_at IS NOT NULL";

pub async fn inspections(pool: &AnyPool, scope: &Scope<'_>) -> sqlx::Result<Vec<InspectionRow>> {
    sqlx::query_as(&format!(
        "SELECT i.id, s.name AS site_name, s.authority_id, s.sector, i.inspected_on, i.hours_spent, i.result, i.kind \
         {INSPECTIONS_OF_SCOPE}"
    ))
    .bind(scope.agency_id)
    .bind(scope.authority_id)
    .bind(scope.from)
    .bind(scope.through)
    .fetch_all(pool)
    .await
}

pub async fn violations(pool: &AnyPool, scope: &Scope<'_>) -> sqlx::Result<Vec<ViolationRow>> {
    sqlx::query_as(&format!(
        "SELECT v.inspection_id, v.cell, v.suggested_cell, v.repeat_offence, v.intervention, \
         v.boa_consultation, \
         (SELECT st.step FROM enforcement_cases c JOIN enforcement_steps st ON st.case_id = c.id \
          WHERE c.violation_id = v.id AND st.step IN ($5, $6) AND st.on_date <= $4 \
          ORDER BY st.seq LIMIT 1) AS verdict \
         FROM violations v WHERE v.inspection_id IN (SELECT i.id {INSPECTIONS_OF_SCOPE})"
    ))
    .bind(scope.agency_id)
    .bind(scope.authority_id)
    .bind(scope.from)
    .bind(scope.through)
    .bind(StepKind::Remedied.as_str())
    .bind(StepKind::NotRemedied.as_str())
    .fetch_all(pool)
    .await
}

/// Penalties of the period: a case's first step into the `forfeited` state (the re-inspection
/// after the decision found it not remedied, or the office recorded it), with the step's amount or
/// else the decision's; and every `collected` step with its amount.
pub async fn penalties(pool: &AnyPool, scope: &Scope<'_>) -> sqlx::Result<Vec<PenaltyRow>> {
    sqlx::query_as(
        "SELECT st.state AS step, st.on_date, \
         COALESCE(st.amount_cents, (SELECT d.amount_cents FROM enforcement_steps d \
           WHERE d.case_id = st.case_id AND d.seq < st.seq AND d.step = $7 \
           ORDER BY d.seq DESC LIMIT 1)) AS amount_cents \
         FROM enforcement_steps st JOIN enforcement_cases c ON c.id = st.case_id \
         WHERE c.agency_id = $1 AND ($2 IS NULL OR c.authority_id = $2) \
         AND st.on_date >= $3 AND st.on_date <= $4 \
         AND ((st.state = $5 AND NOT EXISTS (SELECT 1 FROM enforcement_steps p \
               WHERE p.case_id = st.case_id AND p.seq < st.seq AND p.state = $5)) \
           OR (st.step = $6 AND st.state = $6))",
    )
    .bind(scope.agency_id)
    .bind(scope.authority_id)
    .bind(scope.from)
    .bind(scope.through)
    .bind(CaseState::Forfeited.as_str())
    .bind(StepKind::Collected.as_str())
    .bind(StepKind::DecisionTaken.as_str())
    .fetch_all(pool)
    .await
}
