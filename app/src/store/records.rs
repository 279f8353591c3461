//! The records the device keeps: the working set's visits and history, and the local work on
//! them (notes, findings with their LHSO assessment, photos). Stored as JSON, so these types are
//! the schema.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use shared::checklist::{Answer, TemplateRef};
use shared::visit::{PastInspection, Visit};

/// A visit of the working set: the server's JSON (with local changes applied) plus what this
/// device did to it. `visit.version` is the server version the device last saw.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalVisit {
    pub visit: Visit,
    /// Outbox mutations on the visit entity itself (start, finish) not yet acknowledged.
    #[serde(default)]
    pub unsent: u32,
    /// Version the server acknowledged for our last change, until a pull shows it.
    #[serde(default)]
    pub awaiting: Option<i64>,
    /// The checklist template version pinned when the visit started.
    #[serde(default)]
    pub template: Option<TemplateRef>,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub position: Option<shared::sync::Position>,
    #[serde(default)]
    pub finished_at: Option<String>,
    /// Work on this visit was recorded on this device (drives the delivery receipt).
    #[serde(default)]
    pub touched: bool,
    /// The team lead's step that returned the visit, with the comment to correct it by; kept until
    /// the server shows the visit finished again.
    #[serde(default)]
    pub returned: Option<shared::review::ReviewStep>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalNote {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub text: String,
    /// Server version last seen; `None` until the server has it.
    pub version: Option<i64>,
    #[serde(default)]
    pub unsent: u32,
    #[serde(default)]
    pub awaiting: Option<i64>,
    #[serde(default)]
    pub at: Option<String>,
    /// Who wrote it (the server's name for the author; this device's user for a new note).
    #[serde(default)]
    pub author: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalFinding {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub item_id: String,
    pub answer: Answer,
    #[serde(default)]
    pub note: Option<String>,
    pub version: Option<i64>,
    #[serde(default)]
    pub unsent: u32,
    #[serde(default)]
    pub awaiting: Option<i64>,
    /// The LHSO assessment of this violation, sent as its own mutation (`violation.assess`).
    #[serde(default)]
    pub lhso: Option<crate::lhso::LhsoRecord>,
    /// Server version of the assessment (the violation row), once acknowledged.
    #[serde(default)]
    pub lhso_version: Option<i64>,
    /// `violation.assess` mutations not yet acknowledged.
    #[serde(default)]
    pub lhso_unsent: u32,
}

/// Where a photo is on its way to the server (API.md "Sync", photos).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoState {
    /// On this device (strictly committed), not offered to the server yet.
    Saved,
    /// Its upload started or waits for the network.
    Queued,
    /// The server holds the verified blob; the `photo.attach` mutation is in the outbox.
    Uploaded,
    /// The server accepted `photo.attach`: it decoded the image and attached it to the visit.
    Confirmed,
}

/// A photo taken on this device. The bytes live in `PHOTO_BLOBS` under `sha256`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalPhoto {
    pub id: Uuid,
    pub visit_id: Uuid,
    #[serde(default)]
    pub finding_id: Option<Uuid>,
    pub sha256: String,
    pub size: u64,
    pub width: u32,
    pub height: u32,
    pub captured_at: String,
    #[serde(default)]
    pub position: Option<shared::sync::Position>,
    pub state: PhotoState,
    /// `photo.attach` mutations not yet acknowledged (0 or 1).
    #[serde(default)]
    pub unsent: u32,
    /// Why the server refused the upload (Dutch, as shown); the photo stays on the device.
    #[serde(default)]
    pub problem: Option<String>,
    /// The storage guard removed its bytes from the device (the server holds and confirmed
    /// them); the record stays so the visit still lists the photo.
    #[serde(default)]
    pub removed: bool,
}

impl PhotoState {
    /// As in the stored record (and in `data-state`, CSS classes).
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoState::Saved => "saved",
            PhotoState::Queued => "queued",
            PhotoState::Uploaded => "uploaded",
            PhotoState::Confirmed => "confirmed",
        }
    }
}

impl LocalPhoto {
    /// Not on the server yet, and nothing refused it.
    pub fn is_waiting(&self) -> bool {
        matches!(self.state, PhotoState::Saved | PhotoState::Queued) && self.problem.is_none()
    }
}

/// What the device keeps of `GET /visits/{id}` besides the visit: the site's history (the open
/// cases of the site go to their own store, `CASES`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VisitHistory {
    pub history: Vec<PastInspection>,
    #[serde(default, skip_serializing)]
    pub enforcement: Vec<LocalCase>,
}

/// An open enforcement case of a site in the working set: the fields of the server's
/// `EnforcementCase` a re-inspection needs, and the verdict recorded on this device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocalCase {
    pub id: Uuid,
    pub violation_id: Uuid,
    pub site_id: Uuid,
    pub found_on: chrono::NaiveDate,
    pub cell: String,
    pub intervention: shared::lhso::Intervention,
    pub open: bool,
    pub reinspection_due: Option<chrono::NaiveDate>,
    pub description: String,
    pub rule_ref: String,
    #[serde(default)]
    pub photo_ids: Vec<Uuid>,
    pub file: shared::enforcement::CaseFile,
    pub version: i64,
    /// The verdict given here (remedied or not), on which visit, and whether it is unsent.
    #[serde(default)]
    pub verdict: Option<Verdict>,
    #[serde(default)]
    pub unsent: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Verdict {
    pub visit_id: Uuid,
    pub remedied: bool,
    pub on: chrono::NaiveDate,
}
