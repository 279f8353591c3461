//! What the day planner reads (sites, inspection history, inspectors, existing plans) and writes
//! (visits and the days it planned).

use shared::visit::VisitStatus;
use sqlx::{Any, AnyPool, FromRow, Transaction};

/// A site with the columns the risk model and the route need.
#[derive(Debug, Clone, FromRow)]
pub struct SiteRiskRow {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub sector: String,
    pub activities: String,
    pub surroundings: String,
    pub attributes: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct InspectionRow {
    pub id: String,
    pub site_id: String,
    pub inspected_on: String,
}

/// A violation with the inspector of the inspection that found it (for the re-inspection).
#[derive(Debug, Clone, FromRow)]
pub struct ViolationRow {
    pub inspection_id: String,
    pub site_id: String,
    pub cell: String,
    pub repeat_offence: i64,
}

/// An open enforcement case: its site, when its re-inspection is due (if one is), and who found
/// the violation.
#[derive(Debug, Clone, FromRow)]
pub struct OpenCaseRow {
    pub site_id: String,
    pub reinspection_due: Option<String>,
    pub inspector_id: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct InspectorRow {
    pub id: String,
    pub start_lat: Option<f64>,
    pub start_lon: Option<f64>,
    /// Hours a day for visits and travel; `None`: the planner's default.
    pub capacity_hours: Option<f64>,
    /// Days (`YYYY-MM-DD`) the inspector is absent, from the planning's first day on.
    #[sqlx(skip)]
    pub absent: Vec<String>,
}

/// A team lead's boost of a site, active on some day on or after the planning's first day.
#[derive(Debug, Clone, FromRow)]
pub struct SiteBoostRow {
    pub site_id: String,
    pub points: f64,
    pub reason: String,
    pub by_user: String,
    pub from_day: String,
    pub until_day: Option<String>,
}

/// The agency's site boosts that have not ended before `from`.
pub async fn site_boosts(
    pool: &AnyPool,
    agency_id: &str,
    from: &str,
) -> sqlx::Result<Vec<SiteBoostRow>> {
    sqlx::query_as(
        "SELECT site_id, points, reason, by_user, from_day, until_day FROM site_boosts \
         WHERE agency_id = $1 AND (until_day IS NULL OR until_day >= $2)",
    )
    .bind(agency_id)
    .bind(from)
    .fetch_all(pool)
    .await
}

/// A visit as the planner writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVisit {
    pub id: String,
    pub agency_id: String,
    pub site_id: String,
    pub inspector_id: String,
    pub planned_date: String,
    pub kind: &'static str,
    pub size: &'static str,
    pub route_order: i64,
    pub priority_json: String,
    pub score: f64,
}

pub async fn agency_ids(pool: &AnyPool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT id FROM agencies ORDER BY id")
        .fetch_all(pool)
        .await
}

pub async fn sites(pool: &AnyPool, agency_id: &str) -> sqlx::Result<Vec<SiteRiskRow>> {
    sqlx::query_as(
        "SELECT id, lat, lon, sector, activities, surroundings, attributes FROM sites \
         WHERE agency_id = $1 ORDER BY id",
    )
    .bind(agency_id)
    .fetch_all(pool)
    .await
}

pub async fn inspections(pool: &AnyPool, agency_id: &str) -> sqlx::Result<Vec<InspectionRow>> {
    sqlx::query_as(
        "SELECT i.id, i.site_id, i.inspected_on FROM inspections i \
         JOIN sites s ON s.id = i.site_id WHERE s.agency_id = $1",
    )
    .bind(agency_id)
    .fetch_all(pool)
    .await
}

pub async fn violations(pool: &AnyPool, agency_id: &str) -> sqlx::Result<Vec<ViolationRow>> {
    sqlx::query_as(
        "SELECT v.inspection_id, v.site_id, v.cell, v.repeat_offence FROM violations v \
         JOIN sites s ON s.id = v.site_id WHERE s.agency_id = $1",
    )
    .bind(agency_id)
    .fetch_all(pool)
    .await
}

/// The agency's open enforcement cases.
pub async fn open_cases(pool: &AnyPool, agency_id: &str) -> sqlx::Result<Vec<OpenCaseRow>> {
    sqlx::query_as(
        "SELECT site_id, reinspection_due, inspector_id FROM enforcement_cases \
         WHERE agency_id = $1 AND is_open = 1 ORDER BY site_id, reinspection_due",
    )
    .bind(agency_id)
    .fetch_all(pool)
    .await
}

/// Active inspectors of the agency, in a stable order.
pub async fn inspectors(
    pool: &AnyPool,
    agency_id: &str,
    from: &str,
) -> sqlx::Result<Vec<InspectorRow>> {
    let mut rows: Vec<InspectorRow> = sqlx::query_as(
        "SELECT id, start_lat, start_lon, capacity_hours FROM users \
         WHERE agency_id = $1 AND role = 'inspector' AND active = 1 ORDER BY id",
    )
    .bind(agency_id)
    .fetch_all(pool)
    .await?;
    let absences: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.user_id, a.day FROM absences a JOIN users u ON u.id = a.user_id \
         WHERE u.agency_id = $1 AND a.day >= $2",
    )
    .bind(agency_id)
    .bind(from)
    .fetch_all(pool)
    .await?;
    for (user, day) in absences {
        if let Some(row) = rows.iter_mut().find(|r| r.id == user) {
            row.absent.push(day);
        }
    }
    Ok(rows)
}

/// Sites that already have a visit on `from` or later, or an earlier one that is neither done nor
/// given back as not possible (a tablet may still have to sync it): they are not planned a second
/// time. A site whose earlier visit was not possible goes back to the planner.
pub async fn sites_with_open_visits(
    pool: &AnyPool,
    agency_id: &str,
    from: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT site_id FROM visits \
         WHERE agency_id = $1 AND (planned_date >= $2 OR status NOT IN ($3, $4))",
    )
    .bind(agency_id)
    .bind(from)
    .bind(VisitStatus::Done.as_str())
    .bind(VisitStatus::NotPossible.as_str())
    .fetch_all(pool)
    .await
}

/// Days between `from` and `to` (inclusive) that were planned before, already hold visits or are
/// locked by a team lead: the planner leaves all of them alone.
pub async fn planned_dates(
    pool: &AnyPool,
    agency_id: &str,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT planned_date FROM planned_days \
         WHERE agency_id = $1 AND planned_date >= $2 AND planned_date <= $3 \
         UNION \
         SELECT DISTINCT planned_date FROM visits \
         WHERE agency_id = $1 AND planned_date >= $2 AND planned_date <= $3 \
         UNION \
         SELECT day FROM day_locks WHERE agency_id = $1 AND day >= $2 AND day <= $3",
    )
    .bind(agency_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

/// Records that the planner made `date`; false when another run got there first (the primary
/// key decides, inside the caller's transaction).
pub async fn claim_day(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    date: &str,
    planned_at: &str,
    model_version: &str,
    visits: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO planned_days (agency_id, planned_date, planned_at, model_version, visits) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agency_id, planned_date) DO NOTHING",
    )
    .bind(agency_id)
    .bind(date)
    .bind(planned_at)
    .bind(model_version)
    .bind(visits)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_visit(
    tx: &mut Transaction<'_, Any>,
    v: &NewVisit,
    created_at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO visits (id, agency_id, site_id, inspector_id, planned_date, kind, size, \
         route_order, status, priority_json, score, created_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $12, $9, $10, $11, 1)",
    )
    .bind(&v.id)
    .bind(&v.agency_id)
    .bind(&v.site_id)
    .bind(&v.inspector_id)
    .bind(&v.planned_date)
    .bind(v.kind)
    .bind(v.size)
    .bind(v.route_order)
    .bind(&v.priority_json)
    .bind(v.score)
    .bind(created_at)
    .bind(VisitStatus::Planned.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// (inspector, visit size) of every visit on a date.
pub async fn visit_sizes(
    tx: &mut Transaction<'_, Any>,
    agency_id: &str,
    date: &str,
) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT inspector_id, size FROM visits WHERE agency_id = $1 AND planned_date = $2",
    )
    .bind(agency_id)
    .bind(date)
    .fetch_all(&mut **tx)
    .await
}

/// Moves an inspector's visits of a date one place down, so a visit can go first. Two steps
/// through a range no day reaches, because the route-order index is checked row by row on
/// PostgreSQL (and route orders stay positive).
pub async fn make_room_first(
    tx: &mut Transaction<'_, Any>,
    inspector_id: &str,
    date: &str,
) -> sqlx::Result<()> {
    for sql in [
        "UPDATE visits SET route_order = route_order + 100000 WHERE inspector_id = $1 AND planned_date = $2",
        "UPDATE visits SET route_order = route_order - 99999 WHERE inspector_id = $1 AND planned_date = $2",
    ] {
        sqlx::query(sql)
            .bind(inspector_id)
            .bind(date)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
