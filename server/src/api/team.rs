//! What a team lead must see of the sync: devices with unsent or stuck work, and conflicts and
//! rejections waiting for a person. Inspectors see their own problems.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use shared::{ErrorCode, Role};

use crate::auth::AuthUser;
use crate::db;
use crate::error::AppResult;
use crate::AppState;

/// `GET /api/v1/team/devices`: every device of the agency with the unsent work it last reported.
pub async fn devices(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Value>> {
    if !matches!(user.info.role, Role::TeamLead | Role::Manager | Role::Admin) {
        return Err(ErrorCode::AuthForbidden.into());
    }
    let rows = db::sync::devices_of_agency(&state.db.pool, &user.agency_id).await?;
    let devices: Vec<Value> = rows
        .iter()
        .map(|d| {
            json!({
                "device_id": d.device_id, "user_id": d.user_id, "user_name": d.user_name, "last_seq": d.last_seq,
                "pending_count": d.pending_count, "oldest_pending_at": d.oldest_pending_at, "last_push_at": d.last_push_at,
            })
        })
        .collect();
    Ok(Json(json!({ "devices": devices })))
}

/// `GET /api/v1/sync/problems`: unresolved conflicts and rejected mutations; team leads, managers
/// and admins see the agency's, inspectors their own.
pub async fn problems(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Value>> {
    let own = user.info.id.to_string();
    let scope = match user.info.role {
        Role::Inspector => Some(own.as_str()),
        Role::TeamLead | Role::Manager | Role::Admin => None,
        Role::AuthorityViewer => return Err(ErrorCode::AuthForbidden.into()),
    };
    let rows = db::sync::open_problems(&state.db.pool, &user.agency_id, scope).await?;
    let problems: Vec<Value> = rows
        .iter()
        .map(|p| {
            let data: Value = serde_json::from_str(&p.data).unwrap_or(Value::Null);
            // A rejected mutation names its entity through its kind (`visit_note.add` -> visit_note).
            let entity = if p.entity.is_empty() { p.kind.split('.').next().unwrap_or_default() } else { &p.entity };
            json!({
                "id": p.id, "mutation_id": p.mutation_id, "device_id": p.device_id, "user_id": p.user_id,
                "user_name": p.user_name, "type": p.kind, "entity": entity, "entity_id": p.entity_id,
                "base_version": p.base_version, "current_version": p.current_version,
                "problem": p.problem,
                "detail": data, "created_at": p.created_at,
            })
        })
        .collect();
    Ok(Json(json!({ "problems": problems })))
}
