//! The participating authorities (municipalities and provinces) of the agency: the names office
//! pages show and offer, e.g. when a programme line is entered.

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::auth::{office_reader, AuthUser};
use crate::db;
use crate::error::AppResult;
use crate::AppState;

#[derive(Debug, Serialize)]
pub struct Authority {
    pub id: String,
    pub name: String,
    pub cbs_code: String,
    /// `municipality` or `province`.
    pub kind: String,
}

/// `GET /api/v1/authorities`: office roles get the agency's authorities by name; an authority
/// viewer gets only its own.
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
) -> AppResult<Json<serde_json::Value>> {
    let own = office_reader(&user)?.map(|a| a.to_string());
    let rows = db::programme::authority_list(&state.db.pool, &user.agency_id).await?;
    let authorities: Vec<Authority> = rows
        .into_iter()
        .filter(|(id, ..)| own.as_ref().is_none_or(|own| own == id))
        .map(|(id, name, cbs_code, kind)| Authority {
            id,
            name,
            cbs_code,
            kind,
        })
        .collect();
    Ok(Json(serde_json::json!({ "authorities": authorities })))
}
