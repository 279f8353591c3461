//! Bulk inserts for loading a region (the demo today; imports reuse them later).
//! Everything goes through one transaction so a region is loaded completely or not at all.

use sqlx::{Any, Transaction};

pub struct AgencyRecord<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub name: &'a str,
}

pub struct AuthorityRecord<'a> {
    pub id: &'a str,
    pub agency_id: &'a str,
    pub kind: &'a str,
    pub cbs_code: &'a str,
    pub name: &'a str,
}

pub struct UserRecord<'a> {
    pub id: &'a str,
    pub agency_id: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub authority_id: Option<&'a str>,
    pub password_hash: &'a str,
    pub created_at: &'a str,
    /// The field team (free text), for the team lead's day board.
    pub team: Option<&'a str>,
}

pub struct SiteRecord {
    pub id: String,
    pub agency_id: String,
    pub authority_id: String,
    pub external_key: String,
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub sector: String,
    pub activities_json: String,
    pub surroundings_json: String,
    pub attributes_json: String,
}

pub struct InspectionRecord {
    pub id: String,
    /// The visit it was made on; history loaded without visits has none.
    pub visit_id: Option<String>,
    pub site_id: String,
    pub inspector_id: Option<String>,
    pub kind: String,
    pub inspected_on: String,
    pub started_at: String,
    pub finished_at: String,
    pub hours_spent: f64,
    pub result: String,
}

pub struct ViolationRecord {
    pub id: String,
    pub inspection_id: String,
    pub site_id: String,
    pub theme: String,
    pub description: String,
    pub rule_ref: String,
    pub consequence: i64,
    pub behaviour: String,
    pub cell: String,
    pub suggested_cell: String,
    pub deviation_reason: Option<String>,
    pub matrix_version: String,
    pub repeat_offence: bool,
    pub intervention: String,
    pub remedy_deadline: Option<String>,
    pub remedied_on: Option<String>,
}

type Tx<'c> = Transaction<'c, Any>;

pub async fn agency(tx: &mut Tx<'_>, r: &AgencyRecord<'_>) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO agencies (id, code, name) VALUES ($1, $2, $3)")
        .bind(r.id)
        .bind(r.code)
        .bind(r.name)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn authority(tx: &mut Tx<'_>, r: &AuthorityRecord<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO authorities (id, agency_id, kind, cbs_code, name) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(r.id)
    .bind(r.agency_id)
    .bind(r.kind)
    .bind(r.cbs_code)
    .bind(r.name)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn user(tx: &mut Tx<'_>, r: &UserRecord<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO users (id, agency_id, username, display_name, role, authority_id, password_hash, created_at, team) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(r.id)
    .bind(r.agency_id)
    .bind(r.username)
    .bind(r.display_name)
    .bind(r.role)
    .bind(r.authority_id)
    .bind(r.password_hash)
    .bind(r.created_at)
    .bind(r.team)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Rows per multi-row insert of `columns` columns: one statement per row would make loading a
/// region slow on PostgreSQL, and SQLite binds a numbered parameter by a linear scan, so
/// statements of many thousands of parameters cost quadratically (docs/BENCHMARKS.md, "Server
/// core"). About 500 parameters per statement suits both.
const fn chunk_rows(columns: usize) -> usize {
    500 / columns
}

pub async fn inspection(tx: &mut Tx<'_>, r: &InspectionRecord) -> sqlx::Result<()> {
    inspections(tx, std::slice::from_ref(r)).await
}

pub async fn inspections(tx: &mut Tx<'_>, rows: &[InspectionRecord]) -> sqlx::Result<()> {
    for chunk in rows.chunks(chunk_rows(10)) {
        let sql = format!(
            "INSERT INTO inspections (id, visit_id, site_id, inspector_id, kind, inspected_on, started_at, \
             finished_at, hours_spent, result) VALUES {}",
            crate::db::values_placeholders(chunk.len(), 10)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(&r.id)
                .bind(r.visit_id.as_deref())
                .bind(&r.site_id)
                .bind(r.inspector_id.as_deref())
                .bind(&r.kind)
                .bind(&r.inspected_on)
                .bind(&r.started_at)
                .bind(&r.finished_at)
                .bind(r.hours_spent)
                .bind(&r.result);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A violation of the demo history; `boa_consultation` is what the matrix advises for its cell,
/// and about half of those consultations took place.
pub async fn violation(
    tx: &mut Tx<'_>,
    r: &ViolationRecord,
    boa_consultation: bool,
) -> sqlx::Result<()> {
    violations(tx, std::slice::from_ref(r), |_| boa_consultation).await
}

/// Violations in multi-row inserts; `boa_consultation` tells per violation what the matrix advises.
pub async fn violations(
    tx: &mut Tx<'_>,
    rows: &[ViolationRecord],
    boa_consultation: impl Fn(&ViolationRecord) -> bool,
) -> sqlx::Result<()> {
    for chunk in rows.chunks(chunk_rows(18)) {
        let sql = format!(
            "INSERT INTO violations (id, inspection_id, site_id, theme, description, rule_ref, consequence, \
             behaviour, cell, suggested_cell, deviation_reason, matrix_version, repeat_offence, intervention, \
             remedy_deadline, remedied_on, boa_consultation, boa_consulted) VALUES {}",
            crate::db::values_placeholders(chunk.len(), 18)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            let boa = boa_consultation(r);
            let consulted = boa.then(|| r.id.as_bytes()[0].is_multiple_of(2));
            q = q
                .bind(&r.id)
                .bind(&r.inspection_id)
                .bind(&r.site_id)
                .bind(&r.theme)
                .bind(&r.description)
                .bind(&r.rule_ref)
                .bind(r.consequence)
                .bind(&r.behaviour)
                .bind(&r.cell)
                .bind(&r.suggested_cell)
                .bind(r.deviation_reason.as_deref())
                .bind(&r.matrix_version)
                .bind(i64::from(r.repeat_offence))
                .bind(&r.intervention)
                .bind(r.remedy_deadline.as_deref())
                .bind(r.remedied_on.as_deref())
                .bind(i64::from(boa))
                .bind(consulted.map(i64::from));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A finished visit of loaded history (the large agency's, which carries its checklist answers).
pub struct HistoricVisit {
    pub id: String,
    pub agency_id: String,
    pub site_id: String,
    pub inspector_id: String,
    pub planned_date: String,
    pub kind: String,
    pub route_order: i64,
}

/// One checklist answer of a historic visit.
pub struct FindingRecord {
    pub id: String,
    pub visit_id: String,
    pub inspection_id: String,
    pub item_id: String,
    /// The answer as the tablet sends it (JSON).
    pub answer: &'static str,
    pub is_violation: bool,
    pub updated_at: String,
}

pub async fn historic_visits(tx: &mut Tx<'_>, rows: &[HistoricVisit]) -> sqlx::Result<()> {
    // Past visits keep no priority: the risk model's reasons are for planning, not for history.
    const NO_PRIORITY: &str = r#"{"score":0.0,"factors":[]}"#;
    for chunk in rows.chunks(chunk_rows(12)) {
        let sql = format!(
            "INSERT INTO visits (id, agency_id, site_id, inspector_id, planned_date, kind, size, route_order, \
             status, priority_json, score, created_at) VALUES {}",
            crate::db::values_placeholders(chunk.len(), 12)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(&r.id)
                .bind(&r.agency_id)
                .bind(&r.site_id)
                .bind(&r.inspector_id)
                .bind(&r.planned_date)
                .bind(&r.kind)
                .bind("M")
                .bind(r.route_order)
                .bind("done")
                .bind(NO_PRIORITY)
                .bind(0.0_f64)
                .bind(format!("{}T06:00:00Z", r.planned_date));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

pub async fn findings(tx: &mut Tx<'_>, rows: &[FindingRecord]) -> sqlx::Result<()> {
    for chunk in rows.chunks(chunk_rows(7)) {
        let sql = format!(
            "INSERT INTO findings (id, visit_id, inspection_id, item_id, answer, is_violation, updated_at) VALUES {}",
            crate::db::values_placeholders(chunk.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(&r.id)
                .bind(&r.visit_id)
                .bind(&r.inspection_id)
                .bind(&r.item_id)
                .bind(r.answer)
                .bind(i64::from(r.is_violation))
                .bind(&r.updated_at);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Where an inspector's day starts and ends (home or office).
pub async fn user_start_location(
    tx: &mut Tx<'_>,
    user_id: &str,
    lat: f64,
    lon: f64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET start_lat = $1, start_lon = $2 WHERE id = $3")
        .bind(lat)
        .bind(lon)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// (case id, seq, step, state after, date, by, amount) of a demo case's step.
type DemoStepRow<'a> = (
    &'a str,
    i64,
    &'a str,
    &'a str,
    String,
    Option<&'a str>,
    Option<i64>,
);

/// The demo's enforcement cases and their steps, in multi-row inserts (thousands of rows: one
/// statement each would make every demo load slow on PostgreSQL).
pub async fn cases(
    tx: &mut Tx<'_>,
    cases: &[crate::demo::enforcement::DemoCase],
) -> anyhow::Result<()> {
    let now = crate::db::now_text();
    for chunk in cases.chunks(50) {
        let sql = format!(
            "INSERT INTO enforcement_cases (id, agency_id, authority_id, site_id, violation_id, inspector_id, \
             found_on, cell, intervention, state, file, reinspection_due, is_open, updated_at, version) VALUES {}",
            crate::db::values_placeholders(chunk.len(), 15)
        );
        let mut q = sqlx::query(&sql);
        for c in chunk {
            q = q
                .bind(&c.id)
                .bind(&c.agency_id)
                .bind(&c.authority_id)
                .bind(&c.site_id)
                .bind(&c.violation_id)
                .bind(c.inspector_id.as_deref())
                .bind(c.found_on.to_string())
                .bind(&c.cell)
                .bind(&c.intervention)
                .bind(c.file.state.as_str())
                .bind(serde_json::to_string(&c.file)?)
                .bind(c.file.reinspection_due().map(|d| d.to_string()))
                .bind(i64::from(c.file.is_open()))
                .bind(&now)
                .bind(1 + i64::try_from(c.steps.len())?);
        }
        q.execute(&mut **tx).await?;
    }
    // Every case's history: `opened`, then its steps.
    let rows: Vec<DemoStepRow<'_>> = cases
        .iter()
        .flat_map(|c| {
            let opened = (
                c.id.as_str(),
                1,
                "opened",
                "open",
                c.found_on.to_string(),
                c.inspector_id.as_deref(),
                None,
            );
            std::iter::once(opened).chain(c.steps.iter().zip(2..).map(
                move |((step, state, on, amount), seq)| {
                    // Re-inspections were the finder's; office steps the team lead's (not in the demo's users).
                    let by = matches!(step, shared::enforcement::Step::Reinspected { .. })
                        .then_some(c.inspector_id.as_deref())
                        .flatten();
                    (
                        c.id.as_str(),
                        seq,
                        step.kind().as_str(),
                        state.as_str(),
                        on.to_string(),
                        by,
                        *amount,
                    )
                },
            ))
        })
        .collect();
    for chunk in rows.chunks(80) {
        let sql = format!(
            "INSERT INTO enforcement_steps (case_id, seq, step, state, on_date, by_user, at, amount_cents) VALUES {}",
            crate::db::values_placeholders(chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for (case_id, seq, step, state, on, by, amount) in chunk {
            q = q
                .bind(*case_id)
                .bind(*seq)
                .bind(*step)
                .bind(*state)
                .bind(on)
                .bind(*by)
                .bind(&now)
                .bind(*amount);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}
