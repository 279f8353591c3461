//! The sync protocol (API.md "Sync"): what a device pushes and pulls. Shared so the tablet's outbox
//! and the server's applier agree on every field.
//!
//! Guarantees the server gives for a device's mutations: each is applied exactly once, in `seq`
//! order, in the transaction that records it; a replay gets the original outcome; a stale
//! `base_version` is a recorded conflict, never an overwrite.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ErrorBody;

/// A time as a device reports it: RFC 3339 with its offset (checked for a sane range by
/// [`check_device_time`] where it is received).
pub type DeviceTime = chrono::DateTime<chrono::FixedOffset>;

/// Reads a field that may be absent but, when present, must not be `null`.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

mod feed;
mod health;
mod rules;

pub use feed::{
    Change, EntityKind, FeedFinding, FeedNote, FeedOp, FeedPhoto, FeedViolation, PullResponse,
};
pub use health::{device_health, DeviceHealth, SILENT_AFTER_HOURS, STUCK_AFTER_HOURS};
pub use rules::{check_base, check_device_time, valid_note_text, BaseError, Write};

crate::wire_enum! {
    /// What a mutation does. The fallback keeps a kind this build does not know, so a newer app
    /// and an older server still read each other's pushes (the server refuses it with
    /// `sync.unknown_kind`, recorded under its own name).
    pub enum MutationKind {
        VisitNoteAdd = "visit_note.add",
        VisitNoteEdit = "visit_note.edit",
        VisitStart = "visit.start",
        VisitFinish = "visit.finish",
        FindingUpsert = "finding.upsert",
        PhotoAttach = "photo.attach",
        ProblemResolve = "sync_problem.resolve",
        ViolationAssess = "violation.assess",
        /// The re-inspection's verdict on an open enforcement case (`entity_id` the case's id).
        CaseReinspect = "enforcement_case.reinspect",
        /// The inspector could not carry out a planned visit (`entity_id` the visit's id).
        VisitNotPossible = "visit.not_possible",
    }
    fallback Other
}

impl MutationKind {
    /// The entity a mutation of this kind writes (`None` for an unknown kind).
    pub fn entity(&self) -> Option<EntityKind> {
        Some(match self {
            MutationKind::VisitNoteAdd | MutationKind::VisitNoteEdit => EntityKind::VisitNote,
            MutationKind::VisitStart
            | MutationKind::VisitFinish
            | MutationKind::VisitNotPossible => EntityKind::Visit,
            MutationKind::FindingUpsert => EntityKind::Finding,
            MutationKind::PhotoAttach => EntityKind::Photo,
            MutationKind::ProblemResolve => EntityKind::SyncProblem,
            MutationKind::ViolationAssess => EntityKind::Violation,
            MutationKind::CaseReinspect => EntityKind::EnforcementCase,
            MutationKind::Other(_) => return None,
        })
    }

    /// Whether a conflict of this kind can be settled by keeping the tablet's version
    /// (`tablet_kept`): a change of a versioned record that the server can apply again on top of
    /// a newer version. The office offers the choice, the server enforces it.
    pub fn can_keep_tablet_version(&self) -> bool {
        matches!(
            self,
            MutationKind::VisitNoteAdd
                | MutationKind::VisitNoteEdit
                | MutationKind::FindingUpsert
                | MutationKind::ViolationAssess
                | MutationKind::VisitStart
                | MutationKind::VisitFinish
                | MutationKind::VisitNotPossible
        )
    }
}

/// Longest note text, in characters.
pub const NOTE_MAX_CHARS: usize = 4000;
/// Most mutations accepted in one push.
pub const PUSH_MAX_MUTATIONS: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    pub id: Uuid,
    /// Per device strictly increasing from 1.
    pub seq: i64,
    #[serde(rename = "type")]
    pub kind: MutationKind,
    pub entity_id: Uuid,
    /// The entity's version as the device last saw it; `None` for a new entity.
    pub base_version: Option<i64>,
    /// Device time: recorded, never used for ordering. RFC 3339; see [`check_device_time`].
    pub at: DeviceTime,
    pub data: serde_json::Value,
}

/// What the device still holds unsent (reported so team leads see stuck devices).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PendingReport {
    pub count: i64,
    /// Device time of the oldest unsent mutation.
    pub oldest_at: Option<chrono::DateTime<chrono::FixedOffset>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub device_id: Uuid,
    pub mutations: Vec<Mutation>,
    /// Absent when the device reports nothing; `null` is refused (it is no report).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub pending: Option<PendingReport>,
}

crate::wire_enum! {
    /// What the server made of a mutation.
    pub enum MutationStatus {
        Applied = "applied",
        Duplicate = "duplicate",
        Conflict = "conflict",
        Rejected = "rejected",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutationResult {
    pub id: Uuid,
    pub status: MutationStatus,
    /// The entity's version after the mutation (applied), or its current version (conflict).
    pub version: Option<i64>,
    pub error: Option<ErrorBody>,
    /// For a `duplicate`: what the first delivery came to (applied, conflict or rejected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_status: Option<MutationStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<MutationResult>,
    pub last_seq: i64,
}

// Data of each kind.

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteAdd {
    pub visit_id: Uuid,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteEdit {
    pub text: String,
}

/// A device position when something happened, as the browser reports it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct VisitStart {
    /// Device time the inspector started.
    pub started_at: Option<DeviceTime>,
    pub position: Option<Position>,
    /// The checklist template version the inspection uses (pinned for reproducibility).
    pub template_id: Option<String>,
    pub template_version: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct VisitFinish {
    pub finished_at: Option<DeviceTime>,
    pub hours_spent: Option<f64>,
}

/// `visit.not_possible`: the inspector could not carry out the visit; `entity_id` the visit's id,
/// `base_version` its version. Checked by [`crate::visit::check_not_possible`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitNotPossible {
    pub reason: crate::visit::NotPossibleReason,
    #[serde(default)]
    pub note: Option<String>,
    /// Device time it was marked.
    #[serde(default)]
    pub at: Option<DeviceTime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingUpsert {
    pub visit_id: Uuid,
    pub item_id: String,
    /// The answer as typed (see `checklist::Answer`).
    pub answer: serde_json::Value,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoAttach {
    pub visit_id: Uuid,
    pub finding_id: Option<Uuid>,
    /// Lowercase hex SHA-256 of the uploaded blob.
    pub sha256: String,
    pub captured_at: Option<DeviceTime>,
    pub position: Option<Position>,
}

/// `violation.assess`: the LHSO assessment of a violating finding, as the inspector settled it on
/// the tablet. `entity_id` is the finding's id (one assessment per violation; a new one has no
/// `base_version`, a revision gives the version it revises). The server recomputes the advice from
/// the answers with the named matrix version and refuses a deviation without a written reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViolationAssess {
    pub matrix_version: String,
    /// Question id -> chosen option value.
    pub answers: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub repeat_offence: bool,
    /// The cell the inspector settled on (`B3`).
    pub chosen_cell: String,
    #[serde(default)]
    pub deviation_reason: Option<String>,
    /// The date the remedy deadline counts from.
    pub inspection_date: chrono::NaiveDate,
    /// The intervention the inspector chose (a code of `lhso::Intervention`): one the matrix
    /// proposes for the chosen cell, or another with `intervention_reason`. Absent from an older
    /// app: the server then takes the matrix's first and records that it was not chosen. Kept as
    /// text so an unknown code is refused as `lhso.invalid_input`, not as malformed data.
    #[serde(default)]
    pub intervention: Option<String>,
    #[serde(default)]
    pub intervention_reason: Option<String>,
    /// Overrides the matrix's remedy deadline; never before the inspection date.
    #[serde(default)]
    pub remedy_deadline: Option<chrono::NaiveDate>,
    /// Whether a BOA (or the police / public prosecutor) was consulted; `None`: not recorded.
    #[serde(default)]
    pub boa_consulted: Option<bool>,
    /// Why the inspector cleared a repeat offence the site's history suggested.
    #[serde(default)]
    pub repeat_offence_reason: Option<String>,
}

/// `enforcement_case.reinspect`: what a re-inspection found for one open case. `entity_id` is the
/// case's id and `base_version` its version as the device last saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseReinspect {
    /// The re-inspection visit (the inspector's own, started).
    pub visit_id: Uuid,
    pub remedied: bool,
    /// Photos of this visit that show the situation (attached with `photo.attach`).
    #[serde(default)]
    pub photo_ids: Vec<Uuid>,
    #[serde(default)]
    pub note: Option<String>,
}

crate::wire_enum! {
    /// How a person settled a refused mutation (`sync_problem.resolve`).
    pub enum Resolution {
        /// The change was sent again as a new mutation on top of the server's version.
        Resent = "resent",
        /// The device gave up its change; the server's state stands.
        ServerKept = "server_kept",
        /// A team lead (or the author) chose the tablet's version of a conflict after seeing both:
        /// the server applies the refused change on top of the version the person saw.
        TabletKept = "tablet_kept",
    }
}

/// `sync_problem.resolve`: `entity_id` is the refused mutation's id, `base_version` null.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemResolve {
    pub resolution: Resolution,
    /// With `tablet_kept`: the version of the entity the person saw beside the tablet's; if the
    /// server's has moved on since, nothing is applied (`record.version_conflict`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen_version: Option<i64>,
}

/// True for a lowercase 64-hex-digit SHA-256 name.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mutation_uses_the_documented_field_names() {
        let json = r#"{"id":"6f1c2d3e-0000-4000-8000-000000000001","seq":1,"type":"visit_note.add",
            "entity_id":"6f1c2d3e-0000-4000-8000-000000000002","base_version":null,"at":"2026-11-30T09:00:00+01:00",
            "data":{"visit_id":"6f1c2d3e-0000-4000-8000-000000000003","text":"Lekbak ontbreekt"}}"#;
        let m: Mutation = serde_json::from_str(json).unwrap();
        assert_eq!(m.kind, MutationKind::VisitNoteAdd);
        let note: NoteAdd = serde_json::from_value(m.data).unwrap();
        assert_eq!(note.text, "Lekbak ontbreekt");
    }

    #[test]
    fn statuses_serialise_in_snake_case() {
        assert_eq!(
            serde_json::to_string(&MutationStatus::Duplicate).unwrap(),
            "\"duplicate\""
        );
    }

    #[test]
    fn only_lowercase_sha256_hex_names_are_accepted() {
        assert!(is_sha256_hex(&"a".repeat(64)));
        assert!(!is_sha256_hex(&"A".repeat(64)));
        assert!(!is_sha256_hex(&"a".repeat(63)));
    }
}

#[cfg(test)]
mod contract_tests {
    use super::*;

    #[test]
    fn a_push_with_a_null_pending_report_is_refused_and_an_absent_one_accepted() {
        let base = r#"{"device_id":"6f1c2d3e-0000-4000-8000-000000000001","mutations":[]"#;
        assert!(
            serde_json::from_str::<PushRequest>(&format!("{base},\"pending\":null}}")).is_err()
        );
        let absent: PushRequest = serde_json::from_str(&format!("{base}}}")).unwrap();
        assert_eq!(absent.pending, None);
        let given: PushRequest = serde_json::from_str(&format!(
            "{base},\"pending\":{{\"count\":2,\"oldest_at\":null}}}}"
        ))
        .unwrap();
        assert_eq!(given.pending.map(|p| p.count), Some(2));
    }

    #[test]
    fn every_kind_has_a_distinct_wire_name_and_unknown_kinds_survive() {
        let names: std::collections::BTreeSet<&str> = MutationKind::KNOWN
            .iter()
            .map(MutationKind::as_str)
            .collect();
        assert_eq!(names.len(), MutationKind::KNOWN.len());
        let future: MutationKind = serde_json::from_str("\"enforcement.step\"").unwrap();
        assert!(!future.is_known());
        assert_eq!(future.as_str(), "enforcement.step");
    }

    #[test]
    fn a_device_time_must_be_rfc3339() {
        let json = r#"{"id":"6f1c2d3e-0000-4000-8000-000000000001","seq":1,"type":"visit.start",
            "entity_id":"6f1c2d3e-0000-4000-8000-000000000002","base_version":1,"at":"gisteren",
            "data":{}}"#;
        assert!(serde_json::from_str::<Mutation>(json).is_err());
    }
}
