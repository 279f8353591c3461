//! The read of the equal-treatment figures: every assessed violation of the agency's finished
//! inspections in a period, with who chose what (one query; the figures are `shared`'s).

use sqlx::{AnyPool, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct CaseRow {
    pub violation_id: String,
    pub visit_id: Option<String>,
    pub inspector_id: String,
    pub inspector_name: String,
    pub inspected_on: String,
    pub site_name: String,
    pub cell: String,
    pub suggested_cell: String,
    pub intervention: String,
    pub remedy_deadline: Option<String>,
}

/// The agency's assessed violations inspected between `from` and `to` (inclusive).
pub async fn cases(
    pool: &AnyPool,
    agency_id: &str,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<CaseRow>> {
    sqlx::query_as(
        "SELECT v.id AS violation_id, i.visit_id, i.inspector_id, u.display_name AS inspector_name, \
         i.inspected_on, s.name AS site_name, v.cell, v.suggested_cell, v.intervention, v.remedy_deadline \
         FROM violations v JOIN inspections i ON i.id = v.inspection_id \
         JOIN sites s ON s.id = i.site_id JOIN users u ON u.id = i.inspector_id \
         WHERE s.agency_id = $1 AND i.inspected_on >= $2 AND i.inspected_on <= $3 \
         AND i.finished_at IS NOT NULL",
    )
    .bind(agency_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}
