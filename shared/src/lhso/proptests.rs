//! Property tests of the LHSO engine against the shipped default matrix.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use proptest::sample::Index;

use super::*;

fn matrix() -> MatrixConfig {
    MatrixConfig::default_2022()
}

fn any_cell() -> impl Strategy<Value = LhsoCell> {
    (0..4usize, 0..4usize).prop_map(|(c, b)| LhsoCell::new(Consequence::ALL[c], Behaviour::ALL[b]))
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    // 1990..2100: far inside chrono's range, like every real inspection.
    (726_000i32..767_000).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap())
}

/// One option index per question of the default matrix, in matrix order.
fn any_answer_choice() -> impl Strategy<Value = Vec<Index>> {
    let m = matrix();
    let n = m.data().consequence.questions.len() + m.data().behaviour.questions.len();
    prop::collection::vec(any::<Index>(), n)
}

fn questions(m: &MatrixConfig) -> Vec<&Question> {
    m.data()
        .consequence
        .questions
        .iter()
        .chain(&m.data().behaviour.questions)
        .collect()
}

fn answers_from(m: &MatrixConfig, choice: &[usize]) -> BTreeMap<String, String> {
    questions(m)
        .into_iter()
        .zip(choice)
        .map(|(q, &i)| (q.id.clone(), q.options[i].value.clone()))
        .collect()
}

fn option_indices(m: &MatrixConfig, choice: &[Index]) -> Vec<usize> {
    questions(m)
        .into_iter()
        .zip(choice)
        .map(|(q, i)| i.index(q.options.len()))
        .collect()
}

fn severity(m: &MatrixConfig, a: &Assessment) -> Severity {
    m.severity(a.cell)
}

const BOA_CELLS: [&str; 10] = ["A4", "B3", "B4", "C2", "C3", "C4", "D1", "D2", "D3", "D4"];

proptest! {
    #[test]
    fn default_advice_is_monotone_in_both_axes(a in any_cell(), b in any_cell()) {
        let m = matrix();
        if b.dominates(a) {
            prop_assert!(!m.severity(b).is_lighter_than(m.severity(a)), "{} lighter than {}", b, a);
        }
    }

    #[test]
    fn default_matrix_consults_a_boa_exactly_in_the_documented_cells(c in any_cell()) {
        let m = matrix();
        prop_assert_eq!(m.cell(c).boa_consultation, BOA_CELLS.contains(&c.to_string().as_str()));
    }

    #[test]
    fn heavier_answers_never_give_lighter_advice(
        choice in any_answer_choice(),
        question in any::<Index>(),
        heavier in any::<Index>(),
        repeat in any::<bool>(),
    ) {
        let m = matrix();
        let qs = questions(&m);
        let base = option_indices(&m, &choice);
        // Swap one answer for an option of at least the same weight.
        let qi = question.index(qs.len());
        let current = qs[qi].options[base[qi]].weight;
        let candidates: Vec<usize> = (0..qs[qi].options.len())
            .filter(|&o| qs[qi].options[o].weight >= current)
            .collect();
        let mut graver = base.clone();
        graver[qi] = candidates[heavier.index(candidates.len())];

        let assess_with = |c: &[usize]| {
            assess(&m, &AssessmentInput::answers(answers_from(&m, c)).with_repeat_offence(repeat)).unwrap()
        };
        let (milder, worse) = (assess_with(&base), assess_with(&graver));
        prop_assert!(worse.cell.dominates(milder.cell));
        prop_assert!(!severity(&m, &worse).is_lighter_than(severity(&m, &milder)));
    }

    #[test]
    fn a_repeat_offence_never_makes_the_advice_lighter(
        cell in any_cell(),
        choice in any_answer_choice(),
        by_answers in any::<bool>(),
    ) {
        let m = matrix();
        let input = if by_answers {
            AssessmentInput::answers(answers_from(&m, &option_indices(&m, &choice)))
        } else {
            AssessmentInput::direct(cell)
        };
        let plain = assess(&m, &input).unwrap();
        let repeated = assess(&m, &input.clone().with_repeat_offence(true)).unwrap();
        prop_assert!(repeated.cell.dominates(plain.cell));
        prop_assert!(!severity(&m, &repeated).is_lighter_than(severity(&m, &plain)));
        prop_assert!(repeated.remedy_days.unwrap_or(0) <= plain.remedy_days.unwrap_or(u32::MAX));
    }

    #[test]
    fn every_assessment_records_the_matrix_version(cell in any_cell(), repeat in any::<bool>()) {
        let m = matrix();
        let a = assess(&m, &AssessmentInput::direct(cell).with_repeat_offence(repeat)).unwrap();
        prop_assert_eq!(a.matrix_version.as_str(), DEFAULT_MATRIX_VERSION);
        prop_assert_eq!(&a.interventions, &m.cell(a.cell).interventions);
        prop_assert!(!a.explanation.is_empty());
    }

    #[test]
    fn the_remedy_deadline_is_the_inspection_date_plus_the_remedy_days(cell in any_cell(), date in any_date()) {
        let m = matrix();
        let a = assess(&m, &AssessmentInput::direct(cell)).unwrap();
        let deadline = a.remedy_deadline(date);
        match a.remedy_days {
            Some(days) => prop_assert_eq!(deadline, Some(date + Days::new(u64::from(days)))),
            None => prop_assert_eq!(deadline, None),
        }
    }

    #[test]
    fn out_of_range_axes_are_refused(c in any::<i64>(), b in any::<char>()) {
        let m = matrix();
        let request = AssessRequest { consequence: Some(c), behaviour: Some(b.to_string()), ..Default::default() };
        let valid = (1..=4).contains(&c) && ('A'..='D').contains(&b.to_ascii_uppercase());
        let result = assess_request(&m, request);
        prop_assert_eq!(result.is_ok(), valid);
        if let Err(e) = result {
            prop_assert_eq!(e.code().as_str(), "lhso.invalid_input");
        }
    }
}
