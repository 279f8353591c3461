//! The checklist of the pinned template: one item per rule, its answer controls, and for a
//! violation its LHSO block.

use leptos::prelude::*;
use uuid::Uuid;

use shared::checklist::{evaluate, Answer, AnswerSpec, ChecklistItem, ChecklistTemplate};

use super::lhso::{Lhso, LhsoDraft};
use super::photos::PhotoButton;
use super::{act, LocalAction};
use crate::actions;
use crate::error::AppError;
use crate::photos;
use crate::store::LocalFinding;
use crate::{strings, util};

#[component]
pub(super) fn Checklist(
    template: Option<ChecklistTemplate>,
    findings: Vec<LocalFinding>,
    enabled: bool,
    /// Not started yet: the checklist says how to begin.
    pending: bool,
    visit_id: Uuid,
    error: RwSignal<Option<String>>,
    draft: LhsoDraft,
    /// Per item of the template, in order: an earlier violation of the same item or theme at the
    /// site (a repeat offence), from the site's history.
    earlier: Vec<Option<(chrono::NaiveDate, String)>>,
) -> impl IntoView {
    let Some(template) = template else {
        return view! {
            <section class="card checklist"><h2>{strings::CHECKLIST}</h2><p class="muted">{strings::NO_TEMPLATE}</p></section>
        }
        .into_any();
    };
    let mut findings = findings;
    view! {
        <section class="card checklist" data-testid="checklist">
            <h2>{strings::CHECKLIST}": "{template.title.clone()}</h2>
            <p class="muted">{format!("{} v{}", template.id, template.version)}</p>
            {pending.then(|| view! { <p class="muted">{strings::CHECKLIST_AFTER_START}</p> })}
            {(!enabled && !pending).then(|| view! { <p class="muted">{strings::CHECKLIST_DONE}</p> })}
            <ol class="items">
                {template.items.iter().zip(earlier).map(|(item, earlier)| {
                    let finding = findings
                        .iter()
                        .position(|f| f.item_id == item.id)
                        .map(|i| findings.remove(i));
                    view! { <Item item=item.clone() finding=finding enabled=enabled visit_id=visit_id error=error draft=draft earlier=earlier/> }
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

#[component]
fn Item(
    item: ChecklistItem,
    finding: Option<LocalFinding>,
    enabled: bool,
    visit_id: Uuid,
    error: RwSignal<Option<String>>,
    draft: LhsoDraft,
    earlier: Option<(chrono::NaiveDate, String)>,
) -> impl IntoView {
    let current = finding.as_ref().map(|f| f.answer.clone());
    let existing = finding.as_ref().map(|f| f.id);
    let violation = current
        .as_ref()
        .and_then(|a| evaluate_item(&item, a))
        .unwrap_or(false);
    let item_id = item.id.clone();
    let save = move |answer: Answer| {
        act(
            error,
            Box::pin(actions::answer(visit_id, item_id.clone(), existing, answer)),
        );
    };
    let choice = {
        let save = save.clone();
        let current = current.clone();
        move |answer: Answer, label: &'static str| {
            let pressed = current.as_ref() == Some(&answer);
            let save = save.clone();
            view! {
                <button class="choice" class:pressed=pressed aria-pressed=pressed.to_string() disabled=!enabled
                    on:click=move |_| save(answer.clone())>{label}</button>
            }
        }
    };
    let controls = match &item.answer {
        AnswerSpec::YesNo { .. } => view! {
            {choice(Answer::Yes, strings::YES)}
            {choice(Answer::No, strings::NO)}
            {choice(Answer::NotApplicable, strings::NOT_APPLICABLE)}
        }
        .into_any(),
        AnswerSpec::Number { unit, .. } => {
            let item_id_for_error = item.id.clone();
            let value = match &current {
                Some(Answer::Number(n)) => util::number_nl(*n, 2)
                    .trim_end_matches('0')
                    .trim_end_matches(',')
                    .to_owned(),
                _ => String::new(),
            };
            let save = save.clone();
            // What was typed and is not a number is said next to the field, and not saved.
            let invalid = RwSignal::new(false);
            let input_id = format!("number-{}", item.id);
            let error_id = format!("number-error-{}", item.id);
            view! {
                <label for=input_id.clone() class="sr-only">{item.text.clone()}</label>
                <input type="text" inputmode="decimal" class="number" id=input_id value=value disabled=!enabled
                    data-testid="number-input"
                    aria-invalid=move || invalid.get().to_string()
                    aria-describedby=move || invalid.get().then(|| error_id.clone())
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        if text.trim().is_empty() {
                            invalid.set(false);
                            return;
                        }
                        match shared::nl::parse_decimal(&text) {
                            Some(n) => {
                                invalid.set(false);
                                save(Answer::Number(n));
                            }
                            None => invalid.set(true),
                        }
                    }/>
                <span class="unit">{unit.clone()}</span>
                <Show when=move || invalid.get()>
                    <p class="field-error" role="alert" id=format!("number-error-{}", item_id_for_error)
                        data-testid="number-error">{strings::NOT_A_NUMBER}</p>
                </Show>
                {choice(Answer::NotApplicable, strings::NOT_APPLICABLE)}
            }
            .into_any()
        }
        AnswerSpec::Text => {
            let value = match &current {
                Some(Answer::Text(t)) => t.clone(),
                _ => String::new(),
            };
            let save = save.clone();
            view! {
                <textarea rows="2" disabled=!enabled prop:value=value
                    on:change=move |ev| save(Answer::Text(event_target_value(&ev)))></textarea>
                {choice(Answer::NotApplicable, strings::NOT_APPLICABLE)}
            }
            .into_any()
        }
        AnswerSpec::Photo => {
            let item_id = item.id.clone();
            // The finding's id is fixed before the photo is stored, so the photo can name it.
            let on_file = move |file: web_sys::Blob| -> LocalAction {
                let item_id = item_id.clone();
                Box::pin(async move {
                    let finding_id = match existing {
                        Some(id) => id,
                        None => {
                            util::new_uuid().ok_or_else(|| AppError::Storage("no crypto".into()))?
                        }
                    };
                    let photo = photos::capture(file, visit_id, Some(finding_id)).await?;
                    actions::answer(
                        visit_id,
                        item_id,
                        Some(finding_id),
                        Answer::Photo(photo.sha256),
                    )
                    .await
                })
            };
            let taken = matches!(current, Some(Answer::Photo(_)));
            view! {
                {taken.then(|| view! { <span class="tag photo-taken">{strings::PHOTO_TAKEN}</span> })}
                {enabled.then(|| view! { <PhotoButton label=strings::PHOTO_OF_ITEM error=error on_file=on_file/> })}
                {choice(Answer::NotApplicable, strings::NOT_APPLICABLE)}
            }
            .into_any()
        }
    };
    view! {
        <li class="item" data-testid="checklist-item" data-item-id=item.id.clone() class:violation=violation>
            <p class="item-text">{item.text.clone()}</p>
            <p class="rule muted">{strings::theme_label(item.theme)}" · "{item.rule.citation.clone()}</p>
            <div class="answers">{controls}</div>
            {violation.then(|| view! { <span class="tag violation-tag">{strings::VIOLATION}</span> })}
            {finding.filter(|_| violation).map(|f| {
                let sent = f.lhso_unsent == 0 && f.lhso_version.is_some();
                view! { <Lhso finding_id=f.id saved=f.lhso sent=sent enabled=enabled draft=draft error=error earlier=earlier.clone()/> }
            })}
        </li>
    }
}

/// Whether an answer breaks the item's rule (the server decides for the record; this is the
/// same shared rule, shown at once on the device).
fn evaluate_item(item: &ChecklistItem, answer: &Answer) -> Option<bool> {
    evaluate(item, answer).ok()
}
