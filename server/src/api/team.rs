//! What a team lead must see of the sync: devices with unsent or stuck work, and conflicts and
//! rejections waiting for a person (inspectors see their own problems), and the day board.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use serde_json::Value;
use uuid::Uuid;

use shared::board::{BoardInspector, BoardVisit, TeamBoard};
use shared::planner::PlannerSettings;
use shared::sync::{EntityKind, MutationKind};
use shared::team::{ProblemKind, SyncProblem, SyncProblems, TeamDevice, TeamDevices};
use shared::ErrorCode;
use shared::Role;

use crate::auth::{require_role, AuthUser};
use crate::db;
use crate::error::AppResult;
use crate::AppState;

fn uuid(text: &str) -> anyhow::Result<Uuid> {
    Ok(Uuid::parse_str(text)?)
}

/// `GET /api/v1/team/devices`: every device of the agency with the unsent work it last reported.
pub async fn devices(
    State(state): State<AppState>,
    user: AuthUser,
) -> AppResult<Json<TeamDevices>> {
    require_role(&user, &[Role::TeamLead, Role::Manager, Role::Admin])?;
    let rows = db::devices::devices_of_agency(&state.db.pool, &user.agency_id).await?;
    let devices = rows
        .iter()
        .map(|d| {
            Ok(TeamDevice {
                device_id: uuid(&d.device_id)?,
                user_id: uuid(&d.user_id)?,
                user_name: d.user_name.clone(),
                last_seq: d.last_seq,
                pending_count: d.pending_count,
                oldest_pending_at: d.oldest_pending_at.clone(),
                last_push_at: d.last_push_at.clone(),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Json(TeamDevices { devices }))
}

/// `GET /api/v1/sync/problems`: unresolved conflicts and rejected mutations; team leads, managers
/// and admins see the agency's, inspectors their own.
pub async fn problems(
    State(state): State<AppState>,
    user: AuthUser,
) -> AppResult<Json<SyncProblems>> {
    let own = user.info.id.to_string();
    require_role(
        &user,
        &[Role::Inspector, Role::TeamLead, Role::Manager, Role::Admin],
    )?;
    let scope = (user.info.role == Role::Inspector).then_some(own.as_str());
    let rows = db::mutations::open_problems(&state.db.pool, &user.agency_id, scope).await?;
    // The server's side of each conflict, read the way the pull feed reads it.
    let conflicted: Vec<(EntityKind, &str)> = rows
        .iter()
        .filter(|p| p.problem == ProblemKind::Conflict.as_str())
        .map(|p| (EntityKind::parse(&p.entity), p.entity_id.as_str()))
        .collect();
    let mut server = crate::sync::pull::current_states(&state.db.pool, &conflicted).await?;
    let problems = rows
        .iter()
        .map(|p| {
            let kind = MutationKind::parse(&p.kind);
            let now = (p.problem == ProblemKind::Conflict.as_str())
                .then(|| server.remove(&(EntityKind::parse(&p.entity), p.entity_id.clone())))
                .flatten();
            // A rejection names no entity of its own: the kind says which one it writes.
            let entity = if p.entity.is_empty() {
                kind.entity()
                    .unwrap_or_else(|| EntityKind::Other(String::new()))
            } else {
                EntityKind::parse(&p.entity)
            };
            Ok(SyncProblem {
                id: p.id.clone(),
                mutation_id: uuid(&p.mutation_id)?,
                device_id: uuid(&p.device_id)?,
                user_id: uuid(&p.user_id)?,
                user_name: p.user_name.clone(),
                kind,
                entity,
                entity_id: uuid(&p.entity_id)?,
                base_version: p.base_version,
                current_version: p.current_version,
                problem: ProblemKind::parse(&p.problem)
                    .ok_or_else(|| anyhow::anyhow!("problem {}: {:?}", p.id, p.problem))?,
                detail: serde_json::from_str(&p.data).unwrap_or(Value::Null),
                server: now,
                created_at: p.created_at.clone(),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Json(SyncProblems { problems }))
}

/// `GET /api/v1/team/board?date=YYYY-MM-DD` (team lead, manager, admin): the day board, every
/// visit of the agency's inspectors that day with what the field recorded on it, and every
/// inspector with their team and the unsent work their devices last reported. The office page
/// reads it again every few seconds; the figures per inspector are `shared::board`'s.
pub async fn board(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<
        axum::extract::Query<super::visits::DateQuery>,
        axum::extract::rejection::QueryRejection,
    >,
) -> AppResult<Json<TeamBoard>> {
    require_role(&user, &[Role::TeamLead, Role::Manager, Role::Admin])?;
    let axum::extract::Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    let date = match query.date.as_deref() {
        None => chrono::Local::now().date_naive(),
        Some(text) => super::visits::parse_date(text).ok_or(ErrorCode::RequestInvalid)?,
    };
    let pool = &state.db.pool;
    let day = date.to_string();
    let rows = db::visits::of_agency_on(pool, &user.agency_id, &day, None).await?;
    let progress: HashMap<String, db::board::FieldProgressRow> =
        db::board::field_progress(pool, &user.agency_id, &day)
            .await?
            .into_iter()
            .map(|p| (p.visit_id.clone(), p))
            .collect();
    let sizes = PlannerSettings::default().size_hours;
    let visits = rows
        .iter()
        .map(|row| {
            let v = super::visits::visit(row)?;
            let field = progress.get(&row.id);
            Ok(BoardVisit {
                id: v.id,
                inspector_id: v.inspector_id,
                planned_hours: sizes.hours(v.size),
                hours_spent: field
                    .filter(|p| p.finished_at.is_some())
                    .map(|p| p.hours_spent),
                violations: field.map_or(0, |p| u32::try_from(p.violations).unwrap_or(0)),
                started_at: field.and_then(|p| p.started_at.clone()),
                finished_at: field.and_then(|p| p.finished_at.clone()),
                site: v.site,
                kind: v.kind,
                size: v.size,
                status: v.status,
                route_order: v.route_order,
                version: v.version,
                not_possible: v.not_possible.map(|n| n.reason),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    // Unsent work per inspector, summed over their devices.
    let devices = db::devices::devices_of_agency(pool, &user.agency_id).await?;
    let inspectors = db::board::inspectors(pool, &user.agency_id, &day)
        .await?
        .into_iter()
        .map(|i| {
            let own = devices.iter().filter(|d| d.user_id == i.id);
            Ok(BoardInspector {
                id: uuid(&i.id)?,
                name: i.display_name,
                team: i.team,
                unsent: own.clone().map(|d| d.pending_count).sum(),
                oldest_unsent_at: own
                    .clone()
                    .filter(|d| d.pending_count > 0)
                    .filter_map(|d| d.oldest_pending_at.clone())
                    .min(),
                last_contact_at: own.filter_map(|d| d.last_push_at.clone()).max(),
                capacity_hours: i.capacity_hours,
                absent: i.absent > 0,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Json(TeamBoard {
        date,
        read_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        locked: db::plan_controls::is_locked(pool, &user.agency_id, &day).await?,
        inspectors,
        visits,
    }))
}
