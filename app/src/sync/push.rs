//! Push: the outbox in `seq` order, in batches; the server's answers settle the entries (applied,
//! duplicate, or a problem kept for a person) in the same transaction as the local update.

use std::collections::HashSet;

use leptos::prelude::Update;

use uuid::Uuid;
use wasm_bindgen::JsValue;

use shared::sync::{MutationStatus, PendingReport, PushRequest, PushResponse};
use shared::ErrorCode;

use super::{Phase, Sync};
use crate::api;
use crate::error::{AppError, AppResult};
use crate::store::{
    self, key, EntityStore, LocalCase, LocalFinding, LocalNote, LocalPhoto, LocalVisit,
    OutboxEntry, PhotoState, Problem, WriteTx,
};
use crate::{strings, util};

/// Most mutations per push.
const BATCH: usize = 50;

pub(super) async fn push(sync: Sync, device: Uuid, token: &str) -> AppResult<()> {
    let mut done = 0;
    let mut gap_retries = 0;
    loop {
        let entries = store::outbox().await?;
        if entries.is_empty() {
            return Ok(());
        }
        sync.status.update(|s| {
            s.phase = Phase::Syncing {
                done,
                total: done + entries.len(),
            }
        });
        // In seq order; a chained mutation waits for the answer to its predecessor.
        let mut batch: Vec<OutboxEntry> = Vec::new();
        let mut entities = HashSet::new();
        for entry in entries.iter().take(BATCH) {
            if entry.chained && entities.contains(&entry.mutation.entity_id) {
                break;
            }
            entities.insert(entry.mutation.entity_id);
            batch.push(entry.clone());
        }
        for entry in batch.iter_mut().filter(|e| e.chained) {
            entry.mutation.base_version =
                known_version(entry.entity, entry.mutation.entity_id).await?;
        }
        mark_attempt(&batch).await?;

        // What will still wait once this batch is applied (the server keeps the last report, so it
        // must not count the batch itself), including photos not uploaded yet.
        let after = &entries[batch.len()..];
        let photos: Vec<LocalPhoto> = store::all(store::PHOTOS).await.unwrap_or_default();
        let waiting_photos: Vec<&LocalPhoto> = photos.iter().filter(|p| p.is_waiting()).collect();
        let oldest = after
            .iter()
            .map(|e| e.mutation.at)
            .chain(
                waiting_photos
                    .iter()
                    .filter_map(|p| chrono::DateTime::parse_from_rfc3339(&p.captured_at).ok()),
            )
            .min();
        let report = PendingReport {
            count: (after.len() + waiting_photos.len()) as i64,
            oldest_at: oldest,
        };

        let request = PushRequest {
            device_id: device,
            mutations: batch.iter().map(|e| e.mutation.clone()).collect(),
            pending: Some(report),
        };
        let response: PushResponse = api::post("/api/v1/sync/push", &request, Some(token)).await?;
        let (settled, gap) = settle(&batch, &response).await?;
        done += settled;
        sync.rev.update(|r| *r += 1);

        if gap {
            // The server is missing earlier mutations of this device: everything it has not
            // applied is renumbered to follow its last_seq and sent again (ids stay the same).
            gap_retries += 1;
            if gap_retries > 2 {
                return Err(AppError::Refused(ErrorCode::SyncSeqGap));
            }
            renumber(response.last_seq).await?;
        } else if settled == 0 {
            // The server answered none of them: try again later rather than loop.
            return Err(AppError::NoAnswer);
        }
    }
}

async fn known_version(entity: EntityStore, id: Uuid) -> Result<Option<i64>, AppError> {
    Ok(match entity {
        EntityStore::Visit => store::get::<LocalVisit>(store::VISITS, &key(&id))
            .await?
            .map(|v| v.visit.version),
        EntityStore::Note => store::get::<LocalNote>(store::NOTES, &key(&id))
            .await?
            .and_then(|n| n.version),
        EntityStore::Finding => store::get::<LocalFinding>(store::FINDINGS, &key(&id))
            .await?
            .and_then(|f| f.version),
        EntityStore::Assessment => store::get::<LocalFinding>(store::FINDINGS, &key(&id))
            .await?
            .and_then(|f| f.lhso_version),
        EntityStore::Case => store::get::<LocalCase>(store::CASES, &key(&id))
            .await?
            .map(|c| c.version),
        // `photo.attach` creates and `sync_problem.resolve` settles: no base version.
        EntityStore::Photo | EntityStore::Problem => None,
    })
}

async fn mark_attempt(batch: &[OutboxEntry]) -> Result<(), AppError> {
    let tx = WriteTx::begin(&[store::OUTBOX], false).await?;
    for entry in batch {
        let mut entry = entry.clone();
        let seq_key = JsValue::from_f64(entry.mutation.seq as f64);
        // Keep the stored mutation as written (its base version is filled in per attempt).
        if let Some(stored) = tx.get::<OutboxEntry>(store::OUTBOX, &seq_key).await? {
            entry.mutation = stored.mutation;
            entry.attempts = stored.attempts + 1;
            tx.put(store::OUTBOX, &seq_key, &entry)?;
        }
    }
    tx.commit().await
}

/// Applies the server's answers in one transaction. Returns how many entries left the outbox and
/// whether the server reported a gap in `seq`.
async fn settle(batch: &[OutboxEntry], response: &PushResponse) -> Result<(usize, bool), AppError> {
    let tx = WriteTx::begin(
        &[
            store::OUTBOX,
            store::PROBLEMS,
            store::VISITS,
            store::NOTES,
            store::FINDINGS,
            store::PHOTOS,
            store::CASES,
        ],
        true,
    )
    .await?;
    let mut settled = 0;
    let mut gap = false;
    for result in &response.results {
        let Some(entry) = batch.iter().find(|e| e.mutation.id == result.id) else {
            continue;
        };
        let seq_key = JsValue::from_f64(entry.mutation.seq as f64);
        match result.status {
            MutationStatus::Applied | MutationStatus::Duplicate => {
                tx.delete(store::OUTBOX, &seq_key)?;
                acknowledge(&tx, entry, result.version, true).await?;
                settled += 1;
            }
            MutationStatus::Conflict | MutationStatus::Rejected => {
                let (code, server_message) = result
                    .error
                    .as_ref()
                    .map(|e| (e.code.clone(), e.message.clone()))
                    .unwrap_or_else(|| {
                        let code = if result.status == MutationStatus::Conflict {
                            ErrorCode::RecordVersionConflict
                        } else {
                            ErrorCode::SyncInvalidData
                        };
                        (code.as_str().to_owned(), String::new())
                    });
                if code == ErrorCode::SyncSeqGap.as_str() {
                    gap = true;
                    continue;
                }
                let problem = Problem {
                    mutation: entry.mutation.clone(),
                    visit_id: entry.visit_id,
                    status: result.status,
                    message: strings::error_message(&code, &server_message),
                    code,
                    server_version: result.version,
                    recorded_at: util::now_rfc3339(),
                    resolution: None,
                };
                tx.put(store::PROBLEMS, &key(&entry.mutation.id), &problem)?;
                tx.delete(store::OUTBOX, &seq_key)?;
                // The entity keeps the version the device saw: a chained follow-up is then a
                // conflict too, never a silent overwrite.
                acknowledge(&tx, entry, None, false).await?;
                if entry.entity == EntityStore::Photo {
                    // The photo shows the refusal too (e.g. not a valid image), with the choice to
                    // remove it from the device.
                    let id = key(&entry.mutation.entity_id);
                    if let Some(mut photo) = tx.get::<LocalPhoto>(store::PHOTOS, &id).await? {
                        photo.problem = Some(problem.message.clone());
                        tx.put(store::PHOTOS, &id, &photo)?;
                    }
                }
                settled += 1;
            }
        }
    }
    tx.commit().await?;
    Ok((settled, gap))
}

/// One unsent mutation of the entity is settled; an applied one sets its new version.
async fn acknowledge(
    tx: &WriteTx,
    entry: &OutboxEntry,
    version: Option<i64>,
    applied: bool,
) -> Result<(), AppError> {
    let id = key(&entry.mutation.entity_id);
    let store_name = entry.entity.store();
    match entry.entity {
        EntityStore::Visit => {
            if let Some(mut v) = tx.get::<LocalVisit>(store_name, &id).await? {
                v.unsent = v.unsent.saturating_sub(1);
                if let (true, Some(version)) = (applied, version) {
                    v.visit.version = version;
                    v.awaiting = Some(version);
                }
                tx.put(store_name, &id, &v)?;
            }
        }
        EntityStore::Note => {
            if let Some(mut n) = tx.get::<LocalNote>(store_name, &id).await? {
                n.unsent = n.unsent.saturating_sub(1);
                if let (true, Some(version)) = (applied, version) {
                    n.version = Some(version);
                    n.awaiting = Some(version);
                }
                tx.put(store_name, &id, &n)?;
            }
        }
        EntityStore::Finding => {
            if let Some(mut f) = tx.get::<LocalFinding>(store_name, &id).await? {
                f.unsent = f.unsent.saturating_sub(1);
                if let (true, Some(version)) = (applied, version) {
                    f.version = Some(version);
                    f.awaiting = Some(version);
                }
                tx.put(store_name, &id, &f)?;
            }
        }
        EntityStore::Assessment => {
            if let Some(mut f) = tx.get::<LocalFinding>(store_name, &id).await? {
                f.lhso_unsent = f.lhso_unsent.saturating_sub(1);
                if let (true, Some(version)) = (applied, version) {
                    f.lhso_version = Some(version);
                }
                tx.put(store_name, &id, &f)?;
            }
        }
        EntityStore::Problem => {
            // Settled on the server: the problem is done. Refused: it shows again.
            if applied {
                tx.delete(store_name, &id)?;
            } else if let Some(mut p) = tx.get::<Problem>(store_name, &id).await? {
                p.resolution = None;
                tx.put(store_name, &id, &p)?;
            }
        }
        EntityStore::Case => {
            if let Some(mut c) = tx.get::<LocalCase>(store_name, &id).await? {
                c.unsent = c.unsent.saturating_sub(1);
                if let (true, Some(version)) = (applied, version) {
                    c.version = version;
                }
                tx.put(store_name, &id, &c)?;
            }
        }
        EntityStore::Photo => {
            if let Some(mut p) = tx.get::<LocalPhoto>(store_name, &id).await? {
                p.unsent = p.unsent.saturating_sub(1);
                if applied {
                    p.state = PhotoState::Confirmed;
                }
                tx.put(store_name, &id, &p)?;
            }
        }
    }
    Ok(())
}

/// Gives the unsent mutations the seqs right after the server's `last_seq`, in their order.
async fn renumber(last_seq: i64) -> Result<(), AppError> {
    let tx = WriteTx::begin(&[store::OUTBOX, store::META], true).await?;
    let entries: Vec<OutboxEntry> = tx.get_all(store::OUTBOX).await?;
    let mut next = last_seq + 1;
    for entry in &entries {
        tx.delete(store::OUTBOX, &JsValue::from_f64(entry.mutation.seq as f64))?;
    }
    for mut entry in entries {
        entry.mutation.seq = next;
        tx.put(store::OUTBOX, &JsValue::from_f64(next as f64), &entry)?;
        next += 1;
    }
    tx.put(store::META, &JsValue::from_str(store::META_NEXT_SEQ), &next)?;
    tx.commit().await
}
