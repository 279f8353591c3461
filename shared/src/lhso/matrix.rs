//! The LHSO matrix as versioned configuration data.
//!
//! The cell-to-intervention table, the questions and their weights differ per region, so they are
//! data an agency can replace. A `MatrixConfig` only exists validated: every cell present, known
//! intervention codes, and severity that never drops as a violation gets graver.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize, Serializer};
use thiserror::Error;

use super::{Behaviour, Consequence, Intervention, LhsoCell};
use crate::error::ErrorCode;

/// Version id of the matrix shipped with Schouw.
pub const DEFAULT_MATRIX_VERSION: &str = "lhso-default-2022";

/// The aggravating factor the API's `repeat_offence` flag switches on.
pub const REPEAT_OFFENCE: &str = "repeat_offence";

/// Longer remedy periods are a typo, not policy; the bound also keeps date arithmetic safe.
pub const MAX_REMEDY_DAYS: u32 = 3650;

const DEFAULT_MATRIX_JSON: &str = include_str!("default_matrix.json");

crate::wire_enum! {
    /// Which axis of the matrix a question or threshold belongs to.
    pub enum Axis {
        Consequence = "consequence",
        Behaviour = "behaviour",
    }
}

/// One answer an inspector can pick; its weight adds to the axis total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub value: String,
    pub label: String,
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub options: Vec<AnswerOption>,
}

impl Question {
    pub fn option(&self, value: &str) -> Option<&AnswerOption> {
        self.options.iter().find(|o| o.value == value)
    }
}

/// Labels, questions and thresholds of one axis. `L` is `Consequence` or `Behaviour`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisConfig<L: Ord> {
    pub title: String,
    pub labels: BTreeMap<L, String>,
    pub questions: Vec<Question>,
    /// Minimum weighted totals for the 2nd, 3rd and 4th level (digit 2..4, letter B..D);
    /// a total below the first threshold places the violation on the 1st level.
    pub thresholds: [u32; 3],
}

impl<L: Ord> AxisConfig<L> {
    /// 0-based level a weighted total maps to.
    pub fn level_index(&self, total: u32) -> usize {
        self.thresholds.iter().filter(|&&t| total >= t).count()
    }
}

/// What the matrix proposes for one cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellConfig {
    pub interventions: Vec<Intervention>,
    /// Days the offender gets to remedy; `null` when no remedy deadline applies.
    pub remedy_days: Option<u32>,
    pub boa_consultation: bool,
}

/// Severity of a cell's advice. One advice is *lighter* than another when its heaviest proposed
/// intervention ranks lower, or its lightest proposed intervention ranks lower, or it drops the
/// BOA/criminal-law consultation the other has. Set inclusion is deliberately not required: a
/// grave cell should not have to keep proposing "inform".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Severity {
    pub lightest: Intervention,
    pub heaviest: Intervention,
    pub boa_consultation: bool,
}

impl Severity {
    pub fn is_lighter_than(self, other: Severity) -> bool {
        self.heaviest < other.heaviest
            || self.lightest < other.lightest
            || (!self.boa_consultation && other.boa_consultation)
    }
}

impl CellConfig {
    /// `None` only for a cell without interventions, which validation refuses.
    pub fn severity(&self) -> Option<Severity> {
        Some(Severity {
            lightest: *self.interventions.iter().min()?,
            heaviest: *self.interventions.iter().max()?,
            boa_consultation: self.boa_consultation,
        })
    }
}

/// A circumstance that weighs against the offender (LHSO step 2). `behaviour_steps` is how far it
/// moves the behaviour letter up; 0 records it for the explanation without changing the cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AggravatingFactor {
    pub id: String,
    pub label: String,
    pub behaviour_steps: u8,
}

/// The matrix as stored and exchanged (JSON); not yet validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixData {
    pub version: String,
    /// True for a matrix shipped as a default rather than adopted by an authority; the UI says so.
    pub is_default: bool,
    pub label: String,
    pub consequence: AxisConfig<Consequence>,
    pub behaviour: AxisConfig<Behaviour>,
    pub cells: BTreeMap<LhsoCell, CellConfig>,
    pub aggravating_factors: Vec<AggravatingFactor>,
}

/// Why a matrix was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MatrixError {
    #[error("matrix JSON is invalid: {0}")]
    Syntax(String),
    #[error("matrix has no version id")]
    EmptyVersion,
    #[error("matrix has no label for {axis} level {level}")]
    MissingLabel { axis: &'static str, level: String },
    #[error("matrix has no configuration for cell {0}")]
    MissingCell(LhsoCell),
    #[error("cell {0} proposes no intervention")]
    NoInterventions(LhsoCell),
    #[error("cell {cell} lists intervention {intervention:?} twice")]
    DuplicateIntervention {
        cell: LhsoCell,
        intervention: Intervention,
    },
    #[error("cell {graver} is lighter than cell {milder}, although it is at least as grave")]
    NotMonotone { graver: LhsoCell, milder: LhsoCell },
    #[error("axis {0} has no questions")]
    NoQuestions(&'static str),
    #[error("question id {0} is used twice")]
    DuplicateQuestion(String),
    #[error("question {0} has no answer options")]
    NoOptions(String),
    #[error("question {question} has answer value {value} twice")]
    DuplicateOption { question: String, value: String },
    #[error("thresholds of axis {0} must be strictly increasing and start above 0")]
    Thresholds(&'static str),
    #[error("aggravating factor {0} is invalid or listed twice")]
    Factor(String),
    #[error("matrix lacks the aggravating factor `repeat_offence` the API relies on")]
    MissingRepeatOffence,
    #[error("cell {0} has a remedy period longer than {MAX_REMEDY_DAYS} days")]
    RemedyDays(LhsoCell),
}

impl MatrixError {
    pub fn code(&self) -> ErrorCode {
        ErrorCode::LhsoInvalidInput
    }
}

/// A validated matrix. Only `parse`, `from_data`, `default_2022` and serde (which validates)
/// produce one, so the engine never meets a missing cell.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "MatrixData")]
pub struct MatrixConfig {
    data: MatrixData,
}

impl Serialize for MatrixConfig {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(s)
    }
}

impl TryFrom<MatrixData> for MatrixConfig {
    type Error = MatrixError;
    fn try_from(data: MatrixData) -> Result<Self, MatrixError> {
        MatrixConfig::from_data(data)
    }
}

impl MatrixConfig {
    /// Parses and validates an agency's matrix JSON.
    pub fn parse(json: &str) -> Result<Self, MatrixError> {
        let data: MatrixData =
            serde_json::from_str(json).map_err(|e| MatrixError::Syntax(e.to_string()))?;
        MatrixConfig::from_data(data)
    }

    pub fn from_data(data: MatrixData) -> Result<Self, MatrixError> {
        validate(&data)?;
        Ok(MatrixConfig { data })
    }

    /// The shipped default `lhso-default-2022`.
    pub fn default_2022() -> Self {
        MatrixConfig::parse(DEFAULT_MATRIX_JSON).expect("the embedded default matrix is valid")
    }

    pub fn data(&self) -> &MatrixData {
        &self.data
    }

    pub fn version(&self) -> &str {
        &self.data.version
    }

    pub fn cell(&self, cell: LhsoCell) -> &CellConfig {
        &self.data.cells[&cell]
    }

    pub fn severity(&self, cell: LhsoCell) -> Severity {
        self.cell(cell)
            .severity()
            .expect("validated cells propose at least one intervention")
    }

    pub fn factor(&self, id: &str) -> Option<&AggravatingFactor> {
        self.data.aggravating_factors.iter().find(|f| f.id == id)
    }
}

fn validate(data: &MatrixData) -> Result<(), MatrixError> {
    if data.version.trim().is_empty() {
        return Err(MatrixError::EmptyVersion);
    }
    validate_axis(&data.consequence, Axis::Consequence, &Consequence::ALL)?;
    validate_axis(&data.behaviour, Axis::Behaviour, &Behaviour::ALL)?;
    let mut question_ids = BTreeSet::new();
    for q in data
        .consequence
        .questions
        .iter()
        .chain(&data.behaviour.questions)
    {
        if !question_ids.insert(q.id.as_str()) {
            return Err(MatrixError::DuplicateQuestion(q.id.clone()));
        }
    }

    for cell in LhsoCell::all() {
        let config = data
            .cells
            .get(&cell)
            .ok_or(MatrixError::MissingCell(cell))?;
        if config.interventions.is_empty() {
            return Err(MatrixError::NoInterventions(cell));
        }
        if config.remedy_days.is_some_and(|d| d > MAX_REMEDY_DAYS) {
            return Err(MatrixError::RemedyDays(cell));
        }
        let mut seen = BTreeSet::new();
        if let Some(&dup) = config.interventions.iter().find(|&&i| !seen.insert(i)) {
            return Err(MatrixError::DuplicateIntervention {
                cell,
                intervention: dup,
            });
        }
    }
    // Checking each one-step neighbour suffices: "not lighter" is transitive.
    for milder in LhsoCell::all() {
        let graver_neighbours = [
            milder
                .consequence
                .next()
                .map(|c| LhsoCell::new(c, milder.behaviour)),
            milder
                .behaviour
                .next()
                .map(|b| LhsoCell::new(milder.consequence, b)),
        ];
        for graver in graver_neighbours.into_iter().flatten() {
            let (g, m) = (&data.cells[&graver], &data.cells[&milder]);
            if let (Some(gs), Some(ms)) = (g.severity(), m.severity()) {
                if gs.is_lighter_than(ms) {
                    return Err(MatrixError::NotMonotone { graver, milder });
                }
            }
        }
    }

    let mut factor_ids = BTreeSet::new();
    for f in &data.aggravating_factors {
        if f.id.trim().is_empty() || f.behaviour_steps > 3 || !factor_ids.insert(f.id.as_str()) {
            return Err(MatrixError::Factor(f.id.clone()));
        }
    }
    if !factor_ids.contains(REPEAT_OFFENCE) {
        return Err(MatrixError::MissingRepeatOffence);
    }
    Ok(())
}

fn validate_axis<L: Ord + std::fmt::Display>(
    axis_config: &AxisConfig<L>,
    axis: Axis,
    levels: &[L],
) -> Result<(), MatrixError> {
    for level in levels {
        if axis_config
            .labels
            .get(level)
            .is_none_or(|l| l.trim().is_empty())
        {
            return Err(MatrixError::MissingLabel {
                axis: axis.as_str(),
                level: level.to_string(),
            });
        }
    }
    if axis_config.questions.is_empty() {
        return Err(MatrixError::NoQuestions(axis.as_str()));
    }
    for q in &axis_config.questions {
        if q.options.is_empty() {
            return Err(MatrixError::NoOptions(q.id.clone()));
        }
        let mut values = BTreeSet::new();
        if let Some(o) = q.options.iter().find(|o| !values.insert(o.value.as_str())) {
            return Err(MatrixError::DuplicateOption {
                question: q.id.clone(),
                value: o.value.clone(),
            });
        }
    }
    let [t1, t2, t3] = axis_config.thresholds;
    if !(0 < t1 && t1 < t2 && t2 < t3) {
        return Err(MatrixError::Thresholds(axis.as_str()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(code: &str) -> LhsoCell {
        code.parse().unwrap()
    }

    fn default_json() -> serde_json::Value {
        serde_json::from_str(DEFAULT_MATRIX_JSON).unwrap()
    }

    fn parse_value(v: &serde_json::Value) -> Result<MatrixConfig, MatrixError> {
        MatrixConfig::parse(&v.to_string())
    }

    #[test]
    fn the_default_matrix_parses_and_is_labelled_as_a_default() {
        let m = MatrixConfig::default_2022();
        assert_eq!(m.version(), DEFAULT_MATRIX_VERSION);
        assert!(m.data().is_default);
        assert!(m.data().label.to_lowercase().contains("standaard"));
        assert!(m
            .factor(REPEAT_OFFENCE)
            .is_some_and(|f| f.behaviour_steps > 0));
    }

    #[test]
    fn the_default_matrix_sends_exactly_the_documented_cells_to_a_boa() {
        let m = MatrixConfig::default_2022();
        let boa: Vec<String> = LhsoCell::all()
            .filter(|&c| m.cell(c).boa_consultation)
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            boa,
            ["A4", "B3", "B4", "C2", "C3", "C4", "D1", "D2", "D3", "D4"]
        );
    }

    #[test]
    fn in_the_default_matrix_a1_is_at_most_a_warning_and_d4_includes_criminal_law() {
        let m = MatrixConfig::default_2022();
        assert!(m.severity(cell("A1")).heaviest <= Intervention::Warn);
        assert!(m
            .cell(cell("D4"))
            .interventions
            .contains(&Intervention::OfficialReport));
    }

    #[test]
    fn default_advice_never_gets_lighter_as_a_violation_gets_graver() {
        let m = MatrixConfig::default_2022();
        for milder in LhsoCell::all() {
            for graver in LhsoCell::all().filter(|g| g.dominates(milder)) {
                assert!(
                    !m.severity(graver).is_lighter_than(m.severity(milder)),
                    "{graver} is lighter than {milder}"
                );
            }
        }
    }

    #[test]
    fn the_matrix_serialises_back_to_data_that_parses_again() {
        let m = MatrixConfig::default_2022();
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(MatrixConfig::parse(&json).unwrap(), m);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["cells"]["B3"]["boa_consultation"], true);
        assert!(v["consequence"]["labels"]["4"].is_string());
        assert!(v["behaviour"]["labels"]["D"].is_string());
    }

    #[test]
    fn a_matrix_with_a_missing_cell_is_refused() {
        let mut v = default_json();
        v["cells"].as_object_mut().unwrap().remove("C2");
        assert_eq!(parse_value(&v), Err(MatrixError::MissingCell(cell("C2"))));
    }

    #[test]
    fn a_matrix_with_an_unknown_intervention_code_is_refused() {
        let mut v = default_json();
        v["cells"]["A1"]["interventions"] = serde_json::json!(["inform", "scold"]);
        let err = parse_value(&v).unwrap_err();
        assert!(
            matches!(&err, MatrixError::Syntax(msg) if msg.contains("scold")),
            "{err}"
        );
    }

    #[test]
    fn a_matrix_with_an_unknown_cell_code_is_refused() {
        let mut v = default_json();
        v["cells"]["E5"] = v["cells"]["A1"].clone();
        assert!(matches!(parse_value(&v), Err(MatrixError::Syntax(_))));
    }

    #[test]
    fn a_matrix_whose_advice_gets_lighter_is_refused() {
        let mut v = default_json();
        v["cells"]["D4"]["interventions"] = serde_json::json!(["warn"]);
        assert!(
            matches!(parse_value(&v), Err(MatrixError::NotMonotone { graver, .. }) if graver == cell("D4"))
        );

        let mut v = default_json();
        v["cells"]["C4"]["boa_consultation"] = serde_json::json!(false);
        assert!(matches!(
            parse_value(&v),
            Err(MatrixError::NotMonotone { .. })
        ));
    }

    #[test]
    fn a_matrix_with_broken_questions_or_thresholds_is_refused() {
        let mut v = default_json();
        v["behaviour"]["thresholds"] = serde_json::json!([5, 5, 9]);
        assert_eq!(parse_value(&v), Err(MatrixError::Thresholds("behaviour")));

        let mut v = default_json();
        let first = v["consequence"]["questions"][0].clone();
        v["behaviour"]["questions"]
            .as_array_mut()
            .unwrap()
            .push(first);
        assert!(matches!(
            parse_value(&v),
            Err(MatrixError::DuplicateQuestion(_))
        ));

        let mut v = default_json();
        v["consequence"]["labels"]
            .as_object_mut()
            .unwrap()
            .remove("2");
        assert!(matches!(
            parse_value(&v),
            Err(MatrixError::MissingLabel { .. })
        ));

        let mut v = default_json();
        v["version"] = serde_json::json!(" ");
        assert_eq!(parse_value(&v), Err(MatrixError::EmptyVersion));
    }

    #[test]
    fn deserialising_a_matrix_validates_it() {
        let mut v = default_json();
        v["cells"]["B2"]["interventions"] = serde_json::json!([]);
        assert!(serde_json::from_value::<MatrixConfig>(v).is_err());
    }

    #[test]
    fn thresholds_map_totals_to_levels() {
        let m = MatrixConfig::default_2022();
        let axis = &m.data().consequence;
        let [t1, t2, t3] = axis.thresholds;
        assert_eq!(axis.level_index(0), 0);
        assert_eq!(axis.level_index(t1 - 1), 0);
        assert_eq!(axis.level_index(t1), 1);
        assert_eq!(axis.level_index(t2), 2);
        assert_eq!(axis.level_index(t3), 3);
        assert_eq!(axis.level_index(u32::MAX), 3);
    }
}
