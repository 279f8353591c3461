//! `PUT /blobs/{sha256}` (whole or in parts with `Content-Range`) and `HEAD /blobs/{sha256}`.
//!
//! 201 once the whole blob is stored under its verified name; 202 with `Upload-Offset` while parts
//! are missing; a part that does not start at the stored offset is 409 `blob.offset_mismatch` with
//! the offset to resume from; a hash mismatch is 422 `blob.hash_mismatch` and nothing is kept.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use shared::sync::is_sha256_hex;
use shared::ErrorCode;

use crate::auth::AuthUser;
use crate::blobs::{AppendError, FinishError};
use crate::db;
use crate::error::{error_response, AppError, AppResult};
use crate::AppState;

/// Parts larger than this are refused before they are read; whole blobs are limited by
/// `Config::blob_max_bytes`.
pub const PART_MAX_BYTES: usize = 32 * 1024 * 1024;

/// `bytes <start>-<end>/<total>`.
fn content_range(headers: &HeaderMap) -> Result<Option<(u64, u64, u64)>, AppError> {
    let Some(value) = headers.get("content-range") else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| ErrorCode::RequestInvalid)?;
    let parse = || -> Option<(u64, u64, u64)> {
        let rest = text.strip_prefix("bytes ")?;
        let (range, total) = rest.split_once('/')?;
        let (start, end) = range.split_once('-')?;
        let (start, end, total) = (start.parse().ok()?, end.parse().ok()?, total.parse().ok()?);
        (start <= end && end < total).then_some((start, end, total))
    };
    parse()
        .map(Some)
        .ok_or_else(|| ErrorCode::RequestInvalid.into())
}

fn with_offset(mut response: Response, offset: u64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&offset.to_string()) {
        response.headers_mut().insert("upload-offset", v);
    }
    response
}

pub async fn put(
    State(state): State<AppState>,
    user: AuthUser,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> AppResult<Response> {
    if !is_sha256_hex(&sha256) {
        return Err(ErrorCode::RequestInvalid.into());
    }
    // A part over `PART_MAX_BYTES` is refused in the error format, not axum's plain-text 413.
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::RequestTooLarge,
        _ => ErrorCode::RequestInvalid,
    })?;
    let max = state.config.blob_max_bytes;
    let (start, total) = match content_range(&headers)? {
        Some((start, end, total)) => {
            if end - start + 1 != body.len() as u64 {
                return Err(ErrorCode::RequestInvalid.into());
            }
            (start, total)
        }
        None => (0, body.len() as u64),
    };
    let store = &state.blobs;
    let agency = user.agency_id.as_str();
    let _guard = store.lock(&sha256).lock().await;
    if let Some(size) = db::blobs::blob_size(&state.db.pool, agency, &sha256).await? {
        return Ok(with_offset(
            StatusCode::CREATED.into_response(),
            size as u64,
        ));
    }
    if total > max {
        store
            .discard(agency, &sha256)
            .await
            .map_err(anyhow::Error::from)?;
        return Err(ErrorCode::RequestTooLarge.into());
    }
    let stored = match store
        .append(agency, &sha256, start, &body)
        .await
        .map_err(anyhow::Error::from)?
    {
        Ok(stored) => stored,
        Err(AppendError::OffsetMismatch { stored }) => {
            return Ok(with_offset(
                error_response(ErrorCode::BlobOffsetMismatch),
                stored,
            ));
        }
    };
    if stored > total {
        store
            .discard(agency, &sha256)
            .await
            .map_err(anyhow::Error::from)?;
        return Err(ErrorCode::RequestInvalid.into());
    }
    if stored < total {
        return Ok(with_offset(StatusCode::ACCEPTED.into_response(), stored));
    }
    match store
        .finish(agency, &sha256)
        .await
        .map_err(anyhow::Error::from)?
    {
        Ok(size) => {
            let image = crate::blobs::inspect_stored(store, &sha256)
                .await
                .map_err(anyhow::Error::from)?;
            let size = i64::try_from(size).map_err(anyhow::Error::from)?;
            db::blobs::register_blob(
                &state.db.pool,
                agency,
                &db::blobs::BlobRow {
                    size_bytes: size,
                    content_type: image.as_ref().map(|i| i.content_type.to_owned()),
                    width: image.as_ref().map(|i| i64::from(i.width)),
                    height: image.as_ref().map(|i| i64::from(i.height)),
                },
                &sha256,
            )
            .await?;
            Ok(with_offset(
                StatusCode::CREATED.into_response(),
                size as u64,
            ))
        }
        Err(FinishError::HashMismatch) => {
            Ok(with_offset(error_response(ErrorCode::BlobHashMismatch), 0))
        }
    }
}

/// 200 with the stored length, or 404; `Upload-Offset` tells how much of an unfinished upload the
/// server holds, so a device resumes instead of starting over.
pub async fn head(
    State(state): State<AppState>,
    user: AuthUser,
    Path(sha256): Path<String>,
) -> AppResult<Response> {
    if !is_sha256_hex(&sha256) {
        return Err(ErrorCode::RequestInvalid.into());
    }
    if let Some(size) = db::blobs::blob_size(&state.db.pool, &user.agency_id, &sha256).await? {
        let mut response = with_offset(StatusCode::OK.into_response(), size as u64);
        if let Ok(v) = HeaderValue::from_str(&size.to_string()) {
            response.headers_mut().insert("content-length", v);
        }
        return Ok(response);
    }
    let stored = state.blobs.partial_len(&user.agency_id, &sha256).await;
    Ok(with_offset(StatusCode::NOT_FOUND.into_response(), stored))
}
