//! Benchmark hooks for the wasm figures of docs/BENCHMARKS.md. Compiled only with the `bench`
//! feature (`cargo xtask dist --bench-build`, into target/dist-bench/), never into the shipped
//! bundle. Driven from headless Chromium by tests/browser/bench/rank-wasm.mjs.
//!
//! The synthetic sites follow shared/benches/engines.rs (same seed, vocabulary and shape), so the
//! first 2,000 sites here are the first 2,000 of the native 50,000-site benchmark. The generator
//! is duplicated rather than moved into `shared` so that `shared` keeps no benchmark-only API and
//! `cargo bench -p shared --bench engines` needs no feature.

use std::hint::black_box;

use chrono::{Duration, NaiveDate};
use shared::lhso::LhsoCell;
use shared::risk::{
    rank_sites, ComplianceHistory, InspectionSummary, ManualBoost, Modifiers, RiskModel,
    SiteRiskProfile, SplitMix64, ViolationRecord,
};
use uuid::Uuid;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: sub-millisecond, monotonic (unlike `Date.now()`).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

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
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("valid date")
}

/// Uniform in [0, 1) from the top 53 bits.
fn unit(rng: &mut SplitMix64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn pick<T: Copy>(rng: &mut SplitMix64, items: &[T]) -> T {
    items[(rng.next_u64() % items.len() as u64) as usize]
}

/// `count` deterministic sites: mixed sectors and activities (one unknown to the model), up to
/// four inspections in the last ten years with violations and repeat offences, some boosts,
/// open enforcement cases, signals, focus points and homes nearby.
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
                            cell: pick(&mut rng, &CELLS)
                                .parse::<LhsoCell>()
                                .expect("valid LHSO cell"),
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

/// Nearest-rank percentile of sorted values (as tests/browser/bench/offline-reload.mjs).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.saturating_sub(1).min(sorted.len() - 1)]
}

/// Ranks `n` synthetic sites with the default 2026 model `iterations` times (at least once) and
/// returns the timings in milliseconds as JSON: `{"n", "iterations", "min_ms", "median_ms",
/// "p90_ms", "max_ms", "mean_ms", "setup_ms", "top_site", "times_ms"}`. Each timed run includes
/// dropping the ranking, as criterion's `iter` does; `setup_ms` is loading the model and
/// generating the sites (not timed per run).
#[wasm_bindgen]
pub fn bench_rank_sites(n: u32, iterations: u32) -> String {
    let setup_start = performance_now();
    let model = RiskModel::default_2026();
    let sites = profiles(n as usize);
    let setup_ms = performance_now() - setup_start;

    let today = today();
    let mut times = Vec::with_capacity(iterations.max(1) as usize);
    let mut top_site = None;
    for _ in 0..iterations.max(1) {
        let start = performance_now();
        let ranked = rank_sites(black_box(&model), black_box(&sites), today);
        top_site = ranked.first().map(|a| a.site_id);
        drop(black_box(ranked));
        times.push(performance_now() - start);
    }

    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    serde_json::json!({
        "n": n,
        "iterations": times.len(),
        "min_ms": sorted[0],
        "median_ms": percentile(&sorted, 50.0),
        "p90_ms": percentile(&sorted, 90.0),
        "max_ms": sorted[sorted.len() - 1],
        "mean_ms": times.iter().sum::<f64>() / times.len() as f64,
        "setup_ms": setup_ms,
        "top_site": top_site.map(|id| id.to_string()),
        "times_ms": times,
    })
    .to_string()
}
