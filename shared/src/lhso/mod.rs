//! LHSO engine: from a violation to a cell of the national enforcement matrix, advice on how to
//! intervene (the escalation of the case that follows is `crate::enforcement`)
//! (the LHSO in brief: docs/API.md "LHSO assessment").
//!
//! The matrix is versioned data (`MatrixConfig`) because regions adopt their own variants; every
//! assessment records the version it used. Runs offline on the tablet, so everything is pure.

mod assess;
mod cell;
mod intervention;
mod matrix;
#[cfg(test)]
mod proptests;

use chrono::NaiveDate;
use thiserror::Error;

use crate::error::ErrorCode;

pub use assess::{
    assess, assess_request, choose_cell, choose_intervention, choose_remedy_deadline,
    remedy_deadline, score_answers, scored_violations, AssessRequest, Assessment, AssessmentInput,
    CellChoice, InterventionChoice, Placement, Score, ScoringMode,
};
pub use cell::{Behaviour, Consequence, LhsoCell};
pub use intervention::Intervention;
pub use matrix::{
    AggravatingFactor, AnswerOption, Axis, AxisConfig, CellConfig, MatrixConfig, MatrixData,
    MatrixError, Question, Severity, DEFAULT_MATRIX_VERSION, MAX_REMEDY_DAYS, REPEAT_OFFENCE,
};

/// Everything an assessment, a deviation or an escalation step can refuse. All are the caller's
/// input problems, answered as `lhso.invalid_input`; the variant says which for logs and tests.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LhsoError {
    #[error("consequence {0} is not in 1..=4")]
    ConsequenceOutOfRange(i64),
    #[error("behaviour {0:?} is not one of A, B, C, D")]
    BehaviourOutOfRange(String),
    #[error("{0:?} is not a matrix cell (A1..D4)")]
    InvalidCell(String),
    #[error("give either consequence and behaviour, or answers")]
    MissingPlacement,
    #[error("give consequence and behaviour, or answers, not both")]
    AmbiguousPlacement,
    #[error("a direct placement needs both consequence and behaviour")]
    IncompletePlacement,
    #[error("unknown question {0}")]
    UnknownQuestion(String),
    #[error("question {0} is not answered")]
    MissingAnswer(String),
    #[error("{value} is not an answer option of question {question}")]
    UnknownAnswer { question: String, value: String },
    #[error("unknown aggravating factor {0}")]
    UnknownFactor(String),
    #[error("matrix version {0} is not available")]
    UnknownMatrixVersion(String),
    #[error("choosing {chosen} instead of the suggested {suggested} needs a written reason")]
    DeviationWithoutReason {
        suggested: LhsoCell,
        chosen: LhsoCell,
    },
    #[error("{0:?} is not an intervention code")]
    UnknownIntervention(String),
    #[error("{0} is not proposed for this cell: choosing it needs a written reason")]
    InterventionWithoutReason(Intervention),
    #[error("the remedy deadline {0} lies before the inspection or too far ahead")]
    DeadlineOutOfRange(NaiveDate),
}

impl LhsoError {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::LhsoInvalidInput
    }
}
