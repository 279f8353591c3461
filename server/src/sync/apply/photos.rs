//! `photo.attach`: a stored, decoded blob becomes a photo of the visit.

use super::*;

pub(super) async fn photo_attach(tx: &mut Tx<'_>, ctx: &Ctx<'_>) -> Result<Outcome, AppError> {
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
