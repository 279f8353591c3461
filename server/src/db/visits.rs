//! Visits as the API reads them: with their site, and the site's inspection history.

use sqlx::{AnyPool, FromRow};

/// A visit joined with its site.
#[derive(Debug, Clone, FromRow)]
pub struct VisitRow {
    pub id: String,
    pub agency_id: String,
    pub site_id: String,
    pub inspector_id: String,
    pub planned_date: String,
    pub kind: String,
    pub size: String,
    pub route_order: i64,
    pub status: String,
    pub priority_json: String,
    pub version: i64,
    pub site_name: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub sector: String,
    pub authority_id: String,
}

const SELECT: &str =
    "SELECT v.id, v.agency_id, v.site_id, v.inspector_id, v.planned_date, v.kind, \
    v.size, v.route_order, v.status, v.priority_json, v.version, s.name AS site_name, s.street, \
    s.house_number, s.postcode, s.city, s.lat, s.lon, s.sector, s.authority_id \
    FROM visits v JOIN sites s ON s.id = v.site_id";

/// The inspection of a visit as started and finished: pinned template and version, device times.
pub async fn progress(
    pool: &AnyPool,
    visit_id: &str,
) -> sqlx::Result<Option<(Option<String>, Option<i64>, Option<String>, Option<String>)>> {
    sqlx::query_as(
        "SELECT template_id, template_version, started_at, finished_at FROM inspections WHERE visit_id = $1",
    )
    .bind(visit_id)
    .fetch_optional(pool)
    .await
}

/// One inspector's visits on one day, in route order.
pub async fn of_inspector_on(
    pool: &AnyPool,
    inspector_id: &str,
    date: &str,
) -> sqlx::Result<Vec<VisitRow>> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE v.inspector_id = $1 AND v.planned_date = $2 ORDER BY v.route_order"
    ))
    .bind(inspector_id)
    .bind(date)
    .fetch_all(pool)
    .await
}

/// All visits of an agency on one day (optionally only at one authority's sites), per inspector
/// in route order.
pub async fn of_agency_on(
    pool: &AnyPool,
    agency_id: &str,
    date: &str,
    authority_id: Option<&str>,
) -> sqlx::Result<Vec<VisitRow>> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE v.agency_id = $1 AND v.planned_date = $2 AND ($3 IS NULL OR s.authority_id = $3) \
         ORDER BY v.inspector_id, v.route_order"
    ))
    .bind(agency_id)
    .bind(date)
    .bind(authority_id)
    .fetch_all(pool)
    .await
}

/// (id, display name) of the agency's active inspectors, by name.
pub async fn inspectors(pool: &AnyPool, agency_id: &str) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT id, display_name FROM users WHERE agency_id = $1 AND role = 'inspector' AND active = 1 \
         ORDER BY display_name",
    )
    .bind(agency_id)
    .fetch_all(pool)
    .await
}

pub async fn by_id(pool: &AnyPool, id: &str) -> sqlx::Result<Option<VisitRow>> {
    sqlx::query_as(&format!("{SELECT} WHERE v.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
}

#[derive(Debug, Clone, FromRow)]
pub struct PastInspectionRow {
    pub id: String,
    pub inspected_on: String,
    pub kind: String,
    pub result: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct PastViolationRow {
    pub inspection_id: String,
    pub cell: String,
    pub theme: String,
    pub description: String,
    pub rule_ref: String,
    pub intervention: String,
    pub repeat_offence: i64,
    pub remedy_deadline: Option<String>,
    pub remedied_on: Option<String>,
}

/// The most recent `limit` inspections of a site, newest first, and their violations.
pub async fn site_history(
    pool: &AnyPool,
    site_id: &str,
    limit: i64,
) -> sqlx::Result<(Vec<PastInspectionRow>, Vec<PastViolationRow>)> {
    let inspections: Vec<PastInspectionRow> = sqlx::query_as(
        "SELECT id, inspected_on, kind, result FROM inspections WHERE site_id = $1 \
         ORDER BY inspected_on DESC, id LIMIT $2",
    )
    .bind(site_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let violations = sqlx::query_as(
        "SELECT inspection_id, cell, theme, description, rule_ref, intervention, repeat_offence, \
         remedy_deadline, remedied_on FROM violations WHERE site_id = $1 ORDER BY consequence DESC, behaviour DESC, id",
    )
    .bind(site_id)
    .fetch_all(pool)
    .await?;
    Ok((inspections, violations))
}
