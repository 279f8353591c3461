//! The case machine: its documented route, the refusals, and properties over random step sequences.

use std::collections::HashSet;

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use super::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn cfg() -> EscalationConfig {
    EscalationConfig::default()
}

#[test]
fn a_letter_then_a_remedied_reinspection_closes_the_case() {
    let case = CaseFile::opened(day("2026-12-08"));
    assert_eq!(case.reinspection_due(), Some(day("2026-12-08")));
    let case = case
        .apply(
            Step::LetterSent {
                remedy_deadline: None,
            },
            day("2026-12-02"),
            &cfg(),
        )
        .unwrap();
    assert_eq!(
        (case.state, case.remedy_deadline),
        (CaseState::LetterSent, Some(day("2026-12-08")))
    );
    let case = case
        .apply(
            Step::Reinspected { remedied: true },
            day("2026-12-08"),
            &cfg(),
        )
        .unwrap();
    assert_eq!(case.state, CaseState::Closed);
    assert!(!case.is_open());
    assert_eq!(case.reinspection_due(), None);
}

#[test]
fn the_full_administrative_route_ends_in_a_collected_penalty() {
    let c = cfg();
    let case = CaseFile::opened(day("2026-03-10"));
    let case = case
        .apply(
            Step::LetterSent {
                remedy_deadline: None,
            },
            day("2026-03-02"),
            &c,
        )
        .unwrap();
    let case = case
        .apply(Step::Reinspected { remedied: false }, day("2026-03-10"), &c)
        .unwrap();
    assert_eq!(case.state, CaseState::NotRemedied);
    let (next, deadline) = case
        .proposed_next(Intervention::Warn, day("2026-03-10"), &c)
        .unwrap();
    assert_eq!(
        next,
        Step::IntentionSent {
            sanction: Sanction::PenaltyOrder,
            response_deadline: None
        }
    );
    assert_eq!(deadline, Some(day("2026-03-24")));
    let case = case
        .apply(
            Step::IntentionSent {
                sanction: Sanction::PenaltyOrder,
                response_deadline: None,
            },
            day("2026-03-11"),
            &c,
        )
        .unwrap();
    assert_eq!(case.response_deadline, Some(day("2026-03-25")));
    assert_eq!(
        case.reinspection_due(),
        None,
        "an intention waits for a response, not a visit"
    );
    let case = case
        .apply(Step::ResponseReceived, day("2026-03-20"), &c)
        .unwrap();
    let case = case
        .apply(
            Step::DecisionTaken {
                grace_deadline: None,
                amount_cents: Some(250_000),
            },
            day("2026-03-23"),
            &c,
        )
        .unwrap();
    assert_eq!(
        (case.state, case.grace_deadline),
        (CaseState::Decision, Some(day("2026-04-20")))
    );
    assert_eq!(case.reinspection_due(), Some(day("2026-04-20")));
    let case = case
        .apply(Step::Reinspected { remedied: false }, day("2026-04-21"), &c)
        .unwrap();
    assert_eq!(
        (case.state, case.forfeited_cents),
        (CaseState::Forfeited, Some(250_000))
    );
    let case = case
        .apply(
            Step::Collected {
                amount_cents: 250_000,
            },
            day("2026-05-30"),
            &c,
        )
        .unwrap();
    assert_eq!(
        (case.state, case.collected_cents),
        (CaseState::Collected, Some(250_000))
    );
    assert!(!case.is_open());
}

#[test]
fn acute_harm_skips_the_intention() {
    let case = CaseFile::opened(day("2026-03-10"))
        .apply(Step::AcuteHarm, day("2026-03-05"), &cfg())
        .unwrap();
    assert_eq!(case.state, CaseState::Decision);
    assert!(case.immediate);
    assert_eq!(case.sanction, Some(Sanction::EnforcementOrder));
    // 2026-03-06 is a Friday: the check is the next day.
    assert_eq!(case.reinspection_due(), Some(day("2026-03-06")));
}

#[test]
fn the_criminal_route_is_recorded_beside_the_state_once_and_in_order() {
    let c = cfg();
    let case = CaseFile::opened(day("2026-03-10"));
    assert!(matches!(
        case.apply(Step::ReferredToProsecutor, day("2026-03-03"), &c),
        Err(CaseError::InvalidTransition { .. })
    ));
    let case = case
        .apply(Step::OfficialReport, day("2026-03-03"), &c)
        .unwrap();
    assert_eq!(
        (case.state, case.official_report_on),
        (CaseState::Open, Some(day("2026-03-03")))
    );
    assert!(case
        .apply(Step::OfficialReport, day("2026-03-04"), &c)
        .is_err());
    let case = case
        .apply(Step::ReferredToProsecutor, day("2026-03-04"), &c)
        .unwrap();
    assert_eq!(case.referred_on, Some(day("2026-03-04")));
    let closed = case
        .apply(Step::Reinspected { remedied: true }, day("2026-03-10"), &c)
        .unwrap();
    assert_eq!(
        closed.referred_on,
        Some(day("2026-03-04")),
        "closing keeps the criminal route"
    );
}

#[test]
fn refusals_name_their_stable_code_and_change_nothing() {
    let c = cfg();
    let open = CaseFile::opened(day("2026-03-10"));
    let early = open.apply(Step::Reinspected { remedied: false }, day("2026-03-09"), &c);
    assert_eq!(
        early,
        Err(CaseError::DeadlineNotPassed {
            deadline: day("2026-03-10")
        })
    );
    assert_eq!(
        early.unwrap_err().code().as_str(),
        "enforcement.deadline_not_passed"
    );
    let wrong = open
        .apply(Step::Collected { amount_cents: 1 }, day("2026-03-09"), &c)
        .unwrap_err();
    assert_eq!(wrong.code().as_str(), "enforcement.invalid_transition");
    let past = open.apply(
        Step::LetterSent {
            remedy_deadline: Some(day("2026-03-01")),
        },
        day("2026-03-02"),
        &c,
    );
    assert_eq!(
        past.unwrap_err().code().as_str(),
        "enforcement.invalid_step"
    );
    let intention = open
        .apply(
            Step::IntentionSent {
                sanction: Sanction::PenaltyOrder,
                response_deadline: None,
            },
            day("2026-03-02"),
            &c,
        )
        .unwrap();
    let hasty = intention.apply(
        Step::DecisionTaken {
            grace_deadline: None,
            amount_cents: None,
        },
        day("2026-03-03"),
        &c,
    );
    assert_eq!(
        hasty,
        Err(CaseError::DeadlineNotPassed {
            deadline: day("2026-03-16")
        })
    );
    let closed = open
        .apply(Step::Reinspected { remedied: true }, day("2026-03-10"), &c)
        .unwrap();
    for step in [
        Step::LetterSent {
            remedy_deadline: None,
        },
        Step::AcuteHarm,
        Step::ResponseReceived,
    ] {
        assert!(
            closed.apply(step, day("2026-03-11"), &c).is_err(),
            "{step:?}"
        );
    }
    let negative = CaseFile {
        state: CaseState::Forfeited,
        forfeited_cents: Some(100),
        ..open
    };
    assert_eq!(
        negative.apply(Step::Collected { amount_cents: 0 }, day("2026-03-11"), &c),
        Err(CaseError::InvalidAmount)
    );
    assert_eq!(
        negative.apply(Step::Collected { amount_cents: 101 }, day("2026-03-11"), &c),
        Err(CaseError::InvalidAmount)
    );
}

#[test]
fn a_deadline_on_a_weekend_or_holiday_is_reinspected_on_the_next_working_day() {
    // Saturday 26 December 2026 (Tweede Kerstdag) -> Monday 28 December.
    assert_eq!(
        CaseFile::opened(day("2026-12-26")).reinspection_due(),
        Some(day("2026-12-28"))
    );
    assert_eq!(first_workday_from(day("2026-12-08")), day("2026-12-08"));
}

#[test]
fn steps_have_a_tagged_json_form_and_unknown_fields_are_refused() {
    let step: Step = serde_json::from_value(
        serde_json::json!({"step": "intention_sent", "sanction": "enforcement_order"}),
    )
    .unwrap();
    assert_eq!(
        step,
        Step::IntentionSent {
            sanction: Sanction::EnforcementOrder,
            response_deadline: None
        }
    );
    assert!(serde_json::from_value::<Step>(
        serde_json::json!({"step": "collected", "amount_cents": 5, "x": 1})
    )
    .is_err());
    assert!(serde_json::from_value::<Step>(serde_json::json!({"step": "pardon"})).is_err());
    assert_eq!(
        serde_json::to_value(CaseState::IntentionSent).unwrap(),
        "intention_sent"
    );
}

#[test]
fn the_order_after_a_case_follows_the_chosen_intervention() {
    assert_eq!(
        Sanction::following(Intervention::Warn),
        Sanction::PenaltyOrder
    );
    assert_eq!(
        Sanction::following(Intervention::EnforcementOrder),
        Sanction::EnforcementOrder
    );
    assert_eq!(
        Sanction::following(Intervention::TemporaryShutdown),
        Sanction::EnforcementOrder
    );
    assert_eq!(
        Sanction::following(Intervention::OfficialReport),
        Sanction::PenaltyOrder
    );
}

/// Every step, with parameters drawn from the strategy's numbers.
fn any_step() -> impl Strategy<Value = Step> {
    (0..11usize, any::<bool>(), 0..60u64, 1..500_000i64).prop_map(|(kind, flag, days, cents)| {
        let date = flag.then(|| day("2026-01-01") + Days::new(days * 3));
        let sanction = if flag {
            Sanction::PenaltyOrder
        } else {
            Sanction::EnforcementOrder
        };
        match kind {
            0 => Step::LetterSent {
                remedy_deadline: date,
            },
            1 => Step::Reinspected { remedied: flag },
            2 => Step::IntentionSent {
                sanction,
                response_deadline: date,
            },
            3 => Step::ResponseReceived,
            4 => Step::DecisionTaken {
                grace_deadline: date,
                amount_cents: flag.then_some(cents),
            },
            5 => Step::AcuteHarm,
            6 => Step::Forfeited {
                amount_cents: cents,
            },
            7 => Step::Collected {
                amount_cents: cents,
            },
            8 => Step::OfficialReport,
            9 => Step::ReferredToProsecutor,
            _ => Step::Reinspected { remedied: false },
        }
    })
}

/// The states a state may be entered from (besides staying where it is): the documented route.
fn allowed_predecessors(state: CaseState) -> &'static [CaseState] {
    use CaseState as S;
    match state {
        S::Open => &[],
        S::LetterSent => &[S::Open],
        S::NotRemedied => &[S::Open, S::LetterSent],
        S::IntentionSent => &[S::Open, S::NotRemedied],
        S::ResponseReceived => &[S::IntentionSent],
        S::Decision => &[
            S::Open,
            S::LetterSent,
            S::NotRemedied,
            S::IntentionSent,
            S::ResponseReceived,
        ],
        S::Forfeited => &[S::Decision],
        S::Collected => &[S::Forfeited],
        S::Closed => &[
            S::Open,
            S::LetterSent,
            S::NotRemedied,
            S::IntentionSent,
            S::ResponseReceived,
            S::Decision,
        ],
    }
}

proptest! {
    #[test]
    fn the_machine_never_skips_a_required_step_nor_reinspects_before_a_deadline(
        deadline_days in 0..60u64,
        steps in prop::collection::vec((any_step(), 0..30u64), 1..16),
    ) {
        let c = cfg();
        let mut on = day("2026-01-05");
        let mut case = CaseFile::opened(on + Days::new(deadline_days));
        for (step, wait) in steps {
            on = on + Days::new(wait);
            match case.apply(step, on, &c) {
                Ok(next) => {
                    if next.state != case.state {
                        prop_assert!(allowed_predecessors(next.state).contains(&case.state),
                            "{:?} -> {:?} by {:?}", case.state, next.state, step);
                    }
                    // Not remedied only once the deadline in force has passed.
                    if matches!(step, Step::Reinspected { remedied: false }) {
                        prop_assert!(case.inspection_deadline().is_some_and(|d| on >= d));
                    }
                    // A decision after an intention respects the response period.
                    if next.state == CaseState::Decision && case.state == CaseState::IntentionSent && !next.immediate {
                        prop_assert!(case.response_deadline.is_some_and(|d| on >= d));
                    }
                    if let (Some(due), Some(deadline)) = (next.reinspection_due(), next.inspection_deadline()) {
                        prop_assert!(due >= deadline);
                        prop_assert!(is_workday(due));
                    }
                    if next.state == CaseState::Collected {
                        prop_assert!(next.collected_cents <= next.forfeited_cents.or(next.collected_cents));
                    }
                    case = next;
                }
                Err(e) => prop_assert!(e.code().as_str().starts_with("enforcement.")),
            }
        }
    }
}

#[test]
fn every_state_is_reachable_from_an_opened_case() {
    // Breadth-first over every step on a few days around the deadlines.
    let c = cfg();
    let start = day("2026-01-05");
    let dates: Vec<NaiveDate> = (0..120).step_by(7).map(|d| start + Days::new(d)).collect();
    let steps = [
        Step::LetterSent {
            remedy_deadline: None,
        },
        Step::Reinspected { remedied: true },
        Step::Reinspected { remedied: false },
        Step::IntentionSent {
            sanction: Sanction::PenaltyOrder,
            response_deadline: None,
        },
        Step::ResponseReceived,
        Step::DecisionTaken {
            grace_deadline: None,
            amount_cents: Some(100_000),
        },
        Step::AcuteHarm,
        Step::Forfeited {
            amount_cents: 100_000,
        },
        Step::Collected {
            amount_cents: 100_000,
        },
    ];
    let mut seen: HashSet<CaseState> = HashSet::new();
    let mut visited: HashSet<CaseFile> = HashSet::new();
    let mut frontier = vec![CaseFile::opened(start + Days::new(14))];
    while let Some(case) = frontier.pop() {
        if !visited.insert(case) {
            continue;
        }
        seen.insert(case.state);
        for step in steps {
            for on in &dates {
                if let Ok(next) = case.apply(step, *on, &c) {
                    frontier.push(next);
                }
            }
        }
    }
    for state in CaseState::ALL {
        assert!(seen.contains(state), "{state} is not reachable");
    }
}
