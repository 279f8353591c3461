//! The team lead's hand in the plan (issue "Team lead", planning): move a planned visit to another
//! inspector or day, push a visit to the top of its day with a reason, lock a day against the
//! planner. A visit someone started is never moved (`shared::team::check_movable`); every change
//! is audited and reaches the tablets through the pull feed (a moved visit leaves the old
//! inspector's list and joins the new one's).

use axum::extract::{Path, State};
use axum::Json;
use chrono::NaiveDate;
use uuid::Uuid;

use shared::risk::RiskScore;
use shared::sync::{EntityKind, FeedOp};
use shared::team::{
    self, Absence, BoostRequest, CapacityRequest, DayLock, MoveRequest, SiteBoost, SiteBoostRequest,
};
use shared::visit::{VisitDetail, VisitStatus};
use shared::{ErrorCode, Role};

use crate::audit::{self, AuditEntry};
use crate::auth::{require_role, AuthUser};
use crate::db;
use crate::error::{ApiJson, AppResult};
use crate::AppState;

const PLANNERS: &[Role] = &[Role::TeamLead, Role::Manager];

/// The visit `id` of the caller's agency (404 otherwise, a malformed id included).
async fn own_visit(state: &AppState, user: &AuthUser, id: &str) -> AppResult<db::visits::VisitRow> {
    let id = Uuid::parse_str(id).map_err(|_| ErrorCode::NotFound)?;
    db::visits::by_id(&state.db.pool, &id.to_string())
        .await?
        .filter(|row| row.agency_id == user.agency_id)
        .ok_or_else(|| ErrorCode::NotFound.into())
}

/// The visit as the writing transaction finds it, if a planner may still move it: nobody started
/// it and it is still at the version the planner saw.
async fn movable(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    visit_id: &str,
    seen_version: i64,
) -> AppResult<db::plan_controls::PlacedVisit> {
    let placed = db::plan_controls::placed(tx, visit_id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    team::check_movable(VisitStatus::parse(&placed.status).ok_or(ErrorCode::Internal)?)?;
    if placed.version != seen_version {
        return Err(ErrorCode::RecordVersionConflict.into());
    }
    Ok(placed)
}

/// The audit entry of a day's flag a planner set (a lock, an absence).
async fn audit_day_flag(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &str,
    action: &str,
    (entity, entity_id): (&str, &str),
    day: NaiveDate,
) -> AppResult<()> {
    audit::record(
        tx,
        &AuditEntry {
            actor_id: Some(actor),
            device_id: None,
            action,
            entity,
            entity_id,
            old_version: None,
            new_version: None,
            details: serde_json::json!({ "date": day }),
        },
    )
    .await?;
    Ok(())
}

/// One feed entry for a visit: `Upsert` for the inspector who has it, `Delete` for one who lost it.
fn change<'a>(
    row: &'a db::visits::VisitRow,
    inspector_id: &'a str,
    version: i64,
    op: FeedOp,
    at: &'a str,
) -> db::changes::ChangeRecord<'a> {
    db::changes::ChangeRecord {
        agency_id: &row.agency_id,
        authority_id: Some(&row.authority_id),
        inspector_id: Some(inspector_id),
        entity: EntityKind::Visit.as_str(),
        entity_id: &row.id,
        version,
        op: op.as_str(),
        at,
    }
}

/// `POST /api/v1/team/visits/{id}/move` `{"inspector_id", "date", "version"}`: the planned visit
/// goes last on the chosen inspector's day. Answers the visit as `GET /visits/{id}`.
pub async fn move_visit(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<MoveRequest>,
) -> AppResult<Json<VisitDetail>> {
    let row = own_visit(&state, &user, &id).await?;
    require_role(&user, PLANNERS)?;
    let target = request.inspector_id.to_string();
    let inspectors = db::visits::inspectors(&state.db.pool, &user.agency_id).await?;
    if !inspectors.iter().any(|(id, _)| *id == target) {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let day = request.date.to_string();
    let at = db::now_text();
    let mut tx = state.db.pool.begin().await?;
    let placed = movable(&mut tx, &row.id, request.version).await?;
    let version = db::plan_controls::move_visit(&mut tx, &row.id, &target, &day).await?;
    // The old inspector's removal first: a reader of both (a team lead) ends with the visit.
    let mut changes = Vec::new();
    if placed.inspector_id != target {
        changes.push(change(
            &row,
            &placed.inspector_id,
            version,
            FeedOp::Delete,
            &at,
        ));
    }
    changes.push(change(&row, &target, version, FeedOp::Upsert, &at));
    db::changes::record_changes(&mut tx, &changes).await?;
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&user.info.id.to_string()),
            device_id: None,
            action: "visit.move",
            entity: EntityKind::Visit.as_str(),
            entity_id: &row.id,
            old_version: Some(placed.version),
            new_version: Some(version),
            details: serde_json::json!({
                "from": {"inspector_id": placed.inspector_id, "date": placed.planned_date},
                "to": {"inspector_id": target, "date": day},
            }),
        },
    )
    .await?;
    tx.commit().await?;
    super::visits::detail(&state, &user, &row.id)
        .await
        .map(Json)
}

/// `POST /api/v1/team/visits/{id}/boost` `{"reason", "version"}`: the planned visit goes first
/// on its day, its priority carrying a manual boost with the reason (shown in the tablet's "why"
/// panel). Answers the visit as `GET /visits/{id}`.
pub async fn boost_visit(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<BoostRequest>,
) -> AppResult<Json<VisitDetail>> {
    let row = own_visit(&state, &user, &id).await?;
    require_role(&user, PLANNERS)?;
    let model = crate::agency_config::active_risk_model(&state.db.pool, &user.agency_id).await?;
    let at = db::now_text();
    let mut tx = state.db.pool.begin().await?;
    let placed = movable(&mut tx, &row.id, request.version).await?;
    lift_visit(
        &mut tx,
        &row,
        &placed,
        &request.reason,
        model.manual_boost_weight,
        &user.info.id.to_string(),
        &at,
    )
    .await?;
    tx.commit().await?;
    super::visits::detail(&state, &user, &row.id)
        .await
        .map(Json)
}

/// Puts the planned visit first on its day with a boosted priority carrying `reason`; every visit
/// of that day gets a new version and a feed entry, so the tablet learns the new order. Audited.
#[allow(clippy::too_many_arguments)]
async fn lift_visit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    row: &db::visits::VisitRow,
    placed: &db::plan_controls::PlacedVisit,
    reason: &str,
    weight: f64,
    actor: &str,
    at: &str,
) -> AppResult<()> {
    let stored = db::plan_controls::priority_json(tx, &row.id).await?;
    let priority: RiskScore = serde_json::from_str(&stored).map_err(anyhow::Error::from)?;
    let boosted = team::boosted(&priority, reason, weight)?;
    let json = serde_json::to_string(&boosted).map_err(anyhow::Error::from)?;
    let versions = db::plan_controls::boost_visit(
        tx,
        &row.id,
        &placed.inspector_id,
        &placed.planned_date,
        &json,
        boosted.score,
    )
    .await?;
    let mut changes = Vec::new();
    for (visit_id, version) in &versions {
        changes.push(db::changes::ChangeRecord {
            entity_id: visit_id,
            ..change(row, &placed.inspector_id, *version, FeedOp::Upsert, at)
        });
    }
    db::changes::record_changes(tx, &changes).await?;
    let new_version = versions
        .iter()
        .find(|(v, _)| *v == row.id)
        .map(|(_, version)| *version);
    audit::record(
        tx,
        &AuditEntry {
            actor_id: Some(actor),
            device_id: None,
            action: "visit.boost",
            entity: EntityKind::Visit.as_str(),
            entity_id: &row.id,
            old_version: Some(placed.version),
            new_version,
            details: serde_json::json!({"reason": reason.trim(), "points": team::BOOST_POINTS}),
        },
    )
    .await?;
    Ok(())
}

/// `POST /api/v1/team/sites/{id}/boost` `{"reason", "until"}`: pushes a site to the top of the
/// ranking from today (until `until`, open-ended without): the planner adds a `manual_boost`
/// factor with the reason to the site's priority on every day it plans; a visit of the site that
/// is planned from today on and nobody started goes first on its day now. Audited (`site.boost`).
pub async fn boost_site(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<SiteBoostRequest>,
) -> AppResult<(axum::http::StatusCode, Json<SiteBoost>)> {
    require_role(&user, PLANNERS)?;
    let site_id = Uuid::parse_str(&id).map_err(|_| ErrorCode::NotFound)?;
    let pool = &state.db.pool;
    db::sites::detail(pool, &site_id.to_string(), &user.agency_id, None)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let reason = request.reason.trim();
    let today = chrono::Local::now().date_naive();
    if !shared::sync::valid_note_text(reason) || request.until.is_some_and(|u| u < today) {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let model = crate::agency_config::active_risk_model(pool, &user.agency_id).await?;
    // Read before the writing transaction (SQLite has one writer); the version check inside it
    // refuses a visit that changed meanwhile.
    let open =
        match db::plan_controls::open_planned_visit(pool, &site_id.to_string(), &today.to_string())
            .await?
        {
            Some(visit_id) => db::visits::by_id(pool, &visit_id).await?,
            None => None,
        };
    let actor = user.info.id.to_string();
    let at = db::now_text();
    let boost_id = Uuid::new_v4();
    let mut tx = pool.begin().await?;
    db::plan_controls::insert_site_boost(
        &mut tx,
        &db::plan_controls::NewSiteBoost {
            id: &boost_id.to_string(),
            agency_id: &user.agency_id,
            site_id: &site_id.to_string(),
            points: team::BOOST_POINTS,
            reason,
            by_user: &actor,
            from_day: &today.to_string(),
            until_day: request.until.map(|u| u.to_string()).as_deref(),
            created_at: &at,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&actor),
            device_id: None,
            action: "site.boost",
            entity: "site",
            entity_id: &site_id.to_string(),
            old_version: None,
            new_version: None,
            details: serde_json::json!({"reason": reason, "until": request.until, "points": team::BOOST_POINTS}),
        },
    )
    .await?;
    let mut lifted = None;
    if let Some(row) = open {
        let placed = movable(&mut tx, &row.id, row.version).await?;
        lift_visit(
            &mut tx,
            &row,
            &placed,
            reason,
            model.manual_boost_weight,
            &actor,
            &at,
        )
        .await?;
        lifted = Some(Uuid::parse_str(&row.id).map_err(anyhow::Error::from)?);
    }
    tx.commit().await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(SiteBoost {
            id: boost_id,
            site_id,
            points: team::BOOST_POINTS,
            reason: reason.to_owned(),
            from: today,
            until: request.until,
            visit_id: lifted,
        }),
    ))
}

/// `PUT /api/v1/team/days/{date}/lock` `{"locked": bool}`: a locked day is not planned again
/// (`POST /team/plan` answers 409 `plan.day_locked`) and gets no re-inspections added by the
/// planner; moves by hand stay possible.
pub async fn lock_day(
    State(state): State<AppState>,
    user: AuthUser,
    Path(date): Path<String>,
    ApiJson(request): ApiJson<DayLock>,
) -> AppResult<Json<DayLock>> {
    require_role(&user, PLANNERS)?;
    let day: NaiveDate = super::visits::parse_date(&date).ok_or(ErrorCode::RequestInvalid)?;
    let at = db::now_text();
    let actor = user.info.id.to_string();
    let mut tx = state.db.pool.begin().await?;
    let changed = db::plan_controls::set_lock(
        &mut tx,
        &user.agency_id,
        &day.to_string(),
        request.locked,
        &actor,
        &at,
    )
    .await?;
    if changed {
        let action = if request.locked {
            "day.lock"
        } else {
            "day.unlock"
        };
        let entity_id = format!("{}:{day}", user.agency_id);
        audit_day_flag(&mut tx, &actor, action, ("day", &entity_id), day).await?;
    }
    tx.commit().await?;
    Ok(Json(DayLock {
        date: Some(day),
        locked: request.locked,
    }))
}

/// The inspector `id` of the caller's agency, for a planner (404 otherwise, a malformed id
/// included).
async fn own_inspector(state: &AppState, user: &AuthUser, id: &str) -> AppResult<String> {
    require_role(user, PLANNERS)?;
    let id = Uuid::parse_str(id)
        .map_err(|_| ErrorCode::NotFound)?
        .to_string();
    if db::plan_controls::is_inspector_of(&state.db.pool, &user.agency_id, &id).await? {
        Ok(id)
    } else {
        Err(ErrorCode::NotFound.into())
    }
}

/// `PUT /api/v1/team/inspectors/{id}/capacity` `{"capacity_hours": 6.0 | null}`: the hours a day
/// the planner gives the inspector (0.5 to 12; null: the agency's default of 7). Days planned
/// from then on use it.
pub async fn set_capacity(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CapacityRequest>,
) -> AppResult<Json<CapacityRequest>> {
    let inspector = own_inspector(&state, &user, &id).await?;
    team::check_capacity(request.capacity_hours)?;
    let mut tx = state.db.pool.begin().await?;
    db::plan_controls::set_capacity(&mut tx, &inspector, request.capacity_hours).await?;
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&user.info.id.to_string()),
            device_id: None,
            action: "inspector.capacity",
            entity: "user",
            entity_id: &inspector,
            old_version: None,
            new_version: None,
            details: serde_json::json!({"capacity_hours": request.capacity_hours}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(request))
}

/// `PUT /api/v1/team/inspectors/{id}/absences/{date}` `{"absent": bool}`: an absent inspector
/// gets no visits when that day is planned, and no re-inspections added to it.
pub async fn set_absence(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, date)): Path<(String, String)>,
    ApiJson(request): ApiJson<Absence>,
) -> AppResult<Json<Absence>> {
    let inspector = own_inspector(&state, &user, &id).await?;
    let day: NaiveDate = super::visits::parse_date(&date).ok_or(ErrorCode::RequestInvalid)?;
    let actor = user.info.id.to_string();
    let at = db::now_text();
    let mut tx = state.db.pool.begin().await?;
    let changed = db::plan_controls::set_absence(
        &mut tx,
        &inspector,
        &day.to_string(),
        request.absent,
        &actor,
        &at,
    )
    .await?;
    if changed {
        let action = if request.absent {
            "inspector.absent"
        } else {
            "inspector.present"
        };
        audit_day_flag(&mut tx, &actor, action, ("user", &inspector), day).await?;
    }
    tx.commit().await?;
    Ok(Json(Absence {
        date: Some(day),
        absent: request.absent,
    }))
}
