//! Risk classes, their target inspection intervals and the proposed size of a visit.

use serde::{Deserialize, Serialize};

/// Risk class 1 (lowest) to 5 (highest), as the frequency tables of the omgevingsdiensten use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct RiskClass(u8);

impl RiskClass {
    pub const LOWEST: RiskClass = RiskClass(1);
    pub const HIGHEST: RiskClass = RiskClass(5);

    pub fn new(class: u8) -> Option<RiskClass> {
        (1..=5).contains(&class).then_some(RiskClass(class))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for RiskClass {
    type Error = String;
    fn try_from(class: u8) -> Result<Self, Self::Error> {
        RiskClass::new(class).ok_or_else(|| format!("risk class {class} is not in 1..=5"))
    }
}

impl From<RiskClass> for u8 {
    fn from(class: RiskClass) -> u8 {
        class.0
    }
}

/// Target interval between inspections per risk class, in months; `None` means no regular
/// inspection (only in projects, and the fail-safe sample).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntervalPreset {
    pub name: String,
    /// Index 0 is class 1, index 4 is class 5.
    pub months: [Option<u32>; 5],
}

impl IntervalPreset {
    /// Midden-Holland: class 5 and 4 yearly, 3 every 2 years, 2 every 5 years, 1 only in projects.
    pub fn midden_holland() -> IntervalPreset {
        IntervalPreset {
            name: "midden-holland".into(),
            months: [None, Some(60), Some(24), Some(12), Some(12)],
        }
    }

    /// Achterhoek: a compliant site is visited again after 1, 3, 5 or 10 years depending on its
    /// company type. Their four company types map onto classes 5, 4, 3 and 2; class 1 shares the
    /// 10-year interval because Achterhoek names no "projects only" group.
    pub fn achterhoek() -> IntervalPreset {
        IntervalPreset {
            name: "achterhoek".into(),
            months: [Some(120), Some(120), Some(60), Some(36), Some(12)],
        }
    }

    pub fn months_for(&self, class: RiskClass) -> Option<u32> {
        self.months[usize::from(class.0 - 1)]
    }
}

crate::wire_enum! {
    /// Proposed size of a visit, from a short check (S) to a multi-day integral inspection (XXL).
    pub enum VisitSize {
        S = "S",
        M = "M",
        L = "L",
        Xl = "XL",
        Xxl = "XXL",
    }
}

impl VisitSize {
    /// One size up, saturating at XXL.
    pub fn larger(self) -> VisitSize {
        VisitSize::ALL[(self as usize + 1).min(4)]
    }
}

/// Hours on site per visit size; a planner setting because agencies budget differently.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SizeHours {
    #[serde(rename = "S")]
    pub s: f64,
    #[serde(rename = "M")]
    pub m: f64,
    #[serde(rename = "L")]
    pub l: f64,
    #[serde(rename = "XL")]
    pub xl: f64,
    #[serde(rename = "XXL")]
    pub xxl: f64,
}

impl Default for SizeHours {
    fn default() -> Self {
        SizeHours {
            s: 1.0,
            m: 2.0,
            l: 4.0,
            xl: 6.0,
            xxl: 8.0,
        }
    }
}

impl SizeHours {
    pub fn hours(&self, size: VisitSize) -> f64 {
        match size {
            VisitSize::S => self.s,
            VisitSize::M => self.m,
            VisitSize::L => self.l,
            VisitSize::Xl => self.xl,
            VisitSize::Xxl => self.xxl,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visit_sizes_serialize_as_the_api_letters() {
        let json = serde_json::to_string(&VisitSize::ALL).unwrap();
        assert_eq!(json, r#"["S","M","L","XL","XXL"]"#);
        let back: Vec<VisitSize> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, VisitSize::ALL);
    }

    #[test]
    fn a_risk_class_outside_one_to_five_is_rejected_when_parsed() {
        assert!(serde_json::from_str::<RiskClass>("0").is_err());
        assert!(serde_json::from_str::<RiskClass>("6").is_err());
        assert_eq!(serde_json::from_str::<RiskClass>("3").unwrap().get(), 3);
    }

    #[test]
    fn the_midden_holland_preset_visits_class_one_only_in_projects() {
        let preset = IntervalPreset::midden_holland();
        assert_eq!(preset.months_for(RiskClass::LOWEST), None);
        assert_eq!(preset.months_for(RiskClass::new(2).unwrap()), Some(60));
        assert_eq!(preset.months_for(RiskClass::new(3).unwrap()), Some(24));
        assert_eq!(preset.months_for(RiskClass::HIGHEST), Some(12));
    }

    #[test]
    fn sizes_grow_one_step_and_stop_at_xxl() {
        assert_eq!(VisitSize::S.larger(), VisitSize::M);
        assert_eq!(VisitSize::Xxl.larger(), VisitSize::Xxl);
    }
}
