//! The public HTTP contract under `/api/v1` (../API.md), one module per resource.

mod auth;

use axum::routing::{get, post};
use axum::Router;

use shared::ErrorCode;

use crate::error::error_response;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .fallback(|| async { error_response(ErrorCode::NotFound) })
}
