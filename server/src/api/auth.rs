//! Login, logout and the current user.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use shared::{ErrorCode, LoginRequest, LoginResponse, UserInfo};

use crate::auth::{new_token, verify_password, AuthUser};
use crate::db;
use crate::error::{ApiJson, AppResult};
use crate::AppState;

/// `POST /api/v1/auth/login`. The answer for an unknown user costs the same argon2 work as for a
/// known one, so response time does not reveal which usernames exist.
pub async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> AppResult<Json<LoginResponse>> {
    let username = req.username.trim().to_lowercase();
    if username.is_empty() || username.len() > 200 || req.password.len() > 1024 {
        return Err(ErrorCode::AuthInvalidCredentials.into());
    }
    let user = db::users::by_username(&state.db.pool, &username)
        .await?
        .filter(|u| u.active != 0);
    let phc = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| state.dummy_hash.to_string());
    let password = req.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .map_err(anyhow::Error::from)?;
    let user = match (user, matches) {
        (Some(user), true) => user,
        _ => return Err(ErrorCode::AuthInvalidCredentials.into()),
    };

    let (token, digest) = new_token();
    let now = chrono::Utc::now();
    let expires = now + chrono::Duration::days(state.config.token_days);
    let expires_at = db::time_text(expires);
    db::tokens::insert(
        &state.db.pool,
        &digest,
        &user.id,
        &db::time_text(now),
        &expires_at,
    )
    .await?;
    tracing::info!(user = %user.username, "login");
    Ok(Json(LoginResponse {
        token,
        expires_at,
        user: user.info()?,
    }))
}

/// `POST /api/v1/auth/logout`: revokes the presented token.
pub async fn logout(State(state): State<AppState>, user: AuthUser) -> AppResult<StatusCode> {
    db::tokens::revoke(&state.db.pool, &user.token_digest, &db::now_text()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/me`: who the token belongs to.
pub async fn me(user: AuthUser) -> Json<UserInfo> {
    Json(user.info)
}
