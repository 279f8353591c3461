//! Escalation of an enforcement case as a pure state machine.
//!
//! finding -> letter with remedy deadline -> re-inspection -> closed, or
//! -> intention (LOD/LOB, right to respond) -> decision with grace period -> re-inspection ->
//! forfeited -> collected. Acute or irreversible harm skips the intention: immediate LOB.
//! Every transition that sets a deadline also yields the re-inspection due date, so the
//! re-inspection lands on the inspector's list when it is due.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Intervention, LhsoError};

/// The two remedial orders an intention and decision can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sanction {
    /// Last onder dwangsom (LOD).
    PenaltyOrder,
    /// Last onder bestuursdwang (LOB).
    EnforcementOrder,
}

impl Sanction {
    pub fn intervention(self) -> Intervention {
        match self {
            Sanction::PenaltyOrder => Intervention::PenaltyOrder,
            Sanction::EnforcementOrder => Intervention::EnforcementOrder,
        }
    }
}

/// Standard periods in days. They differ per authority and are not set nationally, so these
/// defaults are configuration, not law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationConfig {
    /// Remedy period of a letter when the assessment proposed none.
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
    fn grace_days(&self, sanction: Sanction) -> u32 {
        match sanction {
            Sanction::PenaltyOrder => self.penalty_grace_days,
            Sanction::EnforcementOrder => self.enforcement_grace_days,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EscalationState {
    /// A violation was found; nothing has been sent yet.
    Finding,
    /// A letter (warning) with a remedy deadline was sent.
    LetterSent { remedy_deadline: NaiveDate },
    /// The re-inspection after the letter found the violation still there.
    NotRemedied,
    /// Intention to impose a sanction; the offender may respond until `response_deadline`.
    Intention {
        sanction: Sanction,
        response_deadline: NaiveDate,
    },
    /// Sanction imposed with a grace period; `immediate` when acute harm skipped the intention.
    Decision {
        sanction: Sanction,
        grace_deadline: NaiveDate,
        immediate: bool,
    },
    /// Remedied: the case is closed.
    Closed,
    /// Not remedied after the grace period: the penalty is forfeited (LOD) or the authority
    /// carries out the work at the offender's cost (LOB).
    Forfeited { sanction: Sanction },
    /// The forfeited penalty or the costs have been collected.
    Collected { sanction: Sanction },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EscalationEvent {
    /// Send a letter; `remedy_days` usually comes from the LHSO assessment.
    SendLetter {
        remedy_days: Option<u32>,
    },
    /// The violation was remedied while the inspector was on site.
    RemediedOnSite,
    Reinspect {
        remedied: bool,
    },
    SendIntention {
        sanction: Sanction,
    },
    Decide,
    /// Acute or irreversible harm: immediate enforcement without the intention step.
    AcuteHarm,
    Collect,
}

impl EscalationState {
    pub fn name(self) -> &'static str {
        match self {
            EscalationState::Finding => "finding",
            EscalationState::LetterSent { .. } => "letter_sent",
            EscalationState::NotRemedied => "not_remedied",
            EscalationState::Intention { .. } => "intention",
            EscalationState::Decision { .. } => "decision",
            EscalationState::Closed => "closed",
            EscalationState::Forfeited { .. } => "forfeited",
            EscalationState::Collected { .. } => "collected",
        }
    }

    /// No further site visit or decision is expected.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            EscalationState::Closed | EscalationState::Collected { .. }
        )
    }

    /// The date a re-inspection is due in this state, if one is.
    pub fn reinspection_due(self) -> Option<NaiveDate> {
        match self {
            EscalationState::LetterSent { remedy_deadline } => Some(remedy_deadline),
            EscalationState::Decision { grace_deadline, .. } => Some(grace_deadline),
            _ => None,
        }
    }
}

impl EscalationEvent {
    pub fn name(self) -> &'static str {
        match self {
            EscalationEvent::SendLetter { .. } => "send_letter",
            EscalationEvent::RemediedOnSite => "remedied_on_site",
            EscalationEvent::Reinspect { .. } => "reinspect",
            EscalationEvent::SendIntention { .. } => "send_intention",
            EscalationEvent::Decide => "decide",
            EscalationEvent::AcuteHarm => "acute_harm",
            EscalationEvent::Collect => "collect",
        }
    }
}

/// Applies `event` on `today`. Returns the new state and, when the transition sets a deadline, the
/// re-inspection due date (never before `today`). Invalid transitions are errors, and so is a
/// failed re-inspection before the deadline ran out: escalating then would be unlawful.
pub fn transition(
    state: EscalationState,
    event: EscalationEvent,
    today: NaiveDate,
    config: &EscalationConfig,
) -> Result<(EscalationState, Option<NaiveDate>), LhsoError> {
    use EscalationEvent as E;
    use EscalationState as S;

    let after = |days: u32| {
        today
            .checked_add_days(Days::new(u64::from(days)))
            .ok_or(LhsoError::DateOutOfRange)
    };
    let not_before = |deadline: NaiveDate| {
        if today < deadline {
            Err(LhsoError::DeadlineNotPassed { deadline })
        } else {
            Ok(())
        }
    };
    let next = match (state, event) {
        (S::Finding, E::SendLetter { remedy_days }) => S::LetterSent {
            remedy_deadline: after(remedy_days.unwrap_or(config.letter_remedy_days))?,
        },
        (S::Finding, E::RemediedOnSite) => S::Closed,
        (S::Finding | S::NotRemedied, E::SendIntention { sanction }) => S::Intention {
            sanction,
            response_deadline: after(config.response_days)?,
        },
        (
            S::LetterSent { .. } | S::Intention { .. } | S::Decision { .. },
            E::Reinspect { remedied: true },
        ) => S::Closed,
        (S::LetterSent { remedy_deadline }, E::Reinspect { remedied: false }) => {
            not_before(remedy_deadline)?;
            S::NotRemedied
        }
        (S::Intention { sanction, .. }, E::Decide) => S::Decision {
            sanction,
            grace_deadline: after(config.grace_days(sanction))?,
            immediate: false,
        },
        (
            S::Decision {
                sanction,
                grace_deadline,
                ..
            },
            E::Reinspect { remedied: false },
        ) => {
            not_before(grace_deadline)?;
            S::Forfeited { sanction }
        }
        (
            S::Finding
            | S::LetterSent { .. }
            | S::NotRemedied
            | S::Intention { .. }
            | S::Decision { .. },
            E::AcuteHarm,
        ) => S::Decision {
            sanction: Sanction::EnforcementOrder,
            grace_deadline: after(config.acute_reinspection_days)?,
            immediate: true,
        },
        (S::Forfeited { sanction }, E::Collect) => S::Collected { sanction },
        (state, event) => {
            return Err(LhsoError::InvalidTransition {
                state: state.name(),
                event: event.name(),
            })
        }
    };
    // Every transition into a state with a deadline has just set that deadline.
    Ok((next, next.reinspection_due()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn step(
        state: EscalationState,
        event: EscalationEvent,
        today: NaiveDate,
    ) -> (EscalationState, Option<NaiveDate>) {
        transition(state, event, today, &EscalationConfig::default()).unwrap()
    }

    #[test]
    fn a_letter_sets_the_remedy_deadline_as_the_reinspection_date() {
        let (state, due) = step(
            EscalationState::Finding,
            EscalationEvent::SendLetter {
                remedy_days: Some(14),
            },
            day(1),
        );
        assert_eq!(due, Some(day(15)));
        assert_eq!(
            state,
            EscalationState::LetterSent {
                remedy_deadline: day(15)
            }
        );
        let (closed, due) = step(
            state,
            EscalationEvent::Reinspect { remedied: true },
            day(15),
        );
        assert_eq!((closed, due), (EscalationState::Closed, None));
        assert!(closed.is_final());
    }

    #[test]
    fn an_unremedied_violation_escalates_to_a_collected_penalty() {
        let cfg = EscalationConfig::default();
        let (s, _) = step(
            EscalationState::Finding,
            EscalationEvent::SendLetter { remedy_days: None },
            day(1),
        );
        assert_eq!(s.reinspection_due(), Some(day(1 + cfg.letter_remedy_days)));
        let (s, due) = step(s, EscalationEvent::Reinspect { remedied: false }, day(29));
        assert_eq!((s, due), (EscalationState::NotRemedied, None));
        let sanction = Sanction::PenaltyOrder;
        let (s, due) = step(s, EscalationEvent::SendIntention { sanction }, day(30));
        assert_eq!(
            due, None,
            "an intention waits for a response, not a site visit"
        );
        let (s, due) = step(s, EscalationEvent::Decide, day(31));
        let grace = NaiveDate::from_ymd_opt(2026, 4, 28).unwrap();
        assert_eq!(due, Some(grace));
        assert!(matches!(
            s,
            EscalationState::Decision {
                immediate: false,
                ..
            }
        ));
        let (s, _) = step(s, EscalationEvent::Reinspect { remedied: false }, grace);
        assert_eq!(s, EscalationState::Forfeited { sanction });
        let (s, due) = step(s, EscalationEvent::Collect, grace);
        assert_eq!((s, due), (EscalationState::Collected { sanction }, None));
        assert_eq!(sanction.intervention(), Intervention::PenaltyOrder);
    }

    #[test]
    fn acute_harm_leads_to_an_immediate_enforcement_order() {
        let (s, due) = step(EscalationState::Finding, EscalationEvent::AcuteHarm, day(5));
        assert_eq!(
            s,
            EscalationState::Decision {
                sanction: Sanction::EnforcementOrder,
                grace_deadline: day(6),
                immediate: true
            }
        );
        assert_eq!(due, Some(day(6)));
    }

    #[test]
    fn a_failed_reinspection_before_the_deadline_cannot_escalate() {
        let (s, _) = step(
            EscalationState::Finding,
            EscalationEvent::SendLetter {
                remedy_days: Some(7),
            },
            day(1),
        );
        let err = transition(
            s,
            EscalationEvent::Reinspect { remedied: false },
            day(7),
            &EscalationConfig::default(),
        );
        assert_eq!(err, Err(LhsoError::DeadlineNotPassed { deadline: day(8) }));
    }

    #[test]
    fn invalid_transitions_are_errors() {
        let cfg = EscalationConfig::default();
        for (state, event) in [
            (EscalationState::Finding, EscalationEvent::Decide),
            (
                EscalationState::Finding,
                EscalationEvent::Reinspect { remedied: true },
            ),
            (
                EscalationState::Closed,
                EscalationEvent::SendLetter { remedy_days: None },
            ),
            (EscalationState::Closed, EscalationEvent::AcuteHarm),
            (EscalationState::NotRemedied, EscalationEvent::Collect),
        ] {
            let err = transition(state, event, day(1), &cfg).unwrap_err();
            assert!(matches!(err, LhsoError::InvalidTransition { .. }), "{err}");
            assert_eq!(err.code().as_str(), "lhso.invalid_input");
        }
    }

    #[test]
    fn states_and_events_have_a_tagged_json_form() {
        let s = EscalationState::LetterSent {
            remedy_deadline: day(9),
        };
        let v = serde_json::to_value(s).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"state": "letter_sent", "remedy_deadline": "2026-03-09"})
        );
        let e: EscalationEvent = serde_json::from_value(
            serde_json::json!({"event": "send_intention", "sanction": "enforcement_order"}),
        )
        .unwrap();
        assert_eq!(
            e,
            EscalationEvent::SendIntention {
                sanction: Sanction::EnforcementOrder
            }
        );
    }
}
