//! The team lead's day board (`GET /api/v1/team/board?date=`): every visit of the team on one day
//! with what the field has recorded, and every inspector with the unsent work their devices
//! reported. The per-inspector figures are counted here, once, from the visits a filter keeps
//! (team, authority, sector), so the office page and the server's tests count alike.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::planner::VisitKind;
use crate::risk::VisitSize;
use crate::visit::{NotPossibleReason, VisitSite, VisitStatus};

/// An inspector on the board: who, which team, and what their devices have not sent yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardInspector {
    pub id: Uuid,
    pub name: String,
    /// The team the inspector belongs to (a free name the agency chooses), if any.
    pub team: Option<String>,
    /// Outbox entries the inspector's devices reported at their last push, summed over devices.
    pub unsent: i64,
    /// The oldest of those entries (RFC 3339), if any.
    pub oldest_unsent_at: Option<String>,
    /// The last push of any of the inspector's devices (RFC 3339).
    pub last_contact_at: Option<String>,
    /// Hours a day the planner gives the inspector; `None`: the agency's default.
    #[serde(default)]
    pub capacity_hours: Option<f64>,
    /// Absent on the board's day.
    #[serde(default)]
    pub absent: bool,
}

/// One visit of the day as the board shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardVisit {
    pub id: Uuid,
    pub inspector_id: Uuid,
    pub site: VisitSite,
    pub kind: VisitKind,
    pub size: VisitSize,
    pub status: VisitStatus,
    pub route_order: i64,
    /// The visit's version, for a move or boost from the board.
    #[serde(default)]
    pub version: i64,
    /// The hours the planner counts for the visit's size.
    pub planned_hours: f64,
    /// The hours the inspector booked at the finish; `None` before.
    pub hours_spent: Option<f64>,
    /// Findings recorded as violations so far.
    pub violations: u32,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// With status `not_possible`: the reason the inspector gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_possible: Option<NotPossibleReason>,
}

/// `GET /api/v1/team/board?date=YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamBoard {
    pub date: NaiveDate,
    /// When the server read the board (RFC 3339): the page says how fresh it is.
    pub read_at: String,
    /// A team lead locked the day against the planner.
    #[serde(default)]
    pub locked: bool,
    pub inspectors: Vec<BoardInspector>,
    /// By inspector, then route order.
    pub visits: Vec<BoardVisit>,
}

/// What the board is narrowed to; `None` keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoardFilter {
    pub team: Option<String>,
    pub authority_id: Option<Uuid>,
    pub sector: Option<String>,
}

impl BoardFilter {
    fn keeps_inspector(&self, i: &BoardInspector) -> bool {
        self.team.is_none() || self.team == i.team
    }

    fn keeps_visit(&self, v: &BoardVisit) -> bool {
        self.authority_id.is_none_or(|a| a == v.site.authority_id)
            && self.sector.as_ref().is_none_or(|s| *s == v.site.sector)
    }

    /// Whether the filter narrows to part of the visits (then an inspector without any of them
    /// is left off the board rather than shown as idle).
    fn narrows_visits(&self) -> bool {
        self.authority_id.is_some() || self.sector.is_some()
    }
}

/// One inspector's line on the board.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardRow {
    pub inspector_id: Uuid,
    pub name: String,
    pub team: Option<String>,
    pub planned: usize,
    pub in_progress: usize,
    pub done: usize,
    pub returned: usize,
    /// Visits the inspector could not carry out ("niet mogelijk").
    pub not_possible: usize,
    pub planned_hours: f64,
    pub hours_spent: f64,
    pub violations: u32,
    pub unsent: i64,
    pub oldest_unsent_at: Option<String>,
    pub last_contact_at: Option<String>,
}

/// The visits the filter keeps, in the board's order.
pub fn visible_visits<'a>(
    board: &'a TeamBoard,
    filter: &'a BoardFilter,
) -> impl Iterator<Item = &'a BoardVisit> + 'a {
    board.visits.iter().filter(move |v| {
        filter.keeps_visit(v)
            && board
                .inspectors
                .iter()
                .any(|i| i.id == v.inspector_id && filter.keeps_inspector(i))
    })
}

/// A line per inspector the filter keeps, in the board's order, counting only the visits the
/// filter keeps.
pub fn board_rows(board: &TeamBoard, filter: &BoardFilter) -> Vec<BoardRow> {
    board
        .inspectors
        .iter()
        .filter(|i| filter.keeps_inspector(i))
        .filter_map(|i| {
            let visits: Vec<&BoardVisit> = board
                .visits
                .iter()
                .filter(|v| v.inspector_id == i.id && filter.keeps_visit(v))
                .collect();
            if visits.is_empty() && filter.narrows_visits() {
                return None;
            }
            let count = |s: VisitStatus| visits.iter().filter(|v| v.status == s).count();
            Some(BoardRow {
                inspector_id: i.id,
                name: i.name.clone(),
                team: i.team.clone(),
                planned: count(VisitStatus::Planned),
                in_progress: count(VisitStatus::InProgress),
                done: count(VisitStatus::Done),
                returned: count(VisitStatus::Returned),
                not_possible: count(VisitStatus::NotPossible),
                planned_hours: visits.iter().map(|v| v.planned_hours).sum(),
                hours_spent: visits.iter().filter_map(|v| v.hours_spent).sum(),
                violations: visits.iter().map(|v| v.violations).sum(),
                unsent: i.unsent,
                oldest_unsent_at: i.oldest_unsent_at.clone(),
                last_contact_at: i.last_contact_at.clone(),
            })
        })
        .collect()
}

/// The teams on the board, sorted, for the filter's choices.
pub fn teams(board: &TeamBoard) -> Vec<String> {
    let mut teams: Vec<String> = board
        .inspectors
        .iter()
        .filter_map(|i| i.team.clone())
        .collect();
    teams.sort();
    teams.dedup();
    teams
}

/// The sectors of the day's sites, sorted, for the filter's choices.
pub fn sectors(board: &TeamBoard) -> Vec<String> {
    let mut sectors: Vec<String> = board.visits.iter().map(|v| v.site.sector.clone()).collect();
    sectors.sort();
    sectors.dedup();
    sectors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inspector(n: u128, team: &str, unsent: i64) -> BoardInspector {
        BoardInspector {
            id: Uuid::from_u128(n),
            name: format!("Inspecteur {n}"),
            team: Some(team.to_owned()),
            unsent,
            oldest_unsent_at: None,
            last_contact_at: None,
            capacity_hours: None,
            absent: false,
        }
    }

    fn visit(
        n: u128,
        inspector: u128,
        status: VisitStatus,
        authority: u128,
        sector: &str,
    ) -> BoardVisit {
        BoardVisit {
            id: Uuid::from_u128(1000 + n),
            inspector_id: Uuid::from_u128(inspector),
            site: VisitSite {
                id: Uuid::from_u128(2000 + n),
                name: format!("Site {n}"),
                address: String::new(),
                lat: 52.0,
                lon: 6.0,
                sector: sector.to_owned(),
                authority_id: Uuid::from_u128(authority),
            },
            kind: VisitKind::Planned,
            size: VisitSize::M,
            status,
            route_order: n as i64,
            version: 1,
            planned_hours: 2.0,
            hours_spent: (status == VisitStatus::Done).then_some(1.5),
            violations: if status == VisitStatus::Done { 1 } else { 0 },
            started_at: None,
            finished_at: None,
            not_possible: (status == VisitStatus::NotPossible).then_some(NotPossibleReason::Closed),
        }
    }

    fn board() -> TeamBoard {
        use VisitStatus::*;
        TeamBoard {
            date: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            read_at: String::new(),
            locked: false,
            inspectors: vec![
                inspector(1, "Noord", 3),
                inspector(2, "Zuid", 0),
                inspector(3, "Noord", 0),
            ],
            visits: vec![
                visit(1, 1, Done, 10, "garage"),
                visit(2, 1, InProgress, 10, "horeca"),
                visit(3, 1, Planned, 11, "garage"),
                visit(4, 2, Returned, 11, "garage"),
                visit(5, 2, Done, 10, "horeca"),
                visit(6, 1, NotPossible, 11, "horeca"),
            ],
        }
    }

    #[test]
    fn every_inspector_has_a_line_with_counts_hours_and_violations() {
        let rows = board_rows(&board(), &BoardFilter::default());
        assert_eq!(rows.len(), 3);
        let first = &rows[0];
        assert_eq!(
            (
                first.planned,
                first.in_progress,
                first.done,
                first.returned,
                first.not_possible
            ),
            (1, 1, 1, 0, 1)
        );
        // A visit that was not possible was still planned: its hours stay in the plan.
        assert_eq!(first.planned_hours, 8.0);
        assert_eq!(first.hours_spent, 1.5);
        assert_eq!(first.violations, 1);
        assert_eq!(first.unsent, 3);
        // An inspector without visits still shows (an idle inspector is news to a lead).
        assert_eq!((rows[2].planned, rows[2].done), (0, 0));
    }

    #[test]
    fn a_team_filter_keeps_its_inspectors_and_their_visits() {
        let filter = BoardFilter {
            team: Some("Zuid".into()),
            ..BoardFilter::default()
        };
        let rows = board_rows(&board(), &filter);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].returned, rows[0].done), (1, 1));
        let b = board();
        assert_eq!(visible_visits(&b, &filter).count(), 2);
    }

    #[test]
    fn authority_and_sector_filters_count_only_their_visits_and_drop_idle_lines() {
        let filter = BoardFilter {
            authority_id: Some(Uuid::from_u128(10)),
            sector: Some("garage".into()),
            ..BoardFilter::default()
        };
        let rows = board_rows(&board(), &filter);
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(
            (rows[0].done, rows[0].planned, rows[0].in_progress),
            (1, 0, 0)
        );
        let b = board();
        let ids: Vec<Uuid> = visible_visits(&b, &filter).map(|v| v.id).collect();
        assert_eq!(ids, vec![Uuid::from_u128(1001)]);
    }

    #[test]
    fn teams_and_sectors_are_listed_once_in_order() {
        let b = board();
        assert_eq!(teams(&b), vec!["Noord", "Zuid"]);
        assert_eq!(sectors(&b), vec!["garage", "horeca"]);
    }
}
