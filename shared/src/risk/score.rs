//! Scoring and ranking: an explainable sum of factor contributions.

use std::borrow::Cow;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::class::{RiskClass, VisitSize};
use super::model::{RiskModel, ScaledFactor};
use super::profile::SiteRiskProfile;

/// Stable factor codes, as published in the algorithm register and shown in the app.
pub mod factor {
    pub const ACTIVITIES: &str = "activities";
    pub const SECTOR: &str = "sector";
    pub const WASTE_VOLUME: &str = "waste_volume";
    pub const FUEL_VOLUME: &str = "fuel_volume";
    pub const ENERGY_USE: &str = "energy_use";
    pub const HAZARDOUS_SUBSTANCES: &str = "hazardous_substances";
    pub const SENSITIVE_SURROUNDINGS: &str = "sensitive_surroundings";
    pub const VIOLATIONS: &str = "violations";
    pub const REPEAT_OFFENCE: &str = "repeat_offence";
    pub const OPEN_ENFORCEMENT_CASE: &str = "open_enforcement_case";
    pub const EXTERNAL_SIGNALS: &str = "external_signals";
    pub const CLEAN_INSPECTIONS: &str = "clean_inspections";
    pub const FOCUS_POINTS: &str = "focus_points";
    pub const OVERDUE: &str = "overdue";
    pub const MANUAL_BOOST: &str = "manual_boost";
}

/// Contributions are rounded to multiples of 1/64: such numbers add up exactly in f64 in any
/// order, so the score equals the sum of its contributions for every client that re-adds them
/// (a decimal grid like 0.01 would not: 0.1 + 0.2 != 0.3).
const GRID: f64 = 64.0;

fn on_grid(x: f64) -> f64 {
    if x.is_finite() {
        (x * GRID).round() / GRID
    } else {
        0.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// One of the [`factor`] codes; borrowed, so ranking 50,000 sites does not allocate 750,000
    /// strings (it serializes as a plain string either way).
    pub name: Cow<'static, str>,
    pub value: f64,
    pub weight: f64,
    pub contribution: f64,
    /// Why, in words, where a person set the factor (a team lead's reason for a boost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The API's `priority` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskScore {
    pub score: f64,
    pub factors: Vec<Factor>,
}

impl RiskScore {
    fn push(&mut self, name: &'static str, value: f64, weight: f64) {
        let contribution = on_grid(value * weight);
        self.score += contribution;
        self.factors.push(Factor {
            name: Cow::Borrowed(name),
            value,
            weight,
            contribution,
            note: None,
        });
    }
}

/// Everything the model says about one site on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteAssessment {
    pub site_id: Uuid,
    pub priority: RiskScore,
    pub class: RiskClass,
    /// Target interval of the class; `None`: no regular inspection (projects and sample only).
    pub interval_months: Option<u32>,
    /// When the next regular inspection is due (today for a site never inspected).
    pub next_due: Option<NaiveDate>,
    pub size: VisitSize,
    /// Low-priority site: in the pool of the fail-safe sample.
    pub sample_eligible: bool,
}

/// Scores one site as of `today`.
pub fn assess_site(model: &RiskModel, site: &SiteRiskProfile, today: NaiveDate) -> SiteAssessment {
    let env = &model.environment;
    let comp = &model.compliance;
    let mut priority = RiskScore {
        score: 0.0,
        factors: Vec::with_capacity(15),
    };

    let activity_params = |code: &String| env.activities.get(code).unwrap_or(&env.unknown_activity);
    let (mut top, mut total) = (0.0_f64, 0.0);
    for a in site.activities.iter().map(activity_params) {
        top = top.max(a.relevance);
        total += a.relevance;
    }
    let activities = top + (total - top) * env.additional_activity_share;
    priority.push(factor::ACTIVITIES, activities, env.activity_weight);
    let sector = *env.sectors.get(&site.sector).unwrap_or(&env.unknown_sector);
    priority.push(factor::SECTOR, sector, env.sector_weight);

    let m = &site.modifiers;
    let mut scaled = |name, params: &ScaledFactor, amount| {
        priority.push(name, params.value(amount), params.weight);
    };
    scaled(
        factor::WASTE_VOLUME,
        &env.waste_volume,
        m.waste_tonnes_per_year,
    );
    scaled(factor::FUEL_VOLUME, &env.fuel_volume, m.fuel_m3_per_year);
    scaled(factor::ENERGY_USE, &env.energy_use, m.energy_kwh_per_year);
    scaled(
        factor::HAZARDOUS_SUBSTANCES,
        &env.hazardous_substances,
        m.hazardous_substances_tonnes,
    );
    let surroundings = m
        .surroundings
        .iter()
        .filter_map(|code| env.surroundings.get(code))
        .sum();
    priority.push(
        factor::SENSITIVE_SURROUNDINGS,
        surroundings,
        env.surroundings_weight,
    );

    let history = &site.history;
    let inspections = &history.inspections;
    // Position of inspection `i` from the most recent (ties by input order); the lists are a few
    // entries long, so counting beats sorting into a fresh allocation for every site.
    let recency = |i: usize| {
        let date = inspections[i].date;
        inspections
            .iter()
            .enumerate()
            .filter(|&(j, other)| other.date > date || (other.date == date && j < i))
            .count()
    };
    let last_inspection = inspections.iter().map(|i| i.date).max();
    let lookback = comp.lookback_inspections;
    let recent = || {
        (0..inspections.len())
            .filter(move |&i| recency(i) < lookback)
            .map(|i| &inspections[i])
    };
    let recent_violations = || recent().flat_map(|i| &i.violations);
    let gravity: f64 = recent_violations()
        .map(|v| {
            comp.consequence_weights[v.cell.consequence.index()]
                * comp.behaviour_weights[v.cell.behaviour.index()]
        })
        .sum();
    priority.push(
        factor::VIOLATIONS,
        gravity.min(comp.violations_cap),
        comp.violations_weight,
    );
    let repeats = recent_violations().filter(|v| v.repeat).count();
    priority.push(
        factor::REPEAT_OFFENCE,
        repeats as f64,
        comp.repeat_offence_weight,
    );
    priority.push(
        factor::OPEN_ENFORCEMENT_CASE,
        f64::from(u8::from(history.open_enforcement_case)),
        comp.open_enforcement_case_weight,
    );
    priority.push(
        factor::EXTERNAL_SIGNALS,
        f64::from(history.external_signals).min(comp.external_signals_cap),
        comp.external_signals_weight,
    );
    // Clean inspections since the most recent one with violations, within the lookback.
    let clean_streak = (0..inspections.len())
        .filter(|&i| !inspections[i].violations.is_empty())
        .map(recency)
        .min()
        .unwrap_or(inspections.len())
        .min(lookback);
    priority.push(
        factor::CLEAN_INSPECTIONS,
        clean_streak as f64,
        comp.clean_inspections_weight,
    );

    let focus = site
        .focus_points
        .iter()
        .filter_map(|code| model.focus_points.points.get(code))
        .sum();
    priority.push(factor::FOCUS_POINTS, focus, model.focus_points.weight);

    // The class says how risky the site is, not how urgent the visit: time and boosts stay out.
    let intrinsic = priority.score;
    let class = site
        .class_override
        .unwrap_or_else(|| class_of(model, intrinsic));
    let interval_months = model.classes.intervals.months_for(class);

    let regular_due = interval_months
        .zip(last_inspection)
        .map(|(months, last)| (last, last.checked_add_months(Months::new(months))));
    let overdue = match (interval_months, regular_due) {
        (None, _) => 0.0,
        (Some(_), None) => model.overdue.never_inspected,
        (Some(_), Some((last, due))) => {
            let interval_days = due.map_or(f64::INFINITY, |due| (due - last).num_days() as f64);
            let since = (today - last).num_days().max(0) as f64;
            (since / interval_days.max(1.0)).min(model.overdue.cap)
        }
    };
    priority.push(factor::OVERDUE, overdue, model.overdue.weight);

    let active: Vec<&crate::risk::ManualBoost> = site
        .boosts
        .iter()
        .filter(|b| b.is_active(today) && b.points.is_finite())
        .collect();
    let boost = active.iter().map(|b| b.points).sum();
    priority.push(factor::MANUAL_BOOST, boost, model.manual_boost_weight);
    // Why, in the team lead's words: shown beside the factor in the tablet's "why" panel.
    if !active.is_empty() {
        if let Some(f) = priority.factors.last_mut() {
            let reasons: Vec<&str> = active.iter().map(|b| b.reason.as_str()).collect();
            f.note = Some(reasons.join("; "));
        }
    }

    let next_due = interval_months.map(|_| regular_due.and_then(|(_, due)| due).unwrap_or(today));

    let mut size = site
        .activities
        .iter()
        .map(|code| activity_params(code).size)
        .max()
        .unwrap_or(env.unknown_activity.size);
    if site.activities.len() >= model.size.many_activities {
        size = size.larger();
    }
    if recent_violations().any(|v| v.cell.consequence.digit() >= model.size.serious_consequence) {
        size = size.larger();
    }
    if history.open_enforcement_case && model.size.grow_on_open_enforcement_case {
        size = size.larger();
    }

    SiteAssessment {
        site_id: site.site_id,
        priority,
        class,
        interval_months,
        next_due,
        size,
        sample_eligible: class <= model.sample.max_class,
    }
}

/// The class whose threshold the intrinsic score reaches.
pub fn class_of(model: &RiskModel, intrinsic_score: f64) -> RiskClass {
    let reached = model
        .classes
        .thresholds
        .iter()
        .take_while(|&&t| intrinsic_score >= t)
        .count();
    // reached is 0..=4, so the class is 1..=5.
    RiskClass::new(reached as u8 + 1).unwrap_or(RiskClass::HIGHEST)
}

/// Scores all sites and orders them from highest to lowest priority (ties by site id, so the
/// order is the same on every device).
pub fn rank_sites(
    model: &RiskModel,
    sites: &[SiteRiskProfile],
    today: NaiveDate,
) -> Vec<SiteAssessment> {
    let mut ranked: Vec<SiteAssessment> = sites
        .iter()
        .map(|site| assess_site(model, site, today))
        .collect();
    ranked.sort_unstable_by(|a, b| {
        b.priority
            .score
            .total_cmp(&a.priority.score)
            .then(a.site_id.cmp(&b.site_id))
    });
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lhso::LhsoCell;
    use crate::risk::profile::{
        ComplianceHistory, InspectionSummary, ManualBoost, Modifiers, ViolationRecord,
    };
    use proptest::prelude::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn garage() -> SiteRiskProfile {
        SiteRiskProfile {
            site_id: Uuid::from_u128(1),
            sector: "garage".into(),
            activities: vec!["vehicle_repair".into(), "storage_tanks".into()],
            modifiers: Modifiers {
                waste_tonnes_per_year: 40.0,
                surroundings: vec!["homes".into()],
                ..Modifiers::default()
            },
            history: ComplianceHistory::default(),
            focus_points: vec![],
            boosts: vec![],
            class_override: None,
        }
    }

    fn inspection(date: &str, cells: &[&str]) -> InspectionSummary {
        InspectionSummary {
            date: day(date),
            violations: cells
                .iter()
                .map(|c| ViolationRecord {
                    cell: c.parse().unwrap(),
                    repeat: false,
                })
                .collect(),
        }
    }

    fn score(site: &SiteRiskProfile, today: &str) -> f64 {
        assess_site(&RiskModel::default_2026(), site, day(today))
            .priority
            .score
    }

    #[test]
    fn every_score_lists_all_factors_under_their_stable_codes() {
        let a = assess_site(&RiskModel::default_2026(), &garage(), day("2026-03-01"));
        let names: Vec<&str> = a.priority.factors.iter().map(|f| f.name.as_ref()).collect();
        assert_eq!(
            names,
            [
                "activities",
                "sector",
                "waste_volume",
                "fuel_volume",
                "energy_use",
                "hazardous_substances",
                "sensitive_surroundings",
                "violations",
                "repeat_offence",
                "open_enforcement_case",
                "external_signals",
                "clean_inspections",
                "focus_points",
                "overdue",
                "manual_boost",
            ]
        );
    }

    #[test]
    fn the_priority_serializes_as_the_api_priority_object() {
        let a = assess_site(&RiskModel::default_2026(), &garage(), day("2026-03-01"));
        let json = serde_json::to_value(&a.priority).unwrap();
        assert!(json["score"].is_number());
        let first = &json["factors"][0];
        assert_eq!(first["name"], "activities");
        for key in ["value", "weight", "contribution"] {
            assert!(first[key].is_number(), "{key}");
        }
    }

    #[test]
    fn a_recorded_clean_inspection_lowers_the_site_in_the_ranking() {
        let mut site = garage();
        site.history
            .inspections
            .push(inspection("2024-01-10", &["B3"]));
        let before = score(&site, "2026-03-01");
        site.history.inspections.push(inspection("2026-03-01", &[]));
        assert!(score(&site, "2026-03-01") < before);
    }

    #[test]
    fn a_heavier_violation_raises_the_score() {
        let mut light = garage();
        light
            .history
            .inspections
            .push(inspection("2025-06-01", &["A1"]));
        let mut heavy = garage();
        heavy
            .history
            .inspections
            .push(inspection("2025-06-01", &["D4"]));
        assert!(score(&heavy, "2026-03-01") > score(&light, "2026-03-01"));
    }

    #[test]
    fn only_the_most_recent_inspections_count_for_compliance() {
        let mut site = garage();
        site.history.inspections = vec![
            inspection("2019-01-01", &["D4", "D4"]),
            inspection("2021-01-01", &[]),
            inspection("2023-01-01", &[]),
            inspection("2025-01-01", &[]),
        ];
        let a = assess_site(&RiskModel::default_2026(), &site, day("2026-03-01"));
        let value = |name| {
            a.priority
                .factors
                .iter()
                .find(|f| f.name == name)
                .unwrap()
                .value
        };
        assert_eq!(value(factor::VIOLATIONS), 0.0);
        assert_eq!(value(factor::CLEAN_INSPECTIONS), 3.0);
    }

    #[test]
    fn a_manual_boost_counts_only_while_it_is_active() {
        let mut site = garage();
        let plain = score(&site, "2026-03-01");
        site.boosts.push(ManualBoost {
            points: 100.0,
            by: "teamleider1".into(),
            reason: "Melding politie over lozing".into(),
            from: day("2026-03-01"),
            until: Some(day("2026-03-31")),
        });
        assert_eq!(score(&site, "2026-03-01"), plain + 100.0);
        assert_eq!(score(&site, "2026-02-28"), plain);
        assert_eq!(score(&site, "2026-04-01"), plain);
        // The factor says why while it counts, and nothing when it does not.
        let note = |on: &str| {
            assess_site(&RiskModel::default_2026(), &site, day(on))
                .priority
                .factors
                .into_iter()
                .find(|f| f.name == factor::MANUAL_BOOST)
                .and_then(|f| f.note)
        };
        assert_eq!(
            note("2026-03-01").as_deref(),
            Some("Melding politie over lozing")
        );
        assert_eq!(note("2026-04-01"), None);
    }

    #[test]
    fn a_site_never_inspected_is_due_today_and_counts_as_overdue() {
        let model = RiskModel::default_2026();
        let mut site = garage();
        site.class_override = RiskClass::new(3);
        let a = assess_site(&model, &site, day("2026-03-01"));
        assert_eq!(a.next_due, Some(day("2026-03-01")));
        let overdue = a
            .priority
            .factors
            .iter()
            .find(|f| f.name == factor::OVERDUE)
            .unwrap();
        assert_eq!(overdue.value, model.overdue.never_inspected);
    }

    #[test]
    fn time_since_the_last_inspection_is_measured_against_the_class_interval() {
        let mut site = garage();
        site.class_override = RiskClass::new(3); // every 24 months under Midden-Holland
        site.history.inspections.push(inspection("2025-03-01", &[]));
        let a = assess_site(&RiskModel::default_2026(), &site, day("2026-03-01"));
        let overdue = a
            .priority
            .factors
            .iter()
            .find(|f| f.name == factor::OVERDUE)
            .unwrap();
        assert!((overdue.value - 365.0 / 730.0).abs() < 1e-12);
        assert_eq!(a.next_due, Some(day("2027-03-01")));
    }

    #[test]
    fn class_one_under_midden_holland_is_never_overdue_and_feeds_the_sample() {
        let mut site = garage();
        site.class_override = Some(RiskClass::LOWEST);
        let a = assess_site(&RiskModel::default_2026(), &site, day("2026-03-01"));
        assert_eq!((a.interval_months, a.next_due), (None, None));
        assert!(a.sample_eligible);
        let overdue = a
            .priority
            .factors
            .iter()
            .find(|f| f.name == factor::OVERDUE)
            .unwrap();
        assert_eq!(overdue.contribution, 0.0);
    }

    #[test]
    fn the_class_follows_the_thresholds_of_the_model() {
        let model = RiskModel::default_2026();
        let [t2, t3, t4, t5] = model.classes.thresholds;
        let class = |s| class_of(&model, s).get();
        assert_eq!(class(t2 - 0.1), 1);
        assert_eq!(class(t2), 2);
        assert_eq!(class(t3), 3);
        assert_eq!(class(t4), 4);
        assert_eq!(class(t5 + 100.0), 5);
    }

    #[test]
    fn the_visit_grows_with_many_activities_and_serious_violations() {
        let model = RiskModel::default_2026();
        let today = day("2026-03-01");
        let mut site = garage();
        assert_eq!(assess_site(&model, &site, today).size, VisitSize::M);
        site.history
            .inspections
            .push(inspection("2025-05-01", &["A3"]));
        assert_eq!(assess_site(&model, &site, today).size, VisitSize::L);
        site.activities
            .extend(["car_wash", "cooling_installation", "combustion_plant"].map(String::from));
        assert_eq!(assess_site(&model, &site, today).size, VisitSize::Xl);
    }

    #[test]
    fn the_ranking_orders_by_score_and_breaks_ties_by_site_id() {
        let model = RiskModel::default_2026();
        let mut sites: Vec<SiteRiskProfile> = (0..5u128)
            .map(|i| SiteRiskProfile {
                site_id: Uuid::from_u128(10 - i),
                ..garage()
            })
            .collect();
        sites[3].history.open_enforcement_case = true;
        let ranked = rank_sites(&model, &sites, day("2026-03-01"));
        assert_eq!(ranked[0].site_id, Uuid::from_u128(7));
        let rest: Vec<u128> = ranked[1..].iter().map(|a| a.site_id.as_u128()).collect();
        assert_eq!(rest, [6, 8, 9, 10]);
    }

    fn any_cell() -> impl Strategy<Value = LhsoCell> {
        (0usize..4, 1u8..=4)
            .prop_map(|(b, c)| format!("{}{}", ["A", "B", "C", "D"][b], c).parse().unwrap())
    }

    prop_compose! {
        fn any_site()(
            activities in prop::collection::vec(
                prop::sample::select(vec!["vehicle_repair", "waste_processing", "car_wash", "unlisted_mba", "major_hazard_installation"]), 0..7),
            sector in prop::sample::select(vec!["garage", "chemical_industry", "unlisted_sector"]),
            waste in 0.0..1e4f64, fuel in 0.0..1e6f64, energy in 0.0..1e7f64, hazardous in 0.0..500.0f64,
            surroundings in prop::collection::vec(prop::sample::select(vec!["homes", "school", "nature", "moon"]), 0..4),
            inspections in prop::collection::vec(
                (0i64..4000, prop::collection::vec((any_cell(), any::<bool>()), 0..4)), 0..6),
            open_case: bool, signals in 0u32..10,
            focus in prop::collection::vec(prop::sample::select(vec!["zzs", "water", "energy", "other"]), 0..3),
            boosts in prop::collection::vec((-50.0..500.0f64, -30i64..30), 0..3),
            class_override in prop::option::of(1u8..=5),
        ) -> SiteRiskProfile {
            let base = day("2015-01-01");
            SiteRiskProfile {
                site_id: Uuid::from_u128(u128::from(signals) + 7),
                sector: sector.into(),
                activities: activities.into_iter().map(String::from).collect(),
                modifiers: Modifiers {
                    waste_tonnes_per_year: waste,
                    fuel_m3_per_year: fuel,
                    energy_kwh_per_year: energy,
                    hazardous_substances_tonnes: hazardous,
                    surroundings: surroundings.into_iter().map(String::from).collect(),
                },
                history: ComplianceHistory {
                    inspections: inspections.into_iter().map(|(d, vs)| InspectionSummary {
                        date: base + chrono::Duration::days(d),
                        violations: vs.into_iter().map(|(cell, repeat)| ViolationRecord { cell, repeat }).collect(),
                    }).collect(),
                    open_enforcement_case: open_case,
                    external_signals: signals,
                },
                focus_points: focus.into_iter().map(String::from).collect(),
                boosts: boosts.into_iter().map(|(points, offset)| ManualBoost {
                    points, by: "teamleider1".into(), reason: "signaal".into(),
                    from: day("2026-03-01") + chrono::Duration::days(offset), until: None,
                }).collect(),
                class_override: class_override.and_then(RiskClass::new),
            }
        }
    }

    proptest! {
        #[test]
        fn contributions_add_up_exactly_to_the_score(site in any_site(), today in 0i64..400) {
            let today = day("2025-06-01") + chrono::Duration::days(today);
            let a = assess_site(&RiskModel::default_2026(), &site, today);
            let forward: f64 = a.priority.factors.iter().map(|f| f.contribution).sum();
            let backward: f64 = a.priority.factors.iter().rev().map(|f| f.contribution).sum();
            prop_assert_eq!(forward, a.priority.score);
            prop_assert_eq!(backward, a.priority.score);
            // Also after a JSON round trip, as a client re-adds them.
            let json: RiskScore = serde_json::from_str(&serde_json::to_string(&a.priority).unwrap()).unwrap();
            prop_assert_eq!(json.factors.iter().map(|f| f.contribution).sum::<f64>(), json.score);
        }

        #[test]
        fn a_heavier_cell_in_the_last_inspection_never_lowers_the_score(
            site in any_site(), light in any_cell(), heavier in any_cell(),
        ) {
            prop_assume!(heavier.dominates(light));
            let with = |cell| {
                let mut s = site.clone();
                s.history.inspections.push(InspectionSummary {
                    date: day("2026-02-01"),
                    violations: vec![ViolationRecord { cell, repeat: false }],
                });
                score(&s, "2026-03-01")
            };
            let (l, h) = (with(light), with(heavier));
            prop_assert!(h >= l, "{} < {}", h, l);
        }
    }
}
