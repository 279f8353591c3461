//! The inspector's visits as the API exchanges them (API.md "The inspector's day"). Shared so the
//! tablet reads exactly what the server writes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::coords::OnSite;
use crate::planner::VisitKind;
use crate::risk::{RiskScore, VisitSize};
use crate::sync::{FeedFinding, FeedNote, FeedPhoto};
use crate::ErrorCode;

crate::wire_enum! {
    /// Where a visit stands. A team lead may return a finished visit to the inspector.
    pub enum VisitStatus {
        Planned = "planned",
        InProgress = "in_progress",
        Done = "done",
        Returned = "returned",
        /// The inspector could not carry out the visit (closed, no access, ...), with a reason.
        /// The site goes back to the planner; the visit may still be started if the situation
        /// changes the same day.
        NotPossible = "not_possible",
    }
}

/// What happens to a visit; [`VisitStatus::after`] says where it leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitEvent {
    /// `visit.start`: the inspector begins on site.
    Start,
    /// A finding, photo or assessment is recorded.
    Record,
    /// `visit.finish`: the inspector is done (again, after a return).
    Finish,
    /// A team lead sends the finished visit back with a comment.
    Return,
    /// A team lead approves the finished visit.
    Approve,
    /// `visit.not_possible`: the inspector cannot carry out a visit not yet started.
    NotPossible,
}

impl VisitStatus {
    /// The visit's status after `event`, or `visit.invalid_transition`. A returned visit may be
    /// changed and finished again; starting it again is allowed too, so a tablet that still
    /// shows "start" does not get stuck.
    pub fn after(self, event: VisitEvent) -> Result<VisitStatus, ErrorCode> {
        use VisitEvent as E;
        use VisitStatus as S;
        match (self, event) {
            (S::Planned | S::Returned | S::NotPossible, E::Start) => Ok(S::InProgress),
            (S::Planned | S::NotPossible, E::NotPossible) => Ok(S::NotPossible),
            (S::InProgress | S::Returned, E::Record) => Ok(self),
            (S::InProgress | S::Returned, E::Finish) => Ok(S::Done),
            (S::Done, E::Return) => Ok(S::Returned),
            (S::Done, E::Approve) => Ok(S::Done),
            _ => Err(ErrorCode::VisitInvalidTransition),
        }
    }

    /// Whether `event` may happen now.
    pub fn allows(self, event: VisitEvent) -> bool {
        self.after(event).is_ok()
    }
}

crate::wire_enum! {
    /// Why a visit could not be carried out: the reasons inspectors give in practice, so the
    /// team lead can see at a glance whether to plan the site again soon (closed today) or
    /// differently (ceased, no access).
    pub enum NotPossibleReason {
        /// Closed, or nobody present.
        Closed = "closed",
        /// Access refused.
        NoAccess = "no_access",
        /// The business has stopped or moved.
        Ceased = "ceased",
        /// Unsafe situation (weather, aggression, hazard).
        Unsafe = "unsafe",
        /// The day ran out.
        NoTime = "no_time",
        /// Anything else: the note says what.
        Other = "other",
    }
}

/// Longest explanation of a "not possible", in characters.
pub const NOT_POSSIBLE_NOTE_MAX_CHARS: usize = 500;

/// Why a visit was not possible, as recorded (`Visit::not_possible`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotPossible {
    pub reason: NotPossibleReason,
    /// The inspector's explanation; required with [`NotPossibleReason::Other`].
    #[serde(default)]
    pub note: Option<String>,
    /// When the inspector marked it (device time as sent, RFC 3339).
    pub at: String,
}

/// The note as it is stored (trimmed, empty as none), or `visit.invalid_reason`: "other" needs an
/// explanation, and no note may exceed [`NOT_POSSIBLE_NOTE_MAX_CHARS`].
pub fn check_not_possible(
    reason: NotPossibleReason,
    note: Option<&str>,
) -> Result<Option<String>, ErrorCode> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > NOT_POSSIBLE_NOTE_MAX_CHARS)
        || (reason == NotPossibleReason::Other && note.is_none())
    {
        return Err(ErrorCode::VisitInvalidReason);
    }
    Ok(note.map(str::to_owned))
}

crate::wire_enum! {
    /// The outcome of an inspection.
    pub enum InspectionResult {
        Compliant = "compliant",
        Violations = "violations",
    }
}

/// The site as shown on a visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitSite {
    pub id: Uuid,
    pub name: String,
    /// `street number, postcode city`.
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub sector: String,
    pub authority_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub id: Uuid,
    pub site: VisitSite,
    pub kind: VisitKind,
    pub size: VisitSize,
    /// Why this site: the risk model's score with every factor's contribution.
    pub priority: RiskScore,
    pub status: VisitStatus,
    pub version: i64,
    /// Position in the day's driving order, from 1.
    pub route_order: i64,
    pub planned_date: NaiveDate,
    pub inspector_id: Uuid,
    /// With status `not_possible`: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_possible: Option<NotPossible>,
}

/// `GET /api/v1/me/visits` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayVisits {
    pub date: NaiveDate,
    pub visits: Vec<Visit>,
}

/// A violation found at an earlier inspection of the site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastViolation {
    pub cell: String,
    pub theme: String,
    pub description: String,
    pub rule_ref: String,
    pub intervention: crate::lhso::Intervention,
    pub repeat_offence: bool,
    pub remedy_deadline: Option<NaiveDate>,
    pub remedied_on: Option<NaiveDate>,
    /// The checklist item it was found on (null for history from before Schouw).
    #[serde(default)]
    pub item_id: Option<String>,
}

/// An earlier inspection of the site, newest first in [`VisitDetail::history`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastInspection {
    pub id: Uuid,
    pub date: NaiveDate,
    pub kind: VisitKind,
    pub result: InspectionResult,
    /// The LHSO cells of its violations, e.g. `["B3", "A1"]`.
    pub cells: Vec<String>,
    pub violations: Vec<PastViolation>,
}

/// What the server recorded when the visit was started and finished: the checklist version the
/// inspection pinned and the device's times; all null before the start. Part of the visit detail
/// and of a visit's data in the pull feed, so a second device learns the pinned checklist.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VisitProgress {
    pub template_id: Option<String>,
    pub template_version: Option<u32>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Where the tablet was when the visit started ([`crate::coords::on_site`]); null before.
    #[serde(default)]
    pub on_site: Option<OnSite>,
}

/// `GET /api/v1/visits/{id}` answer: the visit with what the server holds about it. Notes,
/// findings and photos arrive through the sync protocol; until a device has pushed any, they are
/// empty lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitDetail {
    #[serde(flatten)]
    pub visit: Visit,
    #[serde(flatten)]
    pub progress: VisitProgress,
    pub notes: Vec<FeedNote>,
    pub findings: Vec<FeedFinding>,
    pub photos: Vec<FeedPhoto>,
    /// The LHSO assessments of the visit's violating findings.
    #[serde(default)]
    pub violations: Vec<crate::sync::FeedViolation>,
    pub history: Vec<PastInspection>,
    /// The site's open enforcement cases: what a re-inspection checks.
    #[serde(default)]
    pub enforcement: Vec<crate::enforcement::EnforcementCase>,
    /// The team lead's review steps, oldest first.
    #[serde(default)]
    pub reviews: Vec<crate::review::ReviewStep>,
}

/// A visit as the pull feed carries it (`visit`): the visit and its progress, so a second device
/// learns the pinned checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedVisit {
    #[serde(flatten)]
    pub visit: Visit,
    #[serde(flatten)]
    pub progress: VisitProgress,
    /// When the visit is `returned`: the team lead's step that returned it, with the comment the
    /// inspector corrects the visit by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned: Option<crate::review::ReviewStep>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_kinds_and_sizes_use_their_wire_names() {
        for status in VisitStatus::ALL {
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(VisitStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(VisitKind::Reinspection.as_str(), "reinspection");
        assert_eq!(VisitSize::Xxl.as_str(), "XXL");
        assert_eq!(serde_json::to_string(&VisitSize::Xl).unwrap(), "\"XL\"");
        assert_eq!(VisitKind::parse("complaint"), None);
        assert_eq!(VisitSize::parse("XS"), None);
    }

    #[test]
    fn the_visit_machine_allows_the_documented_steps_only() {
        use VisitEvent::*;
        use VisitStatus::*;
        assert_eq!(Planned.after(Start), Ok(InProgress));
        assert_eq!(InProgress.after(Finish), Ok(Done));
        assert_eq!(Done.after(Return), Ok(Returned));
        assert_eq!(Returned.after(Record), Ok(Returned));
        assert_eq!(Returned.after(Finish), Ok(Done));
        assert_eq!(Returned.after(Start), Ok(InProgress));
        for (status, event) in [
            (Planned, Finish),
            (Planned, Record),
            (Done, Start),
            (Done, Record),
            (InProgress, Start),
            (InProgress, Return),
            (Planned, Return),
        ] {
            assert_eq!(
                status.after(event),
                Err(ErrorCode::VisitInvalidTransition),
                "{status:?} {event:?}"
            );
        }
    }

    #[test]
    fn a_visit_not_possible_may_still_be_started_but_a_started_one_is_never_given_up() {
        use VisitEvent as E;
        use VisitStatus as S;
        assert_eq!(S::Planned.after(E::NotPossible), Ok(S::NotPossible));
        assert_eq!(S::NotPossible.after(E::NotPossible), Ok(S::NotPossible));
        assert_eq!(S::NotPossible.after(E::Start), Ok(S::InProgress));
        for (status, event) in [
            (S::InProgress, E::NotPossible),
            (S::Done, E::NotPossible),
            (S::Returned, E::NotPossible),
            (S::NotPossible, E::Finish),
            (S::NotPossible, E::Record),
            (S::NotPossible, E::Return),
        ] {
            assert_eq!(
                status.after(event),
                Err(ErrorCode::VisitInvalidTransition),
                "{status:?} {event:?}"
            );
        }
    }

    #[test]
    fn a_not_possible_needs_a_note_only_for_other_and_never_a_long_one() {
        use NotPossibleReason::*;
        assert_eq!(check_not_possible(Closed, None), Ok(None));
        assert_eq!(check_not_possible(Closed, Some("  ")), Ok(None));
        assert_eq!(
            check_not_possible(NoAccess, Some(" hek dicht ")),
            Ok(Some("hek dicht".into()))
        );
        assert_eq!(
            check_not_possible(Other, None),
            Err(ErrorCode::VisitInvalidReason)
        );
        assert_eq!(
            check_not_possible(Other, Some(" \n ")),
            Err(ErrorCode::VisitInvalidReason)
        );
        let long = "é".repeat(NOT_POSSIBLE_NOTE_MAX_CHARS + 1);
        assert_eq!(
            check_not_possible(Closed, Some(&long)),
            Err(ErrorCode::VisitInvalidReason)
        );
        let exact = "é".repeat(NOT_POSSIBLE_NOTE_MAX_CHARS);
        assert!(check_not_possible(Other, Some(&exact)).is_ok());
    }
}
