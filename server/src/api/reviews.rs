//! The review loop (API.md "Review"): `GET /api/v1/reviews` lists the finished visits that need a
//! second look (the reasons are `shared::review`'s rules), `POST /api/v1/visits/{id}/review`
//! approves one or returns it to its inspector with a comment. A return reaches the tablet through
//! the pull feed (the visit, `returned`, with the step that returned it); the inspector corrects the
//! visit and finishes it again, which puts it back on the list. Every step is kept on the visit and
//! audited.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::Json;
use uuid::Uuid;

use shared::lhso::{Intervention, LhsoCell};
use shared::review::{
    self, AssessedViolation, ReviewDecision, ReviewItem, ReviewList, ReviewRequest, ReviewStep,
};
use shared::sync::{EntityKind, FeedOp};
use shared::visit::{VisitDetail, VisitEvent, VisitStatus};
use shared::{ErrorCode, Role};

use crate::audit::{self, AuditEntry};
use crate::auth::AuthUser;
use crate::db::{self, reviews::ReviewRow};
use crate::error::{ApiJson, AppResult};
use crate::AppState;

/// How far back the review list looks: visits finished in the last this many days.
const LIST_DAYS: i64 = 60;

/// Team leads and managers review; everyone else is refused.
fn may_review(user: &AuthUser) -> Result<(), ErrorCode> {
    match user.info.role {
        Role::TeamLead | Role::Manager => Ok(()),
        _ => Err(ErrorCode::AuthForbidden),
    }
}

/// A stored review step as the API shows it; `None` for an unknown decision (a corrupted row).
pub(crate) fn step(row: &ReviewRow) -> Option<ReviewStep> {
    Some(ReviewStep {
        decision: ReviewDecision::parse(&row.decision)?,
        comment: row.comment.clone(),
        by: row.by_user.clone(),
        by_name: row.by_name.clone(),
        at: row.at.clone(),
    })
}

/// `GET /api/v1/reviews`: the agency's finished visits that need a second look, oldest first.
pub async fn list(State(state): State<AppState>, user: AuthUser) -> AppResult<Json<ReviewList>> {
    may_review(&user)?;
    let pool = &state.db.pool;
    let since = (chrono::Utc::now() - chrono::Duration::days(LIST_DAYS))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let candidates = db::reviews::candidates(pool, &user.agency_id, &since).await?;
    let inspection_ids: Vec<&str> = candidates
        .iter()
        .map(|c| c.inspection_id.as_str())
        .collect();
    let mut assessed: HashMap<String, Vec<AssessedViolation>> = HashMap::new();
    for v in db::reviews::assessed_violations(pool, &inspection_ids).await? {
        let (Ok(cell), Ok(suggested_cell), Some(intervention)) = (
            v.cell.parse::<LhsoCell>(),
            v.suggested_cell.parse::<LhsoCell>(),
            Intervention::parse(&v.intervention),
        ) else {
            continue;
        };
        assessed
            .entry(v.inspection_id)
            .or_default()
            .push(AssessedViolation {
                cell,
                suggested_cell,
                intervention,
                boa_consultation: v.boa_consultation != 0,
            });
    }
    // A conflict belongs to a visit when it is the visit's own change or its data names the visit
    // (a note, finding or photo of it).
    let conflicts = db::reviews::open_conflicts(pool, &user.agency_id).await?;
    let conflicts_of = |visit_id: &str| {
        conflicts
            .iter()
            .filter(|(entity_id, data)| entity_id == visit_id || data.contains(visit_id))
            .count()
    };
    let mut reasons: Vec<(usize, Vec<review::ReviewReason>)> = Vec::new();
    for (n, c) in candidates.iter().enumerate() {
        let found = assessed
            .get(&c.inspection_id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let why = review::reasons(found, conflicts_of(&c.visit_id));
        if !why.is_empty() {
            reasons.push((n, why));
        }
    }
    let visit_ids: Vec<&str> = reasons
        .iter()
        .map(|(n, _)| candidates[*n].visit_id.as_str())
        .collect();
    let mut visits: HashMap<String, db::visits::VisitRow> = db::visits::by_ids(pool, &visit_ids)
        .await?
        .into_iter()
        .map(|v| (v.id.clone(), v))
        .collect();
    let names: HashMap<String, String> = db::visits::inspectors(pool, &user.agency_id)
        .await?
        .into_iter()
        .collect();
    let mut reviews = Vec::with_capacity(reasons.len());
    for (n, why) in reasons {
        let c = &candidates[n];
        let Some(row) = visits.remove(&c.visit_id) else {
            continue;
        };
        reviews.push(ReviewItem {
            visit_id: c.visit_id.clone(),
            site: super::visits::visit(&row)?.site,
            inspector_id: c.inspector_id.clone(),
            inspector_name: names.get(&c.inspector_id).cloned().unwrap_or_default(),
            finished_at: c.finished_at.clone(),
            reasons: why,
            state: "open".to_owned(),
        });
    }
    Ok(Json(ReviewList { reviews }))
}

/// `POST /api/v1/visits/{id}/review` `{"decision", "comment"}`: approve the finished visit, or
/// return it to its inspector (a comment is required). Answers the visit as `GET /visits/{id}`.
pub async fn review(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ReviewRequest>,
) -> AppResult<Json<VisitDetail>> {
    let id = Uuid::parse_str(&id).map_err(|_| ErrorCode::NotFound)?;
    let id = id.to_string();
    let row = db::visits::by_id(&state.db.pool, &id)
        .await?
        .filter(|row| row.agency_id == user.agency_id)
        .ok_or(ErrorCode::NotFound)?;
    may_review(&user)?;
    let comment = review::review_comment(request.decision, request.comment.as_deref())?;
    let event = match request.decision {
        ReviewDecision::Approve => VisitEvent::Approve,
        ReviewDecision::Return => VisitEvent::Return,
    };
    let actor = user.info.id.to_string();
    let at = db::now_text();
    let mut tx = state.db.pool.begin().await?;
    // The status is read inside the writing transaction, from the state the write starts from.
    let current = db::visits::visit_state(&mut tx, &id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let status = VisitStatus::parse(&current.status).ok_or(ErrorCode::Internal)?;
    let next = status
        .after(event)
        .map_err(|_| ErrorCode::ReviewNotFinished)?;
    db::reviews::insert(
        &mut tx,
        &id,
        &row.agency_id,
        request.decision.as_str(),
        comment.as_deref(),
        &actor,
        &at,
    )
    .await?;
    let (old_version, new_version) = if next == status {
        (current.version, current.version)
    } else {
        let version = db::visits::set_visit_status(&mut tx, &id, next.as_str()).await?;
        db::changes::record_changes(
            &mut tx,
            &[db::changes::ChangeRecord {
                agency_id: &row.agency_id,
                authority_id: Some(&row.authority_id),
                inspector_id: Some(&row.inspector_id),
                entity: EntityKind::Visit.as_str(),
                entity_id: &id,
                version,
                op: FeedOp::Upsert.as_str(),
                at: &at,
            }],
        )
        .await?;
        (current.version, version)
    };
    audit::record(
        &mut tx,
        &AuditEntry {
            actor_id: Some(&actor),
            device_id: None,
            action: &format!("visit.review.{}", request.decision.as_str()),
            entity: EntityKind::Visit.as_str(),
            entity_id: &id,
            old_version: Some(old_version),
            new_version: Some(new_version),
            details: serde_json::json!({ "comment": comment }),
        },
    )
    .await?;
    tx.commit().await?;
    super::visits::detail(&state, &user, &id).await.map(Json)
}
