//! The risk model's parameters: versioned data per agency, never code.
//!
//! The Vallei model's published weights are not known, so the shipped table is a labelled default
//! (`risk-default-2026`) that an agency replaces with its own JSON; every score records which
//! version produced it, because agencies publish their models in the national algorithm register.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::class::{IntervalPreset, RiskClass, VisitSize};

const DEFAULT_JSON: &str = include_str!("risk-default-2026.json");

/// The Dutch name of a sector code; an unknown code is shown as it is.
pub fn sector_label_nl(code: &str) -> &str {
    match code {
        "garage" => "Garagebedrijf",
        "fuel_station" => "Tankstation",
        "hospitality" => "Horeca",
        "livestock" => "Veehouderij",
        "metal_industry" => "Metaalbewerking",
        "waste_processing" => "Afvalverwerking",
        "construction" => "Bouw",
        "retail" => "Detailhandel",
        "agriculture" => "Akkerbouw",
        "office" => "Kantoor",
        "food_industry" => "Voedingsmiddelenindustrie",
        "chemical_industry" => "Chemische industrie",
        other => other,
    }
}

/// The sector vocabulary of the default model, in its order: what forms offer without parsing the
/// whole model (parsing pulls the JSON reader into a browser bundle). A test keeps it equal to the
/// model's own list.
pub const DEFAULT_SECTORS: [&str; 12] = [
    "office",
    "retail",
    "construction",
    "hospitality",
    "garage",
    "fuel_station",
    "livestock",
    "agriculture",
    "food_industry",
    "metal_industry",
    "waste_processing",
    "chemical_industry",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskModel {
    /// Stable identifier recorded with every score, e.g. `risk-default-2026`.
    pub version: String,
    /// The agency whose policy this is; `None` for the shipped default.
    pub agency: Option<String>,
    /// True for the shipped default, so the UI can say it is not the agency's adopted policy.
    pub is_default: bool,
    pub label: String,
    pub environment: EnvironmentParams,
    pub compliance: ComplianceParams,
    pub overdue: OverdueParams,
    pub focus_points: FocusPointParams,
    pub manual_boost_weight: f64,
    pub classes: ClassParams,
    pub size: SizeParams,
    pub sample: SampleParams,
}

/// Base relevance and proposed visit size of one environmentally relevant activity (MBA).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ActivityParams {
    pub relevance: f64,
    pub size: VisitSize,
}

/// A quantity normalised against a reference level: value = min(amount / reference, cap).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScaledFactor {
    pub reference: f64,
    pub cap: f64,
    pub weight: f64,
}

impl ScaledFactor {
    pub(crate) fn value(&self, amount: f64) -> f64 {
        (amount.max(0.0) / self.reference).min(self.cap)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentParams {
    pub activities: BTreeMap<String, ActivityParams>,
    pub unknown_activity: ActivityParams,
    /// The most relevant activity counts fully, each further one by this share, so a site with
    /// many small activities does not outrank one with a single heavy one.
    pub additional_activity_share: f64,
    pub activity_weight: f64,
    pub sectors: BTreeMap<String, f64>,
    pub unknown_sector: f64,
    pub sector_weight: f64,
    /// Tonnes of waste a year.
    pub waste_volume: ScaledFactor,
    /// Stookvolume: m3 natural-gas equivalent a year.
    pub fuel_volume: ScaledFactor,
    /// kWh of electricity a year.
    pub energy_use: ScaledFactor,
    /// Tonnes of hazardous substances stored.
    pub hazardous_substances: ScaledFactor,
    /// Omgevingstypering: value per kind of sensitive surrounding (homes, school, nature, water...).
    pub surroundings: BTreeMap<String, f64>,
    pub surroundings_weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplianceParams {
    /// How many of the most recent inspections count.
    pub lookback_inspections: usize,
    /// Gravity per LHSO consequence digit 1..4.
    pub consequence_weights: [f64; 4],
    /// Multiplier per LHSO behaviour letter A..D.
    pub behaviour_weights: [f64; 4],
    pub violations_cap: f64,
    pub violations_weight: f64,
    pub repeat_offence_weight: f64,
    pub open_enforcement_case_weight: f64,
    pub external_signals_cap: f64,
    pub external_signals_weight: f64,
    /// Usually negative: consecutive clean inspections lower the priority (cf. the Utrecht rule
    /// that lets a garage skip a visit after two clean ones).
    pub clean_inspections_weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OverdueParams {
    /// Cap on (time since last inspection / target interval).
    pub cap: f64,
    /// The value used for a site that was never inspected.
    pub never_inspected: f64,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FocusPointParams {
    /// Per focus point of the regional strategy (e.g. `zzs`, `water`, `energy`): its value.
    pub points: BTreeMap<String, f64>,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassParams {
    /// Minimum intrinsic score for classes 2, 3, 4 and 5; strictly ascending.
    pub thresholds: [f64; 4],
    pub intervals: IntervalPreset,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SizeParams {
    /// From this many activities the visit is one size larger.
    pub many_activities: usize,
    /// A recent violation with at least this consequence digit makes the visit one size larger.
    pub serious_consequence: u8,
    /// An open enforcement case makes the visit one size larger.
    pub grow_on_open_enforcement_case: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SampleParams {
    /// Sites of this class or lower form the pool of the fail-safe sample.
    pub max_class: RiskClass,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RiskModelError {
    #[error("risk model JSON is invalid: {0}")]
    Json(String),
    #[error("risk model parameter `{0}` is out of range")]
    OutOfRange(&'static str),
}

impl RiskModel {
    /// The shipped default `risk-default-2026`. Not any agency's adopted policy.
    pub fn default_2026() -> RiskModel {
        RiskModel::from_json(DEFAULT_JSON).expect("the embedded default risk model is valid")
    }

    /// Parses and validates an agency's model.
    pub fn from_json(json: &str) -> Result<RiskModel, RiskModelError> {
        let model: RiskModel =
            serde_json::from_str(json).map_err(|e| RiskModelError::Json(e.to_string()))?;
        model.validate()?;
        Ok(model)
    }

    /// Checks what serde cannot: scoring assumes finite numbers and ordered class thresholds.
    pub fn validate(&self) -> Result<(), RiskModelError> {
        fn check(ok: bool, name: &'static str) -> Result<(), RiskModelError> {
            ok.then_some(()).ok_or(RiskModelError::OutOfRange(name))
        }
        let finite = |x: f64| x.is_finite();
        let env = &self.environment;
        check(!self.version.trim().is_empty(), "version")?;
        check(
            env.activities
                .values()
                .chain([&env.unknown_activity])
                .all(|a| finite(a.relevance)),
            "environment.activities",
        )?;
        check(
            (0.0..=1.0).contains(&env.additional_activity_share),
            "environment.additional_activity_share",
        )?;
        check(
            env.sectors
                .values()
                .chain([&env.unknown_sector])
                .all(|v| finite(*v)),
            "environment.sectors",
        )?;
        check(
            env.surroundings.values().all(|v| finite(*v)),
            "environment.surroundings",
        )?;
        for (scaled, name) in [
            (&env.waste_volume, "environment.waste_volume"),
            (&env.fuel_volume, "environment.fuel_volume"),
            (&env.energy_use, "environment.energy_use"),
            (
                &env.hazardous_substances,
                "environment.hazardous_substances",
            ),
        ] {
            check(
                scaled.reference > 0.0
                    && scaled.cap >= 0.0
                    && finite(scaled.cap)
                    && finite(scaled.weight),
                name,
            )?;
        }
        let c = &self.compliance;
        check(
            c.lookback_inspections >= 1,
            "compliance.lookback_inspections",
        )?;
        check(
            c.consequence_weights
                .iter()
                .chain(&c.behaviour_weights)
                .all(|w| finite(*w) && *w >= 0.0),
            "compliance.consequence_weights",
        )?;
        check(
            c.violations_cap >= 0.0 && c.external_signals_cap >= 0.0,
            "compliance caps",
        )?;
        check(
            self.overdue.cap >= 0.0 && finite(self.overdue.never_inspected),
            "overdue",
        )?;
        check(
            self.focus_points.points.values().all(|v| finite(*v)),
            "focus_points.points",
        )?;
        let weights = [
            env.activity_weight,
            env.sector_weight,
            env.surroundings_weight,
            c.violations_weight,
            c.repeat_offence_weight,
            c.open_enforcement_case_weight,
            c.external_signals_weight,
            c.clean_inspections_weight,
            self.overdue.weight,
            self.focus_points.weight,
            self.manual_boost_weight,
        ];
        check(weights.iter().all(|w| finite(*w)), "weights")?;
        let t = self.classes.thresholds;
        check(
            t.iter().all(|x| finite(*x)) && t.windows(2).all(|w| w[0] < w[1]),
            "classes.thresholds",
        )?;
        check(
            (1..=4).contains(&self.size.serious_consequence),
            "size.serious_consequence",
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_default_sector_list_is_the_default_models() {
        let mut listed: Vec<&str> = DEFAULT_SECTORS.to_vec();
        listed.sort_unstable();
        let model = RiskModel::default_2026();
        let keys: Vec<&str> = model
            .environment
            .sectors
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(listed, keys);
    }

    use super::*;

    #[test]
    fn the_embedded_default_is_valid_and_labelled_as_a_default() {
        let model = RiskModel::default_2026();
        assert_eq!(model.version, "risk-default-2026");
        assert!(model.is_default);
        assert!(model.agency.is_none());
        assert!(model.label.to_lowercase().contains("default"));
    }

    #[test]
    fn an_agency_model_round_trips_through_json() {
        let mut model = RiskModel::default_2026();
        model.version = "odx-2026-1".into();
        model.agency = Some("Omgevingsdienst X".into());
        model.is_default = false;
        model.classes.intervals = IntervalPreset::achterhoek();
        let json = serde_json::to_string(&model).unwrap();
        assert_eq!(RiskModel::from_json(&json).unwrap(), model);
    }

    #[test]
    fn class_thresholds_out_of_order_are_rejected() {
        let mut model = RiskModel::default_2026();
        model.classes.thresholds = [10.0, 5.0, 20.0, 30.0];
        let json = serde_json::to_string(&model).unwrap();
        assert_eq!(
            RiskModel::from_json(&json),
            Err(RiskModelError::OutOfRange("classes.thresholds"))
        );
    }

    #[test]
    fn malformed_json_is_reported_not_panicked_on() {
        assert!(matches!(
            RiskModel::from_json("{"),
            Err(RiskModelError::Json(_))
        ));
    }
}
