//! LHSO advice on the tablet: the shared engine (`shared::lhso`) with the default matrix, run
//! without a network. The inspector's assessment is kept with the finding on this device and sent
//! to the server as `violation.assess`, which recomputes the advice before storing it.

use std::cell::{Cell, OnceCell};
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use shared::lhso::{
    assess, choose_cell, choose_intervention, choose_remedy_deadline, Assessment, AssessmentInput,
    CellChoice, Intervention, InterventionChoice, LhsoCell, LhsoError, MatrixConfig,
};

/// The matrix shipped with Schouw (`lhso-default-2022`). The same file `shared` embeds; read here
/// through `JSON.parse` and serde-wasm-bindgen so the bundle carries no second JSON parser.
const DEFAULT_MATRIX_JSON: &str = include_str!("../../shared/src/lhso/default_matrix.json");

thread_local! {
    static DEFAULT: OnceCell<Option<&'static MatrixConfig>> = const { OnceCell::new() };
    /// The agency's own matrix, once the working set brought one.
    static AGENCY: Cell<Option<&'static MatrixConfig>> = const { Cell::new(None) };
}

/// The matrix in force on this device: the agency's active matrix when the working set holds
/// one, else the shipped default. `None` only if the embedded file were broken, which the shared
/// crate's tests rule out.
pub fn matrix() -> Option<&'static MatrixConfig> {
    AGENCY.with(Cell::get).or_else(|| {
        DEFAULT.with(|m| {
            *m.get_or_init(|| {
                crate::json::parse_json::<MatrixConfig>(DEFAULT_MATRIX_JSON)
                    .map(|m| &*Box::leak(Box::new(m)))
            })
        })
    })
}

/// Puts the agency's matrix (the JSON of `GET /lhso/matrix` without its derived `questions` and
/// `labels`) in force, if it parses and validates; returns whether it does. A version already in
/// force is not parsed again (each new version is kept for the app's lifetime: they are rare).
pub fn install(json: &str) -> bool {
    let Some(config) = crate::json::parse_json::<MatrixConfig>(json) else {
        return false;
    };
    if matrix().is_some_and(|m| m.version() == config.version()) {
        return true;
    }
    let config: &'static MatrixConfig = Box::leak(Box::new(config));
    AGENCY.with(|a| a.set(Some(config)));
    true
}

/// An assessment as kept with its finding on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LhsoRecord {
    /// Question id -> option value, as the inspector answered.
    pub answers: BTreeMap<String, String>,
    pub repeat_offence: bool,
    /// The engine's advice for the answers (the suggested cell).
    pub suggested: Assessment,
    /// The cell the inspector settled on, with the reason when it deviates.
    pub choice: CellChoice,
    /// The advice of the chosen cell (equal to `suggested` without a deviation).
    pub advice: Assessment,
    pub inspection_date: NaiveDate,
    pub remedy_deadline: Option<NaiveDate>,
    /// The intervention the inspector chose (absent in records of an older app).
    #[serde(default)]
    pub intervention: Option<InterventionChoice>,
    /// Whether a BOA was consulted (asked when the cell advises it).
    #[serde(default)]
    pub boa_consulted: Option<bool>,
    /// Why a repeat offence the site's history suggested was cleared.
    #[serde(default)]
    pub repeat_offence_reason: Option<String>,
    /// Device time of saving (RFC 3339).
    pub at: String,
}

/// What the inspector settled on in the panel besides the answers.
pub struct Choices<'a> {
    pub chosen: LhsoCell,
    pub reason: &'a str,
    /// `None`: the first intervention the chosen cell proposes.
    pub intervention: Option<Intervention>,
    pub intervention_reason: &'a str,
    /// `None`: the matrix's deadline for the chosen cell.
    pub deadline: Option<NaiveDate>,
    pub boa_consulted: Option<bool>,
    /// The site's history suggested a repeat offence.
    pub repeat_suggested: bool,
    pub repeat_reason: &'a str,
}

/// Why the panel cannot be saved yet (beyond the engine's own refusals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettleError {
    Lhso(LhsoError),
    /// A repeat offence the history suggests was cleared without a reason.
    RepeatClearedWithoutReason,
}

impl From<LhsoError> for SettleError {
    fn from(e: LhsoError) -> Self {
        SettleError::Lhso(e)
    }
}

/// The advice of the cell the inspector is choosing: the suggestion itself, or the chosen
/// cell's own advice while deviating (shown at once, before saving).
pub fn advice_for(
    matrix: &MatrixConfig,
    suggested: &Assessment,
    chosen: Option<LhsoCell>,
) -> Assessment {
    match chosen.filter(|c| *c != suggested.cell) {
        Some(cell) => {
            assess(matrix, &AssessmentInput::direct(cell)).unwrap_or_else(|_| suggested.clone())
        }
        None => suggested.clone(),
    }
}

/// The engine's suggestion for complete answers.
pub fn suggest(
    matrix: &MatrixConfig,
    answers: &BTreeMap<String, String>,
    repeat_offence: bool,
) -> Result<Assessment, LhsoError> {
    let input = AssessmentInput::answers(answers.clone()).with_repeat_offence(repeat_offence);
    assess(matrix, &input)
}

/// Settles the assessment: refused when the cell deviates without a reason, when an
/// intervention the cell does not propose has no reason, when the deadline lies before the
/// inspection, or when a suggested repeat offence is cleared without a reason.
pub fn settle(
    matrix: &MatrixConfig,
    answers: BTreeMap<String, String>,
    repeat_offence: bool,
    choices: &Choices<'_>,
    today: NaiveDate,
) -> Result<LhsoRecord, SettleError> {
    let repeat_reason = Some(choices.repeat_reason.trim()).filter(|r| !r.is_empty());
    if choices.repeat_suggested && !repeat_offence && repeat_reason.is_none() {
        return Err(SettleError::RepeatClearedWithoutReason);
    }
    let suggested = suggest(matrix, &answers, repeat_offence)?;
    let choice = choose_cell(suggested.cell, choices.chosen, Some(choices.reason))?;
    let advice = advice_for(matrix, &suggested, Some(choice.chosen));
    let code = choices
        .intervention
        .or_else(|| advice.interventions.first().copied())
        .unwrap_or(Intervention::Inform);
    let intervention = choose_intervention(
        &advice.interventions,
        code.as_str(),
        Some(choices.intervention_reason),
    )?;
    let remedy_deadline = choose_remedy_deadline(today, advice.remedy_days, choices.deadline)?;
    Ok(LhsoRecord {
        answers,
        repeat_offence,
        remedy_deadline,
        suggested,
        choice,
        advice: advice.clone(),
        inspection_date: today,
        intervention: Some(intervention),
        boa_consulted: if advice.boa_consultation {
            choices.boa_consulted
        } else {
            None
        },
        repeat_offence_reason: if choices.repeat_suggested && !repeat_offence {
            repeat_reason.map(str::to_owned)
        } else {
            None
        },
        at: crate::util::now_rfc3339(),
    })
}
