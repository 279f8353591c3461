//! The inspector's actions on a visit. Each writes its local change and its outbox mutation in
//! one strict IndexedDB transaction (`store::record`), so what the screen shows as saved is
//! exactly what will be sent.

use uuid::Uuid;

use shared::checklist::{Answer, TemplateRef};
use shared::sync::{
    FindingUpsert, MutationKind, NoteAdd, NoteEdit, Position, ViolationAssess, VisitFinish,
    VisitNotPossible, VisitStart,
};
use shared::visit::{check_not_possible, NotPossible, NotPossibleReason, VisitEvent};

use crate::error::AppError;
use crate::store::{self, Action, EntityStore, LocalFinding, LocalNote, LocalVisit};
use crate::util;

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

fn missing() -> AppError {
    AppError::Storage("not on device".into())
}

pub async fn start_visit(
    visit_id: Uuid,
    position: Option<Position>,
    template: Option<TemplateRef>,
) -> Result<(), AppError> {
    let at = util::now();
    let now = at.to_rfc3339();
    let data = VisitStart {
        started_at: Some(at),
        position,
        template_id: template.as_ref().map(|t| t.id.clone()),
        template_version: template.as_ref().map(|t| t.version),
    };
    let action = Action {
        kind: MutationKind::VisitStart,
        entity: EntityStore::Visit,
        entity_id: visit_id,
        visit_id,
        data: json(&data),
    };
    store::record(action, move |stored: Option<LocalVisit>| {
        let mut v = stored.ok_or_else(missing)?;
        let unsent_before = v.unsent;
        v.visit.status = v
            .visit
            .status
            .after(VisitEvent::Start)
            .map_err(|_| AppError::Storage("visit already started".into()))?;
        v.started_at = Some(now);
        v.visit.not_possible = None;
        v.position = position;
        v.template = template;
        v.touched = true;
        v.unsent += 1;
        Ok((v.clone(), Some(v.visit.version), unsent_before))
    })
    .await
    .map(|_| ())
}

pub async fn finish_visit(visit_id: Uuid) -> Result<(), AppError> {
    let at = util::now();
    let now = at.to_rfc3339();
    // Hours on site from the recorded start, rounded up to the quarter hour.
    let started = store::visit(visit_id).await?.and_then(|v| v.started_at);
    let hours_spent = started.as_deref().and_then(|start| {
        let start = chrono::DateTime::parse_from_rfc3339(start).ok()?;
        let minutes = (at - start).num_minutes().max(1) as f64;
        Some((minutes / 15.0).ceil() / 4.0)
    });
    let data = VisitFinish {
        finished_at: Some(at),
        hours_spent,
    };
    let action = Action {
        kind: MutationKind::VisitFinish,
        entity: EntityStore::Visit,
        entity_id: visit_id,
        visit_id,
        data: json(&data),
    };
    store::record(action, move |stored: Option<LocalVisit>| {
        let mut v = stored.ok_or_else(missing)?;
        let unsent_before = v.unsent;
        v.visit.status = v
            .visit
            .status
            .after(VisitEvent::Finish)
            .map_err(|_| AppError::Storage("visit not in progress".into()))?;
        v.finished_at = Some(now);
        v.touched = true;
        v.unsent += 1;
        Ok((v.clone(), Some(v.visit.version), unsent_before))
    })
    .await
    .map(|_| ())
}

/// Marks a planned visit not possible (or changes the reason), with the shared rule for the note.
pub async fn mark_not_possible(
    visit_id: Uuid,
    reason: NotPossibleReason,
    note: String,
) -> Result<(), AppError> {
    let note = check_not_possible(reason, Some(&note)).map_err(AppError::Rule)?;
    let at = util::now();
    let data = VisitNotPossible {
        reason,
        note: note.clone(),
        at: Some(at),
    };
    let action = Action {
        kind: MutationKind::VisitNotPossible,
        entity: EntityStore::Visit,
        entity_id: visit_id,
        visit_id,
        data: json(&data),
    };
    store::record(action, move |stored: Option<LocalVisit>| {
        let mut v = stored.ok_or_else(missing)?;
        let unsent_before = v.unsent;
        v.visit.status = v
            .visit
            .status
            .after(VisitEvent::NotPossible)
            .map_err(AppError::Rule)?;
        v.visit.not_possible = Some(NotPossible {
            reason,
            note,
            at: at.to_rfc3339(),
        });
        v.touched = true;
        v.unsent += 1;
        Ok((v.clone(), Some(v.visit.version), unsent_before))
    })
    .await
    .map(|_| ())
}

/// Records an answer; `existing` is the finding already recorded for this item, if any.
pub async fn answer(
    visit_id: Uuid,
    item_id: String,
    existing: Option<Uuid>,
    answer: Answer,
) -> Result<(), AppError> {
    let finding_id = match existing {
        Some(id) => id,
        None => util::new_uuid().ok_or_else(missing)?,
    };
    let data = FindingUpsert {
        visit_id,
        item_id: item_id.clone(),
        answer: json(&answer),
        note: None,
    };
    let action = Action {
        kind: MutationKind::FindingUpsert,
        entity: EntityStore::Finding,
        entity_id: finding_id,
        visit_id,
        data: json(&data),
    };
    store::record(action, move |stored: Option<LocalFinding>| {
        Ok(match stored {
            Some(mut f) => {
                // A finding the server does not have yet, or with an unsent change: chained.
                let unsent_before = f.unsent + u32::from(f.version.is_none() && f.unsent == 0);
                f.answer = answer;
                f.unsent += 1;
                let base = f.version;
                (f, base, unsent_before)
            }
            None => (
                LocalFinding {
                    id: finding_id,
                    visit_id,
                    item_id,
                    answer,
                    note: None,
                    version: None,
                    unsent: 1,
                    awaiting: None,
                    lhso: None,
                    lhso_version: None,
                    lhso_unsent: 0,
                },
                None,
                0,
            ),
        })
    })
    .await
    .map(|_| ())
}

/// A new note by `author` (the signed-in user's name, shown beside it until the server's copy
/// arrives).
pub async fn add_note(
    visit_id: Uuid,
    text: String,
    author: Option<String>,
) -> Result<(), AppError> {
    let note_id = util::new_uuid().ok_or_else(missing)?;
    let data = NoteAdd {
        visit_id,
        text: text.clone(),
    };
    let action = Action {
        kind: MutationKind::VisitNoteAdd,
        entity: EntityStore::Note,
        entity_id: note_id,
        visit_id,
        data: json(&data),
    };
    store::record(action, move |_: Option<LocalNote>| {
        Ok((
            LocalNote {
                id: note_id,
                visit_id,
                text,
                version: None,
                unsent: 1,
                awaiting: None,
                at: Some(util::now_rfc3339()),
                author,
            },
            None,
            0,
        ))
    })
    .await
    .map(|_| ())
}

pub async fn edit_note(visit_id: Uuid, note_id: Uuid, text: String) -> Result<(), AppError> {
    let action = Action {
        kind: MutationKind::VisitNoteEdit,
        entity: EntityStore::Note,
        entity_id: note_id,
        visit_id,
        data: json(&NoteEdit { text: text.clone() }),
    };
    store::record(action, move |stored: Option<LocalNote>| {
        let mut n = stored.ok_or_else(missing)?;
        let unsent_before = n.unsent + u32::from(n.version.is_none() && n.unsent == 0);
        n.text = text;
        n.unsent += 1;
        let base = n.version;
        Ok((n, base, unsent_before))
    })
    .await
    .map(|_| ())
}

/// Keeps the LHSO assessment with its finding and sends it as `violation.assess` (one strict
/// transaction). The server recomputes the advice from the answers before it stores it.
pub async fn save_assessment(
    finding_id: Uuid,
    record: crate::lhso::LhsoRecord,
) -> Result<(), AppError> {
    let finding = store::get::<LocalFinding>(store::FINDINGS, &store::key(&finding_id))
        .await?
        .ok_or_else(missing)?;
    let data = ViolationAssess {
        matrix_version: record.suggested.matrix_version.clone(),
        answers: record.answers.clone(),
        repeat_offence: record.repeat_offence,
        chosen_cell: record.choice.chosen.to_string(),
        deviation_reason: record.choice.reason.clone(),
        inspection_date: record.inspection_date,
        intervention: record
            .intervention
            .as_ref()
            .map(|i| i.intervention.as_str().to_owned()),
        intervention_reason: record.intervention.as_ref().and_then(|i| i.reason.clone()),
        remedy_deadline: record.remedy_deadline,
        boa_consulted: record.boa_consulted,
        repeat_offence_reason: record.repeat_offence_reason.clone(),
    };
    let action = Action {
        kind: MutationKind::ViolationAssess,
        entity: EntityStore::Assessment,
        entity_id: finding_id,
        visit_id: finding.visit_id,
        data: json(&data),
    };
    store::record(action, move |stored: Option<LocalFinding>| {
        let mut f = stored.ok_or_else(missing)?;
        let unsent_before = f.lhso_unsent;
        f.lhso = Some(record);
        f.lhso_unsent += 1;
        let base = f.lhso_version;
        Ok((f, base, unsent_before))
    })
    .await
    .map(|_| ())
}

/// The shared note rule (1..=4000 characters, trimmed), as the server applies it.
pub fn valid_note(text: &str) -> bool {
    shared::sync::valid_note_text(text)
}

/// The re-inspection's verdict on an open enforcement case of the visited site, with the
/// visit's general photos as evidence (`enforcement_case.reinspect`).
pub async fn record_verdict(case_id: Uuid, visit_id: Uuid, remedied: bool) -> Result<(), AppError> {
    let photo_ids: Vec<Uuid> = store::photos_of(visit_id)
        .await?
        .into_iter()
        .filter(|p| p.finding_id.is_none())
        .map(|p| p.id)
        .collect();
    let data = shared::sync::CaseReinspect {
        visit_id,
        remedied,
        photo_ids,
        note: None,
    };
    let action = Action {
        kind: MutationKind::CaseReinspect,
        entity: EntityStore::Case,
        entity_id: case_id,
        visit_id,
        data: json(&data),
    };
    let on = util::today();
    store::record(action, move |stored: Option<store::LocalCase>| {
        let mut c = stored.ok_or_else(missing)?;
        let unsent_before = c.unsent;
        c.verdict = Some(store::Verdict {
            visit_id,
            remedied,
            on,
        });
        c.unsent += 1;
        Ok((c.clone(), Some(c.version), unsent_before))
    })
    .await
    .map(|_| ())
}
