//! An agency's own configuration: loading and activating an LHSO matrix or risk model
//! (`PUT /admin/lhso/matrix`, `PUT /admin/risk-model`, admins) and listing the stored versions
//! (`GET /admin/configs`, admins, team leads and managers).

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};

use shared::{ErrorCode, Role};

use crate::agency_config::{self, Kind, Prepared};
use crate::audit::{self, AuditEntry};
use crate::auth::{require_role, AuthUser};
use crate::db;
use crate::error::{ApiJson, AppError, AppResult};
use crate::AppState;

#[derive(Debug, Serialize)]
pub struct Activated {
    pub kind: &'static str,
    pub version: String,
    pub active: bool,
}

/// `PUT /api/v1/admin/lhso/matrix`: the body is the matrix JSON (as `GET /lhso/matrix` answers it).
pub async fn put_lhso_matrix(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<Value>,
) -> AppResult<Json<Activated>> {
    require_admin(&user)?;
    let prepared = agency_config::prepare_matrix(&body)?;
    activate(&state, &user, prepared).await.map(Json)
}

/// `PUT /api/v1/admin/risk-model`: the body is the risk model JSON.
pub async fn put_risk_model(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(body): ApiJson<Value>,
) -> AppResult<Json<Activated>> {
    require_admin(&user)?;
    let prepared = agency_config::prepare_risk_model(&body)?;
    activate(&state, &user, prepared).await.map(Json)
}

fn require_admin(user: &AuthUser) -> Result<(), AppError> {
    require_role(user, &[Role::Admin])
}

/// Stores the version if it is new and makes it the active one, with its audit entry, in one
/// transaction. The same version with the same content again changes nothing (or re-activates
/// it); with other content it is 409 `record.duplicate`. The shipped default's own content under
/// its id means "back to the default": no version of the agency stays active.
async fn activate(state: &AppState, user: &AuthUser, prepared: Prepared) -> AppResult<Activated> {
    let kind = prepared.kind;
    let agency = user.agency_id.as_str();
    let back_to_default = prepared.is_shipped_default()?;
    let mut tx = state.db.pool.begin().await?;
    let previous = db::configs::active_version(&mut tx, agency, kind.as_str()).await?;
    let mut stored_now = false;
    let target = if back_to_default {
        None
    } else {
        match db::configs::stored(&mut tx, agency, kind.as_str(), &prepared.version).await? {
            Some((body, _)) if body != prepared.body => {
                return Err(ErrorCode::RecordDuplicate.into())
            }
            Some(_) => {}
            None => {
                let actor = user.info.id.to_string();
                let inserted = db::configs::insert(
                    &mut tx,
                    agency,
                    kind.as_str(),
                    &prepared.version,
                    &prepared.body,
                    &db::now_text(),
                    &actor,
                )
                .await;
                inserted.map_err(concurrent_write)?;
                stored_now = true;
            }
        }
        Some(prepared.version.as_str())
    };
    let answer = Activated {
        kind: kind.as_str(),
        version: prepared.version.clone(),
        active: true,
    };
    if previous.as_deref() == target {
        // Already in force: nothing to write, nothing to audit.
        tx.rollback().await?;
        return Ok(answer);
    }
    db::configs::activate(&mut tx, agency, kind.as_str(), target)
        .await
        .map_err(concurrent_write)?;
    let actor = user.info.id.to_string();
    let entity_id = format!("{agency}/{}/{}", kind.as_str(), prepared.version);
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&actor),
            device_id: None,
            action: kind.activate_action(),
            entity: "agency_config",
            entity_id: &entity_id,
            old_version: None,
            new_version: None,
            details: json!({
                "kind": kind.as_str(),
                "old_version": previous.as_deref().unwrap_or(kind.default_version()),
                "new_version": prepared.version,
                "stored": stored_now,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(answer)
}

/// Two admins activating at the same moment: the database's one-active index (or the primary
/// key) refuses the second, which may retry.
fn concurrent_write(e: sqlx::Error) -> AppError {
    AppError::unique(
        e,
        &[
            (
                db::AGENCY_CONFIGS_ONE_ACTIVE,
                ErrorCode::RecordVersionConflict,
            ),
            (db::AGENCY_CONFIGS_PKEY, ErrorCode::RecordVersionConflict),
        ],
    )
}

/// `GET /api/v1/admin/configs`: per kind the default's id, the version in force and every stored
/// version (without bodies).
pub async fn list(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<Value>> {
    require_role(&user, &[Role::Admin, Role::TeamLead, Role::Manager])?;
    let rows = db::configs::list(&state.db.pool, &user.agency_id).await?;
    let mut out = serde_json::Map::new();
    for &kind in Kind::ALL {
        let versions: Vec<Value> = rows
            .iter()
            .filter(|r| r.kind == kind.as_str())
            .map(|r| {
                json!({
                    "version": r.version,
                    "active": r.active == 1,
                    "created_at": r.created_at,
                    "created_by": r.created_by,
                    "created_by_name": r.created_by_name,
                })
            })
            .collect();
        let active = rows
            .iter()
            .find(|r| r.kind == kind.as_str() && r.active == 1)
            .map_or(kind.default_version(), |r| r.version.as_str());
        out.insert(
            kind.as_str().to_owned(),
            json!({
                "default_version": kind.default_version(),
                "active_version": active,
                "versions": versions,
            }),
        );
    }
    Ok(Json(Value::Object(out)))
}
