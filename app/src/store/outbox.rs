//! The outbox: which store a mutation's entity lives in, the queued entries, the device's id and
//! `seq`, and recording a user action (local change + outbox mutation, one strict transaction).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use shared::sync::{EntityKind, Mutation, MutationKind};

use super::db::*;
use super::records::{LocalPhoto, LocalVisit};
use crate::error::AppError;

/// Which local store an outbox mutation's entity lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityStore {
    Visit,
    Note,
    Finding,
    Photo,
    /// A refused mutation being settled (`sync_problem.resolve`), keyed by that mutation's id.
    Problem,
    /// A finding's LHSO assessment (`violation.assess`), kept on the finding's record.
    Assessment,
    /// The re-inspection's verdict on an enforcement case (`enforcement_case.reinspect`).
    Case,
}

impl EntityStore {
    /// The store of the entity a mutation kind changes.
    pub fn of_kind(kind: &MutationKind) -> Option<EntityStore> {
        EntityStore::of_entity(&kind.entity()?)
    }

    /// The store of an entity kind (`None` for one this app does not keep).
    pub fn of_entity(entity: &EntityKind) -> Option<EntityStore> {
        Some(match entity {
            EntityKind::Visit => EntityStore::Visit,
            EntityKind::VisitNote => EntityStore::Note,
            EntityKind::Finding => EntityStore::Finding,
            EntityKind::Photo => EntityStore::Photo,
            EntityKind::SyncProblem => EntityStore::Problem,
            EntityKind::Violation => EntityStore::Assessment,
            EntityKind::EnforcementCase => EntityStore::Case,
            EntityKind::Other(_) => return None,
        })
    }

    pub fn store(self) -> &'static str {
        match self {
            EntityStore::Visit => VISITS,
            EntityStore::Note => NOTES,
            EntityStore::Finding | EntityStore::Assessment => FINDINGS,
            EntityStore::Photo => PHOTOS,
            EntityStore::Problem => PROBLEMS,
            EntityStore::Case => CASES,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub mutation: Mutation,
    pub visit_id: Uuid,
    pub entity: EntityStore,
    /// Written while an earlier mutation of the same entity was still unsent: its base version
    /// is the version the server gave that earlier mutation, filled in when it is pushed.
    pub chained: bool,
    /// Push attempts that got no answer for this entry.
    #[serde(default)]
    pub attempts: u32,
}

/// The outbox in `seq` order (numeric keys sort ascending).
pub async fn outbox() -> StoreResult<Vec<OutboxEntry>> {
    all(OUTBOX).await
}

/// Work recorded here that has not reached the server: outbox entries and photos not uploaded.
pub async fn unsent_count() -> StoreResult<usize> {
    let photos: Vec<LocalPhoto> = all(PHOTOS).await?;
    Ok(outbox().await?.len() + photos.iter().filter(|p| p.is_waiting()).count())
}

/// The device's id, created once (UUID v4 from the browser's CSPRNG).
pub async fn device_id() -> StoreResult<Uuid> {
    let tx = WriteTx::begin(&[META], true).await?;
    let key = JsValue::from_str(META_DEVICE);
    if let Some(id) = tx.get::<Uuid>(META, &key).await? {
        tx.commit().await?;
        return Ok(id);
    }
    let id = crate::util::new_uuid().ok_or_else(|| AppError::Storage("no crypto".into()))?;
    tx.put(META, &key, &id)?;
    tx.commit().await?;
    Ok(id)
}

/// What a user action changes locally, and the mutation it sends.
pub struct Action {
    pub kind: MutationKind,
    pub entity: EntityStore,
    pub entity_id: Uuid,
    pub visit_id: Uuid,
    pub data: serde_json::Value,
}

/// Writes `action` to the outbox with the next `seq`, lets `change` update the entity record
/// (given the stored record, it returns the new one and the base version the device saw), marks
/// the visit as touched, all in one strict transaction. Returns the mutation.
pub async fn record<T, F>(action: Action, change: F) -> StoreResult<Mutation>
where
    T: Serialize + DeserializeOwned + 'static,
    F: FnOnce(Option<T>) -> Result<(T, Option<i64>, u32), AppError> + 'static,
{
    // One copy of the transaction code for every record type (the bundle is size-bound).
    let change: RawChange = Box::new(move |stored: Option<JsValue>| {
        let (record, base, unsent) = change(stored.as_ref().and_then(from_js))?;
        Ok((to_js(&record), base, unsent))
    });
    let mut recorded = record_raw(vec![(action, change)]).await?;
    recorded
        .pop()
        .ok_or_else(|| AppError::Storage("nothing recorded".into()))
}

pub(super) type RawChange =
    Box<dyn FnOnce(Option<JsValue>) -> StoreResult<(JsValue, Option<i64>, u32)>>;

/// Records the actions in order, in one strict transaction: all of them or none.
pub(super) async fn record_raw(actions: Vec<(Action, RawChange)>) -> StoreResult<Vec<Mutation>> {
    let mut stores = vec![META, OUTBOX, VISITS];
    for (action, _) in &actions {
        let store = action.entity.store();
        if !stores.contains(&store) {
            stores.push(store);
        }
    }
    let tx = WriteTx::begin(&stores, true).await?;
    let mut recorded = Vec::new();
    for (action, change) in actions {
        match record_in(&tx, action, change).await {
            Ok(mutation) => recorded.push(mutation),
            Err(e) => {
                tx.abort();
                return Err(e);
            }
        }
    }
    tx.commit().await?;
    Ok(recorded)
}

async fn record_in(tx: &WriteTx, action: Action, change: RawChange) -> StoreResult<Mutation> {
    let device: Option<Uuid> = tx.get(META, &JsValue::from_str(META_DEVICE)).await?;
    if device.is_none() {
        return Err(AppError::Storage("no device id".into()));
    }
    let seq_key = JsValue::from_str(META_NEXT_SEQ);
    let seq: i64 = tx.get(META, &seq_key).await?.unwrap_or(1);
    let entity_key = key(&action.entity_id);
    let stored = tx.get_raw(action.entity.store(), &entity_key).await?;
    // `change` returns the new record, the base version and how many mutations of this entity
    // were unsent before this one.
    let (record, base_version, unsent_before) = change(stored)?;
    let id = crate::util::new_uuid().ok_or_else(|| AppError::Storage("no crypto".into()))?;
    let mutation = Mutation {
        id,
        seq,
        kind: action.kind,
        entity_id: action.entity_id,
        base_version,
        at: crate::util::now(),
        data: action.data,
    };
    tx.put_raw(action.entity.store(), &entity_key, &record)?;
    if matches!(
        action.entity,
        EntityStore::Note
            | EntityStore::Finding
            | EntityStore::Photo
            | EntityStore::Assessment
            | EntityStore::Case
    ) {
        let visit_key = key(&action.visit_id);
        let mut visit: LocalVisit = tx
            .get(VISITS, &visit_key)
            .await?
            .ok_or_else(|| AppError::Storage("visit not on device".into()))?;
        visit.touched = true;
        tx.put(VISITS, &visit_key, &visit)?;
    }
    let entry = OutboxEntry {
        mutation: mutation.clone(),
        visit_id: action.visit_id,
        entity: action.entity,
        chained: unsent_before > 0,
        attempts: 0,
    };
    tx.put(OUTBOX, &JsValue::from_f64(seq as f64), &entry)?;
    tx.put(META, &seq_key, &(seq + 1))?;
    Ok(mutation)
}
