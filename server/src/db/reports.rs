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
/// and its date.
#[derive(Debug, FromRow)]
pub struct ViolationRow {
    pub inspection_id: String,
    pub authority_id: String,
    pub cell: String,
    pub suggested_cell: String,
    pub repeat_offence: i64,
    pub intervention: String,
    pub boa_consultation: i64,
    /// `remedied` or `not_remedied`; `None` before a re-inspection.
    pub verdict: Option<String>,
    pub verdict_on: Option<String>,
}

/// A forfeited or collected penalty of the period, with its case.
#[derive(Debug, FromRow)]
pub struct PenaltyRow {
    /// The case state the step led to: `forfeited` or `collected`.
    pub step: String,
    pub on_date: String,
    pub amount_cents: Option<i64>,
    pub case_id: String,
    pub site_name: String,
    pub authority_id: String,
    pub cell: String,
    pub found_on: String,
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

// Both read the report facts (migrations 0020, 0021): one range scan of the year per table. A
// large agency's year is some 55,000 inspections. sqlx hands SQLite rows over one by one from its
// worker thread (about 10 us a row, most of the time of a report), so SQLite packs the rows into one
// JSON array that arrives as one value; PostgreSQL streams rows cheaply and is slower at building
// the JSON, so it sends rows (docs/BENCHMARKS.md, "Reports at scale").

/// The rows `SELECT {row} {from}` as tuples `T`.
async fn fact_rows<T>(
    pool: &AnyPool,
    row: &str,
    from: &str,
    scope: &Scope<'_>,
) -> sqlx::Result<Vec<T>>
where
    T: serde::de::DeserializeOwned + for<'r> FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    match super::backend_of(pool) {
        super::Backend::Sqlite => {
            let sql = format!("SELECT json_group_array(json_array({row})) {from}");
            let text: String = sqlx::query_scalar(&sql)
                .bind(scope.agency_id)
                .bind(scope.authority_id)
                .bind(scope.from)
                .bind(scope.through)
                .fetch_one(pool)
                .await?;
            serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
        }
        super::Backend::Postgres => {
            sqlx::query_as(&format!("SELECT {row} {from}"))
                .bind(scope.agency_id)
                .bind(scope.authority_id)
                .bind(scope.from)
                .bind(scope.through)
                .fetch_all(pool)
                .await
        }
    }
}

const INSPECTION_FACTS: &str = "FROM report_inspections WHERE agency_id = $1 \
     AND inspected_on >= $3 AND inspected_on <= $4 AND ($2 IS NULL OR authority_id = $2)";

pub async fn inspections(pool: &AnyPool, scope: &Scope<'_>) -> sqlx::Result<Vec<InspectionRow>> {
    type Row = (String, String, String, String, String, f64, String, String);
    let rows: Vec<Row> = fact_rows(
        pool,
        "inspection_id, site_name, authority_id, sector, inspected_on, hours_spent, result, kind",
        INSPECTION_FACTS,
        scope,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, site_name, authority_id, sector, inspected_on, hours_spent, result, kind)| {
                InspectionRow {
                    id,
                    site_name,
                    authority_id,
                    sector,
                    inspected_on,
                    hours_spent,
                    result,
                    kind,
                }
            },
        )
        .collect())
}

const VIOLATION_FACTS: &str = "FROM report_violations WHERE agency_id = $1 \
     AND inspected_on >= $3 AND inspected_on <= $4 AND ($2 IS NULL OR authority_id = $2)";

/// A report counts the verdict when it was recorded by the end of its period
/// (`report_cache::as_of`). The facts keep a case's first verdict (by step order); this differs
/// from "the first verdict dated within the period" only when a later re-inspection of the same
/// case was entered with an earlier date.
pub async fn violations(pool: &AnyPool, scope: &Scope<'_>) -> sqlx::Result<Vec<ViolationRow>> {
    type Row = (
        String,
        String,
        String,
        String,
        i64,
        String,
        i64,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = fact_rows(
        pool,
        "inspection_id, authority_id, cell, suggested_cell, repeat_offence, intervention, \
         boa_consultation, verdict, verdict_on",
        VIOLATION_FACTS,
        scope,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                inspection_id,
                authority_id,
                cell,
                suggested_cell,
                repeat,
                intervention,
                boa,
                verdict,
                verdict_on,
            )| {
                ViolationRow {
                    inspection_id,
                    authority_id,
                    cell,
                    suggested_cell,
                    repeat_offence: repeat,
                    intervention,
                    boa_consultation: boa,
                    verdict,
                    verdict_on,
                }
            },
        )
        .collect())
}

/// The versions of the agency's fact months `first..=last` (`YYYY-MM`) that ever changed
/// (migration 0022); a month without a row has version 0.
pub async fn fact_versions(
    pool: &AnyPool,
    agency_id: &str,
    first: &str,
    last: &str,
) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "SELECT month, version FROM report_versions WHERE agency_id = $1 AND month >= $2 AND month <= $3",
    )
    .bind(agency_id)
    .bind(first)
    .bind(last)
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
           ORDER BY d.seq DESC LIMIT 1)) AS amount_cents, \
         c.id AS case_id, s.name AS site_name, c.authority_id, c.cell, c.found_on \
         FROM enforcement_steps st JOIN enforcement_cases c ON c.id = st.case_id \
         JOIN sites s ON s.id = c.site_id \
         WHERE st.state IN ($5, $6) AND c.agency_id = $1 AND ($2 IS NULL OR c.authority_id = $2) \
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

/// The triggers of migration 0022 that raise fact versions, per table.
const VERSION_TRIGGERS: [(&str, &str); 5] = [
    ("report_inspections", "report_version_inspection"),
    ("report_violations", "report_version_violation"),
    ("enforcement_steps", "report_version_penalty_step"),
    ("enforcement_cases", "report_version_penalty_case"),
    ("sites", "report_version_penalty_site"),
];

/// A bulk load (the demo region, `schouw generate`) in one transaction: on PostgreSQL a row
/// updated again and again in one transaction leaves a chain of row versions that every further
/// update walks, so raising a month's version once per loaded row would take hours. The loader
/// switches the version triggers off for its transaction (`ALTER TABLE` is transactional there)
/// and raises every month once at the end ([`bump_all_fact_versions`]). SQLite updates in place
/// and keeps its triggers.
pub async fn pause_fact_versions(
    tx: &mut super::Tx<'_>,
    backend: super::Backend,
) -> sqlx::Result<()> {
    if backend == super::Backend::Postgres {
        for (table, trigger) in VERSION_TRIGGERS {
            sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Switches the version triggers on again and raises the version of every month with facts or
/// penalty steps, so no server's cached month survives a bulk load.
pub async fn bump_all_fact_versions(
    tx: &mut super::Tx<'_>,
    backend: super::Backend,
) -> sqlx::Result<()> {
    if backend == super::Backend::Postgres {
        for (table, trigger) in VERSION_TRIGGERS {
            sqlx::query(&format!("ALTER TABLE {table} ENABLE TRIGGER {trigger}"))
                .execute(&mut **tx)
                .await?;
        }
    }
    sqlx::query(
        "INSERT INTO report_versions (agency_id, month, version) \
         SELECT agency_id, month, 1 FROM ( \
           SELECT agency_id, substr(inspected_on, 1, 7) AS month FROM report_inspections \
           UNION SELECT c.agency_id, substr(st.on_date, 1, 7) FROM enforcement_steps st \
             JOIN enforcement_cases c ON c.id = st.case_id \
         ) AS months WHERE true \
         ON CONFLICT (agency_id, month) DO UPDATE SET version = report_versions.version + 1",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
