//! The pull feed (`GET /sync/pull`): what changed, in commit order, with each entity's current
//! state in the shape of its own payload type.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Position;
use crate::checklist::Answer;

crate::wire_enum! {
    /// The kinds of entity mutations write, as the feed, the audit trail and conflicts name them.
    /// The fallback keeps one this build does not know (a newer server): a device skips it.
    pub enum EntityKind {
        Visit = "visit",
        VisitNote = "visit_note",
        Finding = "finding",
        Photo = "photo",
        /// The LHSO assessment of a violating finding (its id is the finding's).
        Violation = "violation",
        /// A refused mutation a person settled (its id is the mutation's); not in the feed.
        SyncProblem = "sync_problem",
        /// The follow-up of a violation (`crate::enforcement::EnforcementCase`).
        EnforcementCase = "enforcement_case",
    }
    fallback Other
}

crate::wire_enum! {
    /// What happened to the entity.
    pub enum FeedOp {
        /// Created or changed: `data` holds its current state.
        Upsert = "upsert",
        /// Removed: `data` is null.
        Delete = "delete",
    }
}

/// One entry of the pull feed: the entity's current state (or its removal) in commit order.
/// `data` is the entity's payload: [`crate::visit::Visit`], [`FeedNote`], [`FeedFinding`],
/// [`FeedPhoto`] or [`FeedViolation`] by `entity`; null for a deletion (or an entity that is gone
/// since).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub entity: EntityKind,
    pub entity_id: Uuid,
    pub version: i64,
    pub op: FeedOp,
    pub data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    pub cursor: String,
    pub more: bool,
}

/// A note on a visit (`visit_note`). Server times are RFC 3339 UTC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedNote {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub author_id: Uuid,
    /// The author's name as the office and the tablet show it.
    #[serde(default)]
    pub author_name: String,
    pub text: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

/// A checklist answer (`finding`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedFinding {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub item_id: String,
    pub answer: Answer,
    pub is_violation: bool,
    pub note: Option<String>,
    pub updated_at: String,
    pub version: i64,
}

/// A photo attached to a visit (`photo`); its bytes are the blob `sha256`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedPhoto {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub finding_id: Option<Uuid>,
    pub sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub captured_at: Option<String>,
    pub position: Option<Position>,
    pub uploaded_by: Uuid,
    pub created_at: String,
    pub version: i64,
}

/// The LHSO assessment of a violating finding (`violation`), as the server stored it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedViolation {
    /// The finding's id.
    pub id: Uuid,
    pub visit_id: Uuid,
    /// The cell the inspector settled on, and the one the matrix suggested (`B3`).
    pub cell: String,
    pub suggested_cell: String,
    pub deviation_reason: Option<String>,
    pub matrix_version: String,
    pub repeat_offence: bool,
    pub intervention: crate::lhso::Intervention,
    /// False when an older app sent no choice and the server took the matrix's first.
    pub intervention_chosen: bool,
    pub intervention_reason: Option<String>,
    /// The matrix advised a BOA / criminal-law consultation, and whether one took place.
    pub boa_consultation: bool,
    pub boa_consulted: Option<bool>,
    pub remedy_deadline: Option<chrono::NaiveDate>,
    pub version: i64,
}
