//! Problems: mutations the server refused (conflict, rejection), kept until a person settles them
//! (sent again on top of the server's version, or the server's version kept); the settlement goes
//! to the server as `sync_problem.resolve`.

use js_sys::Reflect;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use shared::sync::{Mutation, MutationKind, MutationStatus};

use super::db::*;
use super::outbox::{record_raw, Action, EntityStore, RawChange};
use super::records::{LocalFinding, LocalNote};
use crate::error::AppError;

/// A mutation the server did not apply (conflict or rejection), kept for a person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Problem {
    pub mutation: Mutation,
    pub visit_id: Uuid,
    pub status: MutationStatus,
    pub code: String,
    /// Dutch, as shown.
    pub message: String,
    pub server_version: Option<i64>,
    pub recorded_at: String,
    /// How the user settled it (`resent`, `server_kept`); the record goes once the server has the
    /// settlement (`sync_problem.resolve` acknowledged).
    #[serde(default)]
    pub resolution: Option<String>,
}

/// The problems waiting for the user (not the ones settled and on their way to the server).
pub async fn problems() -> StoreResult<Vec<Problem>> {
    let mut problems: Vec<Problem> = all(PROBLEMS).await?;
    problems.retain(|p| p.resolution.is_none());
    Ok(problems)
}

// Resolving problems: a person decides, the device records it and tells the server.

/// The `sync_problem.resolve` mutation settling `problem`; the problem record stays (marked) until
/// the server acknowledged the settlement.
fn settlement(problem: &Problem, resolution: shared::sync::Resolution) -> (Action, RawChange) {
    settlement_seen(problem, resolution, None)
}

/// [`settlement`], saying which version of the entity the person saw (for `tablet_kept`).
fn settlement_seen(
    problem: &Problem,
    resolution: shared::sync::Resolution,
    seen_version: Option<i64>,
) -> (Action, RawChange) {
    let data = shared::sync::ProblemResolve {
        resolution,
        seen_version,
    };
    let action = Action {
        kind: MutationKind::ProblemResolve,
        entity: EntityStore::Problem,
        entity_id: problem.mutation.id,
        visit_id: problem.visit_id,
        data: serde_json::to_value(&data).unwrap_or_default(),
    };
    let change: RawChange = Box::new(move |stored: Option<JsValue>| {
        let mut problem: Problem = stored
            .as_ref()
            .and_then(from_js)
            .ok_or_else(|| AppError::Storage("problem not on device".into()))?;
        problem.resolution = Some(resolution.as_str().to_owned());
        Ok((to_js(&problem), None, 0))
    });
    (action, change)
}

/// A team lead settles another user's problem (listed by the server, not on this device): the
/// settlement goes to this device's outbox beside a placeholder record, which leaves with the
/// server's acknowledgement like any settled problem.
pub async fn settle_listed(
    mutation_id: Uuid,
    kind: MutationKind,
    entity_id: Uuid,
    status: MutationStatus,
    resolution: shared::sync::Resolution,
    seen_version: Option<i64>,
) -> StoreResult<()> {
    let placeholder = Problem {
        mutation: Mutation {
            id: mutation_id,
            seq: 0,
            kind,
            entity_id,
            base_version: None,
            at: crate::util::now(),
            data: serde_json::Value::Null,
        },
        visit_id: Uuid::nil(),
        status,
        code: String::new(),
        message: String::new(),
        server_version: None,
        recorded_at: crate::util::now_rfc3339(),
        resolution: None,
    };
    let (action, change) = settlement_seen(&placeholder, resolution, seen_version);
    let change: RawChange = Box::new(move |stored: Option<JsValue>| {
        change(Some(stored.unwrap_or_else(|| to_js(&placeholder))))
    });
    record_raw(vec![(action, change)]).await.map(|_| ())
}

/// "Mijn versie opnieuw versturen" for a conflict: the refused change is recorded again as a new
/// mutation on top of the version the server reported, together with the settlement, in one
/// strict transaction. The server applies it only if nobody changed the entity in the meantime.
pub async fn resend(problem: &Problem) -> StoreResult<()> {
    let m = &problem.mutation;
    let entity = EntityStore::of_kind(&m.kind)
        .filter(|e| {
            matches!(
                e,
                EntityStore::Visit | EntityStore::Note | EntityStore::Finding
            )
        })
        .ok_or_else(|| AppError::Storage("cannot resend".into()))?;
    let kind = Some(m.kind.clone())
        .filter(MutationKind::is_known)
        .ok_or_else(|| AppError::Storage("unknown kind".into()))?;
    let server_version = problem.server_version;
    let action = Action {
        kind,
        entity,
        entity_id: m.entity_id,
        visit_id: problem.visit_id,
        data: m.data.clone(),
    };
    let change: RawChange = Box::new(move |stored: Option<JsValue>| {
        let text = stored
            .and_then(|v| v.as_string())
            .ok_or_else(|| AppError::Storage("not on device".into()))?;
        let record = js_sys::JSON::parse(&text)?;
        let field = |o: &JsValue, name: &str| Reflect::get(o, &JsValue::from_str(name));
        // The record now stands on the server's version; a visit keeps it one level down.
        let versioned = match entity {
            EntityStore::Visit => field(&record, "visit")?,
            _ => record.clone(),
        };
        let version = server_version.map_or(JsValue::NULL, |v| JsValue::from_f64(v as f64));
        Reflect::set(&versioned, &JsValue::from_str("version"), &version)?;
        let unsent = field(&record, "unsent")?.as_f64().unwrap_or(0.0) as u32;
        Reflect::set(
            &record,
            &JsValue::from_str("unsent"),
            &JsValue::from_f64(f64::from(unsent + 1)),
        )?;
        let text = js_sys::JSON::stringify(&record)?;
        Ok((text.into(), server_version, unsent))
    });
    let settled = settlement(problem, shared::sync::Resolution::Resent);
    record_raw(vec![(action, change), settled])
        .await
        .map(|_| ())
}

/// "Versie van de server aanhouden": the device gives up its refused change. The settlement goes
/// to the outbox; a record the server never had (no version) is removed; and the pull starts from
/// the beginning, so the device shows the server's state again (unsent work stays and is sent).
pub async fn accept_server(problem: &Problem) -> StoreResult<()> {
    record_raw(vec![settlement(
        problem,
        shared::sync::Resolution::ServerKept,
    )])
    .await?;
    let tx = WriteTx::begin(&[META, NOTES, FINDINGS], true).await?;
    let id = key(&problem.mutation.entity_id);
    match EntityStore::of_kind(&problem.mutation.kind) {
        Some(EntityStore::Note) => {
            if let Some(n) = tx.get::<LocalNote>(NOTES, &id).await? {
                if n.version.is_none() && n.unsent == 0 {
                    tx.delete(NOTES, &id)?;
                }
            }
        }
        Some(EntityStore::Finding) => {
            if let Some(f) = tx.get::<LocalFinding>(FINDINGS, &id).await? {
                if f.version.is_none() && f.unsent == 0 {
                    tx.delete(FINDINGS, &id)?;
                }
            }
        }
        _ => {}
    }
    tx.delete(META, &JsValue::from_str(META_CURSOR))?;
    tx.commit().await
}
