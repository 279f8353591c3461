//! Serving the built PWA (`dist/`, made by `cargo xtask dist`).
//!
//! Hashed files under `/assets/` never change, so they are cacheable for a year; the shell
//! (`index.html`), the service worker and the manifest must be revalidated on every load so a new
//! release reaches tablets. Unknown non-API paths get the shell: the app routes on the client.
//! Paths under `/kantoor` get the office door's shell (`dist/office/index.html`), a bundle of its
//! own that inspectors never download.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use shared::ErrorCode;

use crate::error::error_response;
use crate::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

pub fn routes(dist: &Path) -> Router<AppState> {
    let immutable = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static(IMMUTABLE),
    );
    let no_cache = || {
        SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(NO_CACHE),
        )
    };
    Router::new()
        .nest_service(
            "/assets",
            tower::ServiceBuilder::new().layer(immutable).service(
                ServeDir::new(dist.join("assets"))
                    // The q11 brotli and best gzip made at build time, smaller than on-the-fly.
                    .precompressed_br()
                    .precompressed_gzip(),
            ),
        )
        .route_service(
            "/sw.js",
            tower::ServiceBuilder::new()
                .layer(no_cache())
                .service(ServeFile::new(dist.join("sw.js"))),
        )
        .route_service(
            "/manifest.webmanifest",
            tower::ServiceBuilder::new()
                .layer(no_cache())
                .service(ServeFile::new(dist.join("manifest.webmanifest"))),
        )
        .fallback(shell)
}

/// The app shell for client-side routes; JSON 404 for unknown API paths.
async fn shell(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        return error_response(ErrorCode::NotFound);
    }
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let door = if shared::auth::is_office_path(uri.path()) {
        "office/index.html"
    } else {
        "index.html"
    };
    let index: PathBuf = state.config.dist_dir.join(door);
    match tokio::fs::read(&index).await {
        Ok(bytes) => Response::builder()
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .header(header::CACHE_CONTROL, NO_CACHE)
            .body(Body::from(bytes))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "De app is nog niet gebouwd: voer `cargo xtask dist` uit.",
        )
            .into_response(),
    }
}
