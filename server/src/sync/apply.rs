//! Applying one mutation: validate, authorise, check the base version, write, and record the
//! change (feed) and the audit entry, all inside the push transaction. Nothing is written before
//! every check has passed, so a rejection or conflict changes nothing.

use serde::de::DeserializeOwned;
use sqlx::{Any, AnyPool, Transaction};
use uuid::Uuid;

use shared::checklist::{evaluate, Answer, ChecklistTemplate};
use shared::coords::{on_site, OnSite, Wgs84};
use shared::sync::{
    check_base, check_device_time, valid_note_text, BaseError, CaseReinspect, DeviceTime,
    EntityKind, FeedOp, FindingUpsert, Mutation, MutationKind, MutationStatus, NoteAdd, NoteEdit,
    PhotoAttach, Position, ProblemResolve, ViolationAssess, VisitFinish, VisitStart, Write,
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
    match &m.kind {
        MutationKind::VisitNoteAdd => note_add(tx, &ctx).await,
        MutationKind::VisitNoteEdit => note_edit(tx, &ctx).await,
        MutationKind::VisitStart => visit_start(tx, &ctx).await,
        MutationKind::VisitFinish => visit_finish(tx, &ctx).await,
        MutationKind::FindingUpsert => finding_upsert(tx, &ctx).await,
        MutationKind::PhotoAttach => photo_attach(tx, &ctx).await,
        MutationKind::ProblemResolve => problem_resolve(tx, &ctx).await,
        MutationKind::ViolationAssess => violation_assess(tx, &ctx).await,
        MutationKind::CaseReinspect => case_reinspect(tx, &ctx).await,
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

async fn note_add(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    let data: NoteAdd = step!(ctx.data());
    if !valid_note_text(&data.text) {
        return Ok(Outcome::Rejected(ErrorCode::NoteInvalidText));
    }
    step!(base_check(ctx, Write::Create, None, EntityKind::VisitNote));
    let visit = step!(ctx.writable_visit(tx, &data.visit_id.to_string()).await?);
    let id = ctx.entity_id();
    let current = db::notes::note(&mut **tx, &id).await?.map(|n| n.version);
    step!(base_check(
        ctx,
        Write::Create,
        current,
        EntityKind::VisitNote
    ));
    db::notes::insert_note(
        tx,
        &id,
        &visit.id,
        &ctx.user_id(),
        &data.text,
        &db::now_text(),
    )
    .await?;
    ctx.finish(tx, &visit, EntityKind::VisitNote, None, 1).await
}

async fn note_edit(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    let data: NoteEdit = step!(ctx.data());
    if !valid_note_text(&data.text) {
        return Ok(Outcome::Rejected(ErrorCode::NoteInvalidText));
    }
    if ctx.mutation.base_version.is_none() {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    }
    let Some(note) = db::notes::note(&mut **tx, &ctx.entity_id()).await? else {
        return Ok(Outcome::Rejected(ErrorCode::SyncUnknownEntity));
    };
    let visit = step!(ctx.writable_visit(tx, &note.visit_id).await?);
    step!(base_check(
        ctx,
        Write::Update,
        Some(note.version),
        EntityKind::VisitNote
    ));
    db::notes::update_note(tx, &note.id, &data.text, &db::now_text()).await?;
    ctx.finish(
        tx,
        &visit,
        EntityKind::VisitNote,
        Some(note.version),
        note.version + 1,
    )
    .await
}

/// Where the tablet was when the visit started, by the agency's radius (the shared rule the
/// tablet shows the inspector).
fn on_site_check(position: Option<Position>, visit: &VisitState) -> OnSite {
    let site = Wgs84 {
        lat: visit.lat,
        lon: visit.lon,
    };
    let at = position.map(|p| {
        (
            Wgs84 {
                lat: p.lat,
                lon: p.lon,
            },
            p.accuracy_m,
        )
    });
    on_site(site, at, visit.on_site_radius_m).0
}

async fn visit_start(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    let data: VisitStart = step!(ctx.data());
    let visit = step!(ctx.writable_visit(tx, &ctx.entity_id()).await?);
    step!(base_check(
        ctx,
        Write::Update,
        Some(visit.version),
        EntityKind::Visit
    ));
    let status = step!(transition(&visit, VisitEvent::Start)?);
    let started_at = step!(device_time(data.started_at)).unwrap_or_else(db::now_text);
    // The checklist is pinned now: the one the tablet names, or the newest that fits the site.
    let template = match (&data.template_id, data.template_version) {
        (Some(id), Some(version)) => {
            match db::checklists::version(&mut **tx, &visit.agency_id, id, i64::from(version))
                .await?
            {
                Some(_) => Some((id.clone(), i64::from(version))),
                None => return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData)),
            }
        }
        (None, None) => best_template(tx, &visit).await?,
        _ => return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData)),
    };
    let check = on_site_check(data.position, &visit);
    if db::inspections::inspection_of_visit(tx, &visit.id)
        .await?
        .is_none()
    {
        let inspection_id = Uuid::new_v4().to_string();
        let today = chrono::Utc::now().date_naive().to_string();
        db::inspections::insert_inspection(
            tx,
            &db::inspections::InspectionStart {
                id: &inspection_id,
                visit_id: &visit.id,
                site_id: &visit.site_id,
                inspector_id: &visit.inspector_id,
                kind: &visit.kind,
                inspected_on: &today,
                started_at: &started_at,
                template_id: template.as_ref().map(|t| t.0.as_str()),
                template_version: template.as_ref().map(|t| t.1),
                on_site_check: check.as_str(),
            },
        )
        .await?;
    }
    let version = db::visits::set_visit_status(tx, &visit.id, status.as_str()).await?;
    ctx.finish(tx, &visit, EntityKind::Visit, Some(visit.version), version)
        .await
}

async fn best_template(
    tx: &mut Tx<'_>,
    visit: &VisitState,
) -> Result<Option<(String, i64)>, AppError> {
    let library: Vec<ChecklistTemplate> = db::checklists::latest(&mut **tx, &visit.agency_id)
        .await?
        .iter()
        .filter_map(|b| serde_json::from_str(b).ok())
        .collect();
    let activities: Vec<String> = serde_json::from_str(&visit.activities).unwrap_or_default();
    let activities: Vec<&str> = activities.iter().map(String::as_str).collect();
    Ok(
        shared::checklist::select_templates(&library, &visit.sector, &activities)
            .first()
            .map(|t| (t.id.clone(), i64::from(t.version))),
    )
}

async fn visit_finish(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    let data: VisitFinish = step!(ctx.data());
    let visit = step!(ctx.writable_visit(tx, &ctx.entity_id()).await?);
    step!(base_check(
        ctx,
        Write::Update,
        Some(visit.version),
        EntityKind::Visit
    ));
    let status = step!(transition(&visit, VisitEvent::Finish)?);
    let hours = data.hours_spent.unwrap_or(0.0);
    if !(0.0..=24.0).contains(&hours) {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    }
    let finished_at = step!(device_time(data.finished_at)).unwrap_or_else(db::now_text);
    db::inspections::finish_inspection(tx, &visit.id, &finished_at, hours).await?;
    let version = db::visits::set_visit_status(tx, &visit.id, status.as_str()).await?;
    ctx.finish(tx, &visit, EntityKind::Visit, Some(visit.version), version)
        .await
}

async fn finding_upsert(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    let data: FindingUpsert = step!(ctx.data());
    let visit = step!(ctx.writable_visit(tx, &data.visit_id.to_string()).await?);
    step!(transition(&visit, VisitEvent::Record)?);
    let Some(inspection) = db::inspections::inspection_of_visit(tx, &visit.id).await? else {
        return Ok(Outcome::Rejected(ErrorCode::VisitInvalidTransition));
    };
    let (Some(template_id), Some(template_version)) =
        (inspection.template_id, inspection.template_version)
    else {
        return Ok(Outcome::Rejected(ErrorCode::FindingInvalidAnswer));
    };
    let template: ChecklistTemplate =
        match db::checklists::version(&mut **tx, &visit.agency_id, &template_id, template_version)
            .await?
        {
            Some(body) => serde_json::from_str(&body).map_err(anyhow::Error::from)?,
            None => return Ok(Outcome::Rejected(ErrorCode::FindingInvalidAnswer)),
        };
    let Some(item) = template.item(&data.item_id) else {
        return Ok(Outcome::Rejected(ErrorCode::FindingInvalidAnswer));
    };
    let Ok(answer) = serde_json::from_value::<Answer>(data.answer.clone()) else {
        return Ok(Outcome::Rejected(ErrorCode::FindingInvalidAnswer));
    };
    let Ok(is_violation) = evaluate(item, &answer) else {
        return Ok(Outcome::Rejected(ErrorCode::FindingInvalidAnswer));
    };
    // A remark is optional; when given it follows the note rule (an empty one is no remark).
    if data
        .note
        .as_ref()
        .is_some_and(|n| !n.trim().is_empty() && !valid_note_text(n))
    {
        return Ok(Outcome::Rejected(ErrorCode::NoteInvalidText));
    }
    let id = ctx.entity_id();
    let existing = db::findings::finding(&mut **tx, &id).await?;
    let now = db::now_text();
    let mut row = db::findings::FindingRow {
        id: id.clone(),
        visit_id: visit.id.clone(),
        item_id: data.item_id.clone(),
        answer: data.answer.to_string(),
        is_violation: i64::from(is_violation),
        note: data.note.clone(),
        updated_at: now,
        version: 1,
    };
    step!(base_check(
        ctx,
        Write::Upsert,
        existing.as_ref().map(|f| f.version),
        EntityKind::Finding
    ));
    match existing {
        None => {
            // Another device may have answered this item already: that is a conflict for a person,
            // not a second answer.
            if let Some(other) =
                db::findings::finding_for_item(tx, &visit.id, &data.item_id).await?
            {
                return Ok(Outcome::Conflict {
                    current_version: Some(other.version),
                    entity: EntityKind::Finding,
                });
            }
            db::findings::insert_finding(tx, &row, Some(&inspection.id)).await?;
            ctx.finish(tx, &visit, EntityKind::Finding, None, 1).await
        }
        Some(current) => {
            if current.visit_id != visit.id || current.item_id != data.item_id {
                return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
            }
            row.version = current.version + 1;
            db::findings::update_finding(tx, &row).await?;
            ctx.finish(
                tx,
                &visit,
                EntityKind::Finding,
                Some(current.version),
                row.version,
            )
            .await
        }
    }
}

async fn photo_attach(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    let data: PhotoAttach = step!(ctx.data());
    if !shared::sync::is_sha256_hex(&data.sha256) {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    }
    step!(base_check(ctx, Write::Create, None, EntityKind::Photo));
    let captured_at = step!(device_time(data.captured_at));
    let visit = step!(ctx.writable_visit(tx, &data.visit_id.to_string()).await?);
    let id = ctx.entity_id();
    let current = db::photos::photo(&mut **tx, &id).await?.map(|p| p.version);
    step!(base_check(ctx, Write::Create, current, EntityKind::Photo));
    if let Some(finding_id) = data.finding_id {
        match db::findings::finding(&mut **tx, &finding_id.to_string()).await? {
            Some(f) if f.visit_id == visit.id => {}
            _ => return Ok(Outcome::Rejected(ErrorCode::SyncUnknownEntity)),
        }
    }
    // The image was decoded (with limits) when its upload finished; only the verdict is read here,
    // so no image work happens while the push holds the write lock.
    let Some(blob) = db::blobs::blob(tx, &visit.agency_id, &data.sha256).await? else {
        return Ok(Outcome::Rejected(ErrorCode::PhotoBlobMissing));
    };
    let (Some(content_type), Some(width), Some(height)) =
        (blob.content_type, blob.width, blob.height)
    else {
        return Ok(Outcome::Rejected(ErrorCode::PhotoInvalidImage));
    };
    let row = db::photos::PhotoRow {
        id: id.clone(),
        visit_id: visit.id.clone(),
        finding_id: data.finding_id.map(|f| f.to_string()),
        sha256: data.sha256.clone(),
        size_bytes: blob.size_bytes,
        content_type,
        width: Some(width),
        height: Some(height),
        captured_at,
        lat: data.position.map(|p| p.lat),
        lon: data.position.map(|p| p.lon),
        accuracy_m: data.position.and_then(|p| p.accuracy_m),
        uploaded_by: ctx.user_id(),
        created_at: db::now_text(),
        version: 1,
    };
    db::photos::insert_photo(tx, &row).await?;
    ctx.finish(tx, &visit, EntityKind::Photo, None, 1).await
}

/// `sync_problem.resolve`: whoever made a refused change (or a team lead, manager or admin of the
/// agency) says how it was settled. The problem then leaves the open-problems list; the refused
/// mutation stays in the log. Settling twice is harmless: the first settlement stands.
async fn problem_resolve(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    let data: ProblemResolve = step!(ctx.data());
    step!(base_check(
        ctx,
        Write::Create,
        None,
        EntityKind::SyncProblem
    ));
    let refused_id = ctx.entity_id();
    let Some(refused) = db::mutations::recorded_mutation(tx, &refused_id).await? else {
        return Ok(Outcome::Rejected(ErrorCode::SyncUnknownEntity));
    };
    // Another agency's mutation, or one the server applied, is not a problem to settle here.
    if refused.agency_id != ctx.user.agency_id || refused.status == MutationStatus::Applied.as_str()
    {
        return Ok(Outcome::Rejected(ErrorCode::SyncUnknownEntity));
    }
    let may_settle_others = matches!(
        ctx.user.info.role,
        Role::TeamLead | Role::Manager | Role::Admin
    );
    let actor = ctx.user_id();
    if refused.user_id != actor && !may_settle_others {
        return Ok(Outcome::Rejected(ErrorCode::AuthForbidden));
    }
    let now = db::now_text();
    let settled = db::mutations::resolve_problem(
        tx,
        &refused_id,
        data.resolution.as_str(),
        &actor,
        Some(ctx.device_id),
        &now,
    )
    .await?;
    // Every applied mutation leaves one audit entry; a late second settlement says it changed nothing.
    ctx.defer(
        None,
        PendingAudit {
            actor_id: actor,
            device_id: ctx.device_id.to_owned(),
            action: ctx.mutation.kind.to_string(),
            entity: EntityKind::SyncProblem,
            entity_id: refused_id,
            old_version: None,
            new_version: Some(1),
            details: serde_json::json!({
                "mutation_id": ctx.mutation.id,
                "resolution": data.resolution.as_str(),
                "settled_before": !settled,
                "device_at": ctx.mutation.at,
            }),
        },
    );
    Ok(Outcome::Applied { version: 1 })
}

/// `violation.assess`: the LHSO assessment of a violating finding. The server does not take the
/// tablet's advice on trust: it recomputes the suggested cell from the answers with the named
/// matrix version, refuses a deviation without a written reason, and stores suggested and chosen
/// cell, reason, matrix version, intervention and remedy deadline on the violation (whose id is
/// the finding's), where follow-up and the annual figures read them.
async fn violation_assess(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    use shared::lhso::{
        assess, choose_cell, choose_intervention, choose_remedy_deadline, AssessmentInput,
        Intervention, LhsoCell,
    };

    let data: ViolationAssess = step!(ctx.data());
    let id = ctx.entity_id();
    let Some(finding) = db::findings::finding(&mut **tx, &id).await? else {
        return Ok(Outcome::Rejected(ErrorCode::SyncUnknownEntity));
    };
    let visit = step!(ctx.writable_visit(tx, &finding.visit_id).await?);
    if finding.is_violation == 0 {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    }
    let Some(inspection) = db::inspections::inspection_of_visit(tx, &visit.id).await? else {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    };
    let matrix = match crate::agency_config::matrix_for(
        ctx.pool,
        &visit.agency_id,
        Some(&data.matrix_version),
    )
    .await
    {
        Ok(matrix) => matrix,
        Err(AppError::Api(_)) => return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput)),
        Err(e) => return Err(e),
    };
    let input =
        AssessmentInput::answers(data.answers.clone()).with_repeat_offence(data.repeat_offence);
    let Ok(suggested) = assess(&matrix, &input) else {
        return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput));
    };
    let Ok(chosen) = data.chosen_cell.parse::<LhsoCell>() else {
        return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput));
    };
    let Ok(choice) = choose_cell(suggested.cell, chosen, data.deviation_reason.as_deref()) else {
        return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput));
    };
    let advice = if choice.deviated {
        match assess(&matrix, &AssessmentInput::direct(chosen)) {
            Ok(advice) => advice,
            Err(_) => return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput)),
        }
    } else {
        suggested.clone()
    };

    let current = db::violations::violation_version(tx, &id).await?;
    step!(base_check(
        ctx,
        Write::Upsert,
        current,
        EntityKind::Violation
    ));
    let version = current.map_or(1, |c| c + 1);
    // What was violated, from the checklist version the inspection pinned.
    let item = match (
        inspection.template_id.as_deref(),
        inspection.template_version,
    ) {
        (Some(template_id), Some(template_version)) => {
            db::checklists::version(&mut **tx, &visit.agency_id, template_id, template_version)
                .await?
                .and_then(|body| serde_json::from_str::<ChecklistTemplate>(&body).ok())
                .and_then(|t| t.item(&finding.item_id).cloned())
        }
        _ => None,
    };
    let Some(item) = item else {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    };
    let theme = serde_json::to_value(item.theme)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    // The intervention the inspector chose; an older app sends none, and then the matrix's first
    // is recorded as not chosen.
    let (intervention, chosen_by_inspector, intervention_reason) =
        match data.intervention.as_deref() {
            Some(code) => match choose_intervention(
                &advice.interventions,
                code,
                data.intervention_reason.as_deref(),
            ) {
                Ok(choice) => (choice.intervention, true, choice.reason),
                Err(_) => return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput)),
            },
            None => (
                advice
                    .interventions
                    .first()
                    .copied()
                    .unwrap_or(Intervention::Inform),
                false,
                None,
            ),
        };
    let Ok(remedy_deadline) = choose_remedy_deadline(
        data.inspection_date,
        advice.remedy_days,
        data.remedy_deadline,
    ) else {
        return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput));
    };
    if [&data.intervention_reason, &data.repeat_offence_reason]
        .into_iter()
        .flatten()
        .any(|t| !t.trim().is_empty() && !valid_note_text(t))
    {
        return Ok(Outcome::Rejected(ErrorCode::LhsoInvalidInput));
    }
    let old_version = current;
    db::violations::write_violation(
        tx,
        &db::violations::ViolationWrite {
            id: &id,
            inspection_id: &inspection.id,
            site_id: &visit.site_id,
            visit_id: &visit.id,
            theme: &theme,
            description: &item.text,
            rule_ref: &item.rule.citation,
            consequence: i64::from(choice.chosen.consequence.digit()),
            behaviour: choice.chosen.behaviour.letter().to_string(),
            cell: choice.chosen.to_string(),
            suggested_cell: suggested.cell.to_string(),
            deviation_reason: choice.reason.as_deref(),
            matrix_version: matrix.version(),
            repeat_offence: data.repeat_offence,
            repeat_offence_reason: data
                .repeat_offence_reason
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty()),
            intervention: intervention.as_str(),
            intervention_chosen: chosen_by_inspector,
            intervention_reason: intervention_reason.as_deref(),
            boa_consultation: advice.boa_consultation,
            boa_consulted: data.boa_consulted,
            remedy_deadline: remedy_deadline.map(|d| d.to_string()),
            version,
        },
    )
    .await?;
    let case = crate::enforcement::on_assessed(
        tx,
        &crate::enforcement::Assessed {
            violation_id: &id,
            agency_id: &visit.agency_id,
            authority_id: &visit.authority_id,
            site_id: &visit.site_id,
            inspector_id: &visit.inspector_id,
            found_on: data.inspection_date,
            cell: &choice.chosen.to_string(),
            intervention,
            remedy_deadline,
        },
        &ctx.user_id(),
    )
    .await?;
    if let Some(case) = case {
        ctx.defer_case(&visit, &case, None);
    }
    ctx.finish(tx, &visit, EntityKind::Violation, old_version, version)
        .await
}

/// `enforcement_case.reinspect`: the re-inspection's verdict on an open case of the visited site.
/// The shared machine decides what follows (remedied: closed; not remedied: the next step, never
/// before the deadline ran out); the step records the visit and its photos.
async fn case_reinspect(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
    let data: CaseReinspect = step!(ctx.data());
    let visit = step!(ctx.writable_visit(tx, &data.visit_id.to_string()).await?);
    step!(transition(&visit, VisitEvent::Record)?);
    if data
        .note
        .as_ref()
        .is_some_and(|n| !n.trim().is_empty() && !valid_note_text(n))
    {
        return Ok(Outcome::Rejected(ErrorCode::NoteInvalidText));
    }
    let case_id = ctx.entity_id();
    let Some(case) = db::enforcement::by_id(&mut **tx, &case_id).await? else {
        return Ok(Outcome::Rejected(ErrorCode::SyncUnknownEntity));
    };
    if case.agency_id != visit.agency_id || case.site_id != visit.site_id {
        return Ok(Outcome::Rejected(ErrorCode::SyncUnknownEntity));
    }
    // A photo taken offline is attached once its upload is done, which may be after this verdict
    // was sent: an id the server does not know yet is kept as a reference; a known photo must be
    // of this visit.
    for photo in &data.photo_ids {
        if let Some(p) = db::photos::photo(&mut **tx, &photo.to_string()).await? {
            if p.visit_id != visit.id {
                return Ok(Outcome::Rejected(ErrorCode::SyncUnknownEntity));
            }
        }
    }
    let Some(base_version) = ctx.mutation.base_version else {
        return Ok(Outcome::Rejected(ErrorCode::SyncInvalidData));
    };
    // The date of the re-inspection: the device's, but never after the server's today.
    let today = chrono::Utc::now().date_naive();
    let on = ctx.mutation.at.date_naive().min(today);
    let actor = ctx.user_id();
    let written = match crate::enforcement::record_step(
        tx,
        &case,
        &crate::enforcement::StepInput {
            step: shared::enforcement::Step::Reinspected {
                remedied: data.remedied,
            },
            on,
            by: &actor,
            base_version,
            note: data.note.as_deref(),
            visit_id: Some(&visit.id),
            photo_ids: &data.photo_ids,
        },
    )
    .await?
    {
        Ok(written) => written,
        Err(crate::enforcement::Refusal::Stale { current }) => {
            return Ok(Outcome::Conflict {
                current_version: Some(current),
                entity: EntityKind::EnforcementCase,
            })
        }
        Err(crate::enforcement::Refusal::Refused(code)) => return Ok(Outcome::Rejected(code)),
    };
    ctx.defer_case(&visit, &written, Some(&ctx.mutation.kind.to_string()));
    Ok(Outcome::Applied {
        version: written.version,
    })
}
