//! JSON in and out of the browser: records and API answers are parsed by `JSON.parse` and read
//! with serde-wasm-bindgen, so the bundle carries no serde_json deserialiser per type; writing goes
//! through serde_json. Used by the store, the API client and the LHSO engine alike.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    JsValue::from_str(&serde_json::to_string(value).unwrap_or_default())
}

/// Reads a stored record (a JSON string). Parsed by the browser's `JSON.parse` and read with
/// serde-wasm-bindgen: the bundle then carries no serde_json deserialiser per record type.
pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> Option<T> {
    parse_json(&value.as_string()?)
}

/// Parses JSON text (a stored record, an API answer) through `JSON.parse`.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Option<T> {
    from_value(js_sys::JSON::parse(text).ok()?)
}

/// Reads a parsed JSON value into a Rust type.
pub fn from_value<T: DeserializeOwned>(value: JsValue) -> Option<T> {
    serde_wasm_bindgen::from_value(value).ok()
}
