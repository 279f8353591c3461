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
use shared::team::{self, Absence, BoostRequest, CapacityRequest, DayLock, MoveRequest};
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
    let stored = db::plan_controls::priority_json(&mut tx, &row.id).await?;
    let priority: RiskScore = serde_json::from_str(&stored).map_err(anyhow::Error::from)?;
    let boosted = team::boosted(&priority, &request.reason, model.manual_boost_weight)?;
    let json = serde_json::to_string(&boosted).map_err(anyhow::Error::from)?;
    let versions = db::plan_controls::boost_visit(
        &mut tx,
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
            ..change(&row, &placed.inspector_id, *version, FeedOp::Upsert, &at)
        });
    }
    db::changes::record_changes(&mut tx, &changes).await?;
    let new_version = versions
        .iter()
        .find(|(v, _)| *v == row.id)
        .map(|(_, version)| *version);
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&user.info.id.to_string()),
            device_id: None,
            action: "visit.boost",
            entity: EntityKind::Visit.as_str(),
            entity_id: &row.id,
            old_version: Some(placed.version),
            new_version,
            details: serde_json::json!({"reason": request.reason.trim(), "points": team::BOOST_POINTS}),
        },
    )
    .await?;
    tx.commit().await?;
    super::visits::detail(&state, &user, &row.id)
        .await
        .map(Json)
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
