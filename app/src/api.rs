//! JSON calls to the server's `/api/v1` routes through the browser's fetch.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use shared::ApiError;

use crate::error::AppError;

pub async fn post<B: Serialize, R: DeserializeOwned>(
    path: &str,
    body: &B,
    token: Option<&str>,
) -> Result<R, AppError> {
    let body = serde_json::to_string(body).map_err(|_| AppError::Network)?;
    send("POST", path, Some(body), token).await
}

pub async fn put<B: Serialize, R: DeserializeOwned>(
    path: &str,
    body: &B,
    token: Option<&str>,
) -> Result<R, AppError> {
    let body = serde_json::to_string(body).map_err(|_| AppError::Network)?;
    send("PUT", path, Some(body), token).await
}

pub async fn get<R: DeserializeOwned>(path: &str, token: Option<&str>) -> Result<R, AppError> {
    send("GET", path, None, token).await
}

async fn send<R: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    token: Option<&str>,
) -> Result<R, AppError> {
    let body = body.map(|b| JsValue::from_str(&b));
    let headers: &[(&str, &str)] = if body.is_some() {
        &[("Content-Type", "application/json")]
    } else {
        &[]
    };
    let response = raw(method, path, body.as_ref(), headers, token).await?;
    if !response.ok() {
        return Err(failure(response).await);
    }
    let text = text(&response).await?;
    // An empty body (204) parses as JSON null for unit-like results.
    let text = if text.is_empty() { "null" } else { &text };
    crate::json::parse_json(text).ok_or_else(|| AppError::internal(response.status()))
}

/// The body of an answer as text.
pub async fn text(response: &Response) -> Result<String, AppError> {
    Ok(
        JsFuture::from(response.text().map_err(|_| AppError::Network)?)
            .await
            .map_err(|_| AppError::Network)?
            .as_string()
            .unwrap_or_default(),
    )
}

/// Reads an error answer in the API's format.
pub async fn failure(response: Response) -> AppError {
    let status = response.status();
    let text = match text(&response).await {
        Ok(text) => text,
        Err(failure) => return failure,
    };
    match crate::json::parse_json::<ApiError>(&text) {
        Some(e) => AppError::api(status, &e.error.code, e.error.message),
        None => AppError::internal(status),
    }
}

/// One request with any body (JSON text, a `Blob` part) and extra headers; the answer as it is,
/// whatever its status. `Err` only when no answer came.
pub async fn raw(
    method: &str,
    path: &str,
    body: Option<&JsValue>,
    headers: &[(&str, &str)],
    token: Option<&str>,
) -> Result<Response, AppError> {
    fetch(method, path, body, headers, token)
        .await
        .map_err(|_| AppError::Network)
}

async fn fetch(
    method: &str,
    path: &str,
    body: Option<&JsValue>,
    headers: &[(&str, &str)],
    token: Option<&str>,
) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(body);
    }
    let request = Request::new_with_str_and_init(path, &init)?;
    request.headers().set("Accept", "application/json")?;
    for (name, value) in headers {
        request.headers().set(name, value)?;
    }
    if let Some(token) = token {
        request
            .headers()
            .set("Authorization", &format!("Bearer {token}"))?;
    }
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let response = JsFuture::from(window.fetch_with_request(&request)).await?;
    response.dyn_into::<Response>()
}
