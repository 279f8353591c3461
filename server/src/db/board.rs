//! The reads of the team lead's day board: the inspectors with their team, and what the field
//! recorded on a day's visits (times, booked hours, violations), one query each.

use sqlx::{AnyPool, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct BoardInspectorRow {
    pub id: String,
    pub display_name: String,
    pub team: Option<String>,
    pub capacity_hours: Option<f64>,
    /// 1 when absent on the board's day.
    pub absent: i64,
}

/// The agency's active inspectors with their team, capacity and absence on `day`, by name.
pub async fn inspectors(
    pool: &AnyPool,
    agency_id: &str,
    day: &str,
) -> sqlx::Result<Vec<BoardInspectorRow>> {
    sqlx::query_as(
        "SELECT u.id, u.display_name, u.team, u.capacity_hours, \
         (SELECT COUNT(*) FROM absences a WHERE a.user_id = u.id AND a.day = $2) AS absent \
         FROM users u WHERE u.agency_id = $1 AND u.role = 'inspector' AND u.active = 1 \
         ORDER BY u.display_name, u.id",
    )
    .bind(agency_id)
    .bind(day)
    .fetch_all(pool)
    .await
}

/// What the field recorded on one started visit.
#[derive(Debug, Clone, FromRow)]
pub struct FieldProgressRow {
    pub visit_id: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub hours_spent: f64,
    pub violations: i64,
}

/// The started visits of the agency planned on `date`, with their violations so far.
pub async fn field_progress(
    pool: &AnyPool,
    agency_id: &str,
    date: &str,
) -> sqlx::Result<Vec<FieldProgressRow>> {
    sqlx::query_as(
        "SELECT i.visit_id, i.started_at, i.finished_at, i.hours_spent, \
         (SELECT COUNT(*) FROM findings f WHERE f.visit_id = i.visit_id AND f.is_violation <> 0) AS violations \
         FROM inspections i JOIN visits v ON v.id = i.visit_id \
         WHERE v.agency_id = $1 AND v.planned_date = $2",
    )
    .bind(agency_id)
    .bind(date)
    .fetch_all(pool)
    .await
}
