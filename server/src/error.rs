//! One error type for the HTTP boundary and its one mapping to a response.
//! Typed variants carry a stable code from `shared`; everything else is `Internal`, logged here and
//! answered with a generic message so no internal detail reaches a client.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;

use shared::{ApiError, ErrorCode};

#[derive(Debug)]
pub enum AppError {
    Api(ErrorCode),
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> Self {
        AppError::Api(code)
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

pub fn error_response(code: ErrorCode) -> Response {
    let status =
        StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(ApiError::from(code))).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Api(code) => error_response(code),
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                error_response(ErrorCode::Internal)
            }
        }
    }
}

/// `axum::Json` with the API's error format: malformed JSON or a wrong field type is
/// 400 `request.invalid`, a body over the limit 413 `request.too_large`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(AppError::Api(json_rejection_code(&rejection))),
        }
    }
}

fn json_rejection_code(rejection: &JsonRejection) -> ErrorCode {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ErrorCode::RequestTooLarge
    } else {
        ErrorCode::RequestInvalid
    }
}
