//! Placing a violation in the matrix and turning the cell into advice (LHSO steps 1-4), plus the
//! inspector's right to deviate and the choice of which violations count.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::matrix::{AxisConfig, MatrixConfig, REPEAT_OFFENCE};
use super::{Behaviour, Consequence, Intervention, LhsoCell, LhsoError};

/// Body of `POST /api/v1/lhso/assess` as it arrives. Axis values stay raw so that out-of-range
/// input reaches a typed `lhso.invalid_input` error rather than a generic serde failure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consequence: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behaviour: Option<String>,
    /// Question id -> option value. Strings are taken as they are; booleans and numbers by their
    /// JSON text (`true`, `3`), so a matrix may use such option values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    pub repeat_offence: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix_version: Option<String>,
}

/// How the violation is placed: directly by the inspector, or by answering the matrix questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    Direct(LhsoCell),
    Answers(BTreeMap<String, String>),
}

/// A parsed assessment request. `aggravating` holds ids of the matrix's aggravating factors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentInput {
    pub placement: Placement,
    pub aggravating: BTreeSet<String>,
}

impl AssessmentInput {
    pub fn direct(cell: LhsoCell) -> Self {
        AssessmentInput {
            placement: Placement::Direct(cell),
            aggravating: BTreeSet::new(),
        }
    }

    pub fn answers(answers: BTreeMap<String, String>) -> Self {
        AssessmentInput {
            placement: Placement::Answers(answers),
            aggravating: BTreeSet::new(),
        }
    }

    pub fn with_repeat_offence(mut self, repeat_offence: bool) -> Self {
        if repeat_offence {
            self.aggravating.insert(REPEAT_OFFENCE.to_owned());
        }
        self
    }
}

impl AssessRequest {
    pub fn into_input(self) -> Result<AssessmentInput, LhsoError> {
        let direct = self.consequence.is_some() || self.behaviour.is_some();
        let placement = match (direct, self.answers) {
            (true, Some(_)) => return Err(LhsoError::AmbiguousPlacement),
            (false, None) => return Err(LhsoError::MissingPlacement),
            (false, Some(answers)) => Placement::Answers(
                answers
                    .into_iter()
                    .map(|(id, value)| {
                        let text = answer_text(&id, value)?;
                        Ok((id, text))
                    })
                    .collect::<Result<_, LhsoError>>()?,
            ),
            (true, None) => {
                let consequence =
                    Consequence::new(self.consequence.ok_or(LhsoError::IncompletePlacement)?)?;
                let behaviour: Behaviour = self
                    .behaviour
                    .ok_or(LhsoError::IncompletePlacement)?
                    .parse()?;
                Placement::Direct(LhsoCell::new(consequence, behaviour))
            }
        };
        Ok(AssessmentInput {
            placement,
            aggravating: BTreeSet::new(),
        }
        .with_repeat_offence(self.repeat_offence))
    }
}

fn answer_text(question: &str, value: serde_json::Value) -> Result<String, LhsoError> {
    match value {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Bool(_) | serde_json::Value::Number(_) => Ok(value.to_string()),
        other => Err(LhsoError::UnknownAnswer {
            question: question.to_owned(),
            value: other.to_string(),
        }),
    }
}

/// The advice; serialises exactly as the API's answer to `POST /api/v1/lhso/assess`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub cell: LhsoCell,
    pub consequence: Consequence,
    pub behaviour: Behaviour,
    pub boa_consultation: bool,
    pub interventions: Vec<Intervention>,
    pub remedy_days: Option<u32>,
    pub matrix_version: String,
    pub explanation: Vec<String>,
}

impl Assessment {
    /// The hersteltermijn counted from the inspection date; `None` when the cell sets none.
    pub fn remedy_deadline(&self, inspection_date: NaiveDate) -> Option<NaiveDate> {
        remedy_deadline(inspection_date, self.remedy_days)
    }
}

/// `inspection_date + remedy_days`. Matrices cap remedy days, so this only yields `None` for
/// "no deadline" (or a date beyond chrono's calendar, far past any real inspection).
pub fn remedy_deadline(inspection_date: NaiveDate, remedy_days: Option<u32>) -> Option<NaiveDate> {
    inspection_date.checked_add_days(Days::new(u64::from(remedy_days?)))
}

/// Validates the request against the matrix the server picked for it, then assesses.
pub fn assess_request(
    matrix: &MatrixConfig,
    request: AssessRequest,
) -> Result<Assessment, LhsoError> {
    if let Some(version) = &request.matrix_version {
        if version != matrix.version() {
            return Err(LhsoError::UnknownMatrixVersion(version.clone()));
        }
    }
    assess(matrix, &request.into_input()?)
}

/// Weighted totals of the answers and the cell they suggest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub consequence_total: u32,
    pub behaviour_total: u32,
    pub cell: LhsoCell,
}

/// Every question of both axes must be answered with one of its options; unknown question ids are
/// refused so a typo cannot silently lower the score.
pub fn score_answers(
    matrix: &MatrixConfig,
    answers: &BTreeMap<String, String>,
) -> Result<Score, LhsoError> {
    let data = matrix.data();
    if let Some(unknown) = answers.keys().find(|id| {
        !data
            .consequence
            .questions
            .iter()
            .chain(&data.behaviour.questions)
            .any(|q| &q.id == *id)
    }) {
        return Err(LhsoError::UnknownQuestion(unknown.clone()));
    }
    let consequence_total = axis_total(&data.consequence, answers)?;
    let behaviour_total = axis_total(&data.behaviour, answers)?;
    let consequence = Consequence::ALL[data.consequence.level_index(consequence_total)];
    let behaviour = Behaviour::ALL[data.behaviour.level_index(behaviour_total)];
    Ok(Score {
        consequence_total,
        behaviour_total,
        cell: LhsoCell::new(consequence, behaviour),
    })
}

fn axis_total<L: Ord>(
    axis: &AxisConfig<L>,
    answers: &BTreeMap<String, String>,
) -> Result<u32, LhsoError> {
    axis.questions.iter().try_fold(0u32, |total, q| {
        let value = answers
            .get(&q.id)
            .ok_or_else(|| LhsoError::MissingAnswer(q.id.clone()))?;
        let option = q.option(value).ok_or_else(|| LhsoError::UnknownAnswer {
            question: q.id.clone(),
            value: value.clone(),
        })?;
        Ok(total.saturating_add(option.weight))
    })
}

/// Places the violation, applies aggravating factors and reads the advice from the matrix.
///
/// Aggravating factors only ever move the behaviour letter up (capped at D), and validated
/// matrices never give lighter advice for a graver cell, so a repeat offence can never make the
/// advice lighter.
pub fn assess(matrix: &MatrixConfig, input: &AssessmentInput) -> Result<Assessment, LhsoError> {
    let data = matrix.data();
    let mut explanation = Vec::new();
    let placed = match &input.placement {
        Placement::Direct(cell) => {
            explanation.push(format!(
                "De toezichthouder heeft de overtreding ingeschaald op gevolgen {} ({}) en gedrag {} ({}).",
                cell.consequence,
                data.consequence.labels[&cell.consequence],
                cell.behaviour,
                data.behaviour.labels[&cell.behaviour],
            ));
            *cell
        }
        Placement::Answers(answers) => {
            let score = score_answers(matrix, answers)?;
            explanation.push(format!(
                "De antwoorden over de gevolgen tellen op tot {} punten: gevolgen {} ({}).",
                score.consequence_total,
                score.cell.consequence,
                data.consequence.labels[&score.cell.consequence],
            ));
            explanation.push(format!(
                "De antwoorden over het gedrag tellen op tot {} punten: gedrag {} ({}).",
                score.behaviour_total,
                score.cell.behaviour,
                data.behaviour.labels[&score.cell.behaviour],
            ));
            score.cell
        }
    };

    let mut behaviour = placed.behaviour;
    for id in &input.aggravating {
        let factor = matrix
            .factor(id)
            .ok_or_else(|| LhsoError::UnknownFactor(id.clone()))?;
        let raised_index = (behaviour.index() + usize::from(factor.behaviour_steps)).min(3);
        let raised = Behaviour::ALL[raised_index];
        explanation.push(if factor.behaviour_steps == 0 {
            format!(
                "Verzwarende omstandigheid: {}. Weeg deze mee bij de keuze van de interventie.",
                factor.label
            )
        } else if raised == behaviour {
            format!(
                "Verzwarende omstandigheid: {}. Het gedrag staat al op {}, de zwaarste letter.",
                factor.label, behaviour
            )
        } else {
            format!(
                "Verzwarende omstandigheid: {}. Daarom is het gedrag zwaarder ingeschaald: {} wordt {}.",
                factor.label, behaviour, raised
            )
        });
        behaviour = raised;
    }

    let cell = LhsoCell::new(placed.consequence, behaviour);
    let config = matrix.cell(cell);
    explanation.push(if config.boa_consultation {
        format!("Cel {cell}: overleg met een BOA of het Openbaar Ministerie over strafrechtelijk optreden.")
    } else {
        format!("Cel {cell}: bestuursrechtelijk optreden; strafrechtelijk overleg is niet nodig.")
    });
    explanation.push(match config.remedy_days {
        Some(1) => "Voorgestelde hersteltermijn: 1 dag.".to_owned(),
        Some(days) => format!("Voorgestelde hersteltermijn: {days} dagen."),
        None => "Voor deze cel geldt geen hersteltermijn.".to_owned(),
    });
    explanation.push(if data.is_default {
        format!(
            "Advies volgens de standaardmatrix {}; het bevoegd gezag kan een eigen matrix vaststellen.",
            data.version
        )
    } else {
        format!("Advies volgens matrix {}.", data.version)
    });

    Ok(Assessment {
        cell,
        consequence: cell.consequence,
        behaviour: cell.behaviour,
        boa_consultation: config.boa_consultation,
        interventions: config.interventions.clone(),
        remedy_days: config.remedy_days,
        matrix_version: data.version.clone(),
        explanation,
    })
}

/// The cell the inspector settled on. Deviations are kept with their reason and counted in reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellChoice {
    pub suggested: LhsoCell,
    pub chosen: LhsoCell,
    pub deviated: bool,
    pub reason: Option<String>,
}

/// An inspector may deviate from the suggested cell only with a written reason.
pub fn choose_cell(
    suggested: LhsoCell,
    chosen: LhsoCell,
    reason: Option<&str>,
) -> Result<CellChoice, LhsoError> {
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    let deviated = suggested != chosen;
    if deviated && reason.is_none() {
        return Err(LhsoError::DeviationWithoutReason { suggested, chosen });
    }
    Ok(CellChoice {
        suggested,
        chosen,
        deviated,
        reason,
    })
}

/// The intervention the inspector settled on for the chosen cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterventionChoice {
    pub intervention: Intervention,
    /// One of the interventions the matrix proposes for the cell.
    pub proposed: bool,
    pub reason: Option<String>,
}

/// The inspector chooses among the interventions the matrix proposes (`proposed`, of the chosen
/// cell); any other known intervention needs a written reason. An unknown code is refused.
pub fn choose_intervention(
    proposed: &[Intervention],
    code: &str,
    reason: Option<&str>,
) -> Result<InterventionChoice, LhsoError> {
    let intervention =
        Intervention::parse(code).ok_or_else(|| LhsoError::UnknownIntervention(code.to_owned()))?;
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    let is_proposed = proposed.contains(&intervention);
    if !is_proposed && reason.is_none() {
        return Err(LhsoError::InterventionWithoutReason(intervention));
    }
    Ok(InterventionChoice {
        intervention,
        proposed: is_proposed,
        reason: if is_proposed { None } else { reason },
    })
}

/// The remedy deadline the inspector settled on: the matrix's (from `remedy_days`) unless one is
/// set, which may not lie before the inspection date nor beyond the longest remedy period.
pub fn choose_remedy_deadline(
    inspection_date: NaiveDate,
    remedy_days: Option<u32>,
    chosen: Option<NaiveDate>,
) -> Result<Option<NaiveDate>, LhsoError> {
    match chosen {
        None => Ok(remedy_deadline(inspection_date, remedy_days)),
        Some(d)
            if d < inspection_date
                || Some(d) > remedy_deadline(inspection_date, Some(super::MAX_REMEDY_DAYS)) =>
        {
            Err(LhsoError::DeadlineOutOfRange(d))
        }
        Some(d) => Ok(Some(d)),
    }
}

/// Whether only the heaviest violation of an inspection is scored, or all of them. Agencies differ;
/// reports show both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoringMode {
    #[default]
    HeaviestOnly,
    AllViolations,
}

/// The violations of one inspection that count under `mode`. "Heaviest" follows
/// `LhsoCell::gravity_key`; among equally grave ones the first recorded wins.
pub fn scored_violations<T>(
    mode: ScoringMode,
    violations: &[T],
    cell_of: impl Fn(&T) -> LhsoCell,
) -> Vec<&T> {
    match mode {
        ScoringMode::AllViolations => violations.iter().collect(),
        ScoringMode::HeaviestOnly => violations
            .iter()
            .rev()
            .max_by_key(|v| cell_of(v).gravity_key())
            .into_iter()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cell(code: &str) -> LhsoCell {
        code.parse().unwrap()
    }

    fn request(v: serde_json::Value) -> AssessRequest {
        serde_json::from_value(v).unwrap()
    }

    fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn mildest_answers() -> BTreeMap<String, String> {
        answers(&[
            ("consequence_environment", "none"),
            ("consequence_people", "none"),
            ("consequence_unrest", "no"),
            ("behaviour_awareness", "no"),
            ("behaviour_effort", "yes"),
            ("behaviour_gain", "no"),
            ("behaviour_intent", "no"),
        ])
    }

    #[test]
    fn a_direct_assessment_serialises_exactly_as_the_api_documents() {
        let m = MatrixConfig::default_2022();
        let a = assess_request(&m, request(json!({"consequence": 3, "behaviour": "B"}))).unwrap();
        let v = serde_json::to_value(&a).unwrap();
        let keys: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "cell",
                "consequence",
                "behaviour",
                "boa_consultation",
                "interventions",
                "remedy_days",
                "matrix_version",
                "explanation"
            ])
        );
        assert_eq!(v["cell"], "B3");
        assert_eq!(v["consequence"], 3);
        assert_eq!(v["behaviour"], "B");
        assert_eq!(v["boa_consultation"], true);
        assert_eq!(v["matrix_version"], "lhso-default-2022");
        assert!(v["interventions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i.is_string()));
        assert!(v["explanation"].as_array().unwrap().len() >= 3);
    }

    #[test]
    fn out_of_range_input_is_a_typed_lhso_invalid_input_error() {
        let m = MatrixConfig::default_2022();
        for body in [
            json!({"consequence": 5, "behaviour": "B"}),
            json!({"consequence": 0, "behaviour": "A"}),
            json!({"consequence": 2, "behaviour": "E"}),
            json!({"consequence": 2}),
            json!({}),
            json!({"consequence": 2, "behaviour": "A", "answers": {}}),
            json!({"answers": {"no_such_question": "x"}}),
            json!({"consequence": 2, "behaviour": "A", "matrix_version": "other-2030"}),
        ] {
            let err = assess_request(&m, request(body.clone())).unwrap_err();
            assert_eq!(err.code().as_str(), "lhso.invalid_input", "{body}: {err}");
        }
    }

    #[test]
    fn answers_are_scored_into_a_suggested_cell() {
        let m = MatrixConfig::default_2022();
        let mild = score_answers(&m, &mildest_answers()).unwrap();
        assert_eq!(mild.cell, cell("A1"));

        let mut grave = mildest_answers();
        grave.insert("consequence_environment".into(), "actual".into());
        grave.insert("behaviour_intent".into(), "proven".into());
        let score = score_answers(&m, &grave).unwrap();
        assert_eq!(score.cell, cell("D4"));
        assert_eq!(score.consequence_total, 9);

        let mut middle = mildest_answers();
        middle.insert("consequence_people".into(), "real_risk".into());
        middle.insert("behaviour_awareness".into(), "could_have".into());
        middle.insert("behaviour_effort".into(), "partly".into());
        assert_eq!(score_answers(&m, &middle).unwrap().cell, cell("B3"));
    }

    #[test]
    fn an_unanswered_question_or_unknown_option_is_refused() {
        let m = MatrixConfig::default_2022();
        let mut a = mildest_answers();
        a.remove("behaviour_gain");
        assert_eq!(
            score_answers(&m, &a),
            Err(LhsoError::MissingAnswer("behaviour_gain".into()))
        );
        let mut a = mildest_answers();
        a.insert("behaviour_gain".into(), "maybe".into());
        assert!(matches!(
            score_answers(&m, &a),
            Err(LhsoError::UnknownAnswer { .. })
        ));
    }

    #[test]
    fn answers_arrive_over_the_wire_as_json_values() {
        let m = MatrixConfig::default_2022();
        let body = json!({"answers": mildest_answers(), "repeat_offence": true});
        let a = assess_request(&m, request(body)).unwrap();
        assert_eq!(a.cell, cell("B1"));
        assert!(a.explanation.iter().any(|s| s.contains("A wordt B")));
        assert!(assess_request(&m, request(json!({"answers": {"behaviour_gain": [1]}}))).is_err());
    }

    #[test]
    fn a_repeat_offence_raises_the_behaviour_one_step_and_stops_at_d() {
        let m = MatrixConfig::default_2022();
        let raised = assess(
            &m,
            &AssessmentInput::direct(cell("B2")).with_repeat_offence(true),
        )
        .unwrap();
        assert_eq!(raised.cell, cell("C2"));
        let capped = assess(
            &m,
            &AssessmentInput::direct(cell("D2")).with_repeat_offence(true),
        )
        .unwrap();
        assert_eq!(capped.cell, cell("D2"));
        assert!(capped
            .explanation
            .iter()
            .any(|s| s.contains("zwaarste letter")));
    }

    #[test]
    fn a_factor_that_only_weighs_is_explained_without_changing_the_cell() {
        let m = MatrixConfig::default_2022();
        let mut input = AssessmentInput::direct(cell("A2"));
        input.aggravating.insert("financial_gain".into());
        let a = assess(&m, &input).unwrap();
        assert_eq!(a.cell, cell("A2"));
        assert!(a
            .explanation
            .iter()
            .any(|s| s.contains("Financieel voordeel")));
        input.aggravating.insert("bribery".into());
        assert_eq!(
            assess(&m, &input),
            Err(LhsoError::UnknownFactor("bribery".into()))
        );
    }

    #[test]
    fn the_remedy_deadline_counts_days_from_the_inspection_date() {
        let m = MatrixConfig::default_2022();
        let a = assess(&m, &AssessmentInput::direct(cell("A2"))).unwrap();
        let inspected = NaiveDate::from_ymd_opt(2025, 12, 20).unwrap();
        assert_eq!(a.remedy_days, Some(28));
        assert_eq!(
            a.remedy_deadline(inspected),
            NaiveDate::from_ymd_opt(2026, 1, 17)
        );
        assert_eq!(remedy_deadline(inspected, None), None);
    }

    #[test]
    fn a_deviation_needs_a_written_reason() {
        let (b3, c3) = (cell("B3"), cell("C3"));
        assert_eq!(
            choose_cell(b3, c3, Some("  ")),
            Err(LhsoError::DeviationWithoutReason {
                suggested: b3,
                chosen: c3
            })
        );
        assert!(choose_cell(b3, c3, None).is_err());
        let choice = choose_cell(b3, c3, Some("Eerder schriftelijk gewaarschuwd")).unwrap();
        assert!(choice.deviated);
        assert_eq!(
            choice.reason.as_deref(),
            Some("Eerder schriftelijk gewaarschuwd")
        );
        let same = choose_cell(b3, b3, None).unwrap();
        assert!(!same.deviated);
    }

    #[test]
    fn heaviest_only_scores_one_violation_and_all_violations_scores_every_one() {
        let cells = [cell("A2"), cell("C3"), cell("B2"), cell("C3")];
        let heaviest = scored_violations(ScoringMode::HeaviestOnly, &cells, |c| *c);
        assert_eq!(heaviest.len(), 1);
        assert!(
            std::ptr::eq(heaviest[0], &cells[1]),
            "the first of equally grave violations wins"
        );
        assert_eq!(
            scored_violations(ScoringMode::AllViolations, &cells, |c| *c).len(),
            4
        );
        assert!(
            scored_violations(ScoringMode::HeaviestOnly, &[] as &[LhsoCell], |c| *c).is_empty()
        );
        assert_eq!(
            serde_json::to_string(&ScoringMode::AllViolations).unwrap(),
            "\"all_violations\""
        );
    }
}
