//! The team lead's review of finished visits: why a visit needs a second look, and the decisions
//! (approve, or return with a comment). The reasons are a rule of the domain, so they live here
//! once; the server builds the review list with them and the office shows them.

use serde::{Deserialize, Serialize};

use crate::lhso::{Intervention, LhsoCell};

crate::wire_enum! {
    /// Why a finished visit is on the review list.
    pub enum ReviewReason {
        /// A violation in a cell where the matrix advises a BOA or the public prosecutor.
        BoaCell = "boa_cell",
        /// A violation scored in another cell than the one the decision tree suggested.
        Deviation = "deviation",
        /// An intervention of an order under penalty (last onder dwangsom) or heavier.
        HeavyIntervention = "heavy_intervention",
        /// A change from the visit's tablet conflicted with the server and waits for a person.
        Conflict = "conflict",
    }
}

impl ReviewReason {
    pub fn label_nl(self) -> &'static str {
        match self {
            ReviewReason::BoaCell => "Cel met BOA- of OM-advies",
            ReviewReason::Deviation => "Afwijking van de voorgestelde cel",
            ReviewReason::HeavyIntervention => {
                "Zware interventie (last onder dwangsom of zwaarder)"
            }
            ReviewReason::Conflict => "Conflict bij synchronisatie",
        }
    }
}

crate::wire_enum! {
    /// A team lead's decision on a finished visit.
    pub enum ReviewDecision {
        Approve = "approve",
        Return = "return",
    }
}

/// The interventions from which a visit needs a second look: an order under penalty and heavier.
pub const HEAVY_FROM: Intervention = Intervention::PenaltyOrder;

/// What the review rules look at of one assessed violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssessedViolation {
    pub cell: LhsoCell,
    pub suggested_cell: LhsoCell,
    pub intervention: Intervention,
    /// The matrix advises consulting a BOA or the public prosecutor for the cell.
    pub boa_consultation: bool,
}

/// Why a finished visit needs a second look, in the order of [`ReviewReason::ALL`]; empty when it
/// does not. `open_conflicts`: changes of the visit waiting for a person.
pub fn reasons(violations: &[AssessedViolation], open_conflicts: usize) -> Vec<ReviewReason> {
    let mut out = Vec::new();
    if violations.iter().any(|v| v.boa_consultation) {
        out.push(ReviewReason::BoaCell);
    }
    if violations.iter().any(|v| v.cell != v.suggested_cell) {
        out.push(ReviewReason::Deviation);
    }
    if violations.iter().any(|v| v.intervention >= HEAVY_FROM) {
        out.push(ReviewReason::HeavyIntervention);
    }
    if open_conflicts > 0 {
        out.push(ReviewReason::Conflict);
    }
    out
}

/// `POST /api/v1/visits/{id}/review`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub decision: ReviewDecision,
    #[serde(default)]
    pub comment: Option<String>,
}

/// One review step on a visit, as `GET /api/v1/visits/{id}` and the pull feed show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewStep {
    pub decision: ReviewDecision,
    /// The team lead's comment (required to return), trimmed.
    pub comment: Option<String>,
    /// The reviewer's user id.
    pub by: String,
    /// RFC 3339, UTC.
    /// The reviewer's name, for the inspector and the visit's history.
    #[serde(default)]
    pub by_name: String,
    pub at: String,
}

/// One entry of the review list (`GET /api/v1/reviews`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub visit_id: String,
    pub site: crate::visit::VisitSite,
    pub inspector_id: String,
    pub inspector_name: String,
    /// RFC 3339, UTC: when the inspector last finished the visit.
    pub finished_at: String,
    pub reasons: Vec<ReviewReason>,
    /// Always `open`: approved visits leave the list, returned ones until they are finished again.
    pub state: String,
}

/// `GET /api/v1/reviews`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewList {
    pub reviews: Vec<ReviewItem>,
}

/// The comment a review keeps: trimmed, `None` when empty. A return needs one
/// (`review.comment_required`), of at most the length of a note.
pub fn review_comment(
    decision: ReviewDecision,
    comment: Option<&str>,
) -> Result<Option<String>, crate::ErrorCode> {
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    match (decision, comment) {
        (ReviewDecision::Return, None) => Err(crate::ErrorCode::ReviewCommentRequired),
        (_, Some(c)) if !crate::sync::valid_note_text(c) => {
            Err(crate::ErrorCode::ReviewCommentRequired)
        }
        (_, c) => Ok(c.map(str::to_owned)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(cell: &str, suggested: &str, intervention: Intervention, boa: bool) -> AssessedViolation {
        AssessedViolation {
            cell: cell.parse().unwrap(),
            suggested_cell: suggested.parse().unwrap(),
            intervention,
            boa_consultation: boa,
        }
    }

    #[test]
    fn a_plain_visit_needs_no_second_look() {
        assert!(reasons(&[], 0).is_empty());
        assert!(reasons(&[v("B2", "B2", Intervention::Warn, false)], 0).is_empty());
    }

    #[test]
    fn each_rule_gives_its_reason_once_in_a_fixed_order() {
        let found = [
            v("C3", "B3", Intervention::Warn, false),
            v("D4", "D4", Intervention::OfficialReport, true),
            v("A1", "A2", Intervention::Inform, false),
        ];
        assert_eq!(
            reasons(&found, 2),
            vec![
                ReviewReason::BoaCell,
                ReviewReason::Deviation,
                ReviewReason::HeavyIntervention,
                ReviewReason::Conflict
            ]
        );
    }

    #[test]
    fn an_order_under_penalty_is_the_lightest_heavy_intervention() {
        let heavy = |i| reasons(&[v("B2", "B2", i, false)], 0);
        assert_eq!(
            heavy(Intervention::PenaltyOrder),
            vec![ReviewReason::HeavyIntervention]
        );
        assert_eq!(
            heavy(Intervention::Closure),
            vec![ReviewReason::HeavyIntervention]
        );
        assert!(heavy(Intervention::IntensifiedSupervision).is_empty());
    }

    #[test]
    fn a_return_needs_a_comment_and_an_approval_may_have_one() {
        assert_eq!(
            review_comment(ReviewDecision::Return, None),
            Err(crate::ErrorCode::ReviewCommentRequired)
        );
        assert_eq!(
            review_comment(ReviewDecision::Return, Some("   ")),
            Err(crate::ErrorCode::ReviewCommentRequired)
        );
        assert_eq!(
            review_comment(
                ReviewDecision::Return,
                Some(" Foto van de lekbak ontbreekt. ")
            ),
            Ok(Some("Foto van de lekbak ontbreekt.".to_owned()))
        );
        assert_eq!(review_comment(ReviewDecision::Approve, None), Ok(None));
        assert_eq!(
            review_comment(ReviewDecision::Approve, Some("x".repeat(100_000).as_str())),
            Err(crate::ErrorCode::ReviewCommentRequired)
        );
    }

    #[test]
    fn requests_use_the_wire_names() {
        let r: ReviewRequest =
            serde_json::from_str(r#"{"decision":"return","comment":"Graag de foto"}"#).unwrap();
        assert_eq!(r.decision, ReviewDecision::Return);
        assert!(serde_json::from_str::<ReviewRequest>(r#"{"decision":"maybe"}"#).is_err());
        assert!(serde_json::from_str::<ReviewRequest>(r#"{"decision":"approve","x":1}"#).is_err());
    }
}
