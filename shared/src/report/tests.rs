//! The realisation figures against a small fixture whose answers are worked out by hand below.

use std::str::FromStr;

use chrono::NaiveDate;

use super::*;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, day).unwrap()
}

fn cell(s: &str) -> LhsoCell {
    s.parse().unwrap()
}

fn line(
    product: &str,
    authority: &str,
    group: &str,
    sector: Option<&str>,
    count: i64,
    hours: f64,
) -> LineInput {
    LineInput {
        product: product.into(),
        authority_id: authority.into(),
        task_group: group.into(),
        sector: sector.map(Into::into),
        planned_count: count,
        planned_hours: hours,
        focus_point_id: None,
    }
}

fn inspection(
    id: &str,
    authority: &str,
    sector: &str,
    on: NaiveDate,
    hours: f64,
    compliant: bool,
    re: bool,
) -> InspectionInput {
    InspectionInput {
        id: id.into(),
        site_name: format!("Site {id}"),
        authority_id: authority.into(),
        sector: sector.into(),
        inspected_on: on,
        hours,
        compliant,
        reinspection: re,
    }
}

fn penalty(
    kind: PenaltyKind,
    on: NaiveDate,
    cents: i64,
    case_id: &str,
    authority_id: &str,
) -> PenaltyInput {
    PenaltyInput {
        kind,
        on,
        cents,
        case_id: case_id.to_owned(),
        site_name: format!("Locatie van {case_id}"),
        authority_id: authority_id.to_owned(),
        cell: "C3".parse().unwrap(),
        found_on: d(3, 1),
    }
}

fn violation(
    inspection: &str,
    c: &str,
    suggested: &str,
    repeat: bool,
    i: Intervention,
    boa: bool,
    r: Reinspected,
) -> ViolationInput {
    ViolationInput {
        inspection_id: inspection.into(),
        cell: cell(c),
        suggested_cell: cell(suggested),
        repeat_offence: repeat,
        intervention: i,
        boa_consultation: boa,
        reinspected: r,
    }
}

/// Two authorities (GM1: garages and a project; GM2: horeca), six inspections.
fn fixture(months: u32, as_of: Option<NaiveDate>) -> ReportInput {
    ReportInput {
        year: 2025,
        months,
        as_of,
        authorities: vec![
            AuthorityInput {
                id: "gm1".into(),
                name: "Aalten".into(),
            },
            AuthorityInput {
                id: "gm2".into(),
                name: "Berkelland".into(),
            },
        ],
        lines: vec![
            line(
                "Controle garagebedrijven",
                "gm1",
                "basistaak",
                Some("garage"),
                10,
                40.0,
            ),
            line("Project asbestdaken", "gm1", "project", None, 5, 20.0),
            line(
                "Controle horeca",
                "gm2",
                "basistaak",
                Some("hospitality"),
                4,
                12.0,
            ),
        ],
        focus_points: vec![],
        inspections: vec![
            // GM1 garages: a1 compliant (Feb), a2 with two violations (Mar), a3 re-inspection (Jun).
            inspection("a1", "gm1", "garage", d(2, 10), 4.0, true, false),
            inspection("a2", "gm1", "garage", d(3, 5), 5.5, false, false),
            inspection("a3", "gm1", "garage", d(6, 20), 1.5, true, true),
            // GM1 retail: no line covers it.
            inspection("a4", "gm1", "retail", d(9, 1), 2.0, true, false),
            // GM2 horeca: b1 one violation remedied later (Apr), b2 one violation not remedied (Nov).
            inspection("b1", "gm2", "hospitality", d(4, 30), 3.0, false, false),
            inspection("b2", "gm2", "hospitality", d(11, 2), 3.0, false, false),
        ],
        violations: vec![
            violation(
                "a2",
                "B2",
                "B2",
                false,
                Intervention::Warn,
                false,
                Reinspected::Remedied,
            ),
            violation(
                "a2",
                "C3",
                "B3",
                true,
                Intervention::PenaltyOrder,
                true,
                Reinspected::Remedied,
            ),
            violation(
                "b1",
                "A1",
                "A1",
                false,
                Intervention::Inform,
                false,
                Reinspected::Remedied,
            ),
            violation(
                "b2",
                "D1",
                "D1",
                false,
                Intervention::Warn,
                true,
                Reinspected::NotRemedied,
            ),
        ],
        penalties: vec![
            // Case "c1" (a2's penalty order, GM1): forfeited in July, collected in October.
            penalty(PenaltyKind::Forfeited, d(7, 1), 150_000, "c1", "gm1"),
            penalty(PenaltyKind::Collected, d(10, 1), 150_000, "c1", "gm1"),
            // An older case of GM2, forfeited the year before.
            penalty(
                PenaltyKind::Forfeited,
                NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
                99,
                "c0",
                "gm2",
            ),
        ],
    }
}

fn count_of(cells: &[CellCount], c: &str) -> i64 {
    cells.iter().find(|x| x.cell == cell(c)).unwrap().count
}

#[test]
fn the_whole_year_matches_the_hand_computed_figures() {
    let r = realisation(&fixture(12, None), None).unwrap();
    // Planned: 10 + 5 + 4 = 19 inspections, 40 + 20 + 12 = 72 hours.
    assert_eq!(
        r.planned,
        Volume {
            count: 19,
            hours: 72.0
        }
    );
    // Realised: six inspections, 4 + 5.5 + 1.5 + 2 + 3 + 3 = 19 hours.
    assert_eq!(
        r.realised,
        Volume {
            count: 6,
            hours: 19.0
        }
    );
    assert_eq!(r.through, d(12, 31));
    // The whole year elapsed: the forecast is what was realised.
    assert_eq!(
        r.forecast,
        Some(Volume {
            count: 6,
            hours: 19.0
        })
    );

    // GM1: planned 15 / 60 h, realised a1..a4 = 4 / 13 h; GM2: planned 4 / 12 h, realised 2 / 6 h.
    assert_eq!(r.by_authority.len(), 2);
    assert_eq!(
        (
            r.by_authority[0].name.as_str(),
            r.by_authority[0].planned,
            r.by_authority[0].realised
        ),
        (
            "Aalten",
            Volume {
                count: 15,
                hours: 60.0
            },
            Volume {
                count: 4,
                hours: 13.0
            }
        )
    );
    assert_eq!(
        (r.by_authority[1].planned, r.by_authority[1].realised),
        (
            Volume {
                count: 4,
                hours: 12.0
            },
            Volume {
                count: 2,
                hours: 6.0
            }
        )
    );

    // Garages realised by a1, a2, a3 (11 h); the project by nothing; horeca by b1, b2; retail
    // (a4) is outside the programme and comes last.
    let product = |name: Option<&str>| {
        r.by_product
            .iter()
            .find(|p| p.product.as_deref() == name)
            .unwrap()
    };
    assert_eq!(
        product(Some("Controle garagebedrijven")).realised,
        Volume {
            count: 3,
            hours: 11.0
        }
    );
    assert_eq!(
        product(Some("Project asbestdaken")).realised,
        Volume::default()
    );
    assert_eq!(
        product(Some("Controle horeca")).realised,
        Volume {
            count: 2,
            hours: 6.0
        }
    );
    assert_eq!(
        product(None).realised,
        Volume {
            count: 1,
            hours: 2.0
        }
    );
    assert_eq!(product(None).planned, Volume::default());
    assert!(r.by_product.last().unwrap().product.is_none());

    // Task groups: basistaak planned 14 / 52 h, realised 5 / 17 h; project 5 / 20 h, nothing
    // realised; unassigned: a4.
    let group = |g: Option<&str>| {
        r.by_task_group
            .iter()
            .find(|t| t.task_group.as_deref() == g)
            .unwrap()
    };
    assert_eq!(
        (
            group(Some("basistaak")).planned,
            group(Some("basistaak")).realised
        ),
        (
            Volume {
                count: 14,
                hours: 52.0
            },
            Volume {
                count: 5,
                hours: 17.0
            }
        )
    );
    assert_eq!(group(Some("project")).realised.count, 0);
    assert_eq!(group(None).realised.count, 1);

    // Compliance: first inspections a1, a2, a4, b1, b2 (a3 is a re-inspection) = 5; compliant
    // a1 and a4 = 2 (40 %); after re-inspection also a2 (both remedied) and b1 = 4 (80 %); b2 not.
    assert_eq!(
        r.compliance,
        Compliance {
            first_inspections: 5,
            compliant_at_first: 2,
            compliant_after_reinspection: 4,
            rate_first: Some(40.0),
            rate_after_reinspection: Some(80.0),
        }
    );

    // LHSO: four violations in B2, C3, A1, D1. Heaviest per inspection: a2 -> C3 (distance 4
    // beats B2's 2), b1 -> A1, b2 -> D1: three inspections.
    let l = &r.lhso;
    assert_eq!((l.violations, l.inspections_with_violations), (4, 3));
    assert_eq!(l.all_violations.len(), 16);
    for c in ["B2", "C3", "A1", "D1"] {
        assert_eq!(count_of(&l.all_violations, c), 1, "{c}");
    }
    assert_eq!(count_of(&l.heaviest_per_inspection, "C3"), 1);
    assert_eq!(count_of(&l.heaviest_per_inspection, "B2"), 0);
    assert_eq!(
        l.heaviest_per_inspection
            .iter()
            .map(|c| c.count)
            .sum::<i64>(),
        3
    );
    // One repeat (25 %), one deviation C3 vs B3 (25 %), two BOA cells (50 %).
    assert_eq!(
        (l.repeat_offence_rate, l.deviation_rate, l.boa_share),
        (Some(25.0), Some(25.0), Some(50.0))
    );

    // Interventions: warn twice, inform and penalty order once, in severity order.
    let interventions: Vec<(Intervention, i64)> = r
        .interventions
        .iter()
        .map(|i| (i.intervention, i.count))
        .collect();
    assert_eq!(
        interventions,
        vec![
            (Intervention::Inform, 1),
            (Intervention::Warn, 2),
            (Intervention::PenaltyOrder, 1)
        ]
    );
    // Penalties: the 2024 forfeiture is outside the year.
    assert_eq!(
        r.penalties,
        Penalties {
            forfeited_count: 1,
            forfeited_cents: 150_000,
            collected_count: 1,
            collected_cents: 150_000
        }
    );
}

#[test]
fn by_authority_adds_up_to_the_totals() {
    for months in PERIODS {
        let r = realisation(&fixture(months, None), None).unwrap();
        let sum = |f: fn(&AuthorityRow) -> Volume| {
            r.by_authority.iter().fold(Volume::default(), |mut acc, a| {
                acc.add(f(a).count, f(a).hours);
                acc
            })
        };
        assert_eq!(sum(|a| a.planned), r.planned);
        assert_eq!(sum(|a| a.realised).count, r.realised.count);
        assert!((sum(|a| a.realised).hours - r.realised.hours).abs() < 1e-9);
    }
}

#[test]
fn the_four_month_view_stops_at_the_end_of_april() {
    // Through 30-04: a1, a2 and b1 (30-04 itself) = 3 inspections, 12.5 hours.
    let r = realisation(&fixture(4, None), None).unwrap();
    assert_eq!(r.through, d(4, 30));
    assert_eq!(
        r.realised,
        Volume {
            count: 3,
            hours: 12.5
        }
    );
    // 120 of 365 days: 3 * 365 / 120 = 9.125 -> 9.
    assert_eq!(r.forecast.unwrap().count, 9);
    // Cumulative progress: Jan 0, Feb 1, Mar 2, Apr 3, then no realised figure.
    let realised: Vec<Option<i64>> = r.progress.iter().map(|p| p.realised).collect();
    assert_eq!(&realised[..5], &[Some(0), Some(1), Some(2), Some(3), None]);
    // Planned spreads 19 evenly: 19 * 4 / 12 = 6.33 -> 6.3 at the end of April.
    assert_eq!(r.progress[3].planned, 6.3);
    // b2's violation (November) is not counted: one BOA cell of three violations.
    assert_eq!(r.lhso.violations, 3);
    assert_eq!(r.penalties, Penalties::default());
}

#[test]
fn the_reference_date_cuts_the_running_year() {
    let r = realisation(&fixture(12, Some(d(6, 30))), None).unwrap();
    assert_eq!(r.through, d(6, 30));
    // a1, a2, b1, a3 by 30-06.
    assert_eq!(r.realised.count, 4);
    assert_eq!(r.progress[5].realised, Some(4));
    assert_eq!(r.progress[6].realised, None);
    // 181 days: 4 * 365 / 181 = 8.07 -> 8.
    assert_eq!(r.forecast.unwrap().count, 8);
}

#[test]
fn one_authority_sees_only_its_own_figures() {
    let r = realisation(&fixture(12, None), Some("gm2")).unwrap();
    assert_eq!(r.by_authority.len(), 1);
    assert_eq!(
        r.planned,
        Volume {
            count: 4,
            hours: 12.0
        }
    );
    assert_eq!(
        r.realised,
        Volume {
            count: 2,
            hours: 6.0
        }
    );
    assert_eq!(r.lhso.violations, 2);
    assert_eq!(r.compliance.first_inspections, 2);
    assert_eq!(r.compliance.compliant_after_reinspection, 1);
}

#[test]
fn a_year_without_data_is_valid_and_empty() {
    let input = ReportInput {
        year: 2030,
        months: 12,
        ..ReportInput::default()
    };
    let r = realisation(&input, None).unwrap();
    assert_eq!(
        (r.planned, r.realised),
        (Volume::default(), Volume::default())
    );
    assert_eq!(r.compliance.rate_first, None);
    assert_eq!(r.lhso.boa_share, None);
    assert_eq!(r.progress.len(), 12);
    assert!(r.by_product.is_empty() && r.interventions.is_empty());
}

#[test]
fn a_year_that_has_not_started_has_no_forecast() {
    let input = ReportInput {
        year: 2030,
        months: 12,
        as_of: NaiveDate::from_ymd_opt(2029, 6, 1),
        ..ReportInput::default()
    };
    let r = realisation(&input, None).unwrap();
    assert_eq!(r.forecast, None);
    assert!(r.progress.iter().all(|p| p.realised.is_none()));
}

#[test]
fn every_figure_has_a_definition() {
    let keys: Vec<&str> = definitions().iter().map(|(k, _)| *k).collect();
    for k in [
        "realised",
        "planned",
        "forecast",
        "rate_first",
        "rate_after_reinspection",
        "all_violations",
        "heaviest_per_inspection",
        "repeat_offence_rate",
        "deviation_rate",
        "boa_share",
        "interventions",
        "penalties",
    ] {
        assert!(keys.contains(&k), "{k}");
    }
}

#[test]
fn the_summary_says_the_figures_in_dutch() {
    let r = realisation(&fixture(12, None), None).unwrap();
    let text = summary(&r);
    assert_eq!(text[0], "In 2025 voerden we 6 van de 19 geplande controles uit (31,6 %), met 19 van de 72 geplande uren.");
    assert_eq!(text[1], "Bij 2 van de 5 eerste controles werd geen overtreding gevonden (40,0 %); na hercontrole was 80,0 % in orde.");
    assert!(
        text[2].starts_with(
            "We stelden 4 overtredingen vast bij 3 controles; 25,0 % was een herhaalde overtreding"
        ),
        "{}",
        text[2]
    );
    assert_eq!(
        text[3],
        "1 dwangsom raakte verbeurd (€ 1.500,00); € 1.500,00 werd ingevorderd."
    );
    let part = realisation(&fixture(12, Some(d(6, 30))), None).unwrap();
    let text = summary(&part);
    assert!(
        text[0].starts_with("In 2025 tot en met 30-06-2025 voerden we 4 van de 19"),
        "{}",
        text[0]
    );
    assert!(
        text[1].starts_with("In dit tempo komen we op 8 controles"),
        "{}",
        text[1]
    );
}

#[test]
fn the_progress_curve_stops_at_the_reference_date_and_the_forecast_runs_on_from_there() {
    // Through 15-06 (day 166 of 365): the month ends January to May, then 15-06 itself, and the
    // forecast from there to 31 December.
    let r = realisation(&fixture(12, Some(d(6, 15))), None).unwrap();
    let curve = realised_curve(&r);
    assert_eq!(curve.first(), Some(&(0.0, 0.0)));
    // Jan..May ends (0, 1, 2, 3, 3) and 15-06 itself with a3 not yet done: 3 inspections.
    assert_eq!(curve.len(), 7);
    let (at, n) = *curve.last().unwrap();
    assert!(
        (at - 166.0 / 365.0 * 12.0).abs() < 1e-9 && n == 3.0,
        "{at} {n}"
    );
    let ((m1, v1), (m2, v2)) = forecast_segment(&r).unwrap();
    assert_eq!((m1, v1, m2), (at, 3.0, 12.0));
    assert_eq!(v2, r.forecast.unwrap().count as f64);
    // A finished year has its twelve month ends and no forecast segment.
    let whole = realisation(&fixture(12, None), None).unwrap();
    assert_eq!(realised_curve(&whole).len(), 13);
    assert_eq!(forecast_segment(&whole), None);
    assert_eq!(task_group_nl(Some("basistaak")), "Basistaken");
    assert_eq!(task_group_nl(None), "Buiten het programma");
}

#[test]
fn a_drill_down_lists_the_inspections_behind_a_figure() {
    let input = fixture(12, None);
    let ids = |filter: DrillDown| -> Vec<String> {
        drill_down(&input, None, &filter)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    // Garages realised by a1, a2, a3 (newest first); GM2 by b1, b2.
    assert_eq!(
        ids(DrillDown {
            product: Some("Controle garagebedrijven".into()),
            ..Default::default()
        }),
        ["a3", "a2", "a1"]
    );
    assert_eq!(
        ids(DrillDown {
            authority_id: Some("gm2".into()),
            ..Default::default()
        }),
        ["b2", "b1"]
    );
    assert_eq!(
        ids(DrillDown {
            task_group: Some("basistaak".into()),
            ..Default::default()
        })
        .len(),
        5
    );
    // B2 is found at a2 but is not its heaviest (C3 is).
    let b2 = LhsoCell::from_str("B2").unwrap();
    assert_eq!(
        ids(DrillDown {
            cell: Some(b2),
            ..Default::default()
        }),
        ["a2"]
    );
    assert!(ids(DrillDown {
        cell: Some(b2),
        heaviest: true,
        ..Default::default()
    })
    .is_empty());
    let c3 = LhsoCell::from_str("C3").unwrap();
    assert_eq!(
        ids(DrillDown {
            cell: Some(c3),
            heaviest: true,
            ..Default::default()
        }),
        ["a2"]
    );
    // The counts agree with the figures they open.
    let r = realisation(&input, None).unwrap();
    let garages = r
        .by_product
        .iter()
        .find(|p| p.product.as_deref() == Some("Controle garagebedrijven"))
        .unwrap();
    assert_eq!(garages.realised.count, 3);
    let row = &drill_down(
        &input,
        None,
        &DrillDown {
            authority_id: Some("gm1".into()),
            ..Default::default()
        },
    )
    .unwrap()[0];
    assert_eq!((row.site_name.as_str(), row.cells.len()), ("Site a4", 0));
    // An authority scope limits the drill-down as it limits the figures.
    assert!(drill_down(
        &input,
        Some("gm2"),
        &DrillDown {
            authority_id: Some("gm1".into()),
            ..Default::default()
        }
    )
    .unwrap()
    .is_empty());
}

#[test]
fn key_figures_drill_down_to_the_inspections_they_count() {
    let input = fixture(12, None);
    let ids = |figure: Option<DrillFigure>, intervention: Option<Intervention>| -> Vec<String> {
        let filter = DrillDown {
            figure,
            intervention,
            ..Default::default()
        };
        let mut ids: Vec<String> = drill_down(&input, None, &filter)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        ids.sort();
        ids
    };
    // First inspections a1, a2, a4, b1, b2; of those a1 and a4 without a violation; a3 is the
    // re-inspection. Violations at a2 (B2, C3 repeat, deviation from B3, BOA cell), b1 (A1) and
    // b2 (D1, BOA cell).
    use DrillFigure::*;
    assert_eq!(
        ids(Some(FirstInspections), None),
        ["a1", "a2", "a4", "b1", "b2"]
    );
    assert_eq!(ids(Some(CompliantFirst), None), ["a1", "a4"]);
    assert_eq!(ids(Some(Reinspections), None), ["a3"]);
    assert_eq!(ids(Some(WithViolations), None), ["a2", "b1", "b2"]);
    assert_eq!(ids(Some(RepeatOffence), None), ["a2"]);
    assert_eq!(ids(Some(Deviation), None), ["a2"]);
    assert_eq!(ids(Some(Boa), None), ["a2", "b2"]);
    assert_eq!(ids(None, Some(Intervention::Warn)), ["a2", "b2"]);
    assert_eq!(ids(None, Some(Intervention::Inform)), ["b1"]);
    assert_eq!(
        ids(Some(Boa), Some(Intervention::Inform)),
        Vec::<String>::new()
    );
    // The counts are the figures' own.
    let r = realisation(&input, None).unwrap();
    assert_eq!(
        ids(Some(FirstInspections), None).len() as i64,
        r.compliance.first_inspections
    );
    assert_eq!(
        ids(Some(CompliantFirst), None).len() as i64,
        r.compliance.compliant_at_first
    );
    assert_eq!(
        ids(Some(WithViolations), None).len() as i64,
        r.lhso.inspections_with_violations
    );
}

#[test]
fn focus_points_measure_their_indicator_on_the_inspections_of_their_lines() {
    let mut input = fixture(12, None);
    input.lines[0].focus_point_id = Some("fp-garages".into());
    input.lines[2].focus_point_id = Some("fp-horeca".into());
    input.focus_points = vec![
        FocusPointInput {
            id: "fp-garages".into(),
            title: "Veilige garages".into(),
            goal: "Minder bodemverontreiniging".into(),
            measure: FocusMeasure::ComplianceFirst,
            target_percent: 50.0,
        },
        FocusPointInput {
            id: "fp-horeca".into(),
            title: "Horeca".into(),
            goal: String::new(),
            measure: FocusMeasure::Realisation,
            target_percent: 80.0,
        },
        FocusPointInput {
            id: "fp-empty".into(),
            title: "Nog zonder regels".into(),
            goal: String::new(),
            measure: FocusMeasure::ComplianceAfterReinspection,
            target_percent: 90.0,
        },
    ];
    let r = realisation(&input, None).unwrap();
    let [garages, horeca, empty] = r.by_focus_point.as_slice() else {
        panic!("three focus points: {:?}", r.by_focus_point)
    };
    // The garage line (10 planned) is realised by a1, a2 and the re-inspection a3; of the first
    // inspections a1 and a2, a1 complied: 50 %, which reaches the 50 % target.
    assert_eq!((garages.planned.count, garages.realised.count), (10, 3));
    assert_eq!(
        (garages.value_percent, garages.met),
        (Some(50.0), Some(true))
    );
    // The horeca line: 2 of 4 realised, 50 % against a target of 80 %.
    assert_eq!(
        (horeca.value_percent, horeca.met),
        (Some(50.0), Some(false))
    );
    // Nothing to measure: no value, no verdict.
    assert_eq!(
        (empty.planned.count, empty.value_percent, empty.met),
        (0, None, None)
    );
    assert_eq!(
        focus_point_sentence(garages),
        "Speerpunt Veilige garages: naleving bij eerste controle 50,0 %, doel 50 %: gehaald."
    );
    assert_eq!(
        focus_point_sentence(empty),
        "Speerpunt Nog zonder regels: naleving na hercontrole nog niet te meten, doel 90 %."
    );
    assert!(summary(&r).contains(&focus_point_sentence(horeca)));
    assert_eq!(
        (target_nl(92.5), target_nl(80.0), target_nl(100.0)),
        ("92,5 %".into(), "80 %".into(), "100 %".into())
    );
    // One authority's report sees only its own lines of a focus point.
    let gm2 = realisation(&input, Some("gm2")).unwrap();
    assert_eq!(gm2.by_focus_point[0].planned.count, 0);
    assert_eq!(gm2.by_focus_point[1].realised.count, 2);
}

#[test]
fn the_penalty_drill_down_lists_the_steps_the_penalty_figures_count() {
    let input = fixture(12, None);
    let cases =
        |authority: Option<&str>, kind: Option<PenaltyKind>| -> Vec<(String, PenaltyKind)> {
            penalty_drill_down(&input, authority, kind)
                .unwrap()
                .into_iter()
                .map(|p| (p.case_id, p.kind))
                .collect()
        };
    // The region: c1's collection (October) before its forfeiture (July); c0's forfeiture of
    // 31-12-2024 lies before the year, as in the figure (one forfeited, one collected).
    assert_eq!(
        cases(None, None),
        vec![
            ("c1".to_owned(), PenaltyKind::Collected),
            ("c1".to_owned(), PenaltyKind::Forfeited)
        ]
    );
    let r = realisation(&input, None).unwrap();
    assert_eq!(
        cases(None, Some(PenaltyKind::Forfeited)).len() as i64,
        r.penalties.forfeited_count
    );
    assert_eq!(
        cases(None, Some(PenaltyKind::Collected)).len() as i64,
        r.penalties.collected_count
    );
    // GM2 has no penalty in 2025.
    assert!(cases(Some("gm2"), None).is_empty());
    assert_eq!(cases(Some("gm1"), None).len(), 2);
    // The four-month view ends on 30 April, before either step.
    assert!(penalty_drill_down(&fixture(4, None), None, None)
        .unwrap()
        .is_empty());
}
