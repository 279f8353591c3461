//! One error type for the HTTP boundary and its one mapping to a response.
//! Typed variants carry a stable code from `shared`; everything else is `Internal`, logged here and
//! answered with a generic message so no internal detail reaches a client.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
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

impl AppError {
    /// A failed write: the violation of one of the named unique constraints answers with that
    /// constraint's code, any other database error is a server fault.
    pub fn unique(e: sqlx::Error, cases: &[(crate::db::Unique, ErrorCode)]) -> AppError {
        match cases.iter().find(|(unique, _)| unique.violated_by(&e)) {
            Some((_, code)) => AppError::Api(*code),
            None => e.into(),
        }
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

/// A JSON object body with the API's error format: malformed JSON, a wrong field type or a body
/// that is not a JSON object is 400 `request.invalid`; a body over the limit 413 `request.too_large`.
/// (Serde would otherwise accept `["a", "b"]` for a struct, which no client means.)
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::Api(ErrorCode::RequestTooLarge)
            } else {
                AppError::Api(ErrorCode::RequestInvalid)
            }
        })?;
        let is_object = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        if !is_json || !is_object {
            return Err(AppError::Api(ErrorCode::RequestInvalid));
        }
        serde_json::from_slice(&bytes)
            .map(ApiJson)
            .map_err(|_| AppError::Api(ErrorCode::RequestInvalid))
    }
}
