//! `GET /api/v1/reports/equal-treatment` and its drill-down `.../cases` (team lead, manager):
//! for each LHSO cell over a period, the interventions each inspector chose against the team,
//! with the outlier rule of `shared::equal_treatment`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;

use shared::equal_treatment::{self as et, Case, EqualTreatment, EqualTreatmentCases};
use shared::lhso::Intervention;
use shared::{ErrorCode, Role};

use crate::auth::{require_role, AuthUser};
use crate::db;
use crate::error::AppResult;
use crate::AppState;

/// Without `from`, the figures cover this many days up to `to` (three years).
const DEFAULT_DAYS: u64 = 3 * 365;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
    cell: Option<String>,
    inspector_id: Option<String>,
}

/// The period asked for: `to` defaults to today, `from` to three years before it.
fn period(q: &PeriodQuery) -> Result<(NaiveDate, NaiveDate), ErrorCode> {
    let parse = |t: &Option<String>| {
        t.as_deref()
            .map(|t| super::visits::parse_date(t).ok_or(ErrorCode::RequestInvalid))
            .transpose()
    };
    let to = parse(&q.to)?.unwrap_or_else(|| chrono::Local::now().date_naive());
    let from = parse(&q.from)?.unwrap_or(to - chrono::Days::new(DEFAULT_DAYS));
    if from > to {
        return Err(ErrorCode::RequestInvalid);
    }
    Ok((from, to))
}

async fn load(
    state: &AppState,
    user: &AuthUser,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Case>> {
    require_role(user, &[Role::TeamLead, Role::Manager])?;
    let rows = db::equal_treatment::cases(
        &state.db.pool,
        &user.agency_id,
        &from.to_string(),
        &to.to_string(),
    )
    .await?;
    rows.into_iter()
        .map(|r| {
            let inspected_on = NaiveDate::parse_from_str(&r.inspected_on, "%Y-%m-%d")
                .map_err(anyhow::Error::from)?;
            let remedy_days = r
                .remedy_deadline
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .map(|d| (d - inspected_on).num_days());
            Ok(Case {
                intervention: Intervention::parse(&r.intervention)
                    .ok_or_else(|| anyhow::anyhow!("violation {}: intervention", r.violation_id))?,
                violation_id: r.violation_id,
                visit_id: r.visit_id,
                inspector_id: r.inspector_id,
                inspector_name: r.inspector_name,
                inspected_on,
                site_name: r.site_name,
                cell: r.cell,
                suggested_cell: r.suggested_cell,
                remedy_days,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()
        .map_err(Into::into)
}

/// `GET /api/v1/reports/equal-treatment?from=YYYY-MM-DD&to=YYYY-MM-DD`.
pub async fn figures(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<PeriodQuery>, QueryRejection>,
) -> AppResult<Json<EqualTreatment>> {
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    let (from, to) = period(&query)?;
    let cases = load(&state, &user, from, to).await?;
    Ok(Json(et::equal_treatment(&cases, from, to)))
}

/// `GET /api/v1/reports/equal-treatment/cases?from&to&cell=B3[&inspector_id=]`.
pub async fn cases(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<PeriodQuery>, QueryRejection>,
) -> AppResult<Json<EqualTreatmentCases>> {
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    let (from, to) = period(&query)?;
    let cell = query.cell.as_deref().ok_or(ErrorCode::RequestInvalid)?;
    if cell.parse::<shared::lhso::LhsoCell>().is_err() {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let cases = load(&state, &user, from, to).await?;
    Ok(Json(EqualTreatmentCases {
        cases: et::drill_down(&cases, from, to, cell, query.inspector_id.as_deref()),
    }))
}
