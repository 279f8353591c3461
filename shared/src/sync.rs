//! The sync protocol (API.md "Sync"): what a device pushes and pulls. Shared so the tablet's outbox
//! and the server's applier agree on every field.
//!
//! Guarantees the server gives for a device's mutations: each is applied exactly once, in `seq`
//! order, in the transaction that records it; a replay gets the original outcome; a stale
//! `base_version` is a recorded conflict, never an overwrite.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ErrorBody;

/// Mutation kinds every server supports.
pub mod kind {
    pub const VISIT_NOTE_ADD: &str = "visit_note.add";
    pub const VISIT_NOTE_EDIT: &str = "visit_note.edit";
    pub const VISIT_START: &str = "visit.start";
    pub const VISIT_FINISH: &str = "visit.finish";
    pub const FINDING_UPSERT: &str = "finding.upsert";
    pub const PHOTO_ATTACH: &str = "photo.attach";
    pub const PROBLEM_RESOLVE: &str = "sync_problem.resolve";
    pub const VIOLATION_ASSESS: &str = "violation.assess";
    pub const ALL: [&str; 8] = [
        VISIT_NOTE_ADD,
        VISIT_NOTE_EDIT,
        VISIT_START,
        VISIT_FINISH,
        FINDING_UPSERT,
        PHOTO_ATTACH,
        PROBLEM_RESOLVE,
        VIOLATION_ASSESS,
    ];
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
    pub kind: String,
    pub entity_id: Uuid,
    /// The entity's version as the device last saw it; `None` for a new entity.
    pub base_version: Option<i64>,
    /// Device time: recorded, never used for ordering.
    pub at: String,
    pub data: serde_json::Value,
}

/// What the device still holds unsent (reported so team leads see stuck devices).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
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
    #[serde(default)]
    pub pending: Option<PendingReport>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MutationStatus {
    Applied,
    Duplicate,
    Conflict,
    Rejected,
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
    pub started_at: Option<String>,
    pub position: Option<Position>,
    /// The checklist template version the inspection uses (pinned for reproducibility).
    pub template_id: Option<String>,
    pub template_version: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct VisitFinish {
    pub finished_at: Option<String>,
    pub hours_spent: Option<f64>,
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
    pub captured_at: Option<String>,
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
}

/// How a person settled a refused mutation (`sync_problem.resolve`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The change was sent again as a new mutation on top of the server's version.
    Resent,
    /// The device gave up its change; the server's state stands.
    ServerKept,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Resent => "resent",
            Resolution::ServerKept => "server_kept",
        }
    }
}

/// `sync_problem.resolve`: `entity_id` is the refused mutation's id, `base_version` null.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemResolve {
    pub resolution: Resolution,
}

/// One entry of the pull feed: the entity's current state (or its removal) in commit order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub entity: String,
    pub entity_id: Uuid,
    pub version: i64,
    pub op: String,
    pub data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    pub cursor: String,
    pub more: bool,
}

/// True for a lowercase 64-hex-digit SHA-256 name.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// How a device's sync looks to a team lead, from what it last reported on a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceHealth {
    /// Nothing unsent.
    UpToDate,
    /// Unsent work, but young: the device is probably just between syncs.
    Pending,
    /// The device keeps reaching the server, yet its oldest unsent change is older than
    /// `STUCK_AFTER_HOURS`: something is refused or failing on it (peers' silent stalls).
    Stuck,
    /// Unsent work and no push for longer than `SILENT_AFTER_HOURS`: offline, or not used.
    Silent,
}

/// Hours an unsent change may wait while the device is in contact before it counts as stuck.
pub const STUCK_AFTER_HOURS: i64 = 2;
/// Hours without any push after which a device with unsent work counts as silent.
pub const SILENT_AFTER_HOURS: i64 = 24;

/// Classifies a device from its last report. Times are server times; `now` is a parameter.
pub fn device_health(
    pending_count: i64,
    oldest_pending_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    last_push_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> DeviceHealth {
    if pending_count <= 0 {
        return DeviceHealth::UpToDate;
    }
    let hours = |t: chrono::DateTime<chrono::FixedOffset>| (now - t).num_minutes() as f64 / 60.0;
    match last_push_at {
        Some(push) if hours(push) <= SILENT_AFTER_HOURS as f64 => {
            let waiting = oldest_pending_at.map_or(0.0, hours);
            if waiting > STUCK_AFTER_HOURS as f64 {
                DeviceHealth::Stuck
            } else {
                DeviceHealth::Pending
            }
        }
        _ => DeviceHealth::Silent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn device_health_tells_idle_stuck_and_silent_devices_apart() {
        let now = at("2026-11-30T15:00:00+01:00");
        let recent = Some(at("2026-11-30T14:55:00+01:00"));
        assert_eq!(device_health(0, None, None, now), DeviceHealth::UpToDate);
        assert_eq!(
            device_health(3, Some(at("2026-11-30T14:30:00+01:00")), recent, now),
            DeviceHealth::Pending
        );
        // In contact five minutes ago, but a change has waited since the morning.
        assert_eq!(
            device_health(1, Some(at("2026-11-30T09:10:00+01:00")), recent, now),
            DeviceHealth::Stuck
        );
        assert_eq!(
            device_health(
                4,
                Some(at("2026-11-28T09:10:00+01:00")),
                Some(at("2026-11-28T17:00:00+01:00")),
                now
            ),
            DeviceHealth::Silent
        );
        assert_eq!(device_health(2, None, None, now), DeviceHealth::Silent);
        // Other offsets compare as instants.
        assert_eq!(
            device_health(
                1,
                Some(at("2026-11-30T13:30:00Z")),
                Some(at("2026-11-30T13:59:00Z")),
                now
            ),
            DeviceHealth::Pending
        );
    }

    #[test]
    fn a_mutation_uses_the_documented_field_names() {
        let json = r#"{"id":"6f1c2d3e-0000-4000-8000-000000000001","seq":1,"type":"visit_note.add",
            "entity_id":"6f1c2d3e-0000-4000-8000-000000000002","base_version":null,"at":"2026-11-30T09:00:00+01:00",
            "data":{"visit_id":"6f1c2d3e-0000-4000-8000-000000000003","text":"Lekbak ontbreekt"}}"#;
        let m: Mutation = serde_json::from_str(json).unwrap();
        assert_eq!(m.kind, kind::VISIT_NOTE_ADD);
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
