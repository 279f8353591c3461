//! The JSON shape of field records as devices pull them and as the visit detail shows them.

use serde_json::{json, Value};

use crate::db::sync::{FindingRow, NoteRow, PhotoRow};

pub fn note(n: &NoteRow) -> Value {
    json!({
        "id": n.id, "visit_id": n.visit_id, "author_id": n.author_id, "text": n.text,
        "created_at": n.created_at, "updated_at": n.updated_at, "version": n.version,
    })
}

pub fn finding(f: &FindingRow) -> Value {
    json!({
        "id": f.id, "visit_id": f.visit_id, "item_id": f.item_id,
        "answer": serde_json::from_str::<Value>(&f.answer).unwrap_or(Value::Null),
        "is_violation": f.is_violation != 0, "note": f.note, "updated_at": f.updated_at, "version": f.version,
    })
}

pub fn photo(p: &PhotoRow) -> Value {
    json!({
        "id": p.id, "visit_id": p.visit_id, "finding_id": p.finding_id, "sha256": p.sha256,
        "size_bytes": p.size_bytes, "content_type": p.content_type, "width": p.width, "height": p.height,
        "captured_at": p.captured_at,
        "position": p.lat.zip(p.lon).map(|(lat, lon)| json!({"lat": lat, "lon": lon, "accuracy_m": p.accuracy_m})),
        "uploaded_by": p.uploaded_by, "created_at": p.created_at, "version": p.version,
    })
}
