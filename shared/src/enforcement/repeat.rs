//! Repeat offences (LHSO step 2, an aggravating circumstance): a violation of the same checklist
//! item, or of the same theme, at the same site within the period is a repeat. The tablet flags
//! it offline from the site's history in its working set; the inspector confirms or clears it.

use chrono::{Days, NaiveDate};

use crate::checklist::Theme;
use crate::visit::{PastInspection, PastViolation};

/// How far back an earlier violation counts, in days: two years, the usual inspection interval
/// of the middle risk classes. Practice, not law: an agency setting with this default.
pub const REPEAT_PERIOD_DAYS: u64 = 730;

/// The most recent earlier violation of the same item (preferred) or theme at the site, on or
/// before `on` and within `period_days`, with the date it was found. `history` is the site's
/// history without the visit being assessed (the server leaves a visit out of its own history),
/// so an earlier visit of the same day counts.
pub fn earlier_violation<'h>(
    history: &'h [PastInspection],
    item_id: &str,
    theme: Theme,
    on: NaiveDate,
    period_days: u64,
) -> Option<(NaiveDate, &'h PastViolation)> {
    let from = on
        .checked_sub_days(Days::new(period_days))
        .unwrap_or(NaiveDate::MIN);
    let within = || {
        history
            .iter()
            .filter(move |i| i.date <= on && i.date >= from)
            .flat_map(|i| i.violations.iter().map(move |v| (i.date, v)))
    };
    let latest = |matches: &dyn Fn(&PastViolation) -> bool| {
        within().filter(|(_, v)| matches(v)).max_by_key(|(d, _)| *d)
    };
    latest(&|v| v.item_id.as_deref() == Some(item_id))
        .or_else(|| latest(&|v| v.theme == theme.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lhso::Intervention;
    use crate::planner::VisitKind;
    use crate::visit::InspectionResult;

    fn inspection(date: &str, item: Option<&str>, theme: &str) -> PastInspection {
        PastInspection {
            id: uuid::Uuid::nil(),
            date: date.parse().unwrap(),
            kind: VisitKind::Planned,
            result: InspectionResult::Violations,
            cells: vec!["B2".into()],
            violations: vec![PastViolation {
                cell: "B2".into(),
                theme: theme.into(),
                description: "Lekbak ontbreekt".into(),
                rule_ref: "Bal 4.301".into(),
                intervention: Intervention::Warn,
                repeat_offence: false,
                remedy_deadline: None,
                remedied_on: None,
                item_id: item.map(str::to_owned),
            }],
        }
    }

    #[test]
    fn the_same_item_or_theme_within_the_period_is_a_repeat_and_the_item_wins() {
        let on: NaiveDate = "2026-12-01".parse().unwrap();
        let history = [
            inspection("2026-03-01", None, "waste"),
            inspection("2025-06-01", Some("garage-07"), "soil_protection"),
            inspection("2023-01-01", Some("garage-07"), "waste"),
        ];
        let (date, v) =
            earlier_violation(&history, "garage-07", Theme::Waste, on, REPEAT_PERIOD_DAYS).unwrap();
        assert_eq!(
            (date.to_string().as_str(), v.theme.as_str()),
            ("2025-06-01", "soil_protection")
        );
        let (date, _) =
            earlier_violation(&history, "garage-99", Theme::Waste, on, REPEAT_PERIOD_DAYS).unwrap();
        assert_eq!(date.to_string(), "2026-03-01");
        assert!(
            earlier_violation(&history, "garage-99", Theme::Noise, on, REPEAT_PERIOD_DAYS)
                .is_none()
        );
        // Older than the period, or after the assessment: no repeat; an earlier visit today: one.
        assert!(earlier_violation(
            &history[2..],
            "garage-07",
            Theme::Waste,
            on,
            REPEAT_PERIOD_DAYS
        )
        .is_none());
        let once = |date: &str| {
            earlier_violation(
                &[inspection(date, Some("x"), "waste")],
                "x",
                Theme::Waste,
                on,
                730,
            )
            .is_some()
        };
        assert!(!once("2026-12-02"));
        assert!(once("2026-12-01"));
    }
}
