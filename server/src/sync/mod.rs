//! The server half of the sync protocol (API.md "Sync").
//!
//! A push is one transaction: the device row is locked, each mutation is applied (or found to be a
//! replay, a conflict or a rejection) and recorded in `sync_mutations` together with the device's
//! new `last_seq`. Exactly once is therefore a property of the database: the primary key
//! (device, seq) and the unique mutation id, committed atomically with the change itself.

mod apply;
pub mod pull;
pub mod views;

use sqlx::{Any, Transaction};
use uuid::Uuid;

use shared::sync::{
    EntityKind, Mutation, MutationResult, MutationStatus, PushRequest, PushResponse,
    PUSH_MAX_MUTATIONS,
};
use shared::{ErrorBody, ErrorCode};

use crate::auth::AuthUser;
use crate::db::{self, mutations::MutationRecord};
use crate::error::{AppError, AppResult};
use crate::AppState;

/// What applying one mutation came to, before it is recorded.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    Applied {
        version: i64,
    },
    Conflict {
        current_version: Option<i64>,
        entity: EntityKind,
    },
    Rejected(ErrorCode),
}

fn error_body(code: ErrorCode) -> ErrorBody {
    ErrorBody {
        code: code.as_str().to_owned(),
        message: code.message_nl().to_owned(),
    }
}

impl Outcome {
    fn result(&self, id: Uuid) -> MutationResult {
        match self {
            Outcome::Applied { version } => MutationResult {
                id,
                status: MutationStatus::Applied,
                version: Some(*version),
                error: None,
                original_status: None,
            },
            Outcome::Conflict {
                current_version, ..
            } => MutationResult {
                id,
                status: MutationStatus::Conflict,
                version: *current_version,
                error: Some(error_body(ErrorCode::RecordVersionConflict)),
                original_status: None,
            },
            Outcome::Rejected(code) => MutationResult {
                id,
                status: MutationStatus::Rejected,
                version: None,
                error: Some(error_body(*code)),
                original_status: None,
            },
        }
    }
}

/// The stored answer of an earlier mutation, replayed as `duplicate`.
fn replayed(id: Uuid, stored: &db::mutations::StoredMutation) -> anyhow::Result<MutationResult> {
    let original: MutationResult = serde_json::from_str(&stored.result)?;
    Ok(MutationResult {
        id,
        status: MutationStatus::Duplicate,
        version: original.version,
        error: original.error,
        original_status: Some(original.status),
    })
}

pub async fn push(
    state: &AppState,
    user: &AuthUser,
    request: PushRequest,
) -> AppResult<PushResponse> {
    if request.mutations.len() > PUSH_MAX_MUTATIONS {
        return Err(ErrorCode::RequestTooLarge.into());
    }
    let user_id = user.info.id.to_string();
    let device_id = request.device_id.to_string();
    let now = db::now_text();
    let mut mutations = request.mutations;
    // Applied in seq order whatever order the batch arrived in.
    mutations.sort_by_key(|m| m.seq);

    let mut tx = state.db.pool.begin().await?;
    db::devices::ensure_device(&mut tx, &device_id, &user_id).await?;
    let (owner, mut last_seq) = db::devices::lock_device(&mut tx, &device_id, &now).await?;
    if owner != user_id {
        // A device id belongs to the account that first used it; another account may not write
        // through it (nor learn its outcomes).
        return Err(ErrorCode::AuthForbidden.into());
    }
    let mut results = Vec::with_capacity(mutations.len());
    let mut gap = false;
    let deferred = std::sync::Mutex::new(apply::Deferred::default());
    for mutation in &mutations {
        if gap {
            results.push(Outcome::Rejected(ErrorCode::SyncSeqGap).result(mutation.id));
            continue;
        }
        if mutation.seq <= last_seq {
            // A replay only if this very mutation was received before: under this seq, or under
            // another one (it was re-sent under a new seq, which records nothing for that seq). A
            // different mutation under a used seq (a device that lost its counter) is refused, never
            // answered `duplicate`, which the device would take as delivered.
            let id = mutation.id.to_string();
            let stored =
                match db::mutations::outcome_by_seq(&mut tx, &device_id, mutation.seq).await? {
                    Some(stored) if stored.mutation_id == id => Some(stored),
                    _ => db::mutations::outcome_by_id(&mut tx, &id, &user_id).await?,
                };
            let result = match stored {
                Some(stored) => replayed(mutation.id, &stored)?,
                None => Outcome::Rejected(ErrorCode::SyncInvalidData).result(mutation.id),
            };
            results.push(result);
            continue;
        }
        if mutation.seq > last_seq + 1 {
            gap = true;
            results.push(Outcome::Rejected(ErrorCode::SyncSeqGap).result(mutation.id));
            continue;
        }
        // The same mutation sent again under a new seq (e.g. after the device lost its counter):
        // never apply twice, answer with the first outcome and move the device past this seq.
        let id = mutation.id.to_string();
        match db::mutations::seen_before(&mut tx, &id, &user_id).await? {
            db::mutations::SeenBefore::New => {}
            db::mutations::SeenBefore::Own(stored) => {
                results.push(replayed(mutation.id, &stored)?);
                last_seq = mutation.seq;
                continue;
            }
            // Someone else's mutation id: refuse without saying whose or what came of it
            // (recording it would violate the id's uniqueness).
            db::mutations::SeenBefore::Foreign => {
                results.push(Outcome::Rejected(ErrorCode::SyncInvalidData).result(mutation.id));
                last_seq = mutation.seq;
                continue;
            }
        }
        let outcome = apply::apply(
            &mut tx,
            &state.db.pool,
            &deferred,
            user,
            &device_id,
            mutation,
        )
        .await?;
        let result = outcome.result(mutation.id);
        record(
            &mut tx, &device_id, &user_id, mutation, &outcome, &result, &now,
        )
        .await?;
        results.push(result);
        last_seq = mutation.seq;
    }
    deferred
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .write(&mut tx)
        .await?;
    let pending = request.pending.unwrap_or_default();
    let oldest = pending
        .oldest_at
        .map(|t| db::time_text(t.with_timezone(&chrono::Utc)));
    db::devices::finish_device(
        &mut tx,
        &device_id,
        last_seq,
        pending.count.max(0),
        oldest.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(PushResponse { results, last_seq })
}

async fn record(
    tx: &mut Transaction<'_, Any>,
    device_id: &str,
    user_id: &str,
    mutation: &Mutation,
    outcome: &Outcome,
    result: &MutationResult,
    now: &str,
) -> Result<(), AppError> {
    let status = match outcome {
        Outcome::Applied { .. } => MutationStatus::Applied,
        Outcome::Conflict { .. } => MutationStatus::Conflict,
        Outcome::Rejected(_) => MutationStatus::Rejected,
    }
    .as_str();
    let mutation_id = mutation.id.to_string();
    let entity_id = mutation.entity_id.to_string();
    let result_json = serde_json::to_string(result).map_err(anyhow::Error::from)?;
    db::mutations::record_mutation(
        tx,
        &MutationRecord {
            device_id,
            seq: mutation.seq,
            mutation_id: &mutation_id,
            user_id,
            kind: mutation.kind.as_str(),
            entity_id: &entity_id,
            base_version: mutation.base_version,
            // As sent (with the device's offset): device time is evidence, not rewritten.
            device_at: &mutation.at.to_rfc3339(),
            received_at: now,
            status,
            result: &result_json,
        },
    )
    .await?;
    if let Outcome::Conflict {
        current_version,
        entity,
    } = outcome
    {
        let id = Uuid::new_v4().to_string();
        let data = serde_json::json!({"type": mutation.kind, "data": mutation.data}).to_string();
        db::mutations::record_conflict(
            tx,
            &db::mutations::ConflictRecord {
                id: &id,
                mutation_id: &mutation_id,
                device_id,
                user_id,
                entity: entity.as_str(),
                entity_id: &entity_id,
                base_version: mutation.base_version,
                current_version: *current_version,
                data: &data,
                created_at: now,
            },
        )
        .await?;
    }
    Ok(())
}
