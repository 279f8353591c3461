//! Inspection checklists: versioned templates per sector, activity and theme.
//!
//! An inspection pins the template id and version it used, so a report stays reproducible after
//! the rules or the template change. Every item cites the rule it checks.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::ErrorCode;

crate::wire_enum! {
    /// Environmental themes an inspection covers.
    pub enum Theme {
        /// Melding or permit matches what happens on site.
        Notification = "notification",
        SoilProtection = "soil_protection",
        HazardousSubstances = "hazardous_substances",
        Tanks = "tanks",
        Waste = "waste",
        Discharges = "discharges",
        AirOdour = "air_odour",
        Noise = "noise",
        RefrigerationHeating = "refrigeration_heating",
        Energy = "energy",
        Livestock = "livestock",
    }
}

/// Where the checked rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSource {
    /// Besluit activiteiten leefomgeving.
    Bal,
    /// Publicatiereeks Gevaarlijke Stoffen guideline, binding through the Bal or a permit.
    Pgs,
    PermitCondition,
    /// The municipality's omgevingsplan (including the bruidsschat).
    Omgevingsplan,
    /// Other legislation or a standard (Wet milieubeheer, EU regulation, NEN norm).
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleRef {
    pub source: RuleSource,
    /// Dutch citation as an inspector would write it in a report.
    pub citation: String,
}

/// How an item is answered, and which answers are a violation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum AnswerSpec {
    /// ja / nee / n.v.t.; `violation_on` is the answer that breaks the rule (usually `no`).
    YesNo {
        violation_on: YesNo,
    },
    /// A measured or counted value; outside `[min, max]` is a violation. Without limits the
    /// value is only recorded.
    Number {
        unit: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    Text,
    /// Evidence that must be photographed; a photo itself is never a violation.
    Photo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YesNo {
    Yes,
    No,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub id: String,
    pub theme: Theme,
    pub text: String,
    pub rule: RuleRef,
    pub answer: AnswerSpec,
}

/// What the inspector recorded. `NotApplicable` (n.v.t.) fits every item and is never a violation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    NotApplicable,
    Number(f64),
    Text(String),
    /// SHA-256 of the photo blob.
    Photo(String),
}

/// The version an inspection pins.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TemplateRef {
    pub id: String,
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistTemplate {
    pub id: String,
    pub version: u32,
    pub title: String,
    /// Sector codes (branche) this template is meant for, e.g. `garagebedrijf`.
    pub sectors: Vec<String>,
    /// Activity codes that also call for this template at sites of other sectors.
    #[serde(default)]
    pub activities: Vec<String>,
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChecklistError {
    #[error("checklist template JSON is invalid: {0}")]
    Syntax(String),
    #[error("template {0} has no id, title, sector or items")]
    Incomplete(String),
    #[error("template {template} uses item id {item} twice")]
    DuplicateItem { template: String, item: String },
    #[error("item {0} has no text or no rule reference")]
    ItemWithoutRule(String),
    #[error("item {0} has invalid number limits")]
    InvalidLimits(String),
    #[error("answer does not fit item {0}")]
    AnswerMismatch(String),
}

impl ChecklistError {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::RequestInvalid
    }
}

impl ChecklistTemplate {
    /// Parses and validates one template (JSON), e.g. an agency's own.
    pub fn parse(json: &str) -> Result<Self, ChecklistError> {
        let template: ChecklistTemplate =
            serde_json::from_str(json).map_err(|e| ChecklistError::Syntax(e.to_string()))?;
        template.validate()?;
        Ok(template)
    }

    pub fn validate(&self) -> Result<(), ChecklistError> {
        let blank = |s: &str| s.trim().is_empty();
        if blank(&self.id) || blank(&self.title) || self.items.is_empty() {
            return Err(ChecklistError::Incomplete(self.id.clone()));
        }
        if self.sectors.is_empty() && self.activities.is_empty() {
            return Err(ChecklistError::Incomplete(self.id.clone()));
        }
        let mut ids = BTreeSet::new();
        for item in &self.items {
            if !ids.insert(item.id.as_str()) {
                return Err(ChecklistError::DuplicateItem {
                    template: self.id.clone(),
                    item: item.id.clone(),
                });
            }
            if blank(&item.id) || blank(&item.text) || blank(&item.rule.citation) {
                return Err(ChecklistError::ItemWithoutRule(item.id.clone()));
            }
            if let AnswerSpec::Number { min, max, unit } = &item.answer {
                let finite = min.is_none_or(f64::is_finite) && max.is_none_or(f64::is_finite);
                let ordered = matches!((min, max), (Some(lo), Some(hi)) if lo <= hi)
                    || min.is_none()
                    || max.is_none();
                if !finite || !ordered || blank(unit) {
                    return Err(ChecklistError::InvalidLimits(item.id.clone()));
                }
            }
        }
        Ok(())
    }

    pub fn pin(&self) -> TemplateRef {
        TemplateRef {
            id: self.id.clone(),
            version: self.version,
        }
    }

    pub fn item(&self, id: &str) -> Option<&ChecklistItem> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn themes(&self) -> BTreeSet<Theme> {
        self.items.iter().map(|i| i.theme).collect()
    }
}

/// Whether `answer` to `item` is a violation. An answer of the wrong kind (a number for a ja/nee
/// item, a non-finite number) is refused rather than guessed.
pub fn evaluate(item: &ChecklistItem, answer: &Answer) -> Result<bool, ChecklistError> {
    let mismatch = || ChecklistError::AnswerMismatch(item.id.clone());
    match (&item.answer, answer) {
        (_, Answer::NotApplicable) => Ok(false),
        (AnswerSpec::YesNo { violation_on }, Answer::Yes) => Ok(*violation_on == YesNo::Yes),
        (AnswerSpec::YesNo { violation_on }, Answer::No) => Ok(*violation_on == YesNo::No),
        (AnswerSpec::Number { min, max, .. }, Answer::Number(value)) => {
            if !value.is_finite() {
                return Err(mismatch());
            }
            Ok(min.is_some_and(|lo| *value < lo) || max.is_some_and(|hi| *value > hi))
        }
        (AnswerSpec::Text, Answer::Text(_)) | (AnswerSpec::Photo, Answer::Photo(_)) => Ok(false),
        _ => Err(mismatch()),
    }
}

const STARTER_JSON: [&str; 5] = [
    include_str!("starter/garagebedrijf.json"),
    include_str!("starter/tankstation.json"),
    include_str!("starter/horeca.json"),
    include_str!("starter/veehouderij.json"),
    include_str!("starter/metaal.json"),
];

/// The starter library shipped with Schouw: one template per common sector. Agencies extend or
/// replace it with their own versions.
pub fn starter_library() -> Vec<ChecklistTemplate> {
    STARTER_JSON
        .iter()
        .map(|json| ChecklistTemplate::parse(json).expect("embedded starter templates are valid"))
        .collect()
}

/// Templates for a site: those made for its sector or for one of its activities, each at its
/// newest version, ordered by id.
pub fn select_templates<'a>(
    library: &'a [ChecklistTemplate],
    sector: &str,
    activities: &[&str],
) -> Vec<&'a ChecklistTemplate> {
    let mut newest: BTreeMap<&str, &ChecklistTemplate> = BTreeMap::new();
    let fits = |t: &ChecklistTemplate| {
        t.sectors.iter().any(|s| s == sector)
            || t.activities
                .iter()
                .any(|a| activities.contains(&a.as_str()))
    };
    for t in library.iter().filter(|t| fits(t)) {
        let slot = newest.entry(t.id.as_str()).or_insert(t);
        if t.version > slot.version {
            *slot = t;
        }
    }
    newest.into_values().collect()
}

#[cfg(test)]
mod tests;
