//! `POST /sync/push` and `GET /sync/pull` (docs/API.md "Sync").

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;

use shared::sync::{PullResponse, PushRequest, PushResponse};
use shared::ErrorCode;

use crate::auth::AuthUser;
use crate::error::{ApiJson, AppResult};
use crate::sync;
use crate::AppState;

pub async fn push(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(request): ApiJson<PushRequest>,
) -> AppResult<Json<PushResponse>> {
    Ok(Json(sync::push(&state, &user, request).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    #[serde(default)]
    cursor: String,
}

/// `GET /api/v1/sync/pull?cursor=`: what this user may see that changed after the cursor, in
/// commit order, each with the entity's current state (assembled in `sync::pull`).
pub async fn pull(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> AppResult<Json<PullResponse>> {
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    Ok(Json(
        sync::pull::page(&state.db.pool, &user, &query.cursor).await?,
    ))
}
