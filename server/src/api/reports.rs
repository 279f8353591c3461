//! Realisation monitoring (`GET /api/v1/reports/realisation`): the year's execution programme
//! against the field results, computed by `shared::report` from the rows `db::reports` reads.
//! Authority viewers get their own authority only; asking for another is 403.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;

use shared::enforcement::{CaseState, StepKind};
use shared::lhso::{Intervention, LhsoCell};
use shared::report::{
    self, AuthorityInput, InspectionInput, LineInput, PenaltyInput, Realisation, Reinspected,
    ReportInput, ViolationInput,
};
use shared::visit::InspectionResult;
use shared::ErrorCode;

use crate::auth::{office_reader, AuthUser};
use crate::db::{self, reports::Scope};
use crate::error::{AppError, AppResult};
use crate::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RealisationQuery {
    year: i32,
    authority_id: Option<String>,
    /// 4, 8 or 12 (default): the months of the year the figures cover.
    months: Option<u32>,
}

/// `GET /api/v1/reports/realisation?year=YYYY[&authority_id=][&months=4|8|12]`.
pub async fn realisation(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<RealisationQuery>, QueryRejection>,
) -> AppResult<Json<Realisation>> {
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    let months = query.months.unwrap_or(12);
    if !(2000..=2100).contains(&query.year) || !report::PERIODS.contains(&months) {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let requested = super::params::optional_uuid(query.authority_id.as_deref())?;
    let authority = match (office_reader(&user)?, requested) {
        (Some(own), Some(asked)) if own != asked => return Err(ErrorCode::AuthForbidden.into()),
        (Some(own), _) => Some(own),
        (None, asked) => asked,
    }
    .map(|a| a.to_string());
    if let Some(id) = &authority {
        if !db::programme::authority_in_agency(&state.db.pool, &user.agency_id, id).await? {
            return Err(ErrorCode::NotFound.into());
        }
    }
    let today = chrono::Local::now().date_naive();
    let input = load(
        &state,
        &user.agency_id,
        authority.as_deref(),
        query.year,
        months,
        today,
    )
    .await?;
    report::realisation(&input, authority.as_deref())
        .map(Json)
        .ok_or_else(|| ErrorCode::RequestInvalid.into())
}

/// Reads every row the report of one year needs.
pub async fn load(
    state: &AppState,
    agency_id: &str,
    authority_id: Option<&str>,
    year: i32,
    months: u32,
    today: NaiveDate,
) -> Result<ReportInput, AppError> {
    let from = format!("{year}-01-01");
    let through = report::month_end(year, months)
        .ok_or(ErrorCode::RequestInvalid)?
        .to_string();
    let scope = Scope {
        agency_id,
        authority_id,
        from: &from,
        through: &through,
    };
    let pool = &state.db.pool;
    let authorities = db::reports::authorities(pool, &scope).await?;
    let lines = db::programme::list(pool, agency_id, i64::from(year), authority_id).await?;
    let inspections = db::reports::inspections(pool, &scope).await?;
    let violations = db::reports::violations(pool, &scope).await?;
    let penalties = db::reports::penalties(pool, &scope).await?;
    let date = |text: &str| NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d");
    let corrupt =
        |what: &str| AppError::Internal(anyhow::anyhow!("unreadable {what} in the database"));
    Ok(ReportInput {
        year,
        months,
        as_of: Some(today),
        authorities: authorities
            .into_iter()
            .map(|a| AuthorityInput {
                id: a.id,
                name: a.name,
            })
            .collect(),
        lines: lines
            .into_iter()
            .map(|l| LineInput {
                product: l.product,
                authority_id: l.authority_id,
                task_group: l.task_group,
                sector: l.sector,
                planned_count: l.planned_count,
                planned_hours: l.planned_hours,
            })
            .collect(),
        inspections: inspections
            .into_iter()
            .map(|i| {
                Ok(InspectionInput {
                    inspected_on: date(&i.inspected_on).map_err(|_| corrupt("inspection date"))?,
                    compliant: i.result == InspectionResult::Compliant.as_str(),
                    reinspection: i.kind == shared::planner::VisitKind::Reinspection.as_str(),
                    id: i.id,
                    authority_id: i.authority_id,
                    sector: i.sector,
                    hours: i.hours_spent,
                })
            })
            .collect::<Result<_, AppError>>()?,
        violations: violations
            .into_iter()
            .map(|v| {
                let cell = |text: &str| text.parse::<LhsoCell>().map_err(|_| corrupt("LHSO cell"));
                Ok(ViolationInput {
                    cell: cell(&v.cell)?,
                    suggested_cell: cell(&v.suggested_cell)?,
                    repeat_offence: v.repeat_offence != 0,
                    intervention: Intervention::parse(&v.intervention)
                        .ok_or_else(|| corrupt("intervention"))?,
                    boa_consultation: v.boa_consultation != 0,
                    reinspected: match v.verdict.as_deref().and_then(StepKind::parse) {
                        Some(StepKind::Remedied) => Reinspected::Remedied,
                        Some(StepKind::NotRemedied) => Reinspected::NotRemedied,
                        _ => Reinspected::No,
                    },
                    inspection_id: v.inspection_id,
                })
            })
            .collect::<Result<_, AppError>>()?,
        penalties: penalties
            .into_iter()
            .filter_map(|p| {
                let on = date(&p.on_date).ok()?;
                let cents = p.amount_cents.unwrap_or(0);
                match CaseState::parse(&p.step)? {
                    CaseState::Forfeited => Some(PenaltyInput::Forfeited(on, cents)),
                    CaseState::Collected => Some(PenaltyInput::Collected(on, cents)),
                    _ => None,
                }
            })
            .collect(),
    })
}
