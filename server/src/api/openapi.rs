//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the whole HTTP surface.
//!
//! Written by hand in `server/openapi/openapi.json` rather than derived from the types, so `shared`
//! (compiled into the tablet's wasm bundle) carries no documentation machinery. The tests check the
//! document against `endpoints()`, so an undocumented endpoint cannot slip in.

use std::future::{ready, Ready};
use std::sync::LazyLock;

use axum::Json;
use serde_json::Value;

pub const SOURCE: &str = include_str!("../../openapi/openapi.json");

static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(SOURCE).expect("server/openapi/openapi.json is valid JSON")
});

/// The parsed document.
pub fn document() -> &'static Value {
    &DOCUMENT
}

/// The handler. Building it parses the document, so a broken document stops the server at start-up
/// (when the router is built) instead of failing the first request.
pub fn handler() -> impl Fn() -> Ready<Json<&'static Value>> + Clone + Send + Sync + 'static {
    let document = document();
    move || ready(Json(document))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_parses_and_is_openapi_3_1() {
        let version = super::document()["openapi"].as_str().unwrap_or_default();
        assert!(version.starts_with("3.1."), "{version}");
    }
}
