//! Capacity (Omgevingsbesluit art. 13.10): `GET /api/v1/reports/capacity` sets what the risk
//! model asks of the site register against the programme and the entered capacity;
//! `PUT /api/v1/programme/capacity/{year}` enters the capacity (fte, productive hours).

use std::collections::BTreeMap;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use shared::capacity::{self, Available, Capacity, PlannedLine, SiteNeed};
use shared::planner::PlannerSettings;
use shared::risk::assess_site;
use shared::{ErrorCode, Role};

use crate::audit::{self, AuditEntry};
use crate::auth::{require_role, AuthUser};
use crate::db;
use crate::error::{ApiJson, AppResult};
use crate::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityQuery {
    year: i32,
    authority_id: Option<String>,
}

/// The capacity picture with its Dutch sentences and the version of the entered capacity (0:
/// none entered), which a change must name.
#[derive(Debug, Serialize)]
pub struct CapacityAnswer {
    #[serde(flatten)]
    capacity: Capacity,
    summary: Vec<String>,
    capacity_version: i64,
}

/// `GET /api/v1/reports/capacity?year=YYYY[&authority_id=]`: office roles; an authority viewer
/// gets its own authority (another is 403).
pub async fn picture(
    State(state): State<AppState>,
    user: AuthUser,
    query: Result<Query<CapacityQuery>, QueryRejection>,
) -> AppResult<Json<CapacityAnswer>> {
    let Query(query) = query.map_err(|_| ErrorCode::RequestInvalid)?;
    if !(2000..=2100).contains(&query.year) {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let authority =
        super::reports::authority_in_scope(&state, &user, query.authority_id.as_deref()).await?;
    let pool = &state.db.pool;
    let agency = &user.agency_id;
    // Each site as the planner sees it today: its class interval and visit size.
    let today = chrono::Local::now().date_naive();
    let data = crate::planning::load(&state.db, agency, today).await?;
    let profiles = crate::planning::profiles(&data)?;
    let authority_of: BTreeMap<String, String> = db::capacity::site_authorities(pool, agency)
        .await?
        .into_iter()
        .collect();
    let sizes = PlannerSettings::default().size_hours;
    let sectors: BTreeMap<String, String> = data
        .sites
        .iter()
        .map(|s| (s.id.clone(), s.sector.clone()))
        .collect();
    let sites: Vec<SiteNeed> = profiles
        .iter()
        .filter_map(|p| {
            let id = p.site_id.to_string();
            let a = assess_site(&data.model, p, today);
            Some(SiteNeed {
                authority_id: authority_of.get(&id)?.clone(),
                sector: sectors.get(&id)?.clone(),
                interval_months: a.interval_months,
                hours_per_visit: sizes.hours(a.size),
            })
        })
        .collect();
    let lines: Vec<PlannedLine> = db::programme::list(pool, agency, i64::from(query.year), None)
        .await?
        .into_iter()
        .map(|l| PlannedLine {
            authority_id: l.authority_id,
            sector: l.sector,
            planned_count: l.planned_count,
            planned_hours: l.planned_hours,
        })
        .collect();
    let names: BTreeMap<String, String> = db::programme::authority_list(pool, agency)
        .await?
        .into_iter()
        .map(|(id, name, ..)| (id, name))
        .collect();
    let entered = db::capacity::get(pool, agency, query.year).await?;
    let available = entered.map(|(fte, hours, _)| Available {
        fte,
        productive_hours_per_fte: hours,
    });
    let picture = capacity::capacity(
        query.year,
        authority.as_deref(),
        &sites,
        &lines,
        &names,
        |s| shared::risk::sector_label_nl(s).to_owned(),
        available,
    );
    Ok(Json(CapacityAnswer {
        summary: capacity::summary(&picture),
        capacity: picture,
        capacity_version: entered.map_or(0, |(_, _, v)| v),
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityChange {
    /// The version the change is based on; 0 when none was entered yet.
    base_version: i64,
    fte: f64,
    productive_hours_per_fte: f64,
}

/// `PUT /api/v1/programme/capacity/{year}`: managers and admins enter the year's capacity; a
/// stale `base_version` is 409 `record.version_conflict` and changes nothing.
pub async fn enter(
    State(state): State<AppState>,
    user: AuthUser,
    path: Result<Path<i32>, PathRejection>,
    ApiJson(change): ApiJson<CapacityChange>,
) -> AppResult<Json<serde_json::Value>> {
    require_role(&user, &[Role::Manager, Role::Admin])?;
    let Path(year) = path.map_err(|_| ErrorCode::NotFound)?;
    let available = Available {
        fte: change.fte,
        productive_hours_per_fte: change.productive_hours_per_fte,
    };
    if !(2000..=2100).contains(&year) || !available.valid() || change.base_version < 0 {
        return Err(ErrorCode::RequestInvalid.into());
    }
    let mut tx = state.db.pool.begin().await?;
    let stored = db::capacity::put(
        &mut tx,
        &user.agency_id,
        year,
        change.fte,
        change.productive_hours_per_fte,
        change.base_version,
    )
    .await?;
    if !stored {
        tx.rollback().await?;
        return Err(ErrorCode::RecordVersionConflict.into());
    }
    let actor = user.info.id.to_string();
    let entity_id = format!("{}/{year}", user.agency_id);
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&actor),
            device_id: None,
            action: "capacity.enter",
            entity: "capacity_year",
            entity_id: &entity_id,
            old_version: (change.base_version > 0).then_some(change.base_version),
            new_version: Some(change.base_version + 1),
            details: serde_json::json!({"fte": change.fte, "productive_hours_per_fte": change.productive_hours_per_fte}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(serde_json::json!({
        "year": year,
        "fte": change.fte,
        "productive_hours_per_fte": change.productive_hours_per_fte,
        "version": change.base_version + 1,
    })))
}
