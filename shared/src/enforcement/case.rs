//! An enforcement case as the API, the pull feed and the tablet exchange it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CaseFile, CaseState, Step, StepKind};
use crate::lhso::Intervention;

/// One recorded step: what happened, on which date, by whom, and the state it led to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseStep {
    pub step: StepKind,
    /// The state after the step (API.md: `state`).
    pub state: CaseState,
    pub on: NaiveDate,
    /// The person who recorded it; null for the server itself.
    pub by: Option<Uuid>,
    /// When it was recorded (RFC 3339, UTC).
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Amount of a decision, forfeiture or collection, in cents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_cents: Option<i64>,
}

/// What the office is expected to do next, and the deadline that step would set today.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProposedStep {
    #[serde(flatten)]
    pub step: Step,
    pub deadline: Option<NaiveDate>,
}

/// The follow-up of one violation (`GET /sites/{id}` `enforcement`, the feed's `enforcement_case`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnforcementCase {
    pub id: Uuid,
    /// The violating finding's id (the violation's id).
    pub violation_id: Uuid,
    pub site_id: Uuid,
    pub site_name: String,
    /// The visit that found it (null for history from before Schouw).
    pub visit_id: Option<Uuid>,
    /// The inspector who found it.
    pub inspector_id: Option<Uuid>,
    pub found_on: NaiveDate,
    pub cell: String,
    pub intervention: Intervention,
    pub state: CaseState,
    pub open: bool,
    pub remedy_deadline: Option<NaiveDate>,
    pub reinspection_due: Option<NaiveDate>,
    /// What was violated, for the re-inspection: checklist item (if any), text and rule.
    pub item_id: Option<String>,
    pub description: String,
    pub rule_ref: String,
    /// Photos taken of the violation when it was found.
    pub photo_ids: Vec<Uuid>,
    pub file: CaseFile,
    pub next: Option<ProposedStep>,
    pub steps: Vec<CaseStep>,
    pub version: i64,
}

/// `POST /enforcement/cases/{id}/steps`: an office step on the case at `base_version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRequest {
    pub base_version: i64,
    #[serde(flatten)]
    pub step: Step,
    /// The date the step was taken; today when absent.
    #[serde(default)]
    pub on: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `GET /enforcement/cases`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseList {
    pub cases: Vec<EnforcementCase>,
}
