//! What a team lead must see of the sync: devices with unsent or stuck work, and conflicts and
//! rejections waiting for a person. Inspectors see their own problems.

use axum::extract::State;
use axum::Json;
use serde_json::Value;
use uuid::Uuid;

use shared::sync::{EntityKind, MutationKind};
use shared::team::{ProblemKind, SyncProblem, SyncProblems, TeamDevice, TeamDevices};
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
    let problems = rows
        .iter()
        .map(|p| {
            let kind = MutationKind::parse(&p.kind);
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
                created_at: p.created_at.clone(),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Json(SyncProblems { problems }))
}
