//! `/bezoek/{id}`: one visit, entirely from IndexedDB: the site and its history, "Start bezoek",
//! the checklist of the pinned template, notes, and "Bezoek afronden". Every change is saved on
//! the device first (with its outbox mutation) and sent by the sync engine.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use shared::checklist::{
    evaluate, select_templates, Answer, AnswerSpec, ChecklistItem, ChecklistTemplate,
};
use shared::visit::{size_as_str, PastInspection, VisitStatus};
use shared::Role;

use crate::actions;
use crate::pages::guard::RequireRole;
use crate::session::use_session;
use crate::store::{self, Delivery, LocalFinding, LocalNote, LocalVisit, StoreError};
use crate::sync::use_sync;
use crate::{strings, util};

/// Longest wait for a position when a visit starts; without one it starts anyway.
const POSITION_TIMEOUT_MS: i32 = 4_000;

#[component]
pub fn VisitPage() -> impl IntoView {
    view! { <RequireRole role=Role::Inspector><VisitView/></RequireRole> }
}

#[derive(Clone)]
struct VisitData {
    local: LocalVisit,
    detail: Option<store::VisitHistory>,
    notes: Vec<LocalNote>,
    findings: Vec<LocalFinding>,
    template: Option<ChecklistTemplate>,
    delivery: Option<Delivery>,
}

async fn load(id: Uuid, online: bool) -> Option<VisitData> {
    let local = store::visit(id).await.ok().flatten()?;
    let template = match &local.template {
        Some(pinned) => store::get(
            store::TEMPLATES,
            &store::template_key(&pinned.id, pinned.version),
        )
        .await
        .ok()
        .flatten(),
        None => {
            let library = store::templates().await.unwrap_or_default();
            select_templates(&library, &local.visit.site.sector, &[])
                .first()
                .map(|t| (*t).clone())
        }
    };
    Some(VisitData {
        detail: store::detail(id).await.ok().flatten(),
        notes: store::notes_of(id).await.unwrap_or_default(),
        findings: store::findings_of(id).await.unwrap_or_default(),
        delivery: store::deliveries(online)
            .await
            .ok()
            .and_then(|d| d.get(&id).copied()),
        template,
        local,
    })
}

/// Runs a local action; on success the screen re-reads and the sync engine is woken.
/// (The future is boxed so the bundle carries one copy of this, not one per action.)
type LocalAction = Pin<Box<dyn Future<Output = Result<(), StoreError>>>>;

fn act(error: RwSignal<Option<String>>, action: LocalAction) {
    let sync = use_sync();
    error.set(None);
    spawn_local(async move {
        match action.await {
            Ok(()) => sync.changed(),
            Err(e) => {
                leptos::logging::warn!("local save failed: {}", e.0);
                error.set(Some(strings::SAVE_FAILED.to_owned()));
            }
        }
    });
}

#[component]
fn VisitView() -> impl IntoView {
    let session = use_session();
    let sync = use_sync();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| Uuid::parse_str(&s).ok())
    });
    let data = LocalResource::new(move || {
        let id = id.get();
        let online = session.online.get();
        sync.rev.track();
        async move {
            match id {
                Some(id) => load(id, online).await,
                None => None,
            }
        }
    });
    let error = RwSignal::new(None::<String>);
    let starting = RwSignal::new(false);
    let new_note = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<Uuid>);
    let edit_text = RwSignal::new(String::new());

    view! {
        <a href="/vandaag" class="back">{strings::BACK_TO_DAY}</a>
        <Show when=move || error.get().is_some()>
            <p class="error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </Show>
        {move || match data.get() {
            None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
            Some(None) => view! { <p class="muted">{strings::VISIT_NOT_ON_DEVICE}</p> }.into_any(),
            Some(Some(d)) => view! {
                <VisitBody d=d error=error starting=starting new_note=new_note editing=editing edit_text=edit_text/>
            }.into_any(),
        }}
    }
}

#[component]
fn VisitBody(
    d: VisitData,
    error: RwSignal<Option<String>>,
    starting: RwSignal<bool>,
    new_note: RwSignal<String>,
    editing: RwSignal<Option<Uuid>>,
    edit_text: RwSignal<String>,
) -> impl IntoView {
    let v = d.local.visit.clone();
    let visit_id = v.id;
    let status = v.status;
    let in_progress = status == VisitStatus::InProgress;
    let template_ref = d.template.as_ref().map(|t| t.pin());
    let site = v.site.clone();

    let start = move |_| {
        if starting.get_untracked() {
            return;
        }
        starting.set(true);
        let template = template_ref.clone();
        act(
            error,
            Box::pin(async move {
                let position = util::position(POSITION_TIMEOUT_MS).await;
                let result = actions::start_visit(visit_id, position, template).await;
                starting.set(false);
                result
            }),
        );
    };
    let finish = move |_| {
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message(strings::FINISH_CONFIRM).ok())
            .unwrap_or(false);
        if ok {
            act(error, Box::pin(actions::finish_visit(visit_id)));
        }
    };

    let where_started = d.local.started_at.clone().map(|t| {
        let place = match d.local.position {
            Some(p) => strings::near_site(util::distance_m(p.lat, p.lon, site.lat, site.lon)),
            None => strings::POSITION_UNKNOWN.to_owned(),
        };
        format!(
            "{} {} · {}",
            strings::STARTED_AT,
            util::short_time(&t),
            place
        )
    });
    let finished = d
        .local
        .finished_at
        .clone()
        .map(|t| format!("{} {}", strings::FINISHED_AT, util::short_time(&t)));

    view! {
        <section class="visit" data-testid="visit" data-status=status.as_str()>
            <h1>{v.site.name.clone()}</h1>
            <p class="address">{v.site.address.clone()}</p>
            <div class="tags">
                <span class="tag">{strings::sector_label(&v.site.sector).to_owned()}</span>
                <span class="tag">{strings::kind_label(v.kind)}</span>
                <span class="tag">{strings::SIZE}" "{size_as_str(v.size)}</span>
                <span class=format!("tag status-{}", status.as_str()) data-testid="visit-status">{strings::status_label(status)}</span>
                {d.delivery.map(|x| view! {
                    <span class=x.class() data-testid="delivery">
                        {strings::delivery_label(x)}
                    </span>
                })}
            </div>
            {store::is_pending_status(status).then(|| view! {
                <button class="primary big" data-testid="start-visit" on:click=start disabled=move || starting.get()>
                    {move || if starting.get() { strings::STARTING } else { strings::START_VISIT }}
                </button>
            })}
            {where_started.map(|t| view! { <p class="muted" data-testid="started">{t}</p> })}
            {finished.map(|t| view! { <p class="muted">{t}</p> })}

            <Checklist template=d.template.clone() findings=d.findings.clone() enabled=in_progress visit_id=visit_id error=error/>
            <Notes notes=d.notes.clone() enabled=status != VisitStatus::Done visit_id=visit_id error=error
                new_note=new_note editing=editing edit_text=edit_text/>

            {in_progress.then(|| view! {
                <button class="primary big" data-testid="finish-visit" on:click=finish>{strings::FINISH_VISIT}</button>
            })}
            <History history=d.detail.map(|x| x.history).unwrap_or_default()/>
        </section>
    }
}

#[component]
fn Checklist(
    template: Option<ChecklistTemplate>,
    findings: Vec<LocalFinding>,
    enabled: bool,
    visit_id: Uuid,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let Some(template) = template else {
        return view! {
            <section class="card checklist"><h2>{strings::CHECKLIST}</h2><p class="muted">{strings::NO_TEMPLATE}</p></section>
        }
        .into_any();
    };
    view! {
        <section class="card checklist" data-testid="checklist">
            <h2>{strings::CHECKLIST}": "{template.title.clone()}</h2>
            <p class="muted">{format!("{} v{}", template.id, template.version)}</p>
            {(!enabled).then(|| view! { <p class="muted">{strings::CHECKLIST_AFTER_START}</p> })}
            <ol class="items">
                {template.items.iter().map(|item| {
                    let finding = findings.iter().find(|f| f.item_id == item.id).cloned();
                    view! { <Item item=item.clone() finding=finding enabled=enabled visit_id=visit_id error=error/> }
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
            let value = match &current {
                Some(Answer::Number(n)) => util::number_nl(*n, 2)
                    .trim_end_matches('0')
                    .trim_end_matches(',')
                    .to_owned(),
                _ => String::new(),
            };
            let save = save.clone();
            view! {
                <input type="text" inputmode="decimal" class="number" value=value disabled=!enabled
                    on:change=move |ev| {
                        let text = event_target_value(&ev).replace(',', ".");
                        if let Ok(n) = text.trim().parse::<f64>() {
                            if n.is_finite() { save(Answer::Number(n)); }
                        }
                    }/>
                <span class="unit">{unit.clone()}</span>
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
        AnswerSpec::Photo => view! {
            <span class="muted">{strings::PHOTO_LATER}</span>
            {choice(Answer::NotApplicable, strings::NOT_APPLICABLE)}
        }
        .into_any(),
    };
    view! {
        <li class="item" data-testid="checklist-item" data-item-id=item.id.clone() class:violation=violation>
            <p class="item-text">{item.text.clone()}</p>
            <p class="rule muted">{strings::theme_label(item.theme)}" · "{item.rule.citation.clone()}</p>
            <div class="answers">{controls}</div>
            {violation.then(|| view! { <span class="tag violation-tag">{strings::VIOLATION}</span> })}
        </li>
    }
}

/// Whether an answer breaks the item's rule (the server decides for the record; this is the
/// same shared rule, shown at once on the device).
fn evaluate_item(item: &ChecklistItem, answer: &Answer) -> Option<bool> {
    evaluate(item, answer).ok()
}

#[component]
fn Notes(
    notes: Vec<LocalNote>,
    enabled: bool,
    visit_id: Uuid,
    error: RwSignal<Option<String>>,
    new_note: RwSignal<String>,
    editing: RwSignal<Option<Uuid>>,
    edit_text: RwSignal<String>,
) -> impl IntoView {
    let add = move |_| {
        let text = new_note.get_untracked();
        if !actions::valid_note(&text) {
            error.set(Some(strings::NOTE_INVALID.to_owned()));
            return;
        }
        new_note.set(String::new());
        act(
            error,
            Box::pin(actions::add_note(visit_id, text.trim().to_owned())),
        );
    };
    let empty = notes.is_empty();
    view! {
        <section class="card notes">
            <h2>{strings::NOTES}</h2>
            {empty.then(|| view! { <p class="muted">{strings::NO_NOTES}</p> })}
            <ul class="note-list">
                {notes.into_iter().map(|n| {
                    let id = n.id;
                    let text = n.text.clone();
                    let pending = n.unsent > 0;
                    view! {
                        <li class="note" data-testid="note" class:pending=pending>
                            {move || if editing.get() == Some(id) {
                                view! {
                                    <textarea rows="3" prop:value=move || edit_text.get()
                                        on:input=move |ev| edit_text.set(event_target_value(&ev))></textarea>
                                    <div class="row">
                                        <button class="primary" on:click=move |_| {
                                            let text = edit_text.get_untracked();
                                            if !actions::valid_note(&text) {
                                                error.set(Some(strings::NOTE_INVALID.to_owned()));
                                                return;
                                            }
                                            editing.set(None);
                                            act(error, Box::pin(actions::edit_note(visit_id, id, text.trim().to_owned())));
                                        }>{strings::SAVE}</button>
                                        <button on:click=move |_| editing.set(None)>{strings::CANCEL}</button>
                                    </div>
                                }.into_any()
                            } else {
                                let text = text.clone();
                                let for_edit = text.clone();
                                view! {
                                    <p class="note-text">{text}</p>
                                    {enabled.then(|| view! {
                                        <button class="link-button" on:click=move |_| {
                                            edit_text.set(for_edit.clone());
                                            editing.set(Some(id));
                                        }>{strings::EDIT}</button>
                                    })}
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {enabled.then(|| view! {
                <label for="new-note" class="sr-only">{strings::ADD_NOTE}</label>
                <textarea id="new-note" rows="3" data-testid="note-input" placeholder=strings::NOTE_PLACEHOLDER
                    prop:value=move || new_note.get() on:input=move |ev| new_note.set(event_target_value(&ev))></textarea>
                <button class="primary" data-testid="add-note" on:click=add>{strings::ADD_NOTE}</button>
            })}
        </section>
    }
}

#[component]
fn History(history: Vec<PastInspection>) -> impl IntoView {
    view! {
        <section class="card history">
            <h2>{strings::HISTORY}</h2>
            {history.is_empty().then(|| view! { <p class="muted">{strings::NO_HISTORY}</p> })}
            <ul>
                {history.into_iter().map(|h| {
                    let compliant = h.violations.is_empty();
                    view! {
                        <li>
                            <strong>{strings::date_nl(h.date)}</strong>" · "
                            {shared::visit::parse_kind(&h.kind).map(strings::kind_label).unwrap_or("")}" · "
                            {if compliant { strings::COMPLIANT.to_owned() } else {
                                format!("{}: {}", strings::VIOLATIONS, h.cells.join(", "))
                            }}
                            <ul class="violations">
                                {h.violations.into_iter().map(|x| view! {
                                    <li>
                                        <span class="tag">{x.cell.clone()}</span>" "{x.description.clone()}
                                        <span class="muted">" · "{x.rule_ref.clone()}" · "{x.intervention.clone()}
                                            {x.repeat_offence.then_some(strings::REPEAT).map(|r| format!(" · {r}"))}
                                            {x.remedy_deadline.map(|d| format!(" · {} {}", strings::DEADLINE, strings::date_nl(d)))}
                                            {x.remedied_on.map(|d| format!(" · {} {}", strings::REMEDIED, strings::date_nl(d)))}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
