//! Enforcement cases: what follows an assessed violation, as one pure state machine that the
//! server applies for every step and the tablet uses to show what comes next.
//!
//! The administrative route (DOMAIN: escalation, [practice]):
//! open -> letter with remedy deadline -> re-inspection -> closed (remedied), or not remedied ->
//! intention to impose an order (last onder dwangsom / bestuursdwang; the offender may respond) ->
//! [response received] -> decision with a grace period -> re-inspection -> closed, or forfeited ->
//! collected. Acute or irreversible harm leads to an immediate decision without the intention.
//! The criminal route (proces-verbaal, referral to the public prosecutor) is recorded beside it
//! and does not move the administrative state.
//!
//! Two rules the law imposes are enforced here, once: a re-inspection that finds the violation
//! still there may not escalate before the deadline ran out, and a decision may not be taken
//! before the response period ended unless the response came in.

mod case;
mod repeat;
#[cfg(test)]
mod tests;

pub use case::{CaseList, CaseStep, EnforcementCase, ProposedStep, StepRequest};
pub use repeat::{earlier_violation, REPEAT_PERIOD_DAYS};

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::is_workday;
use crate::error::ErrorCode;
use crate::lhso::Intervention;

crate::wire_enum! {
    /// Where a case stands (the `state` of an enforcement case on the wire).
    pub enum CaseState {
        /// The violation was assessed with a remedy deadline; no letter recorded yet.
        Open = "open",
        /// A letter (warning) with a remedy deadline was sent.
        LetterSent = "letter_sent",
        /// The re-inspection found the violation still there after the deadline.
        NotRemedied = "not_remedied",
        /// Intention to impose an order; the offender may respond until the response deadline.
        IntentionSent = "intention_sent",
        /// The offender's response (zienswijze) came in.
        ResponseReceived = "response_received",
        /// The order was imposed with a grace period (begunstigingstermijn).
        Decision = "decision",
        /// Not remedied after the grace period: the penalty is forfeited (LOD) or the costs of
        /// the authority's own work are due (LOB).
        Forfeited = "forfeited",
        /// The forfeited amount was collected.
        Collected = "collected",
        /// Remedied: nothing more is expected.
        Closed = "closed",
    }
}

crate::wire_enum! {
    /// The kinds of steps a case records (its history); `opened` is the assessment itself.
    pub enum StepKind {
        Opened = "opened",
        LetterSent = "letter_sent",
        Remedied = "remedied",
        NotRemedied = "not_remedied",
        IntentionSent = "intention_sent",
        ResponseReceived = "response_received",
        DecisionTaken = "decision_taken",
        AcuteHarm = "acute_harm",
        Forfeited = "forfeited",
        Collected = "collected",
        /// Proces-verbaal drawn up (criminal route).
        OfficialReport = "official_report",
        /// Referred to the public prosecutor (Openbaar Ministerie).
        ReferredToProsecutor = "referred_to_prosecutor",
    }
}

crate::wire_enum! {
    /// The two remedial orders an intention and decision can carry.
    pub enum Sanction {
        /// Last onder dwangsom (LOD).
        PenaltyOrder = "penalty_order",
        /// Last onder bestuursdwang (LOB).
        EnforcementOrder = "enforcement_order",
    }
}

impl Sanction {
    pub fn intervention(self) -> Intervention {
        match self {
            Sanction::PenaltyOrder => Intervention::PenaltyOrder,
            Sanction::EnforcementOrder => Intervention::EnforcementOrder,
        }
    }

    /// The order that follows a case opened with `intervention`: an enforcement order when the
    /// inspector already chose one (or something heavier that is not a penalty), else a penalty.
    pub fn following(intervention: Intervention) -> Sanction {
        if intervention == Intervention::EnforcementOrder
            || (intervention > Intervention::EnforcementOrder && !intervention.is_criminal())
        {
            Sanction::EnforcementOrder
        } else {
            Sanction::PenaltyOrder
        }
    }
}

/// Standard periods in days. They differ per authority and are not set nationally, so these
/// defaults are configuration, not law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationConfig {
    /// Remedy period of a letter when the assessment set none.
    pub letter_remedy_days: u32,
    /// Period to respond to an intention (zienswijze).
    pub response_days: u32,
    /// Grace period (begunstigingstermijn) of a penalty order.
    pub penalty_grace_days: u32,
    /// Grace period of an enforcement order.
    pub enforcement_grace_days: u32,
    /// When to check an immediate enforcement order after acute harm.
    pub acute_reinspection_days: u32,
}

impl Default for EscalationConfig {
    fn default() -> Self {
        EscalationConfig {
            letter_remedy_days: 28,
            response_days: 14,
            penalty_grace_days: 28,
            enforcement_grace_days: 14,
            acute_reinspection_days: 1,
        }
    }
}

impl EscalationConfig {
    pub fn grace_days(&self, sanction: Sanction) -> u32 {
        match sanction {
            Sanction::PenaltyOrder => self.penalty_grace_days,
            Sanction::EnforcementOrder => self.enforcement_grace_days,
        }
    }
}

/// The longest period any step may set (a year): a typo of 2062 for 2026 is refused.
pub const MAX_PERIOD_DAYS: u64 = 366;

/// Everything a step can refuse; the codes are stable (`ErrorCode`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CaseError {
    #[error("step {step} is not possible in state {state}")]
    InvalidTransition { state: CaseState, step: StepKind },
    #[error("the deadline {deadline} has not passed yet")]
    DeadlineNotPassed { deadline: NaiveDate },
    #[error("the date {0} is before the step's date or too far ahead")]
    DateOutOfRange(NaiveDate),
    #[error("an amount must be a positive number of cents, and no more than was forfeited")]
    InvalidAmount,
}

impl CaseError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CaseError::InvalidTransition { .. } => ErrorCode::EnforcementInvalidTransition,
            CaseError::DeadlineNotPassed { .. } => ErrorCode::EnforcementDeadlineNotPassed,
            CaseError::DateOutOfRange(_) | CaseError::InvalidAmount => {
                ErrorCode::EnforcementInvalidStep
            }
        }
    }
}

/// A step as a person records it (office) or a re-inspection reports it (tablet). Dates left out
/// are taken from the configuration's standard periods, counted from the step's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    LetterSent {
        #[serde(default)]
        remedy_deadline: Option<NaiveDate>,
    },
    /// The re-inspection's verdict.
    Reinspected {
        remedied: bool,
    },
    IntentionSent {
        sanction: Sanction,
        #[serde(default)]
        response_deadline: Option<NaiveDate>,
    },
    ResponseReceived,
    DecisionTaken {
        #[serde(default)]
        grace_deadline: Option<NaiveDate>,
        /// The penalty of a penalty order (or the estimated costs of an enforcement order).
        #[serde(default)]
        amount_cents: Option<i64>,
    },
    /// Acute or irreversible harm: an immediate enforcement order without the intention step.
    AcuteHarm,
    Forfeited {
        amount_cents: i64,
    },
    Collected {
        amount_cents: i64,
    },
    OfficialReport,
    ReferredToProsecutor,
}

impl Step {
    /// The step kind this step records; a re-inspection records `remedied` or `not_remedied`.
    pub fn kind(self) -> StepKind {
        match self {
            Step::LetterSent { .. } => StepKind::LetterSent,
            Step::Reinspected { remedied: true } => StepKind::Remedied,
            Step::Reinspected { remedied: false } => StepKind::NotRemedied,
            Step::IntentionSent { .. } => StepKind::IntentionSent,
            Step::ResponseReceived => StepKind::ResponseReceived,
            Step::DecisionTaken { .. } => StepKind::DecisionTaken,
            Step::AcuteHarm => StepKind::AcuteHarm,
            Step::Forfeited { .. } => StepKind::Forfeited,
            Step::Collected { .. } => StepKind::Collected,
            Step::OfficialReport => StepKind::OfficialReport,
            Step::ReferredToProsecutor => StepKind::ReferredToProsecutor,
        }
    }

    /// Steps recorded at the office; the others come from a re-inspection on the tablet.
    pub fn is_office_step(self) -> bool {
        !matches!(self, Step::Reinspected { .. })
    }
}

/// What the machine remembers of a case: its state and every date and amount a step set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseFile {
    pub state: CaseState,
    pub remedy_deadline: Option<NaiveDate>,
    pub sanction: Option<Sanction>,
    pub response_deadline: Option<NaiveDate>,
    pub grace_deadline: Option<NaiveDate>,
    /// The decision came without an intention (acute harm).
    pub immediate: bool,
    pub amount_cents: Option<i64>,
    pub forfeited_cents: Option<i64>,
    pub collected_cents: Option<i64>,
    pub official_report_on: Option<NaiveDate>,
    pub referred_on: Option<NaiveDate>,
}

impl CaseFile {
    /// The case an assessed violation opens: its remedy deadline as the assessment set it.
    pub fn opened(remedy_deadline: NaiveDate) -> CaseFile {
        CaseFile {
            state: CaseState::Open,
            remedy_deadline: Some(remedy_deadline),
            sanction: None,
            response_deadline: None,
            grace_deadline: None,
            immediate: false,
            amount_cents: None,
            forfeited_cents: None,
            collected_cents: None,
            official_report_on: None,
            referred_on: None,
        }
    }

    /// Still needs follow-up (closed and collected cases do not).
    pub fn is_open(&self) -> bool {
        !matches!(self.state, CaseState::Closed | CaseState::Collected)
    }

    /// The deadline a re-inspection checks in this state: the remedy deadline before any order,
    /// the grace deadline after a decision; none while the office has the next step.
    pub fn inspection_deadline(&self) -> Option<NaiveDate> {
        match self.state {
            CaseState::Open | CaseState::LetterSent => self.remedy_deadline,
            CaseState::Decision => self.grace_deadline,
            _ => None,
        }
    }

    /// When the re-inspection is due: the deadline, or the first working day after it when the
    /// deadline is not one (API.md `reinspection_due`). Never before the deadline.
    pub fn reinspection_due(&self) -> Option<NaiveDate> {
        self.inspection_deadline().map(first_workday_from)
    }

    /// Whether a re-inspection on `on` may report the violation as still there.
    pub fn may_report_not_remedied(&self, on: NaiveDate) -> bool {
        self.inspection_deadline().is_some_and(|d| on >= d)
    }

    /// The step the office is expected to take next, with the deadline it would set when taken
    /// on `on` (shown on the tablet after "not remedied" and to the team lead).
    pub fn proposed_next(
        &self,
        intervention: Intervention,
        on: NaiveDate,
        config: &EscalationConfig,
    ) -> Option<(Step, Option<NaiveDate>)> {
        let after = |days: u32| on.checked_add_days(Days::new(u64::from(days)));
        match self.state {
            CaseState::Open => Some((
                Step::LetterSent {
                    remedy_deadline: self.remedy_deadline,
                },
                self.remedy_deadline,
            )),
            CaseState::NotRemedied => {
                let sanction = Sanction::following(intervention);
                Some((
                    Step::IntentionSent {
                        sanction,
                        response_deadline: None,
                    },
                    after(config.response_days),
                ))
            }
            CaseState::IntentionSent | CaseState::ResponseReceived => {
                let sanction = self.sanction.unwrap_or(Sanction::PenaltyOrder);
                Some((
                    Step::DecisionTaken {
                        grace_deadline: None,
                        amount_cents: None,
                    },
                    after(config.grace_days(sanction)),
                ))
            }
            CaseState::Forfeited => Some((
                Step::Collected {
                    amount_cents: self.forfeited_cents.unwrap_or(0),
                },
                None,
            )),
            CaseState::LetterSent | CaseState::Decision => None,
            CaseState::Collected | CaseState::Closed => None,
        }
    }

    /// Applies `step`, taken on `on`. Returns the new file, or why the step is not allowed; a
    /// refused step changes nothing.
    pub fn apply(
        &self,
        step: Step,
        on: NaiveDate,
        config: &EscalationConfig,
    ) -> Result<CaseFile, CaseError> {
        use CaseState as S;
        let refuse = || CaseError::InvalidTransition {
            state: self.state,
            step: step.kind(),
        };
        let after = |days: u32| {
            on.checked_add_days(Days::new(u64::from(days)))
                .ok_or(CaseError::DateOutOfRange(on))
        };
        // A date a person sets: not before the step itself, and not absurdly far ahead.
        let set = |date: Option<NaiveDate>, default_days: u32| match date {
            Some(d) if d < on || d > on + Days::new(MAX_PERIOD_DAYS) => {
                Err(CaseError::DateOutOfRange(d))
            }
            Some(d) => Ok(d),
            None => after(default_days),
        };
        let amount = |cents: i64| {
            if cents > 0 {
                Ok(cents)
            } else {
                Err(CaseError::InvalidAmount)
            }
        };
        let mut next = *self;
        match (self.state, step) {
            // The criminal route is recorded beside the administrative one, once each, and a
            // referral needs the official report it refers.
            (_, Step::OfficialReport) => {
                if self.official_report_on.is_some() {
                    return Err(refuse());
                }
                next.official_report_on = Some(on);
            }
            (_, Step::ReferredToProsecutor) => {
                if self.official_report_on.is_none() || self.referred_on.is_some() {
                    return Err(refuse());
                }
                next.referred_on = Some(on);
            }
            (S::Open, Step::LetterSent { remedy_deadline }) => {
                let default = self.remedy_deadline.filter(|d| *d >= on);
                next.remedy_deadline = Some(match remedy_deadline.or(default) {
                    Some(d) => set(Some(d), 0)?,
                    None => set(None, config.letter_remedy_days)?,
                });
                next.state = S::LetterSent;
            }
            (
                S::Open
                | S::LetterSent
                | S::NotRemedied
                | S::IntentionSent
                | S::ResponseReceived
                | S::Decision,
                Step::Reinspected { remedied: true },
            ) => next.state = S::Closed,
            (S::Open | S::LetterSent, Step::Reinspected { remedied: false }) => {
                self.deadline_passed(on)?;
                next.state = S::NotRemedied;
            }
            (S::Decision, Step::Reinspected { remedied: false }) => {
                self.deadline_passed(on)?;
                next.state = S::Forfeited;
                next.forfeited_cents = self.amount_cents;
            }
            // A heavy cell may go to the intention at once, without a letter first.
            (
                S::Open | S::NotRemedied,
                Step::IntentionSent {
                    sanction,
                    response_deadline,
                },
            ) => {
                next.sanction = Some(sanction);
                next.response_deadline = Some(set(response_deadline, config.response_days)?);
                next.state = S::IntentionSent;
            }
            (S::IntentionSent, Step::ResponseReceived) => next.state = S::ResponseReceived,
            (
                S::IntentionSent | S::ResponseReceived,
                Step::DecisionTaken {
                    grace_deadline,
                    amount_cents,
                },
            ) => {
                // The right to respond: no decision before the response period ended, unless the
                // response came in.
                if let (S::IntentionSent, Some(deadline)) = (self.state, self.response_deadline) {
                    if on < deadline {
                        return Err(CaseError::DeadlineNotPassed { deadline });
                    }
                }
                let sanction = self.sanction.unwrap_or(Sanction::PenaltyOrder);
                next.grace_deadline = Some(set(grace_deadline, config.grace_days(sanction))?);
                next.amount_cents = amount_cents.map(amount).transpose()?;
                next.immediate = false;
                next.state = S::Decision;
            }
            (
                S::Open | S::LetterSent | S::NotRemedied | S::IntentionSent | S::ResponseReceived,
                Step::AcuteHarm,
            ) => {
                next.sanction = Some(Sanction::EnforcementOrder);
                next.grace_deadline = Some(after(config.acute_reinspection_days)?);
                next.immediate = true;
                next.state = S::Decision;
            }
            (S::Decision, Step::Forfeited { amount_cents }) => {
                self.deadline_passed(on)?;
                next.forfeited_cents = Some(amount(amount_cents)?);
                next.state = S::Forfeited;
            }
            // The office records (or corrects) the amount that was forfeited.
            (S::Forfeited, Step::Forfeited { amount_cents }) => {
                next.forfeited_cents = Some(amount(amount_cents)?);
            }
            (S::Forfeited, Step::Collected { amount_cents }) => {
                let cents = amount(amount_cents)?;
                if self.forfeited_cents.is_some_and(|f| cents > f) {
                    return Err(CaseError::InvalidAmount);
                }
                next.collected_cents = Some(cents);
                next.state = S::Collected;
            }
            _ => return Err(refuse()),
        }
        Ok(next)
    }

    fn deadline_passed(&self, on: NaiveDate) -> Result<(), CaseError> {
        match self.inspection_deadline() {
            Some(deadline) if on < deadline => Err(CaseError::DeadlineNotPassed { deadline }),
            _ => Ok(()),
        }
    }
}

/// `date` when it is a working day, else the first working day after it.
pub fn first_workday_from(date: NaiveDate) -> NaiveDate {
    date.iter_days().find(|d| is_workday(*d)).unwrap_or(date)
}
