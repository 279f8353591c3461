//! LHSO on a violation: the saved assessment with its delivery state, and the scoring panel
//! with the matrix questions (offline, from the agency's matrix on the device).

use std::collections::BTreeMap;

use leptos::prelude::*;
use uuid::Uuid;

use shared::lhso::{Assessment, LhsoCell, LhsoError, DEFAULT_MATRIX_VERSION};

use super::act;
use crate::actions;
use crate::components::delivery::delivery_class;
use crate::lhso::{self, LhsoRecord};
use crate::store::Delivery;
use crate::{strings, util};

/// The LHSO panel's input. It lives with the page, not with the rendered visit, so a re-read of
/// IndexedDB (every sync run bumps `rev`) does not wipe half-given answers.
#[derive(Clone, Copy)]
pub(super) struct LhsoDraft {
    /// The finding being scored, if the panel is open.
    open: RwSignal<Option<Uuid>>,
    answers: RwSignal<BTreeMap<String, String>>,
    repeat: RwSignal<bool>,
    /// `None`: the suggested cell.
    chosen: RwSignal<Option<LhsoCell>>,
    reason: RwSignal<String>,
    error: RwSignal<Option<String>>,
}

impl LhsoDraft {
    pub(super) fn new() -> Self {
        LhsoDraft {
            open: RwSignal::new(None),
            answers: RwSignal::new(BTreeMap::new()),
            repeat: RwSignal::new(false),
            chosen: RwSignal::new(None),
            reason: RwSignal::new(String::new()),
            error: RwSignal::new(None),
        }
    }

    /// Opens the panel for a finding, with its saved assessment (if any) as the starting point.
    fn open_for(&self, finding: Uuid, saved: Option<&LhsoRecord>) {
        self.answers
            .set(saved.map(|r| r.answers.clone()).unwrap_or_default());
        self.repeat.set(saved.is_some_and(|r| r.repeat_offence));
        self.chosen
            .set(saved.filter(|r| r.choice.deviated).map(|r| r.choice.chosen));
        self.reason.set(
            saved
                .and_then(|r| r.choice.reason.clone())
                .unwrap_or_default(),
        );
        self.error.set(None);
        self.open.set(Some(finding));
    }
}

/// The LHSO block of a violation: the saved assessment, and the scoring panel (or its button).
#[component]
pub(super) fn Lhso(
    finding_id: Uuid,
    saved: Option<LhsoRecord>,
    /// The server acknowledged the saved assessment.
    sent: bool,
    enabled: bool,
    draft: LhsoDraft,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let has_saved = saved.is_some();
    let for_open = saved.clone();
    view! {
        <div class="lhso" data-testid="lhso">
            {saved.map(|r| view! { <LhsoSaved r=r sent=sent/> })}
            {move || {
                if draft.open.get() == Some(finding_id) {
                    view! { <LhsoPanel finding_id=finding_id draft=draft error=error/> }.into_any()
                } else if enabled {
                    let saved = for_open.clone();
                    view! {
                        <button class="secondary" data-testid="lhso-open"
                            on:click=move |_| draft.open_for(finding_id, saved.as_ref())>
                            {if has_saved { strings::LHSO_REOPEN } else { strings::LHSO_OPEN }}
                        </button>
                    }.into_any()
                } else {
                    ().into_any()
                }
            }}
        </div>
    }
}

/// What the matrix advises for a cell: BOA flag, interventions, remedy deadline, explanation.
#[component]
fn Advice(a: Assessment, deadline: Option<chrono::NaiveDate>) -> impl IntoView {
    let boa = a.boa_consultation;
    view! {
        <p class="lhso-boa" data-testid="lhso-boa" data-boa=boa.to_string()>
            {if boa { strings::LHSO_BOA_YES } else { strings::LHSO_BOA_NO }}
        </p>
        <h4>{strings::LHSO_INTERVENTIONS}</h4>
        <ul class="interventions" data-testid="lhso-interventions">
            {a.interventions.iter().map(|i| view! {
                <li data-code=i.as_str()>{strings::intervention_label(*i)}</li>
            }).collect_view()}
        </ul>
        <p data-testid="lhso-deadline">{match deadline {
            Some(d) => format!("{} {}", strings::LHSO_DEADLINE, strings::date_nl(d)),
            None => strings::LHSO_NO_DEADLINE.to_owned(),
        }}</p>
        <details class="lhso-explanation">
            <summary>{strings::LHSO_EXPLANATION}</summary>
            <ul data-testid="lhso-explanation">
                {a.explanation.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
            </ul>
        </details>
    }
}

/// A saved assessment, and whether the server has it.
#[component]
fn LhsoSaved(r: LhsoRecord, sent: bool) -> impl IntoView {
    let chosen = r.choice.chosen.to_string();
    let chosen_attr = chosen.clone();
    let deviated = r.choice.deviated;
    let label = strings::lhso_matrix_label(
        &r.advice.matrix_version,
        r.advice.matrix_version == DEFAULT_MATRIX_VERSION,
    );
    let deviation = deviated.then(|| {
        format!(
            "{} ({} {}): {}",
            strings::LHSO_DEVIATION,
            strings::LHSO_SUGGESTED,
            r.choice.suggested,
            r.choice.reason.clone().unwrap_or_default()
        )
    });
    view! {
        <div class="lhso-saved" data-testid="lhso-saved" data-cell=chosen_attr data-deviated=deviated.to_string()>
            <p>
                <strong>{strings::LHSO_CHOSEN}": "{chosen}</strong>" "
                <span class=delivery_class(if sent { Delivery::Confirmed } else { Delivery::Waiting })
                    data-testid="lhso-delivery" data-sent=sent.to_string()>
                    {if sent { strings::LHSO_SENT } else { strings::LHSO_PENDING }}
                </span>
            </p>
            {deviation.map(|t| view! { <p class="deviation" data-testid="lhso-deviation">{t}</p> })}
            <p class="muted" data-testid="lhso-matrix-label">{label}</p>
            <Advice a=r.advice deadline=r.remedy_deadline/>
        </div>
    }
}

/// Scoring a violation with the matrix questions, offline.
#[component]
fn LhsoPanel(finding_id: Uuid, draft: LhsoDraft, error: RwSignal<Option<String>>) -> impl IntoView {
    let Some(matrix) = lhso::matrix() else {
        return view! { <p class="error">{strings::LHSO_UNAVAILABLE}</p> }.into_any();
    };
    let data = matrix.data();
    let axes = [
        (
            data.consequence.title.clone(),
            data.consequence.questions.clone(),
        ),
        (
            data.behaviour.title.clone(),
            data.behaviour.questions.clone(),
        ),
    ];
    let suggestion = move || {
        draft
            .answers
            .with(|answers| lhso::suggest(matrix, answers, draft.repeat.get()).ok())
    };
    let save = move |_| {
        let Some(suggested) = suggestion() else {
            return;
        };
        let chosen = draft.chosen.get_untracked().unwrap_or(suggested.cell);
        match lhso::settle(
            matrix,
            draft.answers.get_untracked(),
            draft.repeat.get_untracked(),
            chosen,
            &draft.reason.get_untracked(),
            util::today(),
        ) {
            Ok(record) => {
                draft.open.set(None);
                act(
                    error,
                    Box::pin(actions::save_assessment(finding_id, record)),
                );
            }
            Err(LhsoError::DeviationWithoutReason { .. }) => {
                draft
                    .error
                    .set(Some(strings::LHSO_REASON_NEEDED.to_owned()));
            }
            Err(_) => draft.error.set(Some(strings::LHSO_ANSWER_ALL.to_owned())),
        }
    };
    view! {
        <div class="lhso-panel" data-testid="lhso-panel">
            <h3>{strings::LHSO_TITLE}</h3>
            <p class="lhso-matrix" data-testid="lhso-matrix-label">
                {strings::lhso_matrix_label(&data.version, data.is_default)}
            </p>
            {axes.into_iter().map(|(title, questions)| view! {
                <fieldset class="lhso-axis">
                    <legend>{title}</legend>
                    {questions.into_iter().map(|q| {
                        let qid = q.id.clone();
                        view! {
                            <div class="lhso-question" data-testid="lhso-question" data-question-id=q.id.clone()>
                                <p>{q.text.clone()}</p>
                                <div class="answers">
                                    {q.options.into_iter().map(|o| {
                                        let (qid, value) = (qid.clone(), o.value.clone());
                                        let for_click = (qid.clone(), value.clone());
                                        let pressed = move || draft.answers.with(|a| a.get(&qid) == Some(&value));
                                        view! {
                                            <button class="choice" data-value=o.value.clone()
                                                class:pressed=pressed.clone() aria-pressed=move || pressed().to_string()
                                                on:click=move |_| {
                                                    let (q, v) = for_click.clone();
                                                    draft.answers.update(|a| { a.insert(q, v); });
                                                    draft.error.set(None);
                                                }>{o.label.clone()}</button>
                                        }
                                    }).collect_view()}
                                </div>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            }).collect_view()}
            <label class="check">
                <input type="checkbox" data-testid="lhso-repeat" prop:checked=move || draft.repeat.get()
                    on:change=move |ev| draft.repeat.set(event_target_checked(&ev))/>
                {strings::LHSO_REPEAT}
            </label>
            {move || match suggestion() {
                None => view! { <p class="muted">{strings::LHSO_ANSWER_ALL}</p> }.into_any(),
                Some(a) => {
                    let cell = a.cell;
                    let deadline = shared::lhso::remedy_deadline(util::today(), a.remedy_days);
                    let axes = format!(
                        "{} {}: {} · {} {}: {}",
                        data.consequence.title, a.consequence, data.consequence.labels[&a.consequence],
                        data.behaviour.title, a.behaviour, data.behaviour.labels[&a.behaviour],
                    );
                    view! {
                        <div class="lhso-suggestion">
                            <p class="lhso-cell">{strings::LHSO_SUGGESTED}": "
                                <strong data-testid="lhso-suggested" data-cell=cell.to_string()>{cell.to_string()}</strong>
                            </p>
                            <p class="muted">{axes}</p>
                            <Advice a=a deadline=deadline/>
                            <label for="lhso-cell">{strings::LHSO_CELL}</label>
                            <select id="lhso-cell" data-testid="lhso-cell" on:change=move |ev| {
                                draft.chosen.set(event_target_value(&ev).parse::<LhsoCell>().ok());
                                draft.error.set(None);
                            }>
                                {LhsoCell::all().map(|c| {
                                    let code = c.to_string();
                                    let value = code.clone();
                                    view! {
                                        <option value=value selected=move || draft.chosen.get().unwrap_or(cell) == c>
                                            {code}
                                        </option>
                                    }
                                }).collect_view()}
                            </select>
                            <label for="lhso-reason">{strings::LHSO_REASON}</label>
                            <textarea id="lhso-reason" rows="2" data-testid="lhso-reason"
                                prop:value=move || draft.reason.get()
                                on:input=move |ev| draft.reason.set(event_target_value(&ev))></textarea>
                        </div>
                    }.into_any()
                }
            }}
            <Show when=move || draft.error.get().is_some()>
                <p class="error" role="alert" data-testid="lhso-error">{move || draft.error.get().unwrap_or_default()}</p>
            </Show>
            <div class="row">
                <button class="primary" data-testid="lhso-save" on:click=save
                    disabled=move || suggestion().is_none()>{strings::LHSO_SAVE}</button>
                <button on:click=move |_| draft.open.set(None)>{strings::CANCEL}</button>
            </div>
        </div>
    }
    .into_any()
}
