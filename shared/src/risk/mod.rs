//! The risk model (Vallei-style, explainable): which site to visit, when, and for how long.
//!
//! A site's priority is a sum of factor contributions from three components (environmental
//! relevance, compliance, time since the last inspection) plus focus points of the regional
//! strategy and manual boosts. Parameters are versioned data per agency ([`RiskModel`]); the same
//! pure function ranks on the server and re-ranks offline on the tablet.

mod class;
mod model;
mod profile;
pub mod sample;
mod score;

pub use class::{IntervalPreset, RiskClass, SizeHours, VisitSize};
pub use model::{
    sector_label_nl, ActivityParams, ClassParams, ComplianceParams, EnvironmentParams,
    FocusPointParams, OverdueParams, RiskModel, RiskModelError, SampleParams, ScaledFactor,
    SizeParams, DEFAULT_SECTORS,
};
pub use profile::{
    ComplianceHistory, InspectionSummary, ManualBoost, Modifiers, SiteRiskProfile, ViolationRecord,
};
pub use sample::{draw_sample, sample_key, SplitMix64};
pub use score::{assess_site, class_of, factor, rank_sites, Factor, RiskScore, SiteAssessment};
