//! LHSO advice (`POST /lhso/assess`) and the active matrix (`GET /lhso/matrix`). The engine is the
//! pure one in `shared::lhso`, the same the tablet runs offline, so online and offline advice agree.

use std::sync::LazyLock;

use axum::Json;
use serde_json::{json, Value};

use shared::lhso::{assess_request, AssessRequest, Assessment, MatrixConfig};

use crate::auth::AuthUser;
use crate::error::{ApiJson, AppResult};

/// The active matrix. Agencies loading their own matrix is future configuration; until then every
/// assessment uses (and records) the shipped default.
static MATRIX: LazyLock<MatrixConfig> = LazyLock::new(MatrixConfig::default_2022);

/// `POST /api/v1/lhso/assess`: any logged-in user may ask for advice.
pub async fn assess(
    _user: AuthUser,
    ApiJson(request): ApiJson<AssessRequest>,
) -> AppResult<Json<Assessment>> {
    assess_request(&MATRIX, request)
        .map(Json)
        .map_err(|e| e.code().into())
}

/// `GET /api/v1/lhso/matrix`: the matrix as configured, plus its questions and labels gathered
/// per axis at the top level so a client need not know the nesting to build the form.
pub async fn matrix(_user: AuthUser) -> AppResult<Json<Value>> {
    let data = MATRIX.data();
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
