//! The demo's enforcement history: one case per violation with a remedy deadline, driven step by
//! step through the shared machine (`shared::enforcement`), so every demo case is one the product
//! could have produced. Most letters are remedied in time; some cases escalate to an intention,
//! a decision, a forfeited and a collected penalty; acute harm leads to an immediate order; the
//! highest cells carry an official report and a referral to the public prosecutor. Cases whose
//! next date lies after the load date stay where they are, so every state is present.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use shared::enforcement::{CaseFile, CaseState, EscalationConfig, Sanction, Step};
use shared::lhso::Intervention;

use crate::db::seed::{InspectionRecord, SiteRecord, ViolationRecord};

/// A demo case and its steps, ready to insert.
pub struct DemoCase {
    pub id: String,
    pub agency_id: String,
    pub authority_id: String,
    pub site_id: String,
    pub violation_id: String,
    pub inspector_id: Option<String>,
    pub found_on: NaiveDate,
    pub cell: String,
    pub intervention: String,
    pub file: CaseFile,
    /// (step, state after, date, amount)
    pub steps: Vec<(Step, CaseState, NaiveDate, Option<i64>)>,
}

/// Penalty of a demo order: higher for graver cells, in whole euros.
fn penalty_cents(rng: &mut ChaCha8Rng, cell: &str) -> i64 {
    let gravity = i64::from(cell.as_bytes()[1] - b'0') + i64::from(cell.as_bytes()[0] - b'A');
    rng.gen_range(1..=4) * gravity * 125_000
}

/// The cases of the demo's violations; sets `remedied_on` of the violations whose case closed.
pub fn cases(
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
    agency_id: &str,
    sites: &[SiteRecord],
    inspections: &[InspectionRecord],
    violations: &mut [ViolationRecord],
    new_id: &mut dyn FnMut(&mut ChaCha8Rng) -> String,
) -> Vec<DemoCase> {
    let config = EscalationConfig::default();
    let authority: HashMap<&str, &str> = sites
        .iter()
        .map(|s| (s.id.as_str(), s.authority_id.as_str()))
        .collect();
    let inspection: HashMap<&str, &InspectionRecord> =
        inspections.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut out = Vec::new();
    for v in violations.iter_mut() {
        let (Some(deadline), Some(found)) = (
            v.remedy_deadline
                .as_deref()
                .and_then(|d| d.parse::<NaiveDate>().ok()),
            inspection.get(v.inspection_id.as_str()),
        ) else {
            continue;
        };
        let Ok(found_on) = found.inspected_on.parse::<NaiveDate>() else {
            continue;
        };
        let intervention = Intervention::parse(&v.intervention).unwrap_or(Intervention::Warn);
        let mut case = DemoCase {
            id: new_id(rng),
            agency_id: agency_id.to_owned(),
            authority_id: authority
                .get(v.site_id.as_str())
                .copied()
                .unwrap_or_default()
                .to_owned(),
            site_id: v.site_id.clone(),
            violation_id: v.id.clone(),
            inspector_id: found.inspector_id.clone(),
            found_on,
            cell: v.cell.clone(),
            intervention: v.intervention.clone(),
            file: CaseFile::opened(deadline),
            steps: Vec::new(),
        };
        // Takes a step if its date has come and the machine allows it; false otherwise.
        let take = |case: &mut DemoCase, step: Step, on: NaiveDate| -> bool {
            if on > today {
                return false;
            }
            match case.file.apply(step, on, &config) {
                Ok(next) => {
                    let amount = match step {
                        Step::DecisionTaken { amount_cents, .. } => amount_cents,
                        Step::Forfeited { amount_cents } | Step::Collected { amount_cents } => {
                            Some(amount_cents)
                        }
                        _ => None,
                    };
                    case.file = next;
                    case.steps.push((step, next.state, on, amount));
                    true
                }
                Err(_) => false,
            }
        };
        let day = |d: NaiveDate, n: u64| d.checked_add_days(Days::new(n)).unwrap_or(d);
        let criminal = intervention.is_criminal();
        // The criminal route starts at once, so the steps stay in date order.
        let mut on = day(found_on, 2);
        if criminal && take(&mut case, Step::OfficialReport, day(found_on, 1)) {
            take(&mut case, Step::ReferredToProsecutor, day(found_on, 3));
            on = day(found_on, 7);
        }
        let acute = (v.cell.starts_with('D') || v.cell.ends_with('4')) && rng.gen_bool(0.3);
        let remedied_in_time = rng.gen_bool(if v.repeat_offence { 0.6 } else { 0.8 });
        if acute {
            take(&mut case, Step::AcuteHarm, on);
        } else if intervention >= Intervention::PenaltyOrder && !criminal {
            // The inspector chose an order at once: the intention goes out without a letter.
            take(
                &mut case,
                Step::IntentionSent {
                    sanction: Sanction::following(intervention),
                    response_deadline: None,
                },
                on,
            );
        } else if day(found_on, 21) > today && rng.gen_bool(0.5) {
            // A recent finding whose letter is still being written: the case stays open.
        } else {
            take(
                &mut case,
                Step::LetterSent {
                    remedy_deadline: Some(deadline),
                },
                on,
            );
            on = case.file.reinspection_due().unwrap_or(deadline);
            on = day(on, rng.gen_range(0..5));
            if remedied_in_time {
                take(&mut case, Step::Reinspected { remedied: true }, on);
            } else if take(&mut case, Step::Reinspected { remedied: false }, on) {
                on = day(on, rng.gen_range(3..25));
                let sanction = Sanction::following(intervention);
                take(
                    &mut case,
                    Step::IntentionSent {
                        sanction,
                        response_deadline: None,
                    },
                    on,
                );
            }
        }
        if case.file.state == CaseState::IntentionSent {
            let response_deadline = case.file.response_deadline.unwrap_or(on);
            // Without a response the decision follows the response period; a response is
            // weighed first, which takes a few weeks.
            let decided_on = if rng.gen_bool(0.4) {
                let responded = day(on, rng.gen_range(3..12));
                take(&mut case, Step::ResponseReceived, responded);
                day(responded, rng.gen_range(10..40))
            } else {
                day(response_deadline, rng.gen_range(1..7))
            };
            let amount = penalty_cents(rng, &v.cell);
            take(
                &mut case,
                Step::DecisionTaken {
                    grace_deadline: None,
                    amount_cents: Some(amount),
                },
                decided_on,
            );
        }
        if case.file.state == CaseState::Decision {
            let grace = case.file.grace_deadline.unwrap_or(on);
            let check = day(grace, rng.gen_range(0..4));
            if rng.gen_bool(0.6) {
                take(&mut case, Step::Reinspected { remedied: true }, check);
            } else if take(&mut case, Step::Reinspected { remedied: false }, check)
                && rng.gen_bool(0.7)
            {
                let cents = case.file.forfeited_cents.unwrap_or(250_000);
                take(
                    &mut case,
                    Step::Collected {
                        amount_cents: cents,
                    },
                    day(check, rng.gen_range(20..60)),
                );
            }
        }
        if case.file.state == CaseState::Closed {
            v.remedied_on = case
                .steps
                .iter()
                .rev()
                .find(|s| s.1 == CaseState::Closed)
                .map(|s| s.2.to_string());
        } else {
            v.remedied_on = None;
        }
        out.push(case);
    }
    out
}
