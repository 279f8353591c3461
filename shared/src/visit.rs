//! The inspector's visits as the API exchanges them (API.md "The inspector's day"). Shared so the
//! tablet reads exactly what the server writes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::planner::VisitKind;
use crate::risk::{RiskScore, VisitSize};

/// Where a visit stands. A team lead may return a finished visit to the inspector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    Planned,
    InProgress,
    Done,
    Returned,
}

impl VisitStatus {
    pub const ALL: [VisitStatus; 4] = [
        VisitStatus::Planned,
        VisitStatus::InProgress,
        VisitStatus::Done,
        VisitStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VisitStatus::Planned => "planned",
            VisitStatus::InProgress => "in_progress",
            VisitStatus::Done => "done",
            VisitStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<VisitStatus> {
        VisitStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Wire names of the planner's visit kinds (`planned`, `reinspection`, `sample`).
pub fn kind_as_str(kind: VisitKind) -> &'static str {
    match kind {
        VisitKind::Planned => "planned",
        VisitKind::Reinspection => "reinspection",
        VisitKind::Sample => "sample",
    }
}

pub fn parse_kind(s: &str) -> Option<VisitKind> {
    [
        VisitKind::Planned,
        VisitKind::Reinspection,
        VisitKind::Sample,
    ]
    .into_iter()
    .find(|k| kind_as_str(*k) == s)
}

/// Wire names of the visit sizes (`S` .. `XXL`).
pub fn size_as_str(size: VisitSize) -> &'static str {
    match size {
        VisitSize::S => "S",
        VisitSize::M => "M",
        VisitSize::L => "L",
        VisitSize::Xl => "XL",
        VisitSize::Xxl => "XXL",
    }
}

pub fn parse_size(s: &str) -> Option<VisitSize> {
    VisitSize::ALL.into_iter().find(|v| size_as_str(*v) == s)
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
    pub intervention: String,
    pub repeat_offence: bool,
    pub remedy_deadline: Option<NaiveDate>,
    pub remedied_on: Option<NaiveDate>,
}

/// An earlier inspection of the site, newest first in [`VisitDetail::history`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastInspection {
    pub id: Uuid,
    pub date: NaiveDate,
    pub kind: String,
    /// `compliant` or `violations`.
    pub result: String,
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
    pub notes: Vec<serde_json::Value>,
    pub findings: Vec<serde_json::Value>,
    pub photos: Vec<serde_json::Value>,
    pub history: Vec<PastInspection>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_kinds_and_sizes_use_their_wire_names() {
        for status in VisitStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(VisitStatus::parse(status.as_str()), Some(status));
        }
        for kind in [
            VisitKind::Planned,
            VisitKind::Reinspection,
            VisitKind::Sample,
        ] {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind_as_str(kind)));
            assert_eq!(parse_kind(kind_as_str(kind)), Some(kind));
        }
        for size in VisitSize::ALL {
            let json = serde_json::to_string(&size).unwrap();
            assert_eq!(json, format!("\"{}\"", size_as_str(size)));
            assert_eq!(parse_size(size_as_str(size)), Some(size));
        }
        assert_eq!(parse_kind("complaint"), None);
        assert_eq!(parse_size("XS"), None);
    }
}
