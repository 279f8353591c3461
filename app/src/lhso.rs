//! LHSO advice on the tablet: the shared engine (`shared::lhso`) with the default matrix, run
//! without a network. The inspector's assessment is kept with the finding on this device and sent
//! to the server as `violation.assess`, which recomputes the advice before storing it.

use std::cell::{Cell, OnceCell};
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use shared::lhso::{
    assess, choose_cell, remedy_deadline, Assessment, AssessmentInput, CellChoice, LhsoCell,
    LhsoError, MatrixConfig,
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
    /// Device time of saving (RFC 3339).
    pub at: String,
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

/// Settles on `chosen`: refused (`DeviationWithoutReason`) when it differs from the suggestion and
/// no written reason is given.
pub fn settle(
    matrix: &MatrixConfig,
    answers: BTreeMap<String, String>,
    repeat_offence: bool,
    chosen: LhsoCell,
    reason: &str,
    today: NaiveDate,
) -> Result<LhsoRecord, LhsoError> {
    let suggested = suggest(matrix, &answers, repeat_offence)?;
    let choice = choose_cell(suggested.cell, chosen, Some(reason))?;
    let advice = if choice.deviated {
        assess(matrix, &AssessmentInput::direct(chosen))?
    } else {
        suggested.clone()
    };
    Ok(LhsoRecord {
        answers,
        repeat_offence,
        remedy_deadline: remedy_deadline(today, advice.remedy_days),
        suggested,
        choice,
        advice,
        inspection_date: today,
        at: crate::util::now_rfc3339(),
    })
}
