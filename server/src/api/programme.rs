//! The yearly execution programme: read by team leads, management and (their own part) the
//! authorities; written by management and admins, with optimistic concurrency.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use shared::programme::{
    valid_figures, valid_focus_point, FocusMeasure, TaskGroup, MAX_PRODUCT_CHARS, MAX_SECTOR_CHARS,
};
use shared::{ErrorCode, Role};

use crate::audit::{self, AuditEntry};
use crate::auth::{office_reader, require_role, AuthUser};
use crate::db::{self, programme::ProgrammeLineRow};
use crate::error::{ApiJson, AppError, AppResult};
use crate::programme_import::{self, Format};
use crate::AppState;

#[derive(Debug, Serialize)]
pub struct ProgrammeLine {
    pub id: String,
    pub year: i64,
    pub product: String,
    pub authority_id: String,
    pub task_group: String,
    pub planned_count: i64,
    pub planned_hours: f64,
    pub version: i64,
    /// The site sector whose inspections realise the line; `null` for work inspections do not
    /// realise (projects, bedrijfsvoering).
    pub sector: Option<String>,
    /// The focus point the line serves, if any.
    pub focus_point_id: Option<String>,
}

impl From<ProgrammeLineRow> for ProgrammeLine {
    fn from(r: ProgrammeLineRow) -> Self {
        ProgrammeLine {
            id: r.id,
            year: r.year,
            product: r.product,
            authority_id: r.authority_id,
            task_group: r.task_group,
            planned_count: r.planned_count,
            planned_hours: r.planned_hours,
            version: r.version,
            sector: r.sector,
            focus_point_id: r.focus_point_id,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct FocusPoint {
    pub id: String,
    pub year: i64,
    pub title: String,
    pub goal: String,
    pub measure: String,
    pub target_percent: f64,
    pub version: i64,
}

impl From<db::programme::FocusPointRow> for FocusPoint {
    fn from(r: db::programme::FocusPointRow) -> Self {
        FocusPoint {
            id: r.id,
            year: r.year,
            title: r.title,
            goal: r.goal,
            measure: r.measure,
            target_percent: r.target_percent,
            version: r.version,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeQuery {
    pub year: i64,
    pub authority_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLine {
    pub year: i64,
    pub product: String,
    pub authority_id: uuid::Uuid,
    pub task_group: String,
    pub planned_count: i64,
    pub planned_hours: f64,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub focus_point_id: Option<uuid::Uuid>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineUpdate {
    pub base_version: i64,
    pub planned_count: i64,
    pub planned_hours: f64,
    /// Absent: unchanged; `null`: the line serves no focus point; an id: it serves that one.
    #[serde(default, deserialize_with = "present")]
    pub focus_point_id: Option<Option<uuid::Uuid>>,
}

/// A field that may be absent (`None`), `null` (`Some(None)`) or a value.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// `GET /api/v1/programme?year=YYYY[&authority_id=]`.
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<ProgrammeQuery>, axum::extract::rejection::QueryRejection>,
) -> AppResult<Json<serde_json::Value>> {
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    if !(2000..=2100).contains(&query.year) {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let requested = super::params::optional_uuid(query.authority_id.as_deref())?;
    // An authority sees only its own part, whatever it asks for.
    let authority = office_reader(&user)?.or(requested);
    let authority = authority.map(|a| a.to_string());
    let rows = db::programme::list(
        &state.db.pool,
        &user.agency_id,
        query.year,
        authority.as_deref(),
    )
    .await?;
    let lines: Vec<ProgrammeLine> = rows.into_iter().map(Into::into).collect();
    let focus_points: Vec<FocusPoint> =
        db::programme::focus_points(&state.db.pool, &user.agency_id, query.year)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
    Ok(Json(
        serde_json::json!({ "year": query.year, "lines": lines, "focus_points": focus_points }),
    ))
}

fn require_writer(user: &AuthUser) -> Result<(), AppError> {
    require_role(user, &[Role::Manager, Role::Admin])
}

/// `POST /api/v1/programme/lines` -> 201 with the new line.
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(line): ApiJson<NewLine>,
) -> AppResult<(StatusCode, Json<ProgrammeLine>)> {
    require_writer(&user)?;
    let product = line.product.trim();
    if !(2000..=2100).contains(&line.year)
        || product.is_empty()
        // At most 200 characters as sent (the document's `maxLength`).
        || line.product.chars().count() > MAX_PRODUCT_CHARS
        || TaskGroup::parse(&line.task_group).is_none()
        || !valid_figures(line.planned_count, line.planned_hours)
        || line
            .sector
            .as_deref()
            .is_some_and(|s| s.trim().is_empty() || s.chars().count() > MAX_SECTOR_CHARS)
    {
        return Err(ErrorCode::ProgrammeInvalidLine.into());
    }
    let authority_id = line.authority_id.to_string();
    if !db::programme::authority_in_agency(&state.db.pool, &user.agency_id, &authority_id).await? {
        return Err(ErrorCode::ProgrammeInvalidLine.into());
    }
    let focus_point_id = line.focus_point_id.map(|f| f.to_string());
    let row = ProgrammeLineRow {
        id: uuid::Uuid::new_v4().to_string(),
        agency_id: user.agency_id.clone(),
        year: line.year,
        product: product.to_owned(),
        authority_id,
        task_group: line.task_group,
        planned_count: line.planned_count,
        planned_hours: line.planned_hours,
        version: 1,
        sector: line.sector.map(|s| s.trim().to_owned()),
        focus_point_id,
    };
    let mut tx = state.db.pool.begin().await?;
    if let Some(f) = &row.focus_point_id {
        check_focus_point(&mut tx, &user.agency_id, f, row.year).await?;
    }
    if let Err(e) = db::programme::insert(&mut tx, &row).await {
        // Roll back before answering: on SQLite the failed insert holds the write lock until the
        // transaction ends, and a dropped transaction only ends it later.
        tx.rollback().await?;
        return Err(AppError::unique(
            e,
            &[(db::PROGRAMME_LINES_KEY, ErrorCode::RecordDuplicate)],
        ));
    }
    let actor = user.info.id.to_string();
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&actor),
            device_id: None,
            action: "programme_line.create",
            entity: "programme_line",
            entity_id: &row.id,
            old_version: None,
            new_version: Some(1),
            details: serde_json::json!({"year": row.year, "product": row.product, "planned_count": row.planned_count, "planned_hours": row.planned_hours}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// `PUT /api/v1/programme/lines/{id}`: a stale `base_version` is 409 `record.version_conflict`.
pub async fn update(
    State(state): State<AppState>,
    user: AuthUser,
    path: Result<Path<uuid::Uuid>, PathRejection>,
    ApiJson(change): ApiJson<LineUpdate>,
) -> AppResult<Json<ProgrammeLine>> {
    require_writer(&user)?;
    // A malformed id names no line: 404 in the API's error format, like an unknown id.
    let Path(id) = path.map_err(|_| ErrorCode::NotFound)?;
    if !valid_figures(change.planned_count, change.planned_hours) {
        return Err(ErrorCode::ProgrammeInvalidLine.into());
    }
    let id = id.to_string();
    let mut tx = state.db.pool.begin().await?;
    let current = db::programme::by_id(&mut tx, &user.agency_id, &id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    // The focus point is checked before anything is written (a refusal then changes nothing and
    // holds no write lock).
    let focus = change.focus_point_id.map(|f| f.map(|id| id.to_string()));
    if let Some(Some(f)) = &focus {
        if let Err(e) = check_focus_point(&mut tx, &user.agency_id, f, current.year).await {
            tx.rollback().await?;
            return Err(e);
        }
    }
    let updated = db::programme::update_planned(
        &mut tx,
        &user.agency_id,
        &id,
        change.base_version,
        change.planned_count,
        change.planned_hours,
    )
    .await?;
    if !updated {
        tx.rollback().await?;
        return Err(ErrorCode::RecordVersionConflict.into());
    }
    if let Some(focus) = &focus {
        db::programme::set_line_focus_point(&mut tx, &user.agency_id, &id, focus.as_deref())
            .await?;
    }
    let actor = user.info.id.to_string();
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&actor),
            device_id: None,
            action: "programme_line.update",
            entity: "programme_line",
            entity_id: &id,
            old_version: Some(current.version),
            new_version: Some(current.version + 1),
            details: serde_json::json!({
                "planned_count": [current.planned_count, change.planned_count],
                "planned_hours": [current.planned_hours, change.planned_hours],
                "focus_point_id": [
                    &current.focus_point_id,
                    focus.clone().unwrap_or_else(|| current.focus_point_id.clone()),
                ],
            }),
        },
    )
    .await?;
    let line = db::programme::by_id(&mut tx, &user.agency_id, &id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    tx.commit().await?;
    Ok(Json(line.into()))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    pub year: i64,
}

/// `POST /api/v1/programme/import?year=YYYY` with the year's lines as CSV (`text/csv`) or XLSX
/// (managers and admins, own agency): 200 with the report when every row was imported, 422
/// `import.rejected` with the same report (and nothing written) when any row was rejected.
pub async fn import(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<ImportQuery>, axum::extract::rejection::QueryRejection>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> AppResult<axum::response::Response> {
    require_writer(&user)?;
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    if !(2000..=2100).contains(&query.year) {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let format = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(Format::from_content_type)
        .ok_or(ErrorCode::RequestInvalid)?;
    let data = axum::body::to_bytes(body, IMPORT_LIMIT)
        .await
        .map_err(|_| ErrorCode::RequestTooLarge)?;
    let actor = user.info.id.to_string();
    let report = programme_import::import_programme(
        &state.db,
        &user.agency_id,
        query.year,
        programme_import::Importer {
            actor_id: Some(&actor),
            source: "api",
        },
        format,
        &data,
    )
    .await?;
    Ok(super::sites::report_response(report))
}

/// A programme of a few thousand lines is well under a megabyte, as CSV or XLSX.
const IMPORT_LIMIT: usize = 4 * 1024 * 1024;

/// A line may serve only a focus point of its own agency and year.
async fn check_focus_point(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    agency_id: &str,
    focus_point_id: &str,
    year: i64,
) -> Result<(), AppError> {
    match db::programme::focus_point_year(tx, agency_id, focus_point_id).await? {
        Some(y) if y == year => Ok(()),
        _ => Err(ErrorCode::ProgrammeInvalidLine.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewFocusPoint {
    pub year: i64,
    pub title: String,
    #[serde(default)]
    pub goal: String,
    pub measure: FocusMeasure,
    pub target_percent: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FocusPointChange {
    pub base_version: i64,
    pub title: String,
    #[serde(default)]
    pub goal: String,
    pub measure: FocusMeasure,
    pub target_percent: f64,
}

/// `POST /api/v1/programme/focus-points` -> 201 with the focus point (managers and admins).
pub async fn create_focus_point(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(new): ApiJson<NewFocusPoint>,
) -> AppResult<(StatusCode, Json<FocusPoint>)> {
    require_writer(&user)?;
    if !(2000..=2100).contains(&new.year)
        || !valid_focus_point(&new.title, &new.goal, new.target_percent)
    {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let row = db::programme::FocusPointRow {
        id: uuid::Uuid::new_v4().to_string(),
        year: new.year,
        title: new.title.trim().to_owned(),
        goal: new.goal.trim().to_owned(),
        measure: new.measure.as_str().to_owned(),
        target_percent: new.target_percent,
        version: 1,
    };
    let mut tx = state.db.pool.begin().await?;
    if let Err(e) = db::programme::insert_focus_point(&mut tx, &user.agency_id, &row).await {
        tx.rollback().await?;
        return Err(AppError::unique(
            e,
            &[(db::FOCUS_POINTS_KEY, ErrorCode::RecordDuplicate)],
        ));
    }
    audit_focus_point(&mut tx, &user, &row, None).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// `PUT /api/v1/programme/focus-points/{id}`: a stale `base_version` is 409.
pub async fn update_focus_point(
    State(state): State<AppState>,
    user: AuthUser,
    path: Result<Path<uuid::Uuid>, PathRejection>,
    ApiJson(change): ApiJson<FocusPointChange>,
) -> AppResult<Json<FocusPoint>> {
    require_writer(&user)?;
    let Path(id) = path.map_err(|_| ErrorCode::NotFound)?;
    if !valid_focus_point(&change.title, &change.goal, change.target_percent) {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let id = id.to_string();
    let mut tx = state.db.pool.begin().await?;
    let year = db::programme::focus_point_year(&mut tx, &user.agency_id, &id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let row = db::programme::FocusPointRow {
        id: id.clone(),
        year,
        title: change.title.trim().to_owned(),
        goal: change.goal.trim().to_owned(),
        measure: change.measure.as_str().to_owned(),
        target_percent: change.target_percent,
        version: change.base_version + 1,
    };
    let updated = match db::programme::update_focus_point(
        &mut tx,
        &user.agency_id,
        &row,
        change.base_version,
    )
    .await
    {
        Ok(updated) => updated,
        Err(e) => {
            tx.rollback().await?;
            return Err(AppError::unique(
                e,
                &[(db::FOCUS_POINTS_KEY, ErrorCode::RecordDuplicate)],
            ));
        }
    };
    if !updated {
        tx.rollback().await?;
        return Err(ErrorCode::RecordVersionConflict.into());
    }
    audit_focus_point(&mut tx, &user, &row, Some(change.base_version)).await?;
    tx.commit().await?;
    Ok(Json(row.into()))
}

async fn audit_focus_point(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: &AuthUser,
    row: &db::programme::FocusPointRow,
    old_version: Option<i64>,
) -> Result<(), AppError> {
    let actor = user.info.id.to_string();
    audit::record(
        tx,
        &AuditEntry {
            actor_id: Some(&actor),
            device_id: None,
            action: if old_version.is_some() {
                "focus_point.update"
            } else {
                "focus_point.create"
            },
            entity: "focus_point",
            entity_id: &row.id,
            old_version,
            new_version: Some(row.version),
            details: serde_json::json!({"year": row.year, "title": row.title, "measure": row.measure, "target_percent": row.target_percent}),
        },
    )
    .await?;
    Ok(())
}
