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
    /// Visits the inspector could not carry out.
    #[serde(default)]
    pub not_possible: usize,
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

/// The boost's points (times the risk model's `manual_boost_weight`) that a team lead's push to
/// the top adds to a visit's score: far above what the model's own factors reach, so the visit
/// ranks first, and shown in the tablet's "why" panel with the reason.
pub const BOOST_POINTS: f64 = 100.0;

/// `POST /api/v1/team/visits/{id}/move`: to another inspector and/or day. `version` is the
/// visit's version as the team lead saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    pub inspector_id: Uuid,
    pub date: chrono::NaiveDate,
    pub version: i64,
}

/// `POST /api/v1/team/visits/{id}/boost`: push the visit to the top of its day, with a reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoostRequest {
    pub reason: String,
    pub version: i64,
}

/// `POST /api/v1/team/sites/{id}/boost`: push a site to the top of the ranking with a reason,
/// from today until `until` (open-ended without).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteBoostRequest {
    pub reason: String,
    #[serde(default)]
    pub until: Option<chrono::NaiveDate>,
}

/// The answer: the stored boost, and the planned visit it lifted to the top of its day (if the
/// site had one nobody started).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteBoost {
    pub id: Uuid,
    pub site_id: Uuid,
    pub points: f64,
    pub reason: String,
    pub from: chrono::NaiveDate,
    pub until: Option<chrono::NaiveDate>,
    pub visit_id: Option<Uuid>,
}

/// `PUT /api/v1/team/days/{date}/lock`, and its answer with the date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayLock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<chrono::NaiveDate>,
    pub locked: bool,
}

/// `PUT /api/v1/team/inspectors/{id}/capacity`: hours a day for visits and travel; `None` goes
/// back to the agency's default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityRequest {
    pub capacity_hours: Option<f64>,
}

/// `PUT /api/v1/team/inspectors/{id}/absences/{date}`, and its answer with the date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Absence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<chrono::NaiveDate>,
    pub absent: bool,
}

/// The hours an inspector may be planned for in a day: more than none, at most a long day.
pub const CAPACITY_RANGE: std::ops::RangeInclusive<f64> = 0.5..=12.0;

pub fn check_capacity(hours: Option<f64>) -> Result<(), crate::ErrorCode> {
    match hours {
        Some(h) if !CAPACITY_RANGE.contains(&h) => Err(crate::ErrorCode::RequestInvalid),
        _ => Ok(()),
    }
}

/// Only a visit nobody started may move: one in progress, done or returned stays with the
/// inspector working on it.
pub fn check_movable(status: crate::visit::VisitStatus) -> Result<(), crate::ErrorCode> {
    match status {
        crate::visit::VisitStatus::Planned => Ok(()),
        _ => Err(crate::ErrorCode::PlanVisitNotMovable),
    }
}

/// The priority after a team lead's push to the top: the manual-boost factor carries the points
/// and the reason (replacing an earlier push), and the score is the sum of the contributions.
pub fn boosted(
    priority: &crate::risk::RiskScore,
    reason: &str,
    weight: f64,
) -> Result<crate::risk::RiskScore, crate::ErrorCode> {
    let reason = reason.trim();
    if !crate::sync::valid_note_text(reason) {
        return Err(crate::ErrorCode::RequestInvalid);
    }
    let mut out = priority.clone();
    out.factors
        .retain(|f| f.name != crate::risk::factor::MANUAL_BOOST);
    out.factors.push(crate::risk::Factor {
        name: std::borrow::Cow::Borrowed(crate::risk::factor::MANUAL_BOOST),
        value: BOOST_POINTS,
        weight,
        contribution: BOOST_POINTS * weight,
        note: Some(reason.to_owned()),
    });
    out.score = out.factors.iter().map(|f| f.contribution).sum();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::{factor, Factor, RiskScore};
    use crate::visit::VisitStatus;

    fn factor_of(name: &'static str, contribution: f64) -> Factor {
        Factor {
            name: std::borrow::Cow::Borrowed(name),
            value: contribution,
            weight: 1.0,
            contribution,
            note: None,
        }
    }

    #[test]
    fn capacity_is_between_half_an_hour_and_twelve_hours_or_the_default() {
        assert_eq!(check_capacity(None), Ok(()));
        assert_eq!(check_capacity(Some(6.5)), Ok(()));
        for bad in [0.0, 0.25, 12.5, f64::NAN, -1.0] {
            assert_eq!(
                check_capacity(Some(bad)),
                Err(crate::ErrorCode::RequestInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn only_a_visit_nobody_started_moves() {
        assert_eq!(check_movable(VisitStatus::Planned), Ok(()));
        for s in [
            VisitStatus::InProgress,
            VisitStatus::Done,
            VisitStatus::Returned,
        ] {
            assert_eq!(check_movable(s), Err(crate::ErrorCode::PlanVisitNotMovable));
        }
    }

    #[test]
    fn a_boost_is_its_own_factor_with_the_reason_and_replaces_an_earlier_one() {
        let before = RiskScore {
            score: 3.5,
            factors: vec![
                factor_of(factor::SECTOR, 2.0),
                factor_of(factor::MANUAL_BOOST, 0.0),
                factor_of(factor::OVERDUE, 1.5),
            ],
        };
        let after = boosted(&before, "  Klacht van omwonenden over stank  ", 1.0).unwrap();
        let boosts: Vec<&Factor> = after
            .factors
            .iter()
            .filter(|f| f.name == factor::MANUAL_BOOST)
            .collect();
        assert_eq!(boosts.len(), 1);
        assert_eq!(
            boosts[0].note.as_deref(),
            Some("Klacht van omwonenden over stank")
        );
        assert_eq!(after.score, 3.5 + BOOST_POINTS);
        let again = boosted(&after, "Nieuwe klacht", 0.5).unwrap();
        assert_eq!(
            again
                .factors
                .iter()
                .filter(|f| f.name == factor::MANUAL_BOOST)
                .count(),
            1
        );
        assert_eq!(again.score, 3.5 + BOOST_POINTS * 0.5);
        assert_eq!(
            boosted(&before, "   ", 1.0),
            Err(crate::ErrorCode::RequestInvalid)
        );
    }
}
