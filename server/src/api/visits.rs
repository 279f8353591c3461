//! The inspector's day (`GET /me/visits`) and one visit (`GET /visits/{id}`).
//!
//! Tenancy: a visit outside the caller's reach answers 404 exactly like a visit that does not
//! exist, so ids of other agencies, authorities or inspectors reveal nothing.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use shared::coords::OnSite;
use shared::planner::VisitKind;
use shared::risk::VisitSize;
use shared::team::{InspectorDay, TeamDay};
use shared::visit::{
    DayVisits, InspectionResult, NotPossible, NotPossibleReason, PastInspection, PastViolation,
    Visit, VisitDetail, VisitProgress, VisitSite, VisitStatus,
};
use shared::{ErrorCode, Role};

use crate::auth::{office_reader, require_role, AuthUser};
use crate::db;
use crate::db::visits::VisitRow;
use crate::error::AppResult;
use crate::sync::views;
use crate::AppState;

/// How many earlier inspections a visit shows.
const HISTORY_LIMIT: i64 = 10;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DateQuery {
    pub(crate) date: Option<String>,
}

/// A calendar date exactly as `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let ok_shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            matches!(i, 4 | 7) == (b == b'-') && (matches!(i, 4 | 7) || b.is_ascii_digit())
        });
    ok_shape
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

/// `GET /api/v1/me/visits?date=YYYY-MM-DD`: the caller's visits of that day (default today) in
/// route order. Only inspectors have a list of their own.
pub async fn my_visits(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<DateQuery>, QueryRejection>,
) -> AppResult<Json<DayVisits>> {
    require_role(&user, &[Role::Inspector])?;
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    let date = match query.date.as_deref() {
        None => chrono::Local::now().date_naive(),
        Some(text) => parse_date(text).ok_or(ErrorCode::RequestInvalid)?,
    };
    let rows =
        db::visits::of_inspector_on(&state.db.pool, &user.info.id.to_string(), &date.to_string())
            .await?;
    let visits = rows.iter().map(visit).collect::<anyhow::Result<_>>()?;
    Ok(Json(DayVisits { date, visits }))
}

/// `GET /api/v1/team/visits?date=YYYY-MM-DD`: every inspector's visits of that day with progress
/// counts, for team leads, management and admins; an authority's viewer sees the visits at its own
/// sites only. Inspectors have `/me/visits`.
pub async fn team_visits(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<DateQuery>, QueryRejection>,
) -> AppResult<Json<TeamDay>> {
    office_reader(&user)?;
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    let date = match query.date.as_deref() {
        None => chrono::Local::now().date_naive(),
        Some(text) => parse_date(text).ok_or(ErrorCode::RequestInvalid)?,
    };
    Ok(Json(team_day(&state, &user, date).await?))
}

/// The body of `POST /api/v1/team/plan`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    date: NaiveDate,
}

/// `POST /api/v1/team/plan` (team lead, manager): plans the team's day again (API.md
/// "Enforcement"): an unplanned day is planned, and every re-inspection due by then that is on
/// no list yet goes first on its inspector's day; visits on the plan stay as they are. Answers
/// like `GET /team/visits?date=`.
pub async fn plan_day(
    State(state): State<AppState>,
    user: AuthUser,
    crate::error::ApiJson(request): crate::error::ApiJson<PlanRequest>,
) -> AppResult<Json<TeamDay>> {
    require_role(&user, &[Role::TeamLead, Role::Manager])?;
    if db::plan_controls::is_locked(&state.db.pool, &user.agency_id, &request.date.to_string())
        .await?
    {
        return Err(ErrorCode::PlanDayLocked.into());
    }
    let added = crate::planning::plan_team_day(&state.db, &user.agency_id, request.date).await?;
    tracing::info!(agency = %user.agency_id, date = %request.date, added, "team day planned");
    Ok(Json(team_day(&state, &user, request.date).await?))
}

/// Every inspector's visits on `date` (an authority viewer: only their authority's, and only
/// inspectors with visits there).
async fn team_day(state: &AppState, user: &AuthUser, date: NaiveDate) -> AppResult<TeamDay> {
    let authority = office_reader(user)?.map(|a| a.to_string());
    let pool = &state.db.pool;
    let rows = db::visits::of_agency_on(
        pool,
        &user.agency_id,
        &date.to_string(),
        authority.as_deref(),
    )
    .await?;
    let mut days = Vec::new();
    for (id, name) in db::visits::inspectors(pool, &user.agency_id).await? {
        let visits: Vec<Visit> = rows
            .iter()
            .filter(|r| r.inspector_id == id)
            .map(visit)
            .collect::<anyhow::Result<_>>()?;
        if visits.is_empty() && authority.is_some() {
            continue;
        }
        let count = |status: VisitStatus| visits.iter().filter(|v| v.status == status).count();
        days.push(InspectorDay {
            inspector_id: Uuid::parse_str(&id).map_err(anyhow::Error::from)?,
            name,
            planned: count(VisitStatus::Planned),
            in_progress: count(VisitStatus::InProgress),
            done: count(VisitStatus::Done),
            returned: count(VisitStatus::Returned),
            not_possible: count(VisitStatus::NotPossible),
            visits,
        });
    }
    Ok(TeamDay {
        date,
        inspectors: days,
    })
}

/// `GET /api/v1/visits/{id}`: the visit with its notes, findings, photos and the site's history.
pub async fn visit_detail(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<VisitDetail>> {
    let id = Uuid::parse_str(&id).map_err(|_| ErrorCode::NotFound)?;
    detail(&state, &user, &id.to_string()).await.map(Json)
}

/// The visit as `GET /visits/{id}` shows it to `user` (404 when they may not read it).
pub(crate) async fn detail(state: &AppState, user: &AuthUser, id: &str) -> AppResult<VisitDetail> {
    let row = db::visits::by_id(&state.db.pool, id)
        .await?
        .filter(|row| may_read(user, row))
        .ok_or(ErrorCode::NotFound)?;
    let (inspections, violations) =
        db::visits::site_history(&state.db.pool, &row.site_id, &row.id, HISTORY_LIMIT).await?;
    let history = inspections
        .into_iter()
        .map(|i| {
            let violations = violations
                .iter()
                .filter(|v| v.inspection_id == i.id)
                .map(|v| {
                    Ok(PastViolation {
                        cell: v.cell.clone(),
                        theme: v.theme.clone(),
                        description: v.description.clone(),
                        rule_ref: v.rule_ref.clone(),
                        intervention: shared::lhso::Intervention::parse(&v.intervention)
                            .ok_or_else(|| anyhow::anyhow!("intervention {:?}", v.intervention))?,
                        repeat_offence: v.repeat_offence != 0,
                        item_id: v.item_id.clone(),
                        remedy_deadline: v
                            .remedy_deadline
                            .as_deref()
                            .map(stored_date)
                            .transpose()?,
                        remedied_on: v.remedied_on.as_deref().map(stored_date).transpose()?,
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok(PastInspection {
                id: Uuid::parse_str(&i.id)?,
                date: stored_date(&i.inspected_on)?,
                kind: VisitKind::parse(&i.kind)
                    .ok_or_else(|| anyhow::anyhow!("inspection {}: kind {:?}", i.id, i.kind))?,
                result: InspectionResult::parse(&i.result)
                    .ok_or_else(|| anyhow::anyhow!("inspection {}: result {:?}", i.id, i.result))?,
                cells: violations.iter().map(|v| v.cell.clone()).collect(),
                violations,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(VisitDetail {
        visit: visit(&row)?,
        progress: progress(&state.db.pool, &row.id).await?,
        notes: db::notes::notes_of_visit(&state.db.pool, &row.id)
            .await?
            .iter()
            .map(views::note)
            .collect::<anyhow::Result<_>>()?,
        findings: db::findings::findings_of_visit(&state.db.pool, &row.id)
            .await?
            .iter()
            .map(views::finding)
            .collect::<anyhow::Result<_>>()?,
        photos: db::photos::photos_of_visit(&state.db.pool, &row.id)
            .await?
            .iter()
            .map(views::photo)
            .collect::<anyhow::Result<_>>()?,
        violations: db::violations::violations_of_visit(&state.db.pool, &row.id)
            .await?
            .iter()
            .map(views::violation)
            .collect::<anyhow::Result<_>>()?,
        history,
        enforcement: open_cases_of_site(state, &row.site_id).await?,
        reviews: db::reviews::of_visits(&state.db.pool, &[row.id.as_str()])
            .await?
            .iter()
            .filter_map(super::reviews::step)
            .collect(),
    })
}

/// `GET /api/v1/visits/{id}/photos/{photo_id}`: the stored image of one of the visit's photos, for
/// whoever may read the visit (a team lead reviewing it, an authority viewer of its authority).
/// Photos are content-addressed and never change, so a browser may keep them privately.
pub async fn photo_image(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, photo_id)): Path<(String, String)>,
) -> AppResult<axum::response::Response> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (Ok(id), Ok(photo_id)) = (Uuid::parse_str(&id), Uuid::parse_str(&photo_id)) else {
        return Err(ErrorCode::NotFound.into());
    };
    let pool = &state.db.pool;
    db::visits::by_id(pool, &id.to_string())
        .await?
        .filter(|row| may_read(&user, row))
        .ok_or(ErrorCode::NotFound)?;
    let photo = db::photos::photo(pool, &photo_id.to_string())
        .await?
        .filter(|p| p.visit_id == id.to_string())
        .ok_or(ErrorCode::NotFound)?;
    let bytes = match state.blobs.read(&photo.sha256).await {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ErrorCode::NotFound.into())
        }
        Err(e) => return Err(anyhow::Error::from(e).into()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, photo.content_type),
            (
                header::CACHE_CONTROL,
                "private, max-age=604800, immutable".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The site's open enforcement cases, for the re-inspection on the tablet.
async fn open_cases_of_site(
    state: &AppState,
    site_id: &str,
) -> AppResult<Vec<shared::enforcement::EnforcementCase>> {
    let rows = db::enforcement::of_site(&state.db.pool, site_id).await?;
    let open: Vec<_> = rows.into_iter().filter(|r| r.is_open != 0).collect();
    crate::enforcement::views(&state.db.pool, open, chrono::Utc::now().date_naive()).await
}

/// The pinned checklist, the times and the on-site verdict of the visit's inspection (all `None`
/// before the start).
pub(crate) async fn progress(
    pool: &sqlx::AnyPool,
    visit_id: &str,
) -> anyhow::Result<VisitProgress> {
    match db::visits::inspection_info(pool, visit_id).await? {
        Some(row) => progress_of(&row),
        None => Ok(VisitProgress::default()),
    }
}

/// The progress of a started visit, from its inspection row.
pub(crate) fn progress_of(i: &db::visits::InspectionInfoRow) -> anyhow::Result<VisitProgress> {
    let on_site = match i.on_site_check.as_deref() {
        None => OnSite::Unknown,
        Some(check) => OnSite::parse(check)
            .ok_or_else(|| anyhow::anyhow!("inspection of {}: on site {check:?}", i.visit_id))?,
    };
    Ok(VisitProgress {
        template_id: i.template_id.clone(),
        template_version: i.template_version.map(u32::try_from).transpose()?,
        started_at: i.started_at.clone(),
        finished_at: i.finished_at.clone(),
        on_site: Some(on_site),
    })
}

/// Who may read a visit: its own inspector; team leads, managers and admins of its agency; an
/// authority's viewer for sites under that authority.
fn may_read(user: &AuthUser, row: &VisitRow) -> bool {
    if row.agency_id != user.agency_id {
        return false;
    }
    match user.info.role {
        Role::Inspector => row.inspector_id == user.info.id.to_string(),
        Role::TeamLead | Role::Manager | Role::Admin => true,
        Role::AuthorityViewer => user
            .info
            .authority_id
            .is_some_and(|a| a.to_string() == row.authority_id),
    }
}

/// Dates are written only by the server, so one that does not parse is a corrupted row.
fn stored_date(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| anyhow::anyhow!("stored date {text:?}: {e}"))
}

pub(crate) fn visit(row: &VisitRow) -> anyhow::Result<Visit> {
    let bad = |what: &str, value: &str| anyhow::anyhow!("visit {}: bad {what} {value:?}", row.id);
    Ok(Visit {
        id: Uuid::parse_str(&row.id)?,
        site: VisitSite {
            id: Uuid::parse_str(&row.site_id)?,
            name: row.site_name.clone(),
            address: format!(
                "{} {}, {} {}",
                row.street, row.house_number, row.postcode, row.city
            ),
            lat: row.lat,
            lon: row.lon,
            sector: row.sector.clone(),
            authority_id: Uuid::parse_str(&row.authority_id)?,
        },
        kind: VisitKind::parse(&row.kind).ok_or_else(|| bad("kind", &row.kind))?,
        size: VisitSize::parse(&row.size).ok_or_else(|| bad("size", &row.size))?,
        priority: serde_json::from_str(&row.priority_json)?,
        status: VisitStatus::parse(&row.status).ok_or_else(|| bad("status", &row.status))?,
        version: row.version,
        route_order: row.route_order,
        planned_date: stored_date(&row.planned_date)?,
        inspector_id: Uuid::parse_str(&row.inspector_id)?,
        not_possible: match (&row.not_possible_reason, &row.not_possible_at) {
            (Some(reason), Some(at)) => Some(NotPossible {
                reason: NotPossibleReason::parse(reason)
                    .ok_or_else(|| bad("not-possible reason", reason))?,
                note: row.not_possible_note.clone(),
                at: at.clone(),
            }),
            _ => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_calendar_dates_are_accepted() {
        assert_eq!(
            parse_date("2026-11-30"),
            NaiveDate::from_ymd_opt(2026, 11, 30)
        );
        for bad in [
            "2026-11-31",
            "2026-1-30",
            "30-11-2026",
            "2026/11/30",
            "+2026-11-3",
            "",
            "morgen",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
