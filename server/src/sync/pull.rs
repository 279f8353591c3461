//! `GET /sync/pull` assembled: a page of the change feed the reader may see, each change with its
//! entity's current state. The states are read with one batched query per entity kind per page
//! (`WHERE id IN (..)`), never one per change.

use shared::review::{ReviewDecision, ReviewStep};
use shared::visit::{FeedVisit, VisitProgress, VisitStatus};
use std::collections::HashMap;

use anyhow::anyhow;
use base64::Engine;
use serde_json::Value;
use sqlx::AnyPool;
use uuid::Uuid;

use shared::sync::{Change, EntityKind, FeedOp, PullResponse};
use shared::{ErrorCode, Role};

use super::views;
use crate::auth::AuthUser;
use crate::db;
use crate::error::AppResult;

/// Changes per page.
pub const PULL_PAGE: i64 = 200;

/// The cursor is opaque to devices: base64url of "c<seq>"; empty means the beginning.
pub fn decode_cursor(cursor: &str) -> Option<i64> {
    if cursor.is_empty() {
        return Some(0);
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix('c')?
        .parse()
        .ok()
        .filter(|n: &i64| *n >= 0)
}

pub fn encode_cursor(seq: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("c{seq}"))
}

/// What this user may see that changed after the cursor, in commit order, each change with the
/// entity's current state. A cursor that does not decode is `request.invalid`.
pub async fn page(pool: &AnyPool, user: &AuthUser, cursor: &str) -> AppResult<PullResponse> {
    let after = decode_cursor(cursor).ok_or(ErrorCode::RequestInvalid)?;
    let me = user.info.id.to_string();
    let (inspector, authority) = match user.info.role {
        Role::Inspector => (Some(me), None),
        Role::AuthorityViewer => (
            None,
            Some(
                user.info
                    .authority_id
                    .ok_or(ErrorCode::AuthForbidden)?
                    .to_string(),
            ),
        ),
        Role::TeamLead | Role::Manager | Role::Admin => (None, None),
    };
    let mut rows = db::changes::changes_after(
        pool,
        &user.agency_id,
        after,
        inspector.as_deref(),
        authority.as_deref(),
        PULL_PAGE + 1,
    )
    .await?;
    let more = rows.len() as i64 > PULL_PAGE;
    rows.truncate(PULL_PAGE as usize);
    let entities: Vec<(EntityKind, &str)> = rows
        .iter()
        .map(|r| (EntityKind::parse(&r.entity), r.entity_id.as_str()))
        .collect();
    let states = current_states(pool, &entities).await?;
    let mut changes = Vec::with_capacity(rows.len());
    for (row, (entity, id)) in rows.iter().zip(entities) {
        let op =
            FeedOp::parse(&row.op).ok_or_else(|| anyhow!("change {}: op {:?}", row.seq, row.op))?;
        // An entity changed twice on one page carries its current state both times; a removal
        // carries none (a visit moved to another inspector is no longer this reader's).
        let data = match op {
            FeedOp::Delete => None,
            FeedOp::Upsert => states.get(&(entity.clone(), id.to_owned())).cloned(),
        };
        changes.push(Change {
            data,
            entity_id: Uuid::parse_str(id).map_err(anyhow::Error::from)?,
            entity,
            version: row.version,
            op,
        });
    }
    let cursor = encode_cursor(rows.last().map_or(after, |r| r.seq));
    Ok(PullResponse {
        changes,
        cursor,
        more,
    })
}

/// The current state of each changed entity that still exists, keyed by (kind, id): one query
/// per kind. Kinds the feed carries without data (`sync_problem`, unknown) have none.
pub(crate) async fn current_states(
    pool: &AnyPool,
    entities: &[(EntityKind, &str)],
) -> anyhow::Result<HashMap<(EntityKind, String), Value>> {
    use EntityKind as E;
    let ids = |kind: E| -> Vec<&str> {
        let mut ids: Vec<&str> = entities
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| *id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let mut states = HashMap::new();
    for n in db::notes::by_ids(pool, &ids(E::VisitNote)).await? {
        states.insert((E::VisitNote, n.id.clone()), to_value(views::note(&n)?)?);
    }
    for f in db::findings::by_ids(pool, &ids(E::Finding)).await? {
        states.insert((E::Finding, f.id.clone()), to_value(views::finding(&f)?)?);
    }
    for p in db::photos::by_ids(pool, &ids(E::Photo)).await? {
        states.insert((E::Photo, p.id.clone()), to_value(views::photo(&p)?)?);
    }
    for v in db::violations::by_ids(pool, &ids(E::Violation)).await? {
        states.insert(
            (E::Violation, v.id.clone()),
            to_value(views::violation(&v)?)?,
        );
    }
    let cases = db::enforcement::by_ids(pool, &ids(E::EnforcementCase)).await?;
    let today = chrono::Utc::now().date_naive();
    for case in crate::enforcement::views(pool, cases, today)
        .await
        .map_err(|e| anyhow!("enforcement cases of a pull page: {e:?}"))?
    {
        states.insert((E::EnforcementCase, case.id.to_string()), to_value(case)?);
    }
    // A visit travels with its progress (pinned checklist, times, on-site verdict), so a second
    // device learns what the first started.
    let visit_ids = ids(E::Visit);
    let mut progress: HashMap<String, VisitProgress> = HashMap::new();
    for i in db::visits::inspection_infos(pool, &visit_ids).await? {
        progress.insert(i.visit_id.clone(), crate::api::visits::progress_of(&i)?);
    }
    let visits = db::visits::by_ids(pool, &visit_ids).await?;
    // A returned visit carries the step that returned it: the tablet shows its comment.
    let returned_ids: Vec<&str> = visits
        .iter()
        .filter(|v| v.status == VisitStatus::Returned.as_str())
        .map(|v| v.id.as_str())
        .collect();
    let mut returned: HashMap<String, ReviewStep> = HashMap::new();
    for r in db::reviews::of_visits(pool, &returned_ids).await? {
        if let Some(step) = crate::api::reviews::step(&r) {
            returned.insert(r.visit_id.clone(), step);
        }
    }
    for v in visits {
        let visit = FeedVisit {
            visit: crate::api::visits::visit(&v)?,
            progress: progress.remove(&v.id).unwrap_or_default(),
            returned: returned
                .remove(&v.id)
                .filter(|step| step.decision == ReviewDecision::Return),
        };
        states.insert((E::Visit, v.id.clone()), to_value(visit)?);
    }
    Ok(states)
}

fn to_value<T: serde::Serialize>(value: T) -> anyhow::Result<Value> {
    Ok(serde_json::to_value(value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode_cursor(""), Some(0));
        assert_eq!(decode_cursor(&encode_cursor(42)), Some(42));
        assert_eq!(decode_cursor("!!"), None);
        assert_eq!(
            decode_cursor(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("c-1")),
            None
        );
    }
}
