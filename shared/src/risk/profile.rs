//! What the risk model needs to know about a site. The server fills it from its database; the
//! tablet keeps a copy so it can re-rank offline after an inspection is recorded.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::class::RiskClass;
use crate::lhso::LhsoCell;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteRiskProfile {
    pub site_id: Uuid,
    /// Sector code as in the model's `environment.sectors` (e.g. `garage`); unknown codes get the
    /// model's `unknown_sector` value.
    pub sector: String,
    /// Activity (MBA) codes as in the model's `environment.activities`.
    pub activities: Vec<String>,
    #[serde(default)]
    pub modifiers: Modifiers,
    #[serde(default)]
    pub history: ComplianceHistory,
    /// Focus points of the regional strategy that apply to this site (e.g. `zzs`, `water`).
    #[serde(default)]
    pub focus_points: Vec<String>,
    #[serde(default)]
    pub boosts: Vec<ManualBoost>,
    /// A class fixed by the agency (e.g. by company type, as Achterhoek does) instead of derived
    /// from the score.
    #[serde(default)]
    pub class_override: Option<RiskClass>,
}

/// Size and surroundings of the site; absent figures count as zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Modifiers {
    pub waste_tonnes_per_year: f64,
    /// Stookvolume in m3 natural-gas equivalent a year.
    pub fuel_m3_per_year: f64,
    pub energy_kwh_per_year: f64,
    pub hazardous_substances_tonnes: f64,
    /// Omgevingstypering codes as in the model's `environment.surroundings` (homes, school, ...).
    pub surroundings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplianceHistory {
    /// Recent inspections in any order; the model looks at the most recent few, and the most
    /// recent date is the "last inspection".
    pub inspections: Vec<InspectionSummary>,
    pub open_enforcement_case: bool,
    /// Open or recent signals of other inspectorates (Inspectieview Milieu, police, ILT).
    pub external_signals: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionSummary {
    pub date: NaiveDate,
    #[serde(default)]
    pub violations: Vec<ViolationRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ViolationRecord {
    pub cell: LhsoCell,
    /// The same violation was found at this site before (an aggravating circumstance).
    #[serde(default)]
    pub repeat: bool,
}

/// A coordinator's push of a site up (or down) the ranking; who and why travel with the site so
/// the override can be logged and shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualBoost {
    pub points: f64,
    pub by: String,
    pub reason: String,
    pub from: NaiveDate,
    /// Last day the boost applies; open-ended when absent.
    #[serde(default)]
    pub until: Option<NaiveDate>,
}

impl ManualBoost {
    pub fn is_active(&self, today: NaiveDate) -> bool {
        self.from <= today && self.until.is_none_or(|until| today <= until)
    }
}
