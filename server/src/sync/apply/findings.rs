//! `finding.upsert`: one answer per checklist item, judged by the pinned template.

use super::*;

pub(super) async fn finding_upsert(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
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
