//! `visit_note.add` and `visit_note.edit`.

use super::*;

pub(super) async fn note_add(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
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

pub(super) async fn note_edit(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
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
