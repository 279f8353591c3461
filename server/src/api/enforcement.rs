//! Enforcement cases for the office (API.md "Enforcement"): the list, one case, and the office
//! steps a team lead or manager records (letter sent, intention sent, response received,
//! decision taken, amount forfeited, collected, the criminal route). Re-inspections come from the
//! tablet (`enforcement_case.reinspect`). A case outside the caller's reach is 404.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use uuid::Uuid;

use shared::enforcement::{CaseList, EnforcementCase, StepRequest};
use shared::sync::{EntityKind, FeedOp};
use shared::{ErrorCode, Role};

use crate::audit::{self, AuditEntry};
use crate::auth::{office_reader, require_role, AuthUser};
use crate::db::{self, enforcement::CaseRow};
use crate::enforcement::{self as cases, Refusal, StepInput};
use crate::error::{ApiJson, AppResult};
use crate::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only open cases (default true).
    open: Option<bool>,
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// `GET /api/v1/enforcement/cases?open=true|false`: the agency's cases (an authority viewer's:
/// their authority's), soonest re-inspection first.
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> AppResult<Json<CaseList>> {
    let authority = office_reader(&user)?.map(|a| a.to_string());
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    let rows = db::enforcement::of_agency(
        &state.db.pool,
        &user.agency_id,
        authority.as_deref(),
        query.open.unwrap_or(true),
    )
    .await?;
    Ok(Json(CaseList {
        cases: cases::views(&state.db.pool, rows, today()).await?,
    }))
}

/// The case if the caller may read it; 404 otherwise, as for an id that does not exist.
async fn readable(
    state: &AppState,
    user: &AuthUser,
    id: Result<Path<Uuid>, PathRejection>,
) -> AppResult<CaseRow> {
    let authority = office_reader(user)?.map(|a| a.to_string());
    let Path(id) = id.map_err(|_| ErrorCode::NotFound)?;
    db::enforcement::by_id(&state.db.pool, &id.to_string())
        .await?
        .filter(|c| c.agency_id == user.agency_id)
        .filter(|c| authority.as_ref().is_none_or(|a| *a == c.authority_id))
        .ok_or_else(|| ErrorCode::NotFound.into())
}

async fn view(state: &AppState, row: CaseRow) -> AppResult<EnforcementCase> {
    let mut views = cases::views(&state.db.pool, vec![row], today()).await?;
    Ok(views.remove(0))
}

/// `GET /api/v1/enforcement/cases/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    user: AuthUser,
    id: Result<Path<Uuid>, PathRejection>,
) -> AppResult<Json<EnforcementCase>> {
    let row = readable(&state, &user, id).await?;
    Ok(Json(view(&state, row).await?))
}

/// `POST /api/v1/enforcement/cases/{id}/steps` (team lead, manager): records an office step at
/// `base_version`. A step the machine does not allow is 409 `enforcement.invalid_transition` (or
/// `enforcement.deadline_not_passed`), a bad date or amount 400 `enforcement.invalid_step`, a
/// stale base 409 `record.version_conflict`; each changes nothing.
pub async fn step(
    State(state): State<AppState>,
    user: AuthUser,
    id: Result<Path<Uuid>, PathRejection>,
    ApiJson(request): ApiJson<StepRequest>,
) -> AppResult<Json<EnforcementCase>> {
    require_role(&user, &[Role::TeamLead, Role::Manager])?;
    let case = readable(&state, &user, id).await?;
    // A re-inspection is recorded where it happens: on the tablet, with the visit.
    if !request.step.is_office_step() {
        return Err(ErrorCode::EnforcementInvalidStep.into());
    }
    if request
        .note
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty() && !shared::sync::valid_note_text(n))
    {
        return Err(ErrorCode::NoteInvalidText.into());
    }
    let on = request.on.unwrap_or_else(today);
    // A step is recorded when it was taken, not in advance.
    if on > today() {
        return Err(ErrorCode::EnforcementInvalidStep.into());
    }
    let actor = user.info.id.to_string();
    let mut tx = state.db.pool.begin().await?;
    let case = db::enforcement::by_id(&mut *tx, &case.id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let written = match cases::record_step(
        &mut tx,
        &case,
        &StepInput {
            step: request.step,
            on,
            by: &actor,
            base_version: request.base_version,
            note: request.note.as_deref(),
            visit_id: None,
            photo_ids: &[],
        },
    )
    .await?
    {
        Ok(written) => written,
        Err(Refusal::Stale { .. }) => return Err(ErrorCode::RecordVersionConflict.into()),
        Err(Refusal::Refused(code)) => return Err(code.into()),
    };
    let at = db::now_text();
    db::changes::record_changes(
        &mut tx,
        &[db::changes::ChangeRecord {
            agency_id: &case.agency_id,
            authority_id: Some(&case.authority_id),
            inspector_id: case.inspector_id.as_deref(),
            entity: EntityKind::EnforcementCase.as_str(),
            entity_id: &case.id,
            version: written.version,
            op: FeedOp::Upsert.as_str(),
            at: &at,
        }],
    )
    .await?;
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&actor),
            device_id: None,
            action: &format!("enforcement_case.{}", request.step.kind()),
            entity: EntityKind::EnforcementCase.as_str(),
            entity_id: &case.id,
            old_version: written.old_version,
            new_version: Some(written.version),
            details: serde_json::json!({"step": request.step, "on": on, "state": written.state}),
        },
    )
    .await?;
    tx.commit().await?;
    let row = db::enforcement::by_id(&state.db.pool, &case.id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Json(view(&state, row).await?))
}
