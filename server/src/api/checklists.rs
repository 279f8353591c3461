//! Checklist templates: the newest version of each for the field, and any pinned version for
//! reproducing an old inspection.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::Value;

use shared::ErrorCode;

use crate::auth::AuthUser;
use crate::db;
use crate::error::AppResult;
use crate::AppState;

/// `GET /api/v1/checklists`: every role of the agency may read its templates.
pub async fn latest(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Value>> {
    let bodies = db::checklists::latest(&state.db.pool, &user.agency_id).await?;
    let templates = bodies
        .iter()
        .map(|b| serde_json::from_str::<Value>(b))
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::from)?;
    Ok(Json(serde_json::json!({ "templates": templates })))
}

/// `GET /api/v1/checklists/{id}/versions/{version}`.
pub async fn pinned(
    State(state): State<AppState>,
    user: AuthUser,
    path: Result<Path<(String, i64)>, PathRejection>,
) -> AppResult<Json<Value>> {
    // A version that is not a number names no template: 404 in the API's error format.
    let Path((id, version)) = path.map_err(|_| ErrorCode::NotFound)?;
    let body = db::checklists::version(&state.db.pool, &user.agency_id, &id, version)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Json(
        serde_json::from_str(&body).map_err(anyhow::Error::from)?,
    ))
}
