//! LHSO on a violation: the saved assessment with its delivery state, and the scoring panel
//! with the matrix questions (offline, from the agency's matrix on the device).

use std::collections::BTreeMap;

use leptos::prelude::*;
use uuid::Uuid;

use chrono::NaiveDate;
use shared::lhso::{Assessment, Intervention, LhsoCell, LhsoError, DEFAULT_MATRIX_VERSION};

use super::act;
use crate::actions;
use crate::components::delivery::delivery_class;
use crate::lhso::{self, Choices, LhsoRecord, SettleError};
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
    /// `None`: the first intervention the cell proposes.
    intervention: RwSignal<Option<Intervention>>,
    intervention_reason: RwSignal<String>,
    /// `None`: the matrix's deadline for the cell.
    deadline: RwSignal<Option<NaiveDate>>,
    boa_consulted: RwSignal<bool>,
    /// The site's history suggests a repeat offence (date and what was found then).
    earlier: RwSignal<Option<(NaiveDate, String)>>,
    repeat_reason: RwSignal<String>,
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
            intervention: RwSignal::new(None),
            intervention_reason: RwSignal::new(String::new()),
            deadline: RwSignal::new(None),
            boa_consulted: RwSignal::new(false),
            earlier: RwSignal::new(None),
            repeat_reason: RwSignal::new(String::new()),
            error: RwSignal::new(None),
        }
    }

    /// Opens the panel for a finding, with its saved assessment (if any) as the starting point.
    fn open_for(
        &self,
        finding: Uuid,
        saved: Option<&LhsoRecord>,
        earlier: Option<(NaiveDate, String)>,
    ) {
        self.answers
            .set(saved.map(|r| r.answers.clone()).unwrap_or_default());
        // A new assessment starts from what the site's history says about a repeat.
        self.repeat
            .set(saved.map_or(earlier.is_some(), |r| r.repeat_offence));
        self.earlier.set(earlier);
        self.repeat_reason.set(
            saved
                .and_then(|r| r.repeat_offence_reason.clone())
                .unwrap_or_default(),
        );
        let choice = saved.and_then(|r| r.intervention.as_ref());
        self.intervention.set(choice.map(|c| c.intervention));
        self.intervention_reason
            .set(choice.and_then(|c| c.reason.clone()).unwrap_or_default());
        self.deadline.set(saved.and_then(|r| r.remedy_deadline));
        self.boa_consulted
            .set(saved.and_then(|r| r.boa_consulted).unwrap_or(false));
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
    /// An earlier violation of the same item or theme at the site (a repeat offence).
    earlier: Option<(NaiveDate, String)>,
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
                    let earlier = earlier.clone();
                    view! {
                        <button class="secondary" data-testid="lhso-open"
                            on:click=move |_| draft.open_for(finding_id, saved.as_ref(), earlier.clone())>
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
fn Advice(a: Assessment, deadline: Option<NaiveDate>) -> impl IntoView {
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
    let intervention = r.intervention.as_ref().map(|c| {
        let name = strings::intervention_label(c.intervention);
        let text = match &c.reason {
            Some(reason) => format!("{name} ({reason})"),
            None => name.to_owned(),
        };
        (c.intervention.as_str(), text)
    });
    let boa = r.boa_consulted.map(|b| {
        if b {
            strings::LHSO_BOA_CONSULTED
        } else {
            strings::LHSO_BOA_NOT_CONSULTED
        }
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
            {intervention.map(|(code, text)| view! {
                <p data-testid="lhso-chosen-intervention" data-code=code><strong>{strings::LHSO_CHOSEN_INTERVENTION}": "</strong>{text}</p>
            })}
            {boa.map(|t| view! { <p class="muted" data-testid="lhso-boa-consulted">{t}</p> })}
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
        let (reason, intervention_reason, repeat_reason) = (
            draft.reason.get_untracked(),
            draft.intervention_reason.get_untracked(),
            draft.repeat_reason.get_untracked(),
        );
        let choices = Choices {
            chosen,
            reason: &reason,
            intervention: draft.intervention.get_untracked(),
            intervention_reason: &intervention_reason,
            deadline: draft.deadline.get_untracked(),
            boa_consulted: Some(draft.boa_consulted.get_untracked()),
            repeat_suggested: draft.earlier.with_untracked(Option::is_some),
            repeat_reason: &repeat_reason,
        };
        match lhso::settle(
            matrix,
            draft.answers.get_untracked(),
            draft.repeat.get_untracked(),
            &choices,
            util::today(),
        ) {
            Ok(record) => {
                draft.open.set(None);
                act(
                    error,
                    Box::pin(actions::save_assessment(finding_id, record)),
                );
            }
            Err(e) => draft.error.set(Some(
                match e {
                    SettleError::Lhso(LhsoError::DeviationWithoutReason { .. }) => {
                        strings::LHSO_REASON_NEEDED
                    }
                    SettleError::Lhso(LhsoError::InterventionWithoutReason(_)) => {
                        strings::LHSO_INTERVENTION_REASON_NEEDED
                    }
                    SettleError::Lhso(LhsoError::DeadlineOutOfRange(_)) => {
                        strings::LHSO_DEADLINE_INVALID
                    }
                    SettleError::RepeatClearedWithoutReason => strings::LHSO_REPEAT_REASON_NEEDED,
                    SettleError::Lhso(_) => strings::LHSO_ANSWER_ALL,
                }
                .to_owned(),
            )),
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
            {move || draft.earlier.get().map(|(date, what)| view! {
                <p class="muted" data-testid="lhso-earlier">{strings::lhso_earlier(date, &what)}</p>
                <Show when=move || !draft.repeat.get()>
                    <label for="lhso-repeat-reason">{strings::LHSO_REPEAT_REASON}</label>
                    <textarea id="lhso-repeat-reason" rows="2" data-testid="lhso-repeat-reason"
                        prop:value=move || draft.repeat_reason.get()
                        on:input=move |ev| draft.repeat_reason.set(event_target_value(&ev))></textarea>
                </Show>
            })}
            {move || match suggestion() {
                None => view! { <p class="muted">{strings::LHSO_ANSWER_ALL}</p> }.into_any(),
                Some(a) => {
                    let cell = a.cell;
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
                            {move || {
                                // The chosen cell's advice, at once while deviating.
                                let advice = lhso::advice_for(matrix, &a, draft.chosen.get());
                                view! { <Choose advice=advice draft=draft/> }
                            }}
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

/// The chosen cell's advice and what the inspector settles on with it: the intervention (one the
/// cell proposes, or another with a reason), the BOA consultation and the remedy deadline.
#[component]
fn Choose(advice: Assessment, draft: LhsoDraft) -> impl IntoView {
    let today = util::today();
    let matrix_deadline = shared::lhso::remedy_deadline(today, advice.remedy_days);
    let proposed = advice.interventions.clone();
    let first = proposed.first().copied();
    let current = move || draft.intervention.get().or(first);
    let is_other = {
        let proposed = proposed.clone();
        Memo::new(move |_| current().is_some_and(|i| !proposed.contains(&i)))
    };
    let others: Vec<Intervention> = Intervention::ALL
        .iter()
        .copied()
        .filter(|i| !proposed.contains(i))
        .collect();
    let boa = advice.boa_consultation;
    let shown_deadline = move || draft.deadline.get().or(matrix_deadline);
    view! {
        {move || view! { <Advice a=advice.clone() deadline=shown_deadline()/> }}
        <fieldset class="lhso-intervention" data-testid="lhso-intervention">
            <legend>{strings::LHSO_CHOOSE_INTERVENTION}</legend>
            {proposed.iter().map(|&i| view! {
                <label class="check">
                    <input type="radio" name="lhso-intervention" value=i.as_str()
                        prop:checked=move || current() == Some(i)
                        on:change=move |_| { draft.intervention.set(Some(i)); draft.error.set(None); }/>
                    {strings::intervention_label(i)}
                </label>
            }).collect_view()}
            <label for="lhso-other">{strings::LHSO_OTHER_INTERVENTION}</label>
            <select id="lhso-other" data-testid="lhso-other-intervention" on:change=move |ev| {
                let picked = Intervention::parse(&event_target_value(&ev));
                draft.intervention.set(picked.or(first));
                draft.error.set(None);
            }>
                <option value="" selected=move || !is_other.get()>{strings::LHSO_NO_OTHER}</option>
                {others.into_iter().map(|i| view! {
                    <option value=i.as_str() selected=move || current() == Some(i)>{strings::intervention_label(i)}</option>
                }).collect_view()}
            </select>
            <Show when=move || is_other.get()>
                <label for="lhso-intervention-reason">{strings::LHSO_INTERVENTION_REASON}</label>
                <textarea id="lhso-intervention-reason" rows="2" data-testid="lhso-intervention-reason"
                    prop:value=move || draft.intervention_reason.get()
                    on:input=move |ev| draft.intervention_reason.set(event_target_value(&ev))></textarea>
            </Show>
        </fieldset>
        {boa.then(|| view! {
            <label class="check">
                <input type="checkbox" data-testid="lhso-boa-consulted" prop:checked=move || draft.boa_consulted.get()
                    on:change=move |ev| draft.boa_consulted.set(event_target_checked(&ev))/>
                {strings::LHSO_BOA_CONSULTED}
            </label>
        })}
        {matrix_deadline.map(|_| view! {
            <label for="lhso-deadline">{strings::LHSO_DEADLINE_FIELD}</label>
            <input id="lhso-deadline" type="date" data-testid="lhso-deadline-input" min=today.to_string()
                prop:value=move || shown_deadline().map(|d| d.to_string()).unwrap_or_default()
                on:change=move |ev| {
                    draft.deadline.set(event_target_value(&ev).parse::<NaiveDate>().ok());
                    draft.error.set(None);
                }/>
        })}
    }
}
