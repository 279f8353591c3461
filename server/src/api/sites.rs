//! Sites: search with keyset pagination, detail with inspection history, and the admin CSV upload.
//!
//! Tenancy: every query is limited to the caller's agency; an authority_viewer sees only the sites
//! of their own authority (others are left out of searches and are 404 on detail, so their
//! existence does not leak).

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use shared::{ApiError, ErrorCode, Role};

use crate::auth::{require_role, AuthUser};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::import::{self, ImportReport, Importer, UPLOAD_LIMIT};

/// An oversized upload up to this size is read and dropped before the 413 (see `import`).
const DRAIN_LIMIT: usize = 2 * UPLOAD_LIMIT;
use crate::AppState;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    q: Option<String>,
    authority_id: Option<String>,
    sector: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SiteSummary {
    id: String,
    external_key: String,
    name: String,
    address: String,
    street: String,
    house_number: String,
    postcode: String,
    city: String,
    lat: f64,
    lon: f64,
    sector: String,
    authority_id: String,
    version: i64,
}

#[derive(Debug, Serialize)]
pub struct SearchResponse {
    sites: Vec<SiteSummary>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    next_cursor: Option<String>,
}

fn encode_cursor(name: &str, id: &str) -> String {
    let key = serde_json::json!([name, id]).to_string();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key)
}

fn decode_cursor(cursor: &str) -> Option<(String, String)> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    serde_json::from_slice::<(String, String)>(&bytes).ok()
}

fn summary(row: db::sites::SiteListRow) -> SiteSummary {
    SiteSummary {
        address: format!(
            "{} {}, {} {}",
            row.street, row.house_number, row.postcode, row.city
        ),
        id: row.id,
        external_key: row.external_key,
        name: row.name,
        street: row.street,
        house_number: row.house_number,
        postcode: row.postcode,
        city: row.city,
        lat: row.lat,
        lon: row.lon,
        sector: row.sector,
        authority_id: row.authority_id,
        version: row.version,
    }
}

/// The authority a caller is confined to: `Some` for an authority_viewer (who without an
/// authority sees nothing), `None` for the agency-wide roles.
fn confined_to(user: &AuthUser) -> Result<Option<String>, AppError> {
    if user.info.role != Role::AuthorityViewer {
        return Ok(None);
    }
    user.info
        .authority_id
        .map(|a| Some(a.to_string()))
        .ok_or(AppError::Api(ErrorCode::AuthForbidden))
}

/// `GET /api/v1/sites?q=&authority_id=&sector=&limit=&cursor=`: sites in `(name, id)` order whose
/// name, address, postcode or city contains `q` (case-insensitive).
pub async fn search(
    State(state): State<AppState>,
    user: AuthUser,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> AppResult<Json<SearchResponse>> {
    let Query(params) = params.map_err(|_| ErrorCode::RequestInvalid)?;
    let limit = match params.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or(ErrorCode::RequestInvalid)?,
    };
    let after = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => Some(decode_cursor(c).ok_or(ErrorCode::RequestInvalid)?),
    };
    let requested_authority = match params.authority_id.as_deref() {
        None => None,
        Some(a) => Some(super::params::uuid(a)?.to_string()),
    };
    // A sector code of the risk model (the document lists them as an enum; "" is none of them).
    let sector = match params.sector.as_deref() {
        None => None,
        Some(s) => {
            let known = shared::risk::RiskModel::default_2026()
                .environment
                .sectors
                .contains_key(s);
            if !known {
                return Err(ErrorCode::RequestInvalid.into());
            }
            Some(s)
        }
    };
    // At most 200 characters as sent (the document's `maxLength`), before trimming.
    if params.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let text = params
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_lowercase);
    let authority = match (confined_to(&user)?, requested_authority) {
        (Some(own), Some(asked)) if own != asked => {
            // Another authority's sites are not visible: an empty page, not an error.
            return Ok(Json(SearchResponse {
                sites: Vec::new(),
                next_cursor: None,
            }));
        }
        (Some(own), _) => Some(own),
        (None, asked) => asked,
    };
    let rows = db::sites::search(
        &state.db.pool,
        &db::sites::SiteSearch {
            agency_id: &user.agency_id,
            authority_id: authority.as_deref(),
            sector,
            text: text.as_deref(),
            after: after.as_ref().map(|(n, i)| (n.as_str(), i.as_str())),
            // One extra row tells whether there is a next page.
            limit: limit + 1,
        },
    )
    .await?;
    let more = rows.len() as i64 > limit;
    let mut sites: Vec<SiteSummary> = rows.into_iter().map(summary).collect();
    sites.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = if more {
        sites.last().map(|s| encode_cursor(&s.name, &s.id))
    } else {
        None
    };
    Ok(Json(SearchResponse { sites, next_cursor }))
}

fn json_or(text: &str, fallback: Value) -> Value {
    serde_json::from_str(text).unwrap_or(fallback)
}

/// `GET /api/v1/sites/{id}`: the site with its inspections (newest first) and their violations.
pub async fn detail(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let id = uuid::Uuid::parse_str(&id)
        .map_err(|_| ErrorCode::NotFound)?
        .to_string();
    let authority = confined_to(&user)?;
    let site = db::sites::detail(&state.db.pool, &id, &user.agency_id, authority.as_deref())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let (inspections, violations) = db::sites::history(&state.db.pool, &site.id).await?;
    let mut by_inspection: HashMap<&str, Vec<Value>> = HashMap::new();
    for v in &violations {
        by_inspection
            .entry(v.inspection_id.as_str())
            .or_default()
            .push(serde_json::json!({
                "id": v.id,
                "theme": v.theme,
                "description": v.description,
                "rule_ref": v.rule_ref,
                "cell": v.cell,
                "suggested_cell": v.suggested_cell,
                "deviation_reason": v.deviation_reason,
                "matrix_version": v.matrix_version,
                "repeat_offence": v.repeat_offence != 0,
                "intervention": v.intervention,
                "remedy_deadline": v.remedy_deadline,
                "remedied_on": v.remedied_on,
                "version": v.version,
            }));
    }
    let history: Vec<Value> = inspections
        .iter()
        .map(|i| {
            serde_json::json!({
                "id": i.id,
                "date": i.inspected_on,
                "kind": i.kind,
                "result": i.result,
                "hours_spent": i.hours_spent,
                "inspector": i.inspector_name,
                "version": i.version,
                "violations": by_inspection.remove(i.id.as_str()).unwrap_or_default(),
            })
        })
        .collect();
    Ok(Json(serde_json::json!({
        "id": site.id,
        "external_key": site.external_key,
        "name": site.name,
        "address": format!("{} {}, {} {}", site.street, site.house_number, site.postcode, site.city),
        "street": site.street,
        "house_number": site.house_number,
        "postcode": site.postcode,
        "city": site.city,
        "lat": site.lat,
        "lon": site.lon,
        "sector": site.sector,
        "activities": json_or(&site.activities, Value::Array(Vec::new())),
        "surroundings": json_or(&site.surroundings, Value::Array(Vec::new())),
        "attributes": json_or(&site.attributes, Value::Object(Default::default())),
        "authority": {"id": site.authority_id, "name": site.authority_name, "code": site.authority_code},
        "authority_id": site.authority_id,
        "version": site.version,
        "inspections": history,
        "enforcement": crate::enforcement::views(
            &state.db.pool,
            db::enforcement::of_site(&state.db.pool, &site.id).await?,
            chrono::Utc::now().date_naive(),
        )
        .await?,
    })))
}

/// `POST /api/v1/admin/sites/import` with the CSV as `text/csv` (admin only, own agency):
/// 200 with the report when every row was imported, 422 `import.rejected` with the same report
/// (and nothing written) when any row was rejected.
pub async fn import_csv(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    body: Body,
) -> AppResult<Response> {
    require_role(&user, &[Role::Admin])?;
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|v| v == "text/csv" || v == "application/csv");
    if !is_csv {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > UPLOAD_LIMIT as u64) {
        // Read (and drop) a moderately oversized upload before answering, so the client, still
        // sending, gets the 413 instead of a reset connection; a huge one is cut off at once.
        if declared.is_some_and(|len| len <= DRAIN_LIMIT as u64) {
            let _ = axum::body::to_bytes(body, DRAIN_LIMIT).await;
        }
        return Err(ErrorCode::RequestTooLarge.into());
    }
    // The upload has its own, larger limit than JSON bodies; reading `Body` directly bypasses the
    // router-wide limit, so this is the only one that applies.
    let data = axum::body::to_bytes(body, UPLOAD_LIMIT)
        .await
        .map_err(|_| ErrorCode::RequestTooLarge)?;
    let actor = user.info.id.to_string();
    let report = import::import_sites(
        &state.db,
        &user.agency_id,
        Importer {
            actor_id: Some(&actor),
            source: "api",
        },
        &data,
    )
    .await?;
    Ok(report_response(report))
}

pub(super) fn report_response(report: ImportReport) -> Response {
    if report.written {
        return (StatusCode::OK, Json(report)).into_response();
    }
    let code = ErrorCode::ImportRejected;
    let mut body = serde_json::to_value(ApiError::from(code)).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut body {
        map.insert(
            "report".to_owned(),
            serde_json::to_value(&report).unwrap_or(Value::Null),
        );
    }
    let status =
        StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    (status, Json(body)).into_response()
}
