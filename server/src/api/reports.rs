//! Realisation monitoring (`GET /api/v1/reports/realisation`): the year's execution programme
//! against the field results, computed by `shared::report` from the rows `db::reports` reads.
//! Authority viewers get their own authority only; asking for another is 403.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;

use shared::lhso::{Intervention, LhsoCell};
use shared::programme::FocusMeasure;
use shared::report::{
    self, AuthorityInput, FocusPointInput, LineInput, PenaltyKind, Realisation, ReportInput,
};
use shared::ErrorCode;

use crate::annual_report::{self, AnnualReport, Format};
use crate::auth::{office_reader, AuthUser};
use crate::db::{self, reports::Scope, Db};
use crate::error::{AppError, AppResult};
use crate::report_cache;
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
    let (authority, input) = period_input(
        &state,
        &user,
        query.year,
        query.months,
        query.authority_id.as_deref(),
    )
    .await?;
    report::realisation(&input, authority.as_deref())
        .map(Json)
        .ok_or_else(|| ErrorCode::RequestInvalid.into())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillQuery {
    year: i32,
    authority_id: Option<String>,
    months: Option<u32>,
    product: Option<String>,
    task_group: Option<String>,
    cell: Option<String>,
    heaviest: Option<bool>,
    figure: Option<String>,
    intervention: Option<String>,
}

/// At most this many inspections in one drill-down answer (`total` says how many there are).
const DRILL_LIMIT: usize = 500;

/// `GET /api/v1/reports/inspections`: the inspections behind a figure of the realisation report,
/// with the same scope, period and rules.
pub async fn inspections(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<DrillQuery>, QueryRejection>,
) -> AppResult<Json<serde_json::Value>> {
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    let cell = query
        .cell
        .as_deref()
        .map(str::parse::<LhsoCell>)
        .transpose()
        .map_err(|_| ErrorCode::RequestInvalid)?;
    let figure = query
        .figure
        .as_deref()
        .map(|f| report::DrillFigure::parse(f).ok_or(ErrorCode::RequestInvalid))
        .transpose()?;
    let intervention = query
        .intervention
        .as_deref()
        .map(|x| Intervention::parse(x).ok_or(ErrorCode::RequestInvalid))
        .transpose()?;
    if let Some(g) = query.task_group.as_deref() {
        shared::programme::TaskGroup::parse(g).ok_or(ErrorCode::RequestInvalid)?;
    }
    let (authority, input) = period_input(
        &state,
        &user,
        query.year,
        query.months,
        query.authority_id.as_deref(),
    )
    .await?;
    let filter = report::DrillDown {
        authority_id: None,
        product: query.product,
        task_group: query.task_group,
        cell,
        heaviest: query.heaviest.unwrap_or(false),
        figure,
        intervention,
    };
    let rows = report::drill_down(&input, authority.as_deref(), &filter)
        .ok_or(ErrorCode::RequestInvalid)?;
    let total = rows.len();
    let shown: Vec<_> = rows.into_iter().take(DRILL_LIMIT).collect();
    Ok(Json(
        serde_json::json!({ "year": query.year, "total": total, "inspections": shown }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PenaltyDrillQuery {
    year: i32,
    authority_id: Option<String>,
    months: Option<u32>,
    /// `forfeited` or `collected`; both when absent.
    kind: Option<String>,
}

/// `GET /api/v1/reports/penalties`: the penalty steps behind the penalty figures of the
/// realisation report (same scope and period), each with its case, newest first.
pub async fn penalties(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<PenaltyDrillQuery>, QueryRejection>,
) -> AppResult<Json<serde_json::Value>> {
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    let kind = query
        .kind
        .as_deref()
        .map(|k| PenaltyKind::parse(k).ok_or(ErrorCode::RequestInvalid))
        .transpose()?;
    let (authority, input) = period_input(
        &state,
        &user,
        query.year,
        query.months,
        query.authority_id.as_deref(),
    )
    .await?;
    let rows = report::penalty_drill_down(&input, authority.as_deref(), kind)
        .ok_or(ErrorCode::RequestInvalid)?;
    let total = rows.len();
    let shown: Vec<_> = rows.into_iter().take(DRILL_LIMIT).collect();
    Ok(Json(
        serde_json::json!({ "year": query.year, "total": total, "penalties": shown }),
    ))
}

/// The rows of a report's period (`months`: 4, 8 or 12, default 12) and scope, after checking the
/// year and period (400) and the authority (403/404); shared by the figures and their drill-down.
async fn period_input(
    state: &AppState,
    user: &AuthUser,
    year: i32,
    months: Option<u32>,
    authority_id: Option<&str>,
) -> Result<(Option<String>, ReportInput), AppError> {
    let months = months.unwrap_or(12);
    if !(2000..=2100).contains(&year) || !report::PERIODS.contains(&months) {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let authority = authority_in_scope(state, user, authority_id).await?;
    let today = chrono::Local::now().date_naive();
    let input = load(
        &state.db,
        &user.agency_id,
        authority.as_deref(),
        year,
        months,
        today,
    )
    .await?;
    Ok((authority, input))
}

/// The authority a report covers: an authority viewer's own (asking for another is 403), or the
/// one asked for by an office role (404 when it is not of the caller's agency), or none (the
/// region).
pub(super) async fn authority_in_scope(
    state: &AppState,
    user: &AuthUser,
    asked: Option<&str>,
) -> Result<Option<String>, AppError> {
    let requested = super::params::optional_uuid(asked)?;
    let authority = match (office_reader(user)?, requested) {
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
    Ok(authority)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualQuery {
    authority_id: Option<String>,
}

/// `GET /api/v1/reports/annual/{year}.{html,csv}[?authority_id=]`: the annual report of the
/// region or of one authority. A year without data is a valid, mostly empty report.
pub async fn annual(
    State(state): State<AppState>,
    user: AuthUser,
    Path(file): Path<String>,
    query: Result<Query<AnnualQuery>, QueryRejection>,
) -> AppResult<Response> {
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    let (year, format) = annual_report::parse_file_name(&file).ok_or(ErrorCode::NotFound)?;
    if !(2000..=2100).contains(&year) {
        return Err(ErrorCode::NotFound.into());
    }
    let authority = authority_in_scope(&state, &user, query.authority_id.as_deref()).await?;
    let report = build(
        &state.db,
        &user.agency_id,
        authority.as_deref(),
        year,
        chrono::Local::now().date_naive(),
    )
    .await?;
    let disposition = match format {
        Format::Html => "inline".to_owned(),
        Format::Csv | Format::Xlsx | Format::Pdf => format!(
            "attachment; filename=\"jaarverslag-{year}.{}\"",
            format.extension()
        ),
    };
    let body = format.render(&report).map_err(AppError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// The annual report of a year: the whole year's figures (up to `today` in the running year).
pub async fn build(
    database: &Db,
    agency_id: &str,
    authority_id: Option<&str>,
    year: i32,
    today: NaiveDate,
) -> Result<AnnualReport, AppError> {
    let input = load(database, agency_id, authority_id, year, 12, today).await?;
    let realisation = report::realisation(&input, authority_id).ok_or(ErrorCode::RequestInvalid)?;
    let agency = db::reports::agency_name(&database.pool, agency_id).await?;
    let authority = authority_id.and_then(|id| {
        realisation
            .by_authority
            .iter()
            .find(|a| a.authority_id == id)
            .map(|a| a.name.clone())
    });
    Ok(AnnualReport {
        agency,
        authority,
        realisation,
    })
}

/// Reads every row the report of one year needs: the programme from the database, the
/// inspection, violation and penalty facts through the in-memory month cache (`report_cache`),
/// limited to the authority in memory.
pub async fn load(
    database: &Db,
    agency_id: &str,
    authority_id: Option<&str>,
    year: i32,
    months: u32,
    today: NaiveDate,
) -> Result<ReportInput, AppError> {
    let pool = &database.pool;
    let from = format!("{year}-01-01");
    let period_end = report::month_end(year, months).ok_or(ErrorCode::RequestInvalid)?;
    let through = period_end.to_string();
    let scope = Scope {
        agency_id,
        authority_id,
        from: &from,
        through: &through,
    };
    let authorities = db::reports::authorities(pool, &scope).await?;
    let lines = db::programme::list(pool, agency_id, i64::from(year), authority_id).await?;
    let focus_points = db::programme::focus_points(pool, agency_id, i64::from(year)).await?;
    let months_facts = database.facts.year(pool, agency_id, year, months).await?;
    let in_scope = |a: &str| authority_id.is_none_or(|id| id == a);
    let mut inspections = Vec::new();
    let mut violations = Vec::new();
    let mut penalties = Vec::new();
    for month in &months_facts {
        penalties.extend(
            month
                .penalties
                .iter()
                .filter(|p| in_scope(&p.authority_id))
                .cloned(),
        );
        inspections.extend(
            month
                .inspections
                .iter()
                .filter(|i| in_scope(&i.authority_id))
                .cloned(),
        );
        violations.extend(
            month
                .violations
                .iter()
                .filter(|v| in_scope(&v.authority_id))
                .map(|v| report_cache::as_of(v, period_end)),
        );
    }
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
                focus_point_id: l.focus_point_id,
            })
            .collect(),
        focus_points: focus_points
            .into_iter()
            .filter_map(|f| {
                Some(FocusPointInput {
                    measure: FocusMeasure::parse(&f.measure)?,
                    id: f.id,
                    title: f.title,
                    goal: f.goal,
                    target_percent: f.target_percent,
                })
            })
            .collect(),
        inspections,
        violations,
        penalties,
    })
}
