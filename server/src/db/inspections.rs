//! Inspections: started and finished through a visit, pinned to a checklist version.

use sqlx::FromRow;

use shared::visit::InspectionResult;

use super::Tx;

#[derive(Debug, Clone, FromRow)]
pub struct InspectionState {
    pub id: String,
    pub template_id: Option<String>,
    pub template_version: Option<i64>,
}

pub async fn inspection_of_visit(
    tx: &mut Tx<'_>,
    visit_id: &str,
) -> sqlx::Result<Option<InspectionState>> {
    sqlx::query_as("SELECT id, template_id, template_version FROM inspections WHERE visit_id = $1")
        .bind(visit_id)
        .fetch_optional(&mut **tx)
        .await
}

pub struct InspectionStart<'a> {
    pub id: &'a str,
    pub visit_id: &'a str,
    pub site_id: &'a str,
    pub inspector_id: &'a str,
    pub kind: &'a str,
    pub inspected_on: &'a str,
    pub started_at: &'a str,
    pub template_id: Option<&'a str>,
    pub template_version: Option<i64>,
    pub on_site_check: &'a str,
}

pub async fn insert_inspection(tx: &mut Tx<'_>, i: &InspectionStart<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO inspections (id, site_id, inspector_id, kind, inspected_on, started_at, hours_spent, result, \
         visit_id, template_id, template_version, on_site_check) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $11, $7, $8, $9, $10)",
    )
    .bind(i.id)
    .bind(i.site_id)
    .bind(i.inspector_id)
    .bind(i.kind)
    .bind(i.inspected_on)
    .bind(i.started_at)
    .bind(i.visit_id)
    .bind(i.template_id)
    .bind(i.template_version)
    .bind(i.on_site_check)
    .bind(InspectionResult::Compliant.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn finish_inspection(
    tx: &mut Tx<'_>,
    visit_id: &str,
    finished_at: &str,
    hours_spent: f64,
) -> sqlx::Result<()> {
    let violations: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM findings WHERE visit_id = $1 AND is_violation = 1",
    )
    .bind(visit_id)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE inspections SET finished_at = $1, hours_spent = $2, result = $3, version = version + 1 WHERE visit_id = $4",
    )
    .bind(finished_at)
    .bind(hours_spent)
    .bind(if violations > 0 {
        InspectionResult::Violations
    } else {
        InspectionResult::Compliant
    }
    .as_str())
    .bind(visit_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
