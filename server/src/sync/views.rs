//! Field records as devices pull them and as the visit detail shows them: database rows into the
//! shared payload types (`shared::sync::Feed*`). A row that does not fit its type is a server
//! fault (500), never a silently different shape.

use anyhow::{anyhow, Context};
use uuid::Uuid;

use shared::checklist::Answer;
use shared::lhso::Intervention;
use shared::sync::{FeedFinding, FeedNote, FeedPhoto, FeedViolation, Position};

use crate::db::{findings::FindingRow, notes::NoteRow, photos::PhotoRow, violations::ViolationRow};

fn uuid(text: &str) -> anyhow::Result<Uuid> {
    Uuid::parse_str(text).with_context(|| format!("stored id {text:?}"))
}

pub fn note(n: &NoteRow) -> anyhow::Result<FeedNote> {
    Ok(FeedNote {
        id: uuid(&n.id)?,
        visit_id: uuid(&n.visit_id)?,
        author_id: uuid(&n.author_id)?,
        author_name: n.author_name.clone().unwrap_or_default(),
        text: n.text.clone(),
        created_at: n.created_at.clone(),
        updated_at: n.updated_at.clone(),
        version: n.version,
    })
}

pub fn finding(f: &FindingRow) -> anyhow::Result<FeedFinding> {
    let answer: Answer = serde_json::from_str(&f.answer)
        .with_context(|| format!("stored answer of finding {}", f.id))?;
    Ok(FeedFinding {
        id: uuid(&f.id)?,
        visit_id: uuid(&f.visit_id)?,
        item_id: f.item_id.clone(),
        answer,
        is_violation: f.is_violation != 0,
        note: f.note.clone(),
        updated_at: f.updated_at.clone(),
        version: f.version,
    })
}

pub fn photo(p: &PhotoRow) -> anyhow::Result<FeedPhoto> {
    Ok(FeedPhoto {
        id: uuid(&p.id)?,
        visit_id: uuid(&p.visit_id)?,
        finding_id: p.finding_id.as_deref().map(uuid).transpose()?,
        sha256: p.sha256.clone(),
        size_bytes: p.size_bytes,
        content_type: p.content_type.clone(),
        width: p.width,
        height: p.height,
        captured_at: p.captured_at.clone(),
        position: p.lat.zip(p.lon).map(|(lat, lon)| Position {
            lat,
            lon,
            accuracy_m: p.accuracy_m,
        }),
        uploaded_by: uuid(&p.uploaded_by)?,
        created_at: p.created_at.clone(),
        version: p.version,
    })
}

pub fn violation(v: &ViolationRow) -> anyhow::Result<FeedViolation> {
    let visit_id = v
        .visit_id
        .as_deref()
        .ok_or_else(|| anyhow!("violation {} has no visit", v.id))?;
    Ok(FeedViolation {
        id: uuid(&v.id)?,
        visit_id: uuid(visit_id)?,
        cell: v.cell.clone(),
        suggested_cell: v.suggested_cell.clone(),
        deviation_reason: v.deviation_reason.clone(),
        matrix_version: v.matrix_version.clone(),
        repeat_offence: v.repeat_offence != 0,
        intervention: Intervention::parse(&v.intervention)
            .ok_or_else(|| anyhow!("violation {}: intervention {:?}", v.id, v.intervention))?,
        intervention_chosen: v.intervention_chosen != 0,
        intervention_reason: v.intervention_reason.clone(),
        boa_consultation: v.boa_consultation != 0,
        boa_consulted: v.boa_consulted.map(|b| b != 0),
        remedy_deadline: v
            .remedy_deadline
            .as_deref()
            .map(|d| d.parse())
            .transpose()
            .with_context(|| format!("violation {}: remedy deadline", v.id))?,
        version: v.version,
    })
}
