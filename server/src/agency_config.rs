//! An agency's own LHSO matrix and risk model: parsed and validated by the same `shared` code the
//! tablet runs, stored per version in `agency_configs`, one version active per kind. Without an
//! active version the shipped default is in force, and it keeps its `is_default` label.
//!
//! Stored bodies are the canonical serialization of the validated config, so "the same config
//! again" is a string comparison that ignores whitespace and key order of what was uploaded.

use std::sync::LazyLock;

use serde_json::Value;
use sqlx::AnyPool;

use shared::lhso::MatrixConfig;
use shared::risk::RiskModel;
use shared::ErrorCode;

use crate::db;
use crate::error::{AppError, AppResult};

static DEFAULT_MATRIX: LazyLock<MatrixConfig> = LazyLock::new(MatrixConfig::default_2022);
static DEFAULT_RISK_MODEL: LazyLock<RiskModel> = LazyLock::new(RiskModel::default_2026);

shared::wire_enum! {
    /// A kind of agency configuration: the value of `agency_configs.kind` and of the API's `kind`.
    pub enum Kind {
        LhsoMatrix = "lhso_matrix",
        RiskModel = "risk_model",
    }
}

impl Kind {
    pub fn invalid_code(self) -> ErrorCode {
        match self {
            Kind::LhsoMatrix => ErrorCode::ConfigInvalidLhsoMatrix,
            Kind::RiskModel => ErrorCode::ConfigInvalidRiskModel,
        }
    }

    pub fn activate_action(self) -> &'static str {
        match self {
            Kind::LhsoMatrix => "config.lhso_matrix.activate",
            Kind::RiskModel => "config.risk_model.activate",
        }
    }

    pub fn default_version(self) -> &'static str {
        match self {
            Kind::LhsoMatrix => DEFAULT_MATRIX.version(),
            Kind::RiskModel => &DEFAULT_RISK_MODEL.version,
        }
    }
}

/// An uploaded config after validation, in its canonical stored form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub kind: Kind,
    pub version: String,
    pub body: String,
}

impl Prepared {
    /// True when this is the shipped default itself (its id with the same content): loading it
    /// means "back to the default".
    pub fn is_shipped_default(&self) -> Result<bool, ErrorCode> {
        if self.version != self.kind.default_version() {
            return Ok(false);
        }
        let default = match self.kind {
            Kind::LhsoMatrix => prepare_matrix(
                &serde_json::to_value(&*DEFAULT_MATRIX).map_err(|_| ErrorCode::Internal)?,
            )?,
            Kind::RiskModel => prepare_risk_model(
                &serde_json::to_value(&*DEFAULT_RISK_MODEL).map_err(|_| ErrorCode::Internal)?,
            )?,
        };
        // The default's id is reserved: with other content it would make one id name two configs.
        if default.body == self.body {
            Ok(true)
        } else {
            Err(ErrorCode::RecordDuplicate)
        }
    }
}

/// Validates an LHSO matrix. Accepts exactly what `GET /lhso/matrix` answers: the `questions`
/// and `labels` it gathers at the top level are derived from the axes and are dropped. An
/// agency's matrix is its adopted policy, so it is stored with `is_default: false`.
pub fn prepare_matrix(json: &Value) -> Result<Prepared, ErrorCode> {
    let invalid = ErrorCode::ConfigInvalidLhsoMatrix;
    let mut json = json.clone();
    let object = json.as_object_mut().ok_or(invalid)?;
    object.remove("questions");
    object.remove("labels");
    let parsed = MatrixConfig::parse(&json.to_string()).map_err(|_| invalid)?;
    let mut data = parsed.data().clone();
    data.is_default = false;
    let config = MatrixConfig::from_data(data).map_err(|_| invalid)?;
    Ok(Prepared {
        kind: Kind::LhsoMatrix,
        version: config.version().to_owned(),
        body: serde_json::to_string(&config).map_err(|_| ErrorCode::Internal)?,
    })
}

/// Validates a risk model; stored with `is_default: false` like a matrix.
pub fn prepare_risk_model(json: &Value) -> Result<Prepared, ErrorCode> {
    let mut model =
        RiskModel::from_json(&json.to_string()).map_err(|_| ErrorCode::ConfigInvalidRiskModel)?;
    model.is_default = false;
    Ok(Prepared {
        kind: Kind::RiskModel,
        version: model.version.clone(),
        body: serde_json::to_string(&model).map_err(|_| ErrorCode::Internal)?,
    })
}

fn stored_matrix(body: &str) -> anyhow::Result<MatrixConfig> {
    MatrixConfig::parse(body).map_err(|e| anyhow::anyhow!("stored LHSO matrix is invalid: {e}"))
}

/// The agency's active matrix, or the shipped default.
pub async fn active_matrix(pool: &AnyPool, agency_id: &str) -> anyhow::Result<MatrixConfig> {
    match db::configs::active_body(pool, agency_id, Kind::LhsoMatrix.as_str()).await? {
        Some(body) => stored_matrix(&body),
        None => Ok(DEFAULT_MATRIX.clone()),
    }
}

/// The matrix an assessment asks for: the active one, or a named version (any version the agency
/// stored, or the default's id). An unknown version is `lhso.invalid_input`.
pub async fn matrix_for(
    pool: &AnyPool,
    agency_id: &str,
    version: Option<&str>,
) -> AppResult<MatrixConfig> {
    let Some(version) = version else {
        return Ok(active_matrix(pool, agency_id).await?);
    };
    if version == DEFAULT_MATRIX.version() {
        return Ok(DEFAULT_MATRIX.clone());
    }
    match db::configs::body(pool, agency_id, Kind::LhsoMatrix.as_str(), version).await? {
        Some(body) => Ok(stored_matrix(&body)?),
        None => Err(AppError::Api(ErrorCode::LhsoInvalidInput)),
    }
}

/// The agency's active risk model, or the shipped default.
pub async fn active_risk_model(pool: &AnyPool, agency_id: &str) -> anyhow::Result<RiskModel> {
    match db::configs::active_body(pool, agency_id, Kind::RiskModel.as_str()).await? {
        Some(body) => RiskModel::from_json(&body)
            .map_err(|e| anyhow::anyhow!("stored risk model is invalid: {e}")),
        None => Ok(DEFAULT_RISK_MODEL.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_matrix_json() -> Value {
        serde_json::to_value(MatrixConfig::default_2022()).unwrap()
    }

    #[test]
    fn an_agency_matrix_is_stored_as_its_own_policy_and_the_derived_keys_are_dropped() {
        let mut json = default_matrix_json();
        json["version"] = "odx-2027".into();
        json["questions"] = Value::Array(vec![]);
        json["labels"] = serde_json::json!({});
        let prepared = prepare_matrix(&json).unwrap();
        assert_eq!(prepared.version, "odx-2027");
        let stored = MatrixConfig::parse(&prepared.body).unwrap();
        assert!(!stored.data().is_default);
        assert_eq!(prepared.is_shipped_default(), Ok(false));
    }

    #[test]
    fn the_default_id_names_only_the_default() {
        let prepared = prepare_matrix(&default_matrix_json()).unwrap();
        assert_eq!(prepared.is_shipped_default(), Ok(true));
        let mut changed = default_matrix_json();
        changed["label"] = "Eigen matrix".into();
        let prepared = prepare_matrix(&changed).unwrap();
        assert_eq!(
            prepared.is_shipped_default(),
            Err(ErrorCode::RecordDuplicate)
        );
        let model = serde_json::to_value(RiskModel::default_2026()).unwrap();
        assert_eq!(
            prepare_risk_model(&model).unwrap().is_shipped_default(),
            Ok(true)
        );
    }

    #[test]
    fn an_invalid_config_gets_the_code_of_its_kind() {
        let mut json = default_matrix_json();
        json["cells"].as_object_mut().unwrap().remove("B3");
        assert_eq!(
            prepare_matrix(&json),
            Err(ErrorCode::ConfigInvalidLhsoMatrix)
        );
        assert_eq!(
            prepare_matrix(&Value::Array(vec![])),
            Err(ErrorCode::ConfigInvalidLhsoMatrix)
        );
        let mut model = serde_json::to_value(RiskModel::default_2026()).unwrap();
        model["version"] = " ".into();
        assert_eq!(
            prepare_risk_model(&model),
            Err(ErrorCode::ConfigInvalidRiskModel)
        );
    }
}
