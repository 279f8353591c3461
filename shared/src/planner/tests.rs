use super::*;
use proptest::prelude::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(lat: f64, lon: f64) -> Wgs84 {
    Wgs84 { lat, lon }
}

const UTRECHT: Wgs84 = Wgs84 {
    lat: 52.09,
    lon: 5.12,
};

fn inspector(n: u128, start: Wgs84, hours: f64) -> Inspector {
    Inspector {
        inspector_id: Uuid::from_u128(1_000 + n),
        start,
        capacity_hours: hours,
        unavailable: vec![],
    }
}

fn candidate(n: u128, position: Wgs84, score: f64, sample_eligible: bool) -> Candidate {
    Candidate {
        site_id: Uuid::from_u128(n),
        position,
        score,
        size: VisitSize::S,
        sample_eligible,
    }
}

/// Sites spread on a grid of about 1 km around Utrecht.
fn nearby(count: u128, sample_eligible: bool) -> Vec<Candidate> {
    (0..count)
        .map(|n| {
            let (row, col) = ((n / 10) as f64, (n % 10) as f64);
            candidate(
                n + 1,
                at(52.09 + row * 0.01, 5.12 + col * 0.015),
                100.0 - n as f64,
                sample_eligible,
            )
        })
        .collect()
}

fn input(inspectors: Vec<Inspector>, candidates: Vec<Candidate>) -> PlanInput {
    PlanInput {
        days: vec![day("2026-03-02")],
        inspectors,
        candidates,
        reinspections: vec![],
        settings: PlannerSettings {
            sample_share: 0.0,
            ..PlannerSettings::default()
        },
    }
}

fn all_site_ids(plan: &Plan) -> Vec<Uuid> {
    plan.days
        .iter()
        .flat_map(|d| d.visits.iter().map(|v| v.site_id))
        .collect()
}

#[test]
fn the_highest_scores_are_planned_first() {
    let plan = plan(&input(vec![inspector(1, UTRECHT, 5.0)], nearby(40, false)));
    let mut planned: Vec<u128> = all_site_ids(&plan).iter().map(|id| id.as_u128()).collect();
    planned.sort_unstable();
    assert!(planned.len() >= 3, "{planned:?}");
    assert_eq!(planned, (1..=planned.len() as u128).collect::<Vec<_>>());
}

#[test]
fn a_due_reinspection_displaces_a_higher_scored_planned_visit() {
    let mut inp = input(vec![inspector(1, UTRECHT, 1.5)], nearby(5, false));
    inp.reinspections.push(DueReinspection {
        site_id: Uuid::from_u128(77),
        position: at(52.10, 5.14),
        due: day("2026-02-20"),
        size: VisitSize::S,
        inspector_id: None,
    });
    let plan = plan(&inp);
    let kinds: Vec<VisitKind> = plan.days[0].visits.iter().map(|v| v.kind).collect();
    assert_eq!(kinds, [VisitKind::Reinspection]);
    assert!(plan.unplaced_reinspections.is_empty());
}

#[test]
fn a_due_reinspection_comes_first_on_its_day_even_when_the_route_passes_it_last() {
    // The re-inspected site lies farthest from the start: the route would visit it last.
    let mut inp = input(vec![inspector(1, UTRECHT, 8.0)], nearby(4, false));
    inp.reinspections.push(DueReinspection {
        site_id: Uuid::from_u128(77),
        position: at(52.20, 5.30),
        due: day("2026-02-20"),
        size: VisitSize::S,
        inspector_id: None,
    });
    let plan = plan(&inp);
    let kinds: Vec<VisitKind> = plan.days[0].visits.iter().map(|v| v.kind).collect();
    assert!(kinds.len() > 1, "{kinds:?}");
    assert_eq!(kinds[0], VisitKind::Reinspection);
    assert!(kinds[1..].iter().all(|k| *k != VisitKind::Reinspection));
}

#[test]
fn a_reinspection_is_not_planned_before_its_due_date_and_goes_to_its_inspector() {
    let mut inp = input(
        vec![
            inspector(1, UTRECHT, 8.0),
            inspector(2, at(52.10, 5.14), 8.0),
        ],
        vec![],
    );
    inp.days = vec![day("2026-03-02"), day("2026-03-03")];
    inp.reinspections.push(DueReinspection {
        site_id: Uuid::from_u128(77),
        position: at(52.10, 5.14),
        due: day("2026-03-03"),
        size: VisitSize::M,
        inspector_id: Some(Uuid::from_u128(1_001)),
    });
    let plan = plan(&inp);
    let placed: Vec<(NaiveDate, Uuid)> = plan
        .days
        .iter()
        .filter(|d| !d.visits.is_empty())
        .map(|d| (d.date, d.inspector_id))
        .collect();
    assert_eq!(placed, [(day("2026-03-03"), Uuid::from_u128(1_001))]);
}

#[test]
fn a_reinspection_that_fits_nowhere_is_reported_unplaced() {
    let mut inp = input(vec![inspector(1, UTRECHT, 3.0)], vec![]);
    inp.reinspections.push(DueReinspection {
        site_id: Uuid::from_u128(77),
        position: UTRECHT,
        due: day("2026-03-01"),
        size: VisitSize::Xxl,
        inspector_id: None,
    });
    assert_eq!(plan(&inp).unplaced_reinspections, [Uuid::from_u128(77)]);
}

#[test]
fn the_sample_takes_its_share_of_the_day_from_low_priority_sites() {
    let mut candidates = nearby(30, false);
    candidates.extend(nearby(30, true).into_iter().map(|mut c| {
        c.site_id = Uuid::from_u128(c.site_id.as_u128() + 500);
        c.score = 1.0;
        c
    }));
    let mut inp = input(vec![inspector(1, UTRECHT, 8.0)], candidates);
    inp.settings.sample_share = 0.25;
    let plan = plan(&inp);
    let sample: Vec<&PlannedVisit> = plan.days[0]
        .visits
        .iter()
        .filter(|v| v.kind == VisitKind::Sample)
        .collect();
    assert_eq!(sample.len(), 2, "{:?}", plan.days[0].visits);
    assert!(sample.iter().all(|v| v.site_id.as_u128() > 500));
}

#[test]
fn an_unavailable_inspector_gets_no_visits_that_day() {
    let mut inp = input(vec![inspector(1, UTRECHT, 8.0)], nearby(10, false));
    inp.inspectors[0].unavailable.push(day("2026-03-02"));
    assert!(plan(&inp).days.is_empty());
}

prop_compose! {
    fn any_input()(
        starts in prop::collection::vec((51.8f64..52.4, 4.6f64..5.6, 2.0f64..9.0), 1..6),
        sites in prop::collection::vec((51.8f64..52.4, 4.6f64..5.6, 0.0f64..100.0, 0usize..5, any::<bool>()), 0..150),
        reinspections in prop::collection::vec((0usize..150, -5i64..5, 0usize..5, prop::option::of(0usize..6)), 0..12),
        day_count in 1usize..4,
        sample_share in 0.0f64..0.5,
        seed: u64,
    ) -> PlanInput {
        let first = day("2026-03-02");
        let candidates: Vec<Candidate> = sites.iter().enumerate().map(|(n, &(lat, lon, score, size, eligible))| Candidate {
            site_id: Uuid::from_u128(n as u128 + 1),
            position: at(lat, lon),
            score,
            size: VisitSize::ALL[size],
            sample_eligible: eligible,
        }).collect();
        PlanInput {
            days: (0..day_count).map(|d| first + chrono::Duration::days(d as i64)).collect(),
            inspectors: starts.iter().enumerate().map(|(n, &(lat, lon, hours))| inspector(n as u128, at(lat, lon), hours)).collect(),
            reinspections: reinspections.iter().map(|&(site, offset, size, who)| DueReinspection {
                // Half of them are sites that are candidates too.
                site_id: Uuid::from_u128(if site % 2 == 0 { site as u128 + 1 } else { 10_000 + site as u128 }),
                position: sites.get(site).map_or(at(52.0, 5.0), |s| at(s.0, s.1)),
                due: first + chrono::Duration::days(offset),
                size: VisitSize::ALL[size],
                inspector_id: who.map(|w| Uuid::from_u128(1_000 + w as u128)),
            }).collect(),
            candidates,
            settings: PlannerSettings { sample_share, seed, ..PlannerSettings::default() },
        }
    }
}

proptest! {
    #[test]
    fn the_planner_respects_each_inspectors_capacity(inp in any_input()) {
        let plan = plan(&inp);
        for d in &plan.days {
            let who = inp.inspectors.iter().find(|i| i.inspector_id == d.inspector_id).unwrap();
            let hours: f64 = d.visits.iter().map(|v| v.hours).sum();
            let points: Vec<Wgs84> = d.visits.iter().map(|v| v.position).collect();
            let order: Vec<usize> = (0..points.len()).collect();
            let km = route::closed_tour_m(who.start, &points, &order) / 1000.0;
            prop_assert!((hours - d.visit_hours).abs() < 1e-9);
            prop_assert!((km - d.route_km).abs() < 1e-6);
            prop_assert!(hours + inp.settings.travel_hours(km * 1000.0) <= who.capacity_hours + 1e-6);
        }
    }

    #[test]
    fn no_site_is_planned_twice_over_the_horizon(inp in any_input()) {
        let plan = plan(&inp);
        let ids = all_site_ids(&plan);
        let unique: HashSet<Uuid> = ids.iter().copied().collect();
        prop_assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn reinspections_are_never_planned_before_they_are_due(inp in any_input()) {
        let plan = plan(&inp);
        for d in &plan.days {
            for v in d.visits.iter().filter(|v| v.kind == VisitKind::Reinspection) {
                let due = inp.reinspections.iter().filter(|r| r.site_id == v.site_id).map(|r| r.due).min();
                prop_assert!(due.is_some_and(|due| due <= d.date));
            }
        }
    }

    #[test]
    fn due_reinspections_come_first_when_they_fit(mut inp in any_input()) {
        // Every re-inspection at an inspector's doorstep, due today, unassigned, and few enough:
        // all of them must be planned today whatever the scores of the other sites.
        for i in &mut inp.inspectors {
            i.capacity_hours = 8.0;
        }
        let slots = inp.inspectors.len();
        let starts: Vec<Wgs84> = inp.inspectors.iter().map(|i| i.start).collect();
        inp.reinspections.truncate(slots);
        for (r, start) in inp.reinspections.iter_mut().zip(starts) {
            r.position = start;
            r.due = inp.days[0];
            r.size = VisitSize::L;
            r.inspector_id = None;
        }
        let plan = plan(&inp);
        let today: HashSet<Uuid> = plan.days.iter()
            .filter(|d| d.date == inp.days[0])
            .flat_map(|d| d.visits.iter().filter(|v| v.kind == VisitKind::Reinspection).map(|v| v.site_id))
            .collect();
        let due: HashSet<Uuid> = inp.reinspections.iter().map(|r| r.site_id).collect();
        prop_assert_eq!(today, due);
        prop_assert!(plan.unplaced_reinspections.is_empty());
    }

    #[test]
    fn each_day_is_routed_no_longer_than_nearest_neighbour(inp in any_input()) {
        let plan = plan(&inp);
        for d in &plan.days {
            // A day with a due re-inspection is routed with it first (its own test below).
            if d.visits.iter().any(|v| v.kind == VisitKind::Reinspection) {
                continue;
            }
            let start = inp.inspectors.iter().find(|i| i.inspector_id == d.inspector_id).unwrap().start;
            let points: Vec<Wgs84> = d.visits.iter().map(|v| v.position).collect();
            let fresh = route::order_route(start, &points);
            prop_assert!(d.route_km * 1000.0 <= fresh.nearest_neighbour_m + 1e-6);
        }
    }

    #[test]
    fn due_reinspections_come_before_every_other_visit_of_their_day(inp in any_input()) {
        for d in &plan(&inp).days {
            let first_other = d.visits.iter().position(|v| v.kind != VisitKind::Reinspection).unwrap_or(d.visits.len());
            prop_assert!(d.visits[first_other..].iter().all(|v| v.kind != VisitKind::Reinspection));
        }
    }

    #[test]
    fn the_same_input_gives_the_same_plan(inp in any_input()) {
        prop_assert_eq!(plan(&inp), plan(&inp));
    }
}
