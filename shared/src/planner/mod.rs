//! The day planner: from ranked sites and due re-inspections to a route-ordered list of visits per
//! inspector and day.
//!
//! Per day: due re-inspections first; then planned visits by score until the share of capacity not
//! reserved for the fail-safe sample is used; then the sample from low-priority sites; then planned
//! visits again in whatever capacity is left. Each site goes to the inspector whose day it
//! lengthens least (cheapest insertion), which keeps days compact without a global optimiser. The
//! final order is nearest neighbour plus 2-opt ([`route`]); if that tour turns out longer than the
//! insertion estimate and the day overflows, the least important visit is put back for later days.

pub mod route;

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::coords::Wgs84;
use crate::risk::{sample_key, SiteAssessment, SizeHours, VisitSize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlannerSettings {
    pub size_hours: SizeHours,
    /// Average driving speed on the road.
    pub speed_kmh: f64,
    /// Road distance per straight-line distance; travel is estimated, not routed over a road map.
    pub detour_factor: f64,
    /// Share of each inspector-day's capacity reserved for the fail-safe sample (0..=1).
    pub sample_share: f64,
    /// The agency's sample seed; with the date it fixes which sites are drawn.
    pub seed: u64,
}

impl Default for PlannerSettings {
    fn default() -> Self {
        PlannerSettings {
            size_hours: SizeHours::default(),
            speed_kmh: 50.0,
            detour_factor: 1.3,
            sample_share: 0.1,
            seed: 0,
        }
    }
}

impl PlannerSettings {
    fn travel_hours(&self, metres: f64) -> f64 {
        metres / 1000.0 * self.detour_factor / self.speed_kmh
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspector {
    pub inspector_id: Uuid,
    /// Home or office: where the day starts and ends.
    pub start: Wgs84,
    /// Hours a day for visits and travel.
    pub capacity_hours: f64,
    #[serde(default)]
    pub unavailable: Vec<NaiveDate>,
}

/// A site that may get a planned (preventive) visit or be drawn for the sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub site_id: Uuid,
    pub position: Wgs84,
    pub score: f64,
    pub size: VisitSize,
    pub sample_eligible: bool,
}

impl Candidate {
    pub fn from_assessment(assessment: &SiteAssessment, position: Wgs84) -> Candidate {
        Candidate {
            site_id: assessment.site_id,
            position,
            score: assessment.priority.score,
            size: assessment.size,
            sample_eligible: assessment.sample_eligible,
        }
    }
}

/// A re-inspection after a remedy deadline; it may be planned from its due date on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DueReinspection {
    pub site_id: Uuid,
    pub position: Wgs84,
    pub due: NaiveDate,
    pub size: VisitSize,
    /// The inspector who found the violation, if it should be them (when they are available).
    #[serde(default)]
    pub inspector_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanInput {
    /// The days to plan (today and coming working days); the caller leaves out weekends and holidays.
    pub days: Vec<NaiveDate>,
    pub inspectors: Vec<Inspector>,
    pub candidates: Vec<Candidate>,
    pub reinspections: Vec<DueReinspection>,
    pub settings: PlannerSettings,
}

crate::wire_enum! {
    /// Why a visit is on the list: the programme, a re-inspection of a violation, or the sample.
    pub enum VisitKind {
        Planned = "planned",
        Reinspection = "reinspection",
        Sample = "sample",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlannedVisit {
    pub site_id: Uuid,
    pub kind: VisitKind,
    pub size: VisitSize,
    pub position: Wgs84,
    pub hours: f64,
}

/// One inspector's day, visits in driving order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayPlan {
    pub date: NaiveDate,
    pub inspector_id: Uuid,
    pub visits: Vec<PlannedVisit>,
    pub visit_hours: f64,
    /// Straight-line length of the closed tour from and back to the start.
    pub route_km: f64,
    pub travel_hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub days: Vec<DayPlan>,
    /// Re-inspections due within the horizon that fit nowhere; they need a person's attention.
    pub unplaced_reinspections: Vec<Uuid>,
}

/// A visit placed on a day, with what decides which visit to give back when the day overflows.
#[derive(Debug, Clone, Copy)]
struct Stop {
    visit: PlannedVisit,
    /// Higher is more important to keep.
    keep: (u8, f64),
}

struct Day<'a> {
    inspector: &'a Inspector,
    /// In cheapest-insertion tour order.
    stops: Vec<Stop>,
    tour_m: f64,
    visit_hours: f64,
    sample_hours: f64,
}

impl Day<'_> {
    /// Where inserting `at` lengthens the closed tour least: (position, extra metres).
    fn cheapest_insertion(&self, at: Wgs84) -> (usize, f64) {
        let start = self.inspector.start;
        let mut best = (0, f64::INFINITY);
        let mut prev = start;
        for (i, next) in self
            .stops
            .iter()
            .map(|s| s.visit.position)
            .chain([start])
            .enumerate()
        {
            let extra = prev.distance_m(at) + at.distance_m(next) - prev.distance_m(next);
            if extra < best.1 {
                best = (i, extra);
            }
            prev = next;
        }
        best
    }
}

struct Planner<'a> {
    settings: &'a PlannerSettings,
    taken: HashSet<Uuid>,
    /// Sites with a pending re-inspection: that is their next visit, never a planned one besides.
    reserved: HashSet<Uuid>,
    min_hours: f64,
}

/// Which capacity a phase may fill.
#[derive(Clone, Copy)]
enum Budget {
    /// Up to this share of the day's capacity.
    Share(f64),
    /// Sample visits up to this share, within the whole capacity.
    Sample(f64),
}

impl Planner<'_> {
    /// Places `visit` on the day it lengthens least; returns false if it fits nowhere.
    fn place(
        &mut self,
        days: &mut [Day<'_>],
        stop: Stop,
        budget: Budget,
        only: Option<Uuid>,
    ) -> bool {
        let id = stop.visit.site_id;
        if self.taken.contains(&id)
            || (stop.visit.kind != VisitKind::Reinspection && self.reserved.contains(&id))
        {
            return false;
        }
        let s = self.settings;
        let mut best: Option<(usize, usize, f64)> = None;
        for (d, day) in days.iter().enumerate() {
            if only.is_some_and(|id| id != day.inspector.inspector_id) {
                continue;
            }
            let cap = day.inspector.capacity_hours;
            let limit = match budget {
                Budget::Share(share) => cap * share,
                Budget::Sample(share) => {
                    if day.sample_hours + stop.visit.hours > cap * share + 1e-9 {
                        continue;
                    }
                    cap
                }
            };
            let room = limit - day.visit_hours - s.travel_hours(day.tour_m);
            if stop.visit.hours > room {
                continue;
            }
            let (pos, extra) = day.cheapest_insertion(stop.visit.position);
            if stop.visit.hours + s.travel_hours(extra) <= room + 1e-9
                && best.is_none_or(|b| extra < b.2)
            {
                best = Some((d, pos, extra));
            }
        }
        let Some((d, pos, extra)) = best else {
            return false;
        };
        let day = &mut days[d];
        day.stops.insert(pos, stop);
        day.tour_m += extra;
        day.visit_hours += stop.visit.hours;
        if stop.visit.kind == VisitKind::Sample {
            day.sample_hours += stop.visit.hours;
        }
        self.taken.insert(stop.visit.site_id);
        true
    }

    fn all_full(&self, days: &[Day<'_>], share: f64) -> bool {
        days.iter().all(|day| {
            let cap = day.inspector.capacity_hours * share;
            cap - day.visit_hours - self.settings.travel_hours(day.tour_m) < self.min_hours
        })
    }

    fn fill_by_score(
        &mut self,
        days: &mut [Day<'_>],
        candidates: &[Candidate],
        by_score: &[usize],
        share: f64,
    ) {
        let hours = self.settings.size_hours;
        for &i in by_score {
            if self.all_full(days, share) {
                break;
            }
            let c = &candidates[i];
            let stop = Stop {
                visit: PlannedVisit {
                    site_id: c.site_id,
                    kind: VisitKind::Planned,
                    size: c.size,
                    position: c.position,
                    hours: hours.hours(c.size),
                },
                keep: (0, c.score),
            };
            self.place(days, stop, Budget::Share(share), None);
        }
    }

    /// Orders each day's route and gives back the least important visits of a day that overflows.
    fn finish(&mut self, date: NaiveDate, days: Vec<Day<'_>>) -> Vec<DayPlan> {
        days.into_iter()
            .map(|mut day| loop {
                let start = day.inspector.start;
                let (order, length_m) = reinspections_first_route(start, &day.stops);
                let travel_hours = self.settings.travel_hours(length_m);
                if day.visit_hours + travel_hours <= day.inspector.capacity_hours + 1e-9 {
                    return DayPlan {
                        date,
                        inspector_id: day.inspector.inspector_id,
                        visits: order.iter().map(|&i| day.stops[i].visit).collect(),
                        visit_hours: day.visit_hours,
                        route_km: length_m / 1000.0,
                        travel_hours,
                    };
                }
                let weakest = (0..day.stops.len())
                    .min_by(|&a, &b| {
                        let (ka, kb) = (day.stops[a].keep, day.stops[b].keep);
                        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
                    })
                    .expect("an overflowing day has a visit");
                let dropped = day.stops.remove(weakest);
                day.visit_hours -= dropped.visit.hours;
                self.taken.remove(&dropped.visit.site_id);
            })
            .collect()
    }
}

/// The day's route with every due re-inspection before any other visit (API.md): the
/// re-inspections in route order from the start, then the other visits in route order from the
/// last re-inspection. Returns the stop order and the closed tour's length.
fn reinspections_first_route(start: Wgs84, stops: &[Stop]) -> (Vec<usize>, f64) {
    let (first, rest): (Vec<usize>, Vec<usize>) =
        (0..stops.len()).partition(|&i| stops[i].visit.kind == VisitKind::Reinspection);
    let points = |group: &[usize]| -> Vec<Wgs84> {
        group.iter().map(|&i| stops[i].visit.position).collect()
    };
    let first_route = route::order_route(start, &points(&first));
    let mut order: Vec<usize> = first_route.order.iter().map(|&i| first[i]).collect();
    let from = order.last().map_or(start, |&i| stops[i].visit.position);
    let rest_route = route::order_route(from, &points(&rest));
    order.extend(rest_route.order.iter().map(|&i| rest[i]));
    let all: Vec<Wgs84> = stops.iter().map(|s| s.visit.position).collect();
    let length_m = route::closed_tour_m(start, &all, &order);
    (order, length_m)
}

/// Plans every day of `input.days` for every available inspector; no site is planned twice.
pub fn plan(input: &PlanInput) -> Plan {
    let settings = &input.settings;
    let mut dates = input.days.clone();
    dates.sort_unstable();
    dates.dedup();

    let mut by_score: Vec<usize> = (0..input.candidates.len()).collect();
    by_score.sort_unstable_by(|&a, &b| {
        let (a, b) = (&input.candidates[a], &input.candidates[b]);
        b.score.total_cmp(&a.score).then(a.site_id.cmp(&b.site_id))
    });
    let mut reinspections: Vec<&DueReinspection> = input.reinspections.iter().collect();
    reinspections.sort_unstable_by_key(|r| (r.due, r.site_id));

    let mut planner = Planner {
        settings,
        taken: HashSet::new(),
        reserved: reinspections.iter().map(|r| r.site_id).collect(),
        min_hours: VisitSize::ALL
            .iter()
            .map(|&s| settings.size_hours.hours(s))
            .fold(f64::INFINITY, f64::min),
    };
    let sample_share = settings.sample_share.clamp(0.0, 1.0);
    let mut plans = Vec::new();

    for &date in &dates {
        let mut days: Vec<Day<'_>> = input
            .inspectors
            .iter()
            .filter(|i| !i.unavailable.contains(&date) && i.capacity_hours > 0.0)
            .map(|inspector| Day {
                inspector,
                stops: Vec::new(),
                tour_m: 0.0,
                visit_hours: 0.0,
                sample_hours: 0.0,
            })
            .collect();

        for r in reinspections.iter().filter(|r| r.due <= date) {
            let stop = Stop {
                visit: PlannedVisit {
                    site_id: r.site_id,
                    kind: VisitKind::Reinspection,
                    size: r.size,
                    position: r.position,
                    hours: settings.size_hours.hours(r.size),
                },
                // Among re-inspections the one due latest is given back first.
                keep: (2, -f64::from(r.due.num_days_from_ce())),
            };
            let assigned = r
                .inspector_id
                .filter(|id| days.iter().any(|d| d.inspector.inspector_id == *id));
            if !planner.place(&mut days, stop, Budget::Share(1.0), assigned) && assigned.is_some() {
                planner.place(&mut days, stop, Budget::Share(1.0), None);
            }
        }

        planner.fill_by_score(&mut days, &input.candidates, &by_score, 1.0 - sample_share);

        if sample_share > 0.0 {
            let mut pool: Vec<(u64, &Candidate)> = input
                .candidates
                .iter()
                .filter(|c| c.sample_eligible && !planner.taken.contains(&c.site_id))
                .map(|c| (sample_key(settings.seed, date, c.site_id), c))
                .collect();
            pool.sort_unstable_by_key(|&(key, c)| (key, c.site_id));
            for (_, c) in pool {
                let sample_full = days.iter().all(|d| {
                    d.sample_hours + planner.min_hours > d.inspector.capacity_hours * sample_share
                });
                if sample_full {
                    break;
                }
                let stop = Stop {
                    visit: PlannedVisit {
                        site_id: c.site_id,
                        kind: VisitKind::Sample,
                        size: c.size,
                        position: c.position,
                        hours: settings.size_hours.hours(c.size),
                    },
                    keep: (1, c.score),
                };
                planner.place(&mut days, stop, Budget::Sample(sample_share), None);
            }
        }

        planner.fill_by_score(&mut days, &input.candidates, &by_score, 1.0);
        plans.extend(planner.finish(date, days));
    }

    let last = dates.last().copied();
    let unplaced_reinspections = reinspections
        .iter()
        .filter(|r| last.is_some_and(|last| r.due <= last) && !planner.taken.contains(&r.site_id))
        .map(|r| r.site_id)
        .collect();
    Plan {
        days: plans,
        unplaced_reinspections,
    }
}

#[cfg(test)]
mod tests;
