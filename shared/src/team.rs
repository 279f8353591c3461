//! What team leads see of their team: the day (`GET /team/visits`) and the sync
//! (`GET /team/devices`, `GET /sync/problems`).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::sync::{EntityKind, MutationKind};
use crate::visit::Visit;

/// One inspector's day as a team lead sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectorDay {
    pub inspector_id: Uuid,
    pub name: String,
    pub planned: usize,
    pub in_progress: usize,
    pub done: usize,
    pub returned: usize,
    pub visits: Vec<Visit>,
}

/// `GET /api/v1/team/visits?date=YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamDay {
    pub date: chrono::NaiveDate,
    pub inspectors: Vec<InspectorDay>,
}

/// A device with the unsent work it last reported on a push. Times are RFC 3339.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamDevice {
    pub device_id: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    pub last_seq: i64,
    pub pending_count: i64,
    pub oldest_pending_at: Option<String>,
    pub last_push_at: Option<String>,
}

/// `GET /api/v1/team/devices`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamDevices {
    pub devices: Vec<TeamDevice>,
}

crate::wire_enum! {
    /// Why a mutation waits for a person.
    pub enum ProblemKind {
        /// Applied on top of a version the device had not seen: kept, not applied.
        Conflict = "conflict",
        /// Refused (invalid, forbidden, unknown entity).
        Rejected = "rejected",
    }
}

/// A conflict or rejection not settled yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncProblem {
    /// The conflict's own id, or the rejected mutation's.
    pub id: String,
    pub mutation_id: Uuid,
    pub device_id: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    #[serde(rename = "type")]
    pub kind: MutationKind,
    pub entity: EntityKind,
    pub entity_id: Uuid,
    pub base_version: Option<i64>,
    pub current_version: Option<i64>,
    pub problem: ProblemKind,
    /// For a rejection: the answer given (`{"error": {"code", "message"}}`); for a conflict: the
    /// refused mutation (`{"type", "data"}`).
    pub detail: serde_json::Value,
    /// For a conflict: the entity as the server has it now (as the pull feed carries it, with its
    /// `version`), to show beside the tablet's version; `None` for a rejection or an entity that
    /// is gone.
    #[serde(default)]
    pub server: Option<serde_json::Value>,
    pub created_at: String,
}

/// `GET /api/v1/sync/problems`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncProblems {
    pub problems: Vec<SyncProblem>,
}
