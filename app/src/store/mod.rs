//! The device's IndexedDB database: the session, the working set (visits, their details and
//! history, checklist templates), the inspector's local work (notes, findings) and the sync
//! protocol's outbox, plus the problems the server refused (conflicts, rejections), which stay
//! visible until a person deals with them.
//!
//! The schema is created and upgraded with rexie, which also serves the reads. Every user action
//! writes its local state change and its outbox mutation in ONE transaction opened through the
//! raw web-sys API with `durability: "strict"`: rexie 0.6 (and the `idb` crate under it) cannot
//! pass transaction options, and a relaxed commit may be lost on a power cut after the screen
//! already said "opgeslagen".
//!
//! Records are stored as JSON strings (serde), so the Rust types are the schema. They are written
//! with serde_json and read back through `JSON.parse` and serde-wasm-bindgen (one deserialiser
//! for every type in the bundle, shared with the API answers).

mod db;
mod outbox;
mod problems;
mod records;
mod session;

use std::collections::HashMap;

use rexie::TransactionMode;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

use shared::checklist::ChecklistTemplate;
use shared::visit::VisitStatus;

pub use db::*;
pub use outbox::*;
pub use problems::*;
pub use records::*;
pub use session::*;

// Reads.

pub async fn templates() -> StoreResult<Vec<ChecklistTemplate>> {
    all(TEMPLATES).await
}

pub fn template_key(id: &str, version: u32) -> JsValue {
    JsValue::from_str(&format!("{id}@{version}"))
}

pub async fn visit(id: Uuid) -> StoreResult<Option<LocalVisit>> {
    get(VISITS, &key(&id)).await
}

pub async fn visits() -> StoreResult<Vec<LocalVisit>> {
    all(VISITS).await
}

pub async fn detail(id: Uuid) -> StoreResult<Option<VisitHistory>> {
    get(DETAILS, &key(&id)).await
}

pub async fn notes_of(visit_id: Uuid) -> StoreResult<Vec<LocalNote>> {
    let mut notes: Vec<LocalNote> = all(NOTES).await?;
    notes.retain(|n| n.visit_id == visit_id);
    notes.sort_by(|a, b| a.at.cmp(&b.at));
    Ok(notes)
}

pub async fn photos_of(visit_id: Uuid) -> StoreResult<Vec<LocalPhoto>> {
    let mut photos: Vec<LocalPhoto> = all(PHOTOS).await?;
    photos.retain(|p| p.visit_id == visit_id);
    photos.sort_by(|a, b| a.captured_at.cmp(&b.captured_at));
    Ok(photos)
}

/// A photo's bytes (a `Blob`), if this device still has them.
pub async fn photo_blob(sha256: &str) -> StoreResult<Option<web_sys::Blob>> {
    let db = db().await?;
    let tx = db.transaction(&[PHOTO_BLOBS], TransactionMode::ReadOnly)?;
    let value = tx
        .store(PHOTO_BLOBS)?
        .get(JsValue::from_str(sha256))
        .await?;
    Ok(value.and_then(|v| v.dyn_into::<web_sys::Blob>().ok()))
}

/// The enforcement cases of a site on this device (open ones, and those closed by a verdict
/// given here), oldest first.
pub async fn cases_of_site(site_id: Uuid) -> StoreResult<Vec<LocalCase>> {
    let mut cases: Vec<LocalCase> = all(CASES).await?;
    cases.retain(|c| c.site_id == site_id);
    cases.sort_by_key(|c| (c.found_on, c.id));
    Ok(cases)
}

/// The photos with these ids that this device holds (the evidence of a case found here).
pub async fn photos_with_ids(ids: &[Uuid]) -> StoreResult<Vec<LocalPhoto>> {
    let mut photos = Vec::new();
    for id in ids {
        if let Some(p) = get::<LocalPhoto>(PHOTOS, &key(id)).await? {
            photos.push(p);
        }
    }
    Ok(photos)
}

pub async fn findings_of(visit_id: Uuid) -> StoreResult<Vec<LocalFinding>> {
    let mut findings: Vec<LocalFinding> = all(FINDINGS).await?;
    findings.retain(|f| f.visit_id == visit_id);
    Ok(findings)
}

/// Whether the visit can be started from here (planned, returned, or marked not possible).
pub fn is_pending_status(status: VisitStatus) -> bool {
    status.allows(shared::visit::VisitEvent::Start)
}

/// Where a visit's recorded work is on its way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// In the outbox, not offered to the server yet.
    Saved,
    /// In the outbox; offline, or an attempt got no answer.
    Waiting,
    /// The server acknowledged it; its pull feed has not shown it back yet.
    Sent,
    /// The server's feed shows the recorded state.
    Confirmed,
    /// The server refused something (conflict, rejection): see the sync panel.
    Problem,
}

/// The delivery stage a photo's state is (one vocabulary for photos and visits).
pub fn photo_delivery(state: PhotoState) -> Delivery {
    match state {
        PhotoState::Saved => Delivery::Saved,
        PhotoState::Queued => Delivery::Waiting,
        PhotoState::Uploaded => Delivery::Sent,
        PhotoState::Confirmed => Delivery::Confirmed,
    }
}

/// The delivery state of every visit with work recorded on this device. It follows only what
/// happened to the work (offered to the server or not, acknowledged, shown back), never whether
/// the device is online now, so within one sync it only moves forward: saved, waiting, sent,
/// confirmed. (`online` is accepted for the callers' resources to re-read on a network change.)
pub async fn deliveries(online: bool) -> StoreResult<HashMap<Uuid, Delivery>> {
    let _ = online;
    let outbox = outbox().await?;
    let problems = problems().await?;
    let notes: Vec<LocalNote> = all(NOTES).await?;
    let findings: Vec<LocalFinding> = all(FINDINGS).await?;
    let photos: Vec<LocalPhoto> = all(PHOTOS).await?;
    let mut result = HashMap::new();
    for v in visits().await? {
        let id = v.visit.id;
        let entries: Vec<&OutboxEntry> = outbox.iter().filter(|e| e.visit_id == id).collect();
        let photos: Vec<&LocalPhoto> = photos.iter().filter(|p| p.visit_id == id).collect();
        let state = if problems.iter().any(|p| p.visit_id == id)
            || photos.iter().any(|p| p.problem.is_some())
        {
            Delivery::Problem
        } else if photos.iter().any(|p| p.state == PhotoState::Queued)
            || entries.iter().any(|e| e.attempts > 0)
        {
            // Offered to the server at least once (or a photo upload started): waiting for it.
            Delivery::Waiting
        } else if !entries.is_empty() || photos.iter().any(|p| p.state == PhotoState::Saved) {
            Delivery::Saved
        } else if v.awaiting.is_some()
            || notes
                .iter()
                .any(|n| n.visit_id == id && n.awaiting.is_some())
            || findings
                .iter()
                .any(|f| f.visit_id == id && f.awaiting.is_some())
        {
            Delivery::Sent
        } else if v.touched {
            Delivery::Confirmed
        } else {
            continue;
        };
        result.insert(id, state);
    }
    Ok(result)
}
