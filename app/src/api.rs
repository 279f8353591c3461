//! JSON calls to the server's `/api/v1` routes through the browser's fetch.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use shared::ApiError;

use crate::strings;

#[derive(Debug, Clone)]
pub enum ApiFailure {
    /// No answer at all: offline, server down, or the request was cut off.
    Network,
    /// The server answered with the API's error format.
    Api {
        status: u16,
        code: String,
        message: String,
    },
}

impl ApiFailure {
    pub fn user_message(&self) -> String {
        match self {
            ApiFailure::Network => strings::LOGIN_NEEDS_NETWORK.to_owned(),
            ApiFailure::Api { code, message, .. } => strings::error_message(code, message),
        }
    }
}

pub async fn post<B: Serialize, R: DeserializeOwned>(
    path: &str,
    body: &B,
    token: Option<&str>,
) -> Result<R, ApiFailure> {
    let body = serde_json::to_string(body).map_err(|_| ApiFailure::Network)?;
    send("POST", path, Some(body), token).await
}

pub async fn get<R: DeserializeOwned>(path: &str, token: Option<&str>) -> Result<R, ApiFailure> {
    send("GET", path, None, token).await
}

async fn send<R: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    token: Option<&str>,
) -> Result<R, ApiFailure> {
    let response = fetch(method, path, body, token)
        .await
        .map_err(|_| ApiFailure::Network)?;
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(|_| ApiFailure::Network)?)
        .await
        .map_err(|_| ApiFailure::Network)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        // An empty body (204) parses as JSON null for unit-like results.
        let text = if text.is_empty() { "null" } else { &text };
        return crate::store::parse_json(text).ok_or_else(|| ApiFailure::Api {
            status,
            code: "server.internal".into(),
            message: String::new(),
        });
    }
    match crate::store::parse_json::<ApiError>(&text) {
        Some(e) => Err(ApiFailure::Api {
            status,
            code: e.error.code,
            message: e.error.message,
        }),
        None => Err(ApiFailure::Api {
            status,
            code: "server.internal".into(),
            message: String::new(),
        }),
    }
}

async fn fetch(
    method: &str,
    path: &str,
    body: Option<String>,
    token: Option<&str>,
) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = &body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(path, &init)?;
    request.headers().set("Accept", "application/json")?;
    if body.is_some() {
        request.headers().set("Content-Type", "application/json")?;
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
