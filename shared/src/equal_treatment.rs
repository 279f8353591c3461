//! Equal treatment (gelijke behandeling): for each LHSO cell over a period, the interventions each
//! inspector chose, how often they deviated from the suggested cell and the remedy periods they
//! granted, against the team. One stated rule marks outliers:
//!
//! > An inspector is an outlier for a cell when they have at least [`MIN_CASES`] cases in it and
//! > in more than [`OUTLIER_SHARE`] of them chose a lighter intervention than the team's typical
//! > one (the median of everyone's choices in that cell); likewise for heavier.
//!
//! The figures and the rule live here, once; the server reads the cases and the office draws them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::lhso::Intervention;

/// Fewer cases than this in a cell say nothing about an inspector.
pub const MIN_CASES: usize = 5;
/// More than this share of lighter (or heavier) choices than the team's typical one is an outlier.
pub const OUTLIER_SHARE: f64 = 0.5;

/// One assessed violation, as the figures need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub violation_id: String,
    /// The visit the violation was found on, when it came through a visit (a drill-down link).
    pub visit_id: Option<String>,
    pub inspector_id: String,
    pub inspector_name: String,
    pub inspected_on: NaiveDate,
    pub site_name: String,
    pub cell: String,
    pub suggested_cell: String,
    pub intervention: Intervention,
    /// Days between the inspection and the remedy deadline, when one was set.
    pub remedy_days: Option<i64>,
}

/// How often each intervention was chosen, lightest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chosen {
    pub intervention: Intervention,
    pub count: usize,
}

/// One inspector's figures in one cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectorFigures {
    pub inspector_id: String,
    pub name: String,
    pub cases: usize,
    pub interventions: Vec<Chosen>,
    /// Share of cases scored in this cell while the matrix suggested another.
    pub deviation_rate: f64,
    pub mean_remedy_days: Option<f64>,
    /// Cases with an intervention lighter / heavier than the team's typical one.
    pub lighter: usize,
    pub heavier: usize,
    /// The stated rule: enough cases and more than [`OUTLIER_SHARE`] lighter (or heavier).
    pub lighter_outlier: bool,
    pub heavier_outlier: bool,
}

/// One cell: the team's figures and each inspector's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellFigures {
    pub cell: String,
    pub cases: usize,
    /// The team's typical intervention: the median of every choice in the cell.
    pub typical: Intervention,
    pub interventions: Vec<Chosen>,
    pub deviation_rate: f64,
    pub mean_remedy_days: Option<f64>,
    pub inspectors: Vec<InspectorFigures>,
}

/// `GET /api/v1/reports/equal-treatment?from&to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EqualTreatment {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub min_cases: usize,
    pub outlier_share: f64,
    /// Cells in matrix order (`A1` .. `E5`).
    pub cells: Vec<CellFigures>,
}

/// `GET /api/v1/reports/equal-treatment/cases?from&to&cell[&inspector_id]`: the cases behind a
/// figure, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EqualTreatmentCases {
    pub cases: Vec<Case>,
}

fn chosen(cases: &[&Case]) -> Vec<Chosen> {
    let mut counts: BTreeMap<Intervention, usize> = BTreeMap::new();
    for c in cases {
        *counts.entry(c.intervention).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(intervention, count)| Chosen {
            intervention,
            count,
        })
        .collect()
}

fn deviation_rate(cases: &[&Case]) -> f64 {
    if cases.is_empty() {
        return 0.0;
    }
    cases.iter().filter(|c| c.cell != c.suggested_cell).count() as f64 / cases.len() as f64
}

fn mean_remedy_days(cases: &[&Case]) -> Option<f64> {
    let days: Vec<i64> = cases.iter().filter_map(|c| c.remedy_days).collect();
    (!days.is_empty()).then(|| days.iter().sum::<i64>() as f64 / days.len() as f64)
}

/// The lower median of the choices (a real choice, never an average of two).
fn typical(cases: &[&Case]) -> Option<Intervention> {
    let mut levels: Vec<Intervention> = cases.iter().map(|c| c.intervention).collect();
    levels.sort();
    levels.get(levels.len().saturating_sub(1) / 2).copied()
}

fn outlier(part: usize, cases: usize) -> bool {
    cases >= MIN_CASES && part as f64 > OUTLIER_SHARE * cases as f64
}

/// The figures of the cases inspected between `from` and `to` (inclusive).
pub fn equal_treatment(cases: &[Case], from: NaiveDate, to: NaiveDate) -> EqualTreatment {
    let mut by_cell: BTreeMap<String, Vec<&Case>> = BTreeMap::new();
    for c in cases
        .iter()
        .filter(|c| from <= c.inspected_on && c.inspected_on <= to)
    {
        by_cell.entry(c.cell.clone()).or_default().push(c);
    }
    let cells = by_cell
        .into_iter()
        .filter_map(|(cell, team)| {
            let typical = typical(&team)?;
            let mut by_inspector: BTreeMap<(&str, &str), Vec<&Case>> = BTreeMap::new();
            for c in &team {
                by_inspector
                    .entry((c.inspector_name.as_str(), c.inspector_id.as_str()))
                    .or_default()
                    .push(c);
            }
            let inspectors = by_inspector
                .into_iter()
                .map(|((name, id), own)| {
                    let lighter = own.iter().filter(|c| c.intervention < typical).count();
                    let heavier = own.iter().filter(|c| c.intervention > typical).count();
                    InspectorFigures {
                        inspector_id: id.to_owned(),
                        name: name.to_owned(),
                        cases: own.len(),
                        interventions: chosen(&own),
                        deviation_rate: deviation_rate(&own),
                        mean_remedy_days: mean_remedy_days(&own),
                        lighter,
                        heavier,
                        lighter_outlier: outlier(lighter, own.len()),
                        heavier_outlier: outlier(heavier, own.len()),
                    }
                })
                .collect();
            Some(CellFigures {
                cases: team.len(),
                typical,
                interventions: chosen(&team),
                deviation_rate: deviation_rate(&team),
                mean_remedy_days: mean_remedy_days(&team),
                inspectors,
                cell,
            })
        })
        .collect();
    EqualTreatment {
        from,
        to,
        min_cases: MIN_CASES,
        outlier_share: OUTLIER_SHARE,
        cells,
    }
}

/// The cases behind a figure: a cell in the period, optionally one inspector's, newest first.
pub fn drill_down(
    cases: &[Case],
    from: NaiveDate,
    to: NaiveDate,
    cell: &str,
    inspector_id: Option<&str>,
) -> Vec<Case> {
    let mut out: Vec<Case> = cases
        .iter()
        .filter(|c| from <= c.inspected_on && c.inspected_on <= to && c.cell == cell)
        .filter(|c| inspector_id.is_none_or(|i| i == c.inspector_id))
        .cloned()
        .collect();
    out.sort_by(|a, b| {
        b.inspected_on
            .cmp(&a.inspected_on)
            .then_with(|| a.violation_id.cmp(&b.violation_id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Intervention::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn case(
        n: usize,
        who: &str,
        cell: &str,
        suggested: &str,
        i: Intervention,
        days: Option<i64>,
    ) -> Case {
        Case {
            violation_id: format!("v{n:02}"),
            visit_id: Some(format!("visit{n}")),
            inspector_id: who.to_owned(),
            inspector_name: format!("Inspecteur {who}"),
            inspected_on: day(1 + (n as u32 % 28)),
            site_name: format!("Bedrijf {n}"),
            cell: cell.to_owned(),
            suggested_cell: suggested.to_owned(),
            intervention: i,
            remedy_days: days,
        }
    }

    /// B3: the team mostly warns; inspector "a" informs in 4 of 5 cases (an outlier), "b" warns
    /// 7 times, "c" has only 2 cases (too few to judge) and both are lighter.
    fn cases() -> Vec<Case> {
        let mut out = Vec::new();
        let mut n = 0;
        let mut add = |who: &str, i: Intervention, suggested: &str, days: Option<i64>| {
            n += 1;
            out.push(case(n, who, "B3", suggested, i, days));
        };
        for _ in 0..4 {
            add("a", Inform, "B3", Some(14));
        }
        add("a", Warn, "B2", Some(28));
        for _ in 0..7 {
            add("b", Warn, "B3", Some(28));
        }
        add("c", Inform, "B3", None);
        add("c", Address, "B3", None);
        out.push(case(99, "b", "C4", "C4", PenaltyOrder, Some(42)));
        out
    }

    #[test]
    fn figures_per_cell_and_inspector_follow_the_stated_rule() {
        let all = cases();
        let report = equal_treatment(&all, day(1), day(31));
        assert_eq!(report.cells.len(), 2);
        let b3 = &report.cells[0];
        assert_eq!((b3.cell.as_str(), b3.cases, b3.typical), ("B3", 14, Warn));
        // 14 cases: Inform x5, Address x1, Warn x8 (sorted, the 7th is a warning); one
        // deviation; remedy days 4 x 14 + 8 x 28 over the 12 cases that have one.
        assert_eq!(
            b3.interventions,
            vec![
                Chosen {
                    intervention: Inform,
                    count: 5
                },
                Chosen {
                    intervention: Address,
                    count: 1
                },
                Chosen {
                    intervention: Warn,
                    count: 8
                },
            ]
        );
        assert_eq!(b3.deviation_rate, 1.0 / 14.0);
        assert_eq!(b3.mean_remedy_days, Some((4.0 * 14.0 + 8.0 * 28.0) / 12.0));
        let a = &b3.inspectors[0];
        assert_eq!(
            (a.name.as_str(), a.cases, a.lighter, a.heavier),
            ("Inspecteur a", 5, 4, 0)
        );
        assert!(
            a.lighter_outlier && !a.heavier_outlier,
            "4 of 5 lighter: more than half"
        );
        assert_eq!(a.deviation_rate, 0.2);
        let b = &b3.inspectors[1];
        assert!(!b.lighter_outlier && b.lighter == 0);
        let c = &b3.inspectors[2];
        assert_eq!((c.cases, c.lighter), (2, 2));
        assert!(!c.lighter_outlier, "two cases say nothing");
        assert_eq!(c.mean_remedy_days, None);
    }

    #[test]
    fn exactly_half_is_not_an_outlier_and_the_period_bounds_count() {
        assert!(!outlier(3, 6));
        assert!(outlier(4, 6));
        assert!(!outlier(4, 4), "below the minimum number of cases");
        let all = cases();
        let early = equal_treatment(&all, day(1), day(3));
        assert_eq!(
            early.cells.iter().map(|c| c.cases).sum::<usize>(),
            2,
            "days 2 and 3"
        );
    }

    #[test]
    fn the_drill_down_lists_the_cases_behind_a_figure_newest_first() {
        let all = cases();
        let a = drill_down(&all, day(1), day(31), "B3", Some("a"));
        assert_eq!(a.len(), 5);
        assert!(a.windows(2).all(|w| w[0].inspected_on >= w[1].inspected_on));
        assert_eq!(drill_down(&all, day(1), day(31), "B3", None).len(), 14);
        assert!(drill_down(&all, day(1), day(31), "A1", None).is_empty());
    }
}
