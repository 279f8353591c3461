//! Visits: as the API reads them (with their site and the site's inspection history), and as the
//! sync appliers read and move their state.

use sqlx::{AnyPool, FromRow};

use super::Tx;

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
    pub not_possible_reason: Option<String>,
    pub not_possible_note: Option<String>,
    pub not_possible_at: Option<String>,
}

const SELECT: &str =
    "SELECT v.id, v.agency_id, v.site_id, v.inspector_id, v.planned_date, v.kind, \
    v.size, v.route_order, v.status, v.priority_json, v.version, s.name AS site_name, s.street, \
    s.house_number, s.postcode, s.city, s.lat, s.lon, s.sector, s.authority_id, \
    v.not_possible_reason, v.not_possible_note, v.not_possible_at \
    FROM visits v JOIN sites s ON s.id = v.site_id";

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

/// The visits with these ids (those that exist), for a page of the feed.
pub async fn by_ids(pool: &AnyPool, ids: &[&str]) -> sqlx::Result<Vec<VisitRow>> {
    super::rows_by_ids(pool, SELECT, "v.id", ids).await
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
    pub item_id: Option<String>,
}

/// The most recent `limit` inspections of a site, newest first, and their violations; the
/// inspection of `except_visit` (the visit being looked at) is not part of its own history.
pub async fn site_history(
    pool: &AnyPool,
    site_id: &str,
    except_visit: &str,
    limit: i64,
) -> sqlx::Result<(Vec<PastInspectionRow>, Vec<PastViolationRow>)> {
    let inspections: Vec<PastInspectionRow> = sqlx::query_as(
        "SELECT id, inspected_on, kind, result FROM inspections WHERE site_id = $1 \
         AND (visit_id IS NULL OR visit_id <> $3) ORDER BY inspected_on DESC, id LIMIT $2",
    )
    .bind(site_id)
    .bind(limit)
    .bind(except_visit)
    .fetch_all(pool)
    .await?;
    let violations = sqlx::query_as(
        "SELECT v.inspection_id, v.cell, v.theme, v.description, v.rule_ref, v.intervention, v.repeat_offence, \
         v.remedy_deadline, v.remedied_on, f.item_id FROM violations v LEFT JOIN findings f ON f.id = v.finding_id \
         WHERE v.site_id = $1 ORDER BY v.consequence DESC, v.behaviour DESC, v.id",
    )
    .bind(site_id)
    .fetch_all(pool)
    .await?;
    Ok((inspections, violations))
}

/// What the inspection a visit opened recorded at its start and finish.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InspectionInfoRow {
    pub visit_id: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub template_id: Option<String>,
    pub template_version: Option<i64>,
    pub on_site_check: Option<String>,
}

const INSPECTION_INFO: &str = "SELECT visit_id, started_at, finished_at, template_id, \
     template_version, on_site_check FROM inspections";

pub async fn inspection_info(
    pool: &AnyPool,
    visit_id: &str,
) -> sqlx::Result<Option<InspectionInfoRow>> {
    sqlx::query_as(&format!("{INSPECTION_INFO} WHERE visit_id = $1"))
        .bind(visit_id)
        .fetch_optional(pool)
        .await
}

/// The inspections of these visits (the pull feed reads a page's visits at once).
pub async fn inspection_infos(
    pool: &AnyPool,
    visit_ids: &[&str],
) -> sqlx::Result<Vec<InspectionInfoRow>> {
    super::rows_by_ids(pool, INSPECTION_INFO, "visit_id", visit_ids).await
}

/// A visit as the applier needs it: who may write it, where it is, and its state.
#[derive(Debug, Clone, FromRow)]
pub struct VisitState {
    pub id: String,
    pub agency_id: String,
    pub inspector_id: String,
    pub status: String,
    pub version: i64,
    pub site_id: String,
    pub authority_id: String,
    pub lat: f64,
    pub lon: f64,
    pub sector: String,
    pub activities: String,
    /// The visit kind (`planned`, `reinspection`, `sample`), copied onto its inspection.
    pub kind: String,
    /// The agency's on-site radius (`agencies.on_site_radius_m`).
    #[sqlx(try_from = "i64")]
    pub on_site_radius_m: u32,
}

pub async fn visit_state(tx: &mut Tx<'_>, visit_id: &str) -> sqlx::Result<Option<VisitState>> {
    sqlx::query_as(
        "SELECT v.id, v.agency_id, v.inspector_id, v.status, v.version, v.site_id, s.authority_id, s.lat, s.lon, \
         s.sector, s.activities, v.kind, a.on_site_radius_m FROM visits v JOIN sites s ON s.id = v.site_id \
         JOIN agencies a ON a.id = v.agency_id WHERE v.id = $1",
    )
    .bind(visit_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Moves the visit to `status` and returns its new version. Any status but `not_possible` drops
/// the reason a visit was not possible (the inspector went after all).
pub async fn set_visit_status(tx: &mut Tx<'_>, visit_id: &str, status: &str) -> sqlx::Result<i64> {
    sqlx::query(
        "UPDATE visits SET status = $1, version = version + 1, not_possible_reason = NULL, \
         not_possible_note = NULL, not_possible_at = NULL WHERE id = $2",
    )
    .bind(status)
    .bind(visit_id)
    .execute(&mut **tx)
    .await?;
    version_of(tx, visit_id).await
}

async fn version_of(tx: &mut Tx<'_>, visit_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT version FROM visits WHERE id = $1")
        .bind(visit_id)
        .fetch_one(&mut **tx)
        .await
}

/// Marks the visit not possible with the inspector's reason; returns its new version.
pub async fn set_not_possible(
    tx: &mut Tx<'_>,
    visit_id: &str,
    reason: &str,
    note: Option<&str>,
    at: &str,
) -> sqlx::Result<i64> {
    sqlx::query(
        "UPDATE visits SET status = 'not_possible', version = version + 1, not_possible_reason = $1, \
         not_possible_note = $2, not_possible_at = $3 WHERE id = $4",
    )
    .bind(reason)
    .bind(note)
    .bind(at)
    .bind(visit_id)
    .execute(&mut **tx)
    .await?;
    version_of(tx, visit_id).await
}
