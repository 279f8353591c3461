//! Login, logout and the current user.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use shared::{ErrorCode, LoginRequest, LoginResponse, UserInfo};

use crate::audit::{self, AuditEntry};
use crate::auth::{new_token, verify_password, AuthUser, ClientAddr};
use crate::db;
use crate::error::{ApiJson, AppResult};
use crate::AppState;

/// `POST /api/v1/auth/login`. The answer for an unknown user costs the same argon2 work as for a
/// known one, so response time does not reveal which usernames exist. Repeated failures per account
/// or per client address are refused for a while (429 `auth.rate_limited`) before any hashing.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> AppResult<Json<LoginResponse>> {
    let username = req.username.trim().to_lowercase();
    if username.is_empty() || username.len() > 200 || req.password.len() > 1024 {
        return Err(ErrorCode::AuthInvalidCredentials.into());
    }
    let now = chrono::Utc::now();
    let window_start =
        db::time_text(now - chrono::Duration::minutes(state.config.login_window_minutes));
    let (by_account, by_address) =
        db::audit::login_failures_since(&state.db.pool, &username, &address, &window_start).await?;
    if by_account >= state.config.login_max_failures_per_account
        || by_address >= state.config.login_max_failures_per_address
    {
        tracing::warn!(%username, %address, "login refused: too many failures");
        return Err(ErrorCode::AuthRateLimited.into());
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
        _ => {
            let id = uuid::Uuid::new_v4().to_string();
            let at = db::time_text(now);
            db::audit::record_login_failure(&state.db.pool, &id, &username, &address, &at).await?;
            return Err(ErrorCode::AuthInvalidCredentials.into());
        }
    };

    let (token, digest) = new_token();
    let expires = now + chrono::Duration::days(state.config.token_days);
    let expires_at = db::time_text(expires);
    let mut tx = state.db.pool.begin().await?;
    db::tokens::insert(
        &mut *tx,
        &digest,
        &user.id,
        &db::time_text(now),
        &expires_at,
    )
    .await?;
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&user.id),
            device_id: None,
            action: "auth.login",
            entity: "user",
            entity_id: &user.id,
            old_version: None,
            new_version: None,
            details: serde_json::json!({"address": address}),
        },
    )
    .await?;
    tx.commit().await?;
    let day_ago = db::time_text(now - chrono::Duration::days(1));
    db::audit::clear_login_failures(&state.db.pool, &username, &day_ago).await?;
    tracing::info!(user = %user.username, "login");
    let agency = db::users::agency_settings(&state.db.pool, &user.agency_id).await?;
    Ok(Json(LoginResponse {
        token,
        expires_at,
        user: user.info()?,
        agency,
    }))
}

/// `POST /api/v1/auth/logout`: revokes the presented token.
pub async fn logout(State(state): State<AppState>, user: AuthUser) -> AppResult<StatusCode> {
    let user_id = user.info.id.to_string();
    let mut tx = state.db.pool.begin().await?;
    db::tokens::revoke(&mut *tx, &user.token_digest, &db::now_text()).await?;
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&user_id),
            device_id: None,
            action: "auth.logout",
            entity: "user",
            entity_id: &user_id,
            old_version: None,
            new_version: None,
            details: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/me`: who the token belongs to.
pub async fn me(user: AuthUser) -> Json<UserInfo> {
    Json(user.info)
}
