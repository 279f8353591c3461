//! Applying one mutation: validate, authorise, check the base version, write, and record the
//! change (feed) and the audit entry, all inside the push transaction. Nothing is written before
//! every check has passed, so a rejection or conflict changes nothing. This module holds what every
//! kind shares (the context, the deferred feed and audit entries, the checks); each kind's
//! applier is a module of its own.

use serde::de::DeserializeOwned;
use sqlx::{Any, AnyPool, Transaction};
use uuid::Uuid;

use shared::checklist::{evaluate, Answer, ChecklistTemplate};
use shared::coords::{on_site, OnSite, Wgs84};
use shared::sync::{
    check_base, check_device_time, valid_note_text, BaseError, CaseReinspect, DeviceTime,
    EntityKind, FeedOp, FindingUpsert, Mutation, MutationKind, MutationStatus, NoteAdd, NoteEdit,
    PhotoAttach, Position, ProblemResolve, ViolationAssess, VisitFinish, VisitNotPossible,
    VisitStart, Write,
};
use shared::visit::{VisitEvent, VisitStatus};
use shared::{ErrorCode, Role};

use super::Outcome;
use crate::audit::{self, AuditEntry};
use crate::auth::AuthUser;
use crate::db::{self, visits::VisitState};
use crate::error::AppError;

type Tx<'c> = Transaction<'c, Any>;

/// A change for the feed, written when the push's mutations are done.
struct PendingChange {
    agency_id: String,
    authority_id: String,
    inspector_id: String,
    entity: EntityKind,
    entity_id: String,
    version: i64,
}

/// An audit entry, written when the push's mutations are done.
struct PendingAudit {
    actor_id: String,
    device_id: String,
    action: String,
    entity: EntityKind,
    entity_id: String,
    old_version: Option<i64>,
    new_version: Option<i64>,
    details: serde_json::Value,
}

/// The feed and audit entries of one push. They are written together at the end of its
/// transaction, with one head update each instead of one per mutation (the push is one
/// transaction, so readers see the same), and in the order the mutations were applied.
#[derive(Default)]
pub(crate) struct Deferred {
    changes: Vec<PendingChange>,
    audit: Vec<PendingAudit>,
}

impl Deferred {
    pub(crate) async fn write(self, tx: &mut Tx<'_>) -> Result<(), AppError> {
        let at = db::now_text();
        let changes: Vec<db::changes::ChangeRecord<'_>> = self
            .changes
            .iter()
            .map(|c| db::changes::ChangeRecord {
                agency_id: &c.agency_id,
                authority_id: Some(&c.authority_id),
                inspector_id: Some(&c.inspector_id),
                entity: c.entity.as_str(),
                entity_id: &c.entity_id,
                version: c.version,
                op: FeedOp::Upsert.as_str(),
                at: &at,
            })
            .collect();
        db::changes::record_changes(tx, &changes).await?;
        let entries: Vec<AuditEntry<'_>> = self
            .audit
            .iter()
            .map(|a| AuditEntry {
                actor_id: Some(&a.actor_id),
                device_id: Some(&a.device_id),
                action: &a.action,
                entity: a.entity.as_str(),
                entity_id: &a.entity_id,
                old_version: a.old_version,
                new_version: a.new_version,
                details: a.details.clone(),
            })
            .collect();
        audit::record_many(tx, &entries).await?;
        Ok(())
    }
}

pub(crate) async fn apply(
    tx: &mut Tx<'_>,
    pool: &AnyPool,
    deferred: &std::sync::Mutex<Deferred>,
    user: &AuthUser,
    device_id: &str,
    m: &Mutation,
) -> Result<Outcome, AppError> {
    let ctx = Ctx {
        pool,
        deferred,
        user,
        device_id,
        mutation: m,
    };
    if check_device_time(m.at, chrono::Utc::now()).is_err() {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    }
    dispatch(tx, &ctx).await
}

/// The applier of the mutation's kind.
async fn dispatch(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    match &ctx.mutation.kind {
        MutationKind::VisitNoteAdd => notes::note_add(tx, ctx).await,
        MutationKind::VisitNoteEdit => notes::note_edit(tx, ctx).await,
        MutationKind::VisitStart => visits::visit_start(tx, ctx).await,
        MutationKind::VisitFinish => visits::visit_finish(tx, ctx).await,
        MutationKind::VisitNotPossible => visits::visit_not_possible(tx, ctx).await,
        MutationKind::FindingUpsert => findings::finding_upsert(tx, ctx).await,
        MutationKind::PhotoAttach => photos::photo_attach(tx, ctx).await,
        MutationKind::ProblemResolve => problems::problem_resolve(tx, ctx).await,
        MutationKind::ViolationAssess => violations::violation_assess(tx, ctx).await,
        MutationKind::CaseReinspect => cases::case_reinspect(tx, ctx).await,
        MutationKind::Other(_) => Ok(Outcome::Rejected(ErrorCode::SyncUnknownKind)),
    }
}

struct Ctx<'a> {
    /// For configuration reads (LHSO matrices) beside the push transaction.
    pool: &'a AnyPool,
    deferred: &'a std::sync::Mutex<Deferred>,
    user: &'a AuthUser,
    device_id: &'a str,
    mutation: &'a Mutation,
}

impl Ctx<'_> {
    fn data<T: DeserializeOwned>(&self) -> Result<T, Outcome> {
        serde_json::from_value(self.mutation.data.clone())
            .map_err(|_| Outcome::Rejected(ErrorCode::SyncInvalidData))
    }

    fn user_id(&self) -> String {
        self.user.info.id.to_string()
    }

    fn entity_id(&self) -> String {
        self.mutation.entity_id.to_string()
    }

    /// Writes come only from the inspector the visit is assigned to (API.md); a visit of another
    /// agency is reported as unknown, so ids reveal nothing.
    async fn writable_visit(
        &self,
        tx: &mut Tx<'_>,
        visit_id: &str,
    ) -> Result<Result<VisitState, Outcome>, AppError> {
        let Some(visit) = db::visits::visit_state(tx, visit_id).await? else {
            return Ok(Err(Outcome::Rejected(ErrorCode::SyncUnknownEntity)));
        };
        if visit.agency_id != self.user.agency_id {
            return Ok(Err(Outcome::Rejected(ErrorCode::SyncUnknownEntity)));
        }
        if self.user.info.role != Role::Inspector || visit.inspector_id != self.user_id() {
            return Ok(Err(Outcome::Rejected(ErrorCode::AuthForbidden)));
        }
        Ok(Ok(visit))
    }

    fn defer(&self, change: Option<PendingChange>, audit: PendingAudit) {
        let mut deferred = self
            .deferred
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        deferred.changes.extend(change);
        deferred.audit.push(audit);
    }

    /// The feed entry and audit entry of a case write that came with this mutation. The case
    /// reaches the devices of the visit's inspector, like the visit itself.
    fn defer_case(
        &self,
        visit: &VisitState,
        case: &crate::enforcement::Written,
        action: Option<&str>,
    ) {
        self.defer(
            Some(PendingChange {
                agency_id: visit.agency_id.clone(),
                authority_id: visit.authority_id.clone(),
                inspector_id: visit.inspector_id.clone(),
                entity: EntityKind::EnforcementCase,
                entity_id: case.case_id.clone(),
                version: case.version,
            }),
            PendingAudit {
                actor_id: self.user_id(),
                device_id: self.device_id.to_owned(),
                action: action.unwrap_or("enforcement_case.open").to_owned(),
                entity: EntityKind::EnforcementCase,
                entity_id: case.case_id.clone(),
                old_version: case.old_version,
                new_version: Some(case.version),
                details: serde_json::json!({
                    "mutation_id": self.mutation.id,
                    "state": case.state.as_str(),
                    "device_at": self.mutation.at,
                }),
            },
        );
    }

    async fn finish(
        &self,
        _tx: &mut Tx<'_>,
        visit: &VisitState,
        entity: EntityKind,
        old_version: Option<i64>,
        version: i64,
    ) -> Result<Outcome, AppError> {
        let entity_id = self.entity_id();
        self.defer(
            Some(PendingChange {
                agency_id: visit.agency_id.clone(),
                authority_id: visit.authority_id.clone(),
                inspector_id: visit.inspector_id.clone(),
                entity: entity.clone(),
                entity_id: entity_id.clone(),
                version,
            }),
            PendingAudit {
                actor_id: self.user_id(),
                device_id: self.device_id.to_owned(),
                action: self.mutation.kind.to_string(),
                entity,
                entity_id,
                old_version,
                new_version: Some(version),
                details: serde_json::json!({"mutation_id": self.mutation.id, "device_at": self.mutation.at}),
            },
        );
        Ok(Outcome::Applied { version })
    }
}

/// Unwraps a step that may end the mutation with an outcome.
macro_rules! step {
    ($e:expr) => {
        match $e {
            Ok(value) => value,
            Err(outcome) => return Ok(outcome),
        }
    };
}

// One module per mutation kind (after `step!`, which they use).
mod cases;
mod findings;
mod notes;
mod photos;
mod problems;
mod violations;
mod visits;

/// A device time inside a mutation's data: absent, or within the sane range.
fn device_time(t: Option<DeviceTime>) -> Result<Option<String>, Outcome> {
    match t {
        None => Ok(None),
        Some(t) => match check_device_time(t, chrono::Utc::now()) {
            Ok(()) => Ok(Some(db::time_text(t.with_timezone(&chrono::Utc)))),
            Err(code) => Err(Outcome::Rejected(code)),
        },
    }
}

/// The shared base-version rule, as an outcome: a stale base is a conflict kept for a person.
fn base_check(
    ctx: &Ctx<'_>,
    write: Write,
    current: Option<i64>,
    entity: EntityKind,
) -> Result<(), Outcome> {
    check_base(write, ctx.mutation.base_version, current).map_err(|e| match e {
        BaseError::Stale { current } => Outcome::Conflict {
            current_version: Some(current),
            entity,
        },
        other => Outcome::Rejected(other.code()),
    })
}

/// The visit's stored status, as the shared machine knows it.
fn status_of(visit: &VisitState) -> Result<VisitStatus, AppError> {
    VisitStatus::parse(&visit.status)
        .ok_or_else(|| anyhow::anyhow!("visit {}: bad status {:?}", visit.id, visit.status).into())
}

/// The status `event` leads to, or the refusal.
fn transition(
    visit: &VisitState,
    event: VisitEvent,
) -> Result<Result<VisitStatus, Outcome>, AppError> {
    Ok(status_of(visit)?.after(event).map_err(Outcome::Rejected))
}
