use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::sample::Index;

use super::*;

fn yes_no_item(violation_on: YesNo) -> ChecklistItem {
    ChecklistItem {
        id: "x".into(),
        theme: Theme::Waste,
        text: "Wordt afval gescheiden?".into(),
        rule: RuleRef {
            source: RuleSource::Bal,
            citation: "Bal art. 2.11 (specifieke zorgplicht)".into(),
        },
        answer: AnswerSpec::YesNo { violation_on },
    }
}

fn number_item(min: Option<f64>, max: Option<f64>) -> ChecklistItem {
    ChecklistItem {
        answer: AnswerSpec::Number {
            unit: "%".into(),
            min,
            max,
        },
        ..yes_no_item(YesNo::No)
    }
}

#[test]
fn every_starter_template_parses_with_10_to_30_items_unique_ids_and_rule_references() {
    let library = starter_library();
    assert_eq!(library.len(), 5);
    let mut template_ids = BTreeSet::new();
    for t in &library {
        assert!(
            template_ids.insert(t.id.clone()),
            "duplicate template {}",
            t.id
        );
        assert!(
            (10..=30).contains(&t.items.len()),
            "{} has {} items",
            t.id,
            t.items.len()
        );
        let ids: BTreeSet<&str> = t.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids.len(), t.items.len(), "{} repeats an item id", t.id);
        for item in &t.items {
            assert!(
                !item.rule.citation.trim().is_empty(),
                "{} has no rule",
                item.id
            );
            assert!(!item.text.trim().is_empty());
        }
        assert!(t.themes().len() >= 6, "{} covers too few themes", t.id);
    }
}

#[test]
fn the_starter_library_covers_the_five_sectors_and_every_theme() {
    let library = starter_library();
    for sector in [
        "garage",
        "fuel_station",
        "hospitality",
        "livestock",
        "metal_industry",
    ] {
        assert_eq!(select_templates(&library, sector, &[]).len(), 1, "{sector}");
    }
    let covered: BTreeSet<Theme> = library.iter().flat_map(|t| t.themes()).collect();
    for theme in [
        Theme::Notification,
        Theme::SoilProtection,
        Theme::HazardousSubstances,
        Theme::Tanks,
        Theme::Waste,
        Theme::Discharges,
        Theme::AirOdour,
        Theme::Noise,
        Theme::RefrigerationHeating,
        Theme::Energy,
        Theme::Livestock,
    ] {
        assert!(covered.contains(&theme), "{theme:?} is not covered");
    }
}

#[test]
fn starter_templates_cite_pgs_guidelines_for_storage_and_tanks() {
    for t in starter_library() {
        for item in t.items.iter().filter(|i| i.rule.source == RuleSource::Pgs) {
            assert!(item.rule.citation.starts_with("PGS "), "{}", item.id);
            assert!(
                matches!(item.theme, Theme::HazardousSubstances | Theme::Tanks),
                "{}",
                item.id
            );
        }
    }
}

#[test]
fn templates_are_selected_by_sector_or_activity_at_their_newest_version() {
    let mut library = starter_library();
    let mut newer = library[0].clone();
    newer.version += 1;
    library.push(newer.clone());

    let garage = select_templates(&library, "garage", &[]);
    assert_eq!(garage.len(), 1);
    assert_eq!(garage[0].pin(), newer.pin());

    let by_activity = select_templates(&library, "retail", &["fuel_dispensing"]);
    assert_eq!(
        by_activity
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>(),
        ["tankstation"]
    );
    assert!(select_templates(&library, "kinderopvang", &[]).is_empty());
}

#[test]
fn a_no_on_a_yes_no_item_is_a_violation_and_not_applicable_never_is() {
    let item = yes_no_item(YesNo::No);
    assert_eq!(evaluate(&item, &Answer::No), Ok(true));
    assert_eq!(evaluate(&item, &Answer::Yes), Ok(false));
    assert_eq!(evaluate(&item, &Answer::NotApplicable), Ok(false));
    assert_eq!(evaluate(&yes_no_item(YesNo::Yes), &Answer::Yes), Ok(true));
}

#[test]
fn a_number_outside_its_limits_is_a_violation() {
    let item = number_item(Some(85.0), None);
    assert_eq!(evaluate(&item, &Answer::Number(84.9)), Ok(true));
    assert_eq!(evaluate(&item, &Answer::Number(85.0)), Ok(false));
    let capped = number_item(None, Some(10.0));
    assert_eq!(evaluate(&capped, &Answer::Number(10.5)), Ok(true));
    assert!(evaluate(&capped, &Answer::Number(f64::NAN)).is_err());
}

#[test]
fn an_answer_of_the_wrong_kind_is_refused() {
    let item = yes_no_item(YesNo::No);
    assert_eq!(
        evaluate(&item, &Answer::Number(3.0)),
        Err(ChecklistError::AnswerMismatch("x".into()))
    );
    assert!(evaluate(&number_item(None, None), &Answer::Yes).is_err());
}

#[test]
fn answers_have_a_tagged_json_form() {
    assert_eq!(
        serde_json::to_value(Answer::No).unwrap(),
        serde_json::json!({"type": "no"})
    );
    assert_eq!(
        serde_json::to_value(Answer::Number(3.5)).unwrap(),
        serde_json::json!({"type": "number", "value": 3.5})
    );
    let a: Answer = serde_json::from_str(r#"{"type":"not_applicable"}"#).unwrap();
    assert_eq!(a, Answer::NotApplicable);
}

#[test]
fn invalid_templates_are_refused() {
    let good = starter_library().remove(0);
    let reparse =
        |t: &ChecklistTemplate| ChecklistTemplate::parse(&serde_json::to_string(t).unwrap());
    assert_eq!(reparse(&good).as_ref(), Ok(&good));

    let mut dup = good.clone();
    dup.items[1].id = dup.items[0].id.clone();
    assert!(matches!(
        reparse(&dup),
        Err(ChecklistError::DuplicateItem { .. })
    ));

    let mut no_rule = good.clone();
    no_rule.items[0].rule.citation = " ".into();
    assert!(matches!(
        reparse(&no_rule),
        Err(ChecklistError::ItemWithoutRule(_))
    ));

    let mut limits = good.clone();
    limits.items[0].answer = AnswerSpec::Number {
        unit: "kg".into(),
        min: Some(10.0),
        max: Some(1.0),
    };
    assert!(matches!(
        reparse(&limits),
        Err(ChecklistError::InvalidLimits(_))
    ));

    assert!(matches!(
        ChecklistTemplate::parse("{}"),
        Err(ChecklistError::Syntax(_))
    ));
}

fn any_starter_item() -> impl Strategy<Value = ChecklistItem> {
    (any::<Index>(), any::<Index>()).prop_map(|(t, i)| {
        let library = starter_library();
        let template = &library[t.index(library.len())];
        template.items[i.index(template.items.len())].clone()
    })
}

proptest! {
    #[test]
    fn every_starter_item_judges_each_fitting_answer_consistently(item in any_starter_item(), value in -1e6f64..1e6) {
        prop_assert_eq!(evaluate(&item, &Answer::NotApplicable), Ok(false));
        match &item.answer {
            AnswerSpec::YesNo { .. } => {
                let yes = evaluate(&item, &Answer::Yes).unwrap();
                let no = evaluate(&item, &Answer::No).unwrap();
                prop_assert!(yes != no, "exactly one of ja/nee is a violation");
            }
            AnswerSpec::Number { min, max, .. } => {
                let outside = min.is_some_and(|lo| value < lo) || max.is_some_and(|hi| value > hi);
                prop_assert_eq!(evaluate(&item, &Answer::Number(value)), Ok(outside));
            }
            AnswerSpec::Text => prop_assert_eq!(evaluate(&item, &Answer::Text("x".into())), Ok(false)),
            AnswerSpec::Photo => prop_assert_eq!(evaluate(&item, &Answer::Photo("ab".into())), Ok(false)),
        }
    }
}
