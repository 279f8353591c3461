//! `enforcement_case.reinspect`: the re-inspection's verdict on an open case.

use super::*;

/// `enforcement_case.reinspect`: the re-inspection's verdict on an open case of the visited site.
/// The shared machine decides what follows (remedied: closed; not remedied: the next step, never
/// before the deadline ran out); the step records the visit and its photos.
pub(super) async fn case_reinspect(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
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
