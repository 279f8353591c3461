//! Figures for the performance goals: rank 50,000 sites in < 50 ms and plan a day for 12
//! inspectors from 3,000 sites in < 100 ms (native). Inputs are synthetic but shaped like a region:
//! sites spread over about 60 x 60 km, mixed activities and inspection histories.

use std::hint::black_box;

use chrono::{Duration, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use shared::coords::Wgs84;
use shared::lhso::LhsoCell;
use shared::planner::{plan, Candidate, DueReinspection, Inspector, PlanInput, PlannerSettings};
use shared::risk::{
    rank_sites, ComplianceHistory, InspectionSummary, ManualBoost, Modifiers, RiskModel,
    SiteRiskProfile, SplitMix64, ViolationRecord, VisitSize,
};
use uuid::Uuid;

const ACTIVITIES: [&str; 8] = [
    "vehicle_repair",
    "fuel_dispensing",
    "hospitality_kitchen",
    "livestock_farming",
    "metalworking",
    "cooling_installation",
    "waste_collection",
    "unlisted_activity",
];
const SECTORS: [&str; 6] = [
    "garage",
    "fuel_station",
    "hospitality",
    "livestock",
    "metal_industry",
    "retail",
];
const CELLS: [&str; 6] = ["A1", "A2", "B2", "B3", "C3", "D4"];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// Uniform in [0, 1) from the top 53 bits.
fn unit(rng: &mut SplitMix64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn pick<T: Copy>(rng: &mut SplitMix64, items: &[T]) -> T {
    items[(rng.next_u64() % items.len() as u64) as usize]
}

fn profiles(count: usize) -> Vec<SiteRiskProfile> {
    let mut rng = SplitMix64::new(2026);
    (0..count)
        .map(|n| {
            let activities = (0..1 + rng.next_u64() % 4)
                .map(|_| pick(&mut rng, &ACTIVITIES).to_owned())
                .collect();
            let inspections = (0..rng.next_u64() % 5)
                .map(|_| InspectionSummary {
                    date: today() - Duration::days((rng.next_u64() % 3650) as i64),
                    violations: (0..rng.next_u64() % 3)
                        .map(|_| ViolationRecord {
                            cell: pick(&mut rng, &CELLS).parse::<LhsoCell>().unwrap(),
                            repeat: rng.next_u64().is_multiple_of(5),
                        })
                        .collect(),
                })
                .collect();
            let boosts = if n % 100 == 0 {
                vec![ManualBoost {
                    points: 50.0,
                    by: "teamleider1".into(),
                    reason: "Signaal ILT".into(),
                    from: today() - Duration::days(3),
                    until: None,
                }]
            } else {
                vec![]
            };
            SiteRiskProfile {
                site_id: Uuid::from_u128(n as u128 + 1),
                sector: pick(&mut rng, &SECTORS).to_owned(),
                activities,
                modifiers: Modifiers {
                    waste_tonnes_per_year: unit(&mut rng) * 300.0,
                    fuel_m3_per_year: unit(&mut rng) * 60_000.0,
                    energy_kwh_per_year: unit(&mut rng) * 150_000.0,
                    hazardous_substances_tonnes: unit(&mut rng) * 20.0,
                    surroundings: if n % 3 == 0 {
                        vec!["homes".into()]
                    } else {
                        vec![]
                    },
                },
                history: ComplianceHistory {
                    inspections,
                    open_enforcement_case: n % 40 == 0,
                    external_signals: (n % 97 == 0) as u32,
                },
                focus_points: if n % 10 == 0 {
                    vec!["water".into()]
                } else {
                    vec![]
                },
                boosts,
                class_override: None,
            }
        })
        .collect()
}

fn position(rng: &mut SplitMix64) -> Wgs84 {
    Wgs84 {
        lat: 51.85 + unit(rng) * 0.55,
        lon: 4.80 + unit(rng) * 0.85,
    }
}

fn plan_input(days: usize) -> PlanInput {
    let model = RiskModel::default_2026();
    let mut rng = SplitMix64::new(7);
    let ranked = rank_sites(&model, &profiles(3_000), today());
    let candidates: Vec<Candidate> = ranked
        .iter()
        .map(|a| Candidate::from_assessment(a, position(&mut rng)))
        .collect();
    let inspectors = (0..12)
        .map(|n| Inspector {
            inspector_id: Uuid::from_u128(10_000 + n),
            start: position(&mut rng),
            capacity_hours: 7.5,
            unavailable: vec![],
        })
        .collect();
    let reinspections = (0..20)
        .map(|n| DueReinspection {
            site_id: Uuid::from_u128(20_000 + n),
            position: position(&mut rng),
            due: today() - Duration::days((n % 5) as i64),
            size: VisitSize::S,
            inspector_id: None,
        })
        .collect();
    PlanInput {
        days: (0..days)
            .map(|d| today() + Duration::days(d as i64))
            .collect(),
        inspectors,
        candidates,
        reinspections,
        settings: PlannerSettings {
            seed: 42,
            ..PlannerSettings::default()
        },
    }
}

fn engines(c: &mut Criterion) {
    let model = RiskModel::default_2026();
    let sites = profiles(50_000);
    c.bench_function("rank 50,000 sites", |b| {
        b.iter(|| rank_sites(&model, black_box(&sites), today()))
    });

    let one_day = plan_input(1);
    let visits: usize = plan(&one_day).days.iter().map(|d| d.visits.len()).sum();
    println!("one day plans {visits} visits for 12 inspectors");
    c.bench_function("plan a day for 12 inspectors from 3,000 sites", |b| {
        b.iter(|| plan(black_box(&one_day)))
    });

    let week = plan_input(5);
    c.bench_function("plan 5 days for 12 inspectors from 3,000 sites", |b| {
        b.iter(|| plan(black_box(&week)))
    });
}

criterion_group!(benches, engines);
criterion_main!(benches);
