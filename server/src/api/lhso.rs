//! LHSO advice (`POST /lhso/assess`) and the active matrix (`GET /lhso/matrix`). The engine is the
//! pure one in `shared::lhso`, the same the tablet runs offline, so online and offline advice agree.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use shared::lhso::{assess_request, AssessRequest, Assessment};

use crate::agency_config;
use crate::auth::AuthUser;
use crate::error::{ApiJson, AppResult};
use crate::AppState;

/// `POST /api/v1/lhso/assess`: any logged-in user may ask for advice. It uses the agency's active
/// matrix (the shipped default when it has none), or the version the request names; the answer's
/// `matrix_version` says which.
pub async fn assess(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(request): ApiJson<AssessRequest>,
) -> AppResult<Json<Assessment>> {
    let matrix = agency_config::matrix_for(
        &state.db.pool,
        &user.agency_id,
        request.matrix_version.as_deref(),
    )
    .await?;
    assess_request(&matrix, request)
        .map(Json)
        .map_err(|e| e.code().into())
}

/// `GET /api/v1/lhso/matrix`: the agency's active matrix (or the default), plus its questions and labels gathered
/// per axis at the top level so a client need not know the nesting to build the form.
pub async fn matrix(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Value>> {
    let matrix = agency_config::active_matrix(&state.db.pool, &user.agency_id).await?;
    let data = matrix.data();
    let mut body = serde_json::to_value(data).map_err(anyhow::Error::from)?;
    let questions: Vec<Value> = data
        .consequence
        .questions
        .iter()
        .map(|q| (q, "consequence"))
        .chain(data.behaviour.questions.iter().map(|q| (q, "behaviour")))
        .map(|(q, axis)| {
            let mut q = serde_json::to_value(q)?;
            q["axis"] = json!(axis);
            Ok(q)
        })
        .collect::<Result<_, serde_json::Error>>()
        .map_err(anyhow::Error::from)?;
    body["questions"] = Value::Array(questions);
    body["labels"] = json!({
        "consequence": data.consequence.labels,
        "behaviour": data.behaviour.labels,
    });
    Ok(Json(body))
}
