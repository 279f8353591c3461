//! Schouw's server: the system of record of an omgevingsdienst.
//!
//! `router(state)` builds the whole HTTP surface so tests can serve it on port 0; `main.rs` is a
//! thin CLI around it.

pub mod agency_config;
pub mod annual_report;
pub mod api;
pub mod audit;
pub mod auth;
pub mod blobs;
pub mod config;
pub mod db;
pub mod demo;
pub mod enforcement;
pub mod error;
pub mod import;
pub mod planning;
pub mod programme_import;
pub mod report_cache;
pub mod sync;
pub mod web;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use shared::ErrorCode;

use crate::config::Config;
use crate::db::Db;
use crate::error::error_response;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// A real argon2id hash of a random password: verified against when a username is unknown so a
    /// failed login costs the same either way.
    pub dummy_hash: Arc<str>,
    pub blobs: Arc<blobs::BlobStore>,
}

impl AppState {
    pub async fn new(config: Config) -> anyhow::Result<AppState> {
        let db = Db::open(&config).await?;
        let dummy_hash = tokio::task::spawn_blocking(|| {
            let (random, _) = auth::new_token();
            auth::hash_password(&random)
        })
        .await??;
        let blobs = Arc::new(blobs::BlobStore::open(&config.data_dir)?);
        Ok(AppState {
            blobs,
            db,
            config: Arc::new(config),
            dummy_hash: dummy_hash.into(),
        })
    }
}

pub fn router(state: AppState) -> Router {
    let dist = state.config.dist_dir.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .nest("/api/v1", api::routes())
        .merge(web::routes(&dist))
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> Response {
    if state.db.ping().await {
        Json(serde_json::json!({"status": "ok"})).into_response()
    } else {
        error_response(ErrorCode::Unavailable)
    }
}

/// Serves until ctrl-c / SIGTERM, finishing requests in flight.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> anyhow::Result<()> {
    let janitor = tokio::spawn(remove_abandoned_uploads(state.blobs.clone()));
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    janitor.abort();
    served?;
    Ok(())
}

/// Unfinished uploads a device gave up on (a wiped tablet, a photo deleted before it was sent)
/// would otherwise fill the disk: remove parts untouched for a day, at start and then hourly.
async fn remove_abandoned_uploads(blobs: Arc<blobs::BlobStore>) {
    const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
    loop {
        every_hour.tick().await;
        match blobs.remove_abandoned(MAX_AGE).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "removed abandoned partial uploads"),
            Err(e) => tracing::warn!(error = %e, "could not clean up partial uploads"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
