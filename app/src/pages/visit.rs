//! `/bezoek/{id}`: one visit, entirely from IndexedDB: the site and its history, "Start bezoek",
//! the checklist of the pinned template, notes, and "Bezoek afronden". Every change is saved on
//! the device first (with its outbox mutation) and sent by the sync engine.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use shared::checklist::{
    evaluate, select_templates, Answer, AnswerSpec, ChecklistItem, ChecklistTemplate,
};
use shared::coords::{on_site, Wgs84};
use shared::lhso::{Assessment, LhsoCell, LhsoError, DEFAULT_MATRIX_VERSION};
use shared::visit::{PastInspection, VisitStatus};
use shared::Role;

use crate::actions;
use crate::lhso::{self, LhsoRecord};
use crate::pages::guard::RequireRole;
use crate::photos;
use crate::session::use_session;
use crate::store::{self, Delivery, LocalFinding, LocalNote, LocalPhoto, LocalVisit, StoreError};
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
    photos: Vec<LocalPhoto>,
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
        photos: store::photos_of(id).await.unwrap_or_default(),
        delivery: store::deliveries(online)
            .await
            .ok()
            .and_then(|d| d.get(&id).copied()),
        template,
        local,
    })
}

/// The LHSO panel's input. It lives with the page, not with the rendered visit, so a re-read of
/// IndexedDB (every sync run bumps `rev`) does not wipe half-given answers.
#[derive(Clone, Copy)]
struct LhsoDraft {
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
    fn new() -> Self {
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
    let draft = LhsoDraft::new();

    view! {
        <a href="/vandaag" class="back">{strings::BACK_TO_DAY}</a>
        <Show when=move || error.get().is_some()>
            <p class="error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </Show>
        {move || match data.get() {
            None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
            Some(None) => view! { <p class="muted">{strings::VISIT_NOT_ON_DEVICE}</p> }.into_any(),
            Some(Some(d)) => view! {
                <VisitBody d=d error=error starting=starting new_note=new_note editing=editing edit_text=edit_text draft=draft/>
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
    draft: LhsoDraft,
) -> impl IntoView {
    let v = d.local.visit.clone();
    let visit_id = v.id;
    let status = v.status;
    let in_progress = status == VisitStatus::InProgress;
    let template_ref = d.template.as_ref().map(|t| t.pin());
    let site = v.site.clone();
    let session = use_session();

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
        let radius = session.agency_untracked().on_site_radius_m;
        let at = d.local.position.map(|p| {
            (
                Wgs84 {
                    lat: p.lat,
                    lon: p.lon,
                },
                p.accuracy_m,
            )
        });
        let (verdict, metres) = on_site(
            Wgs84 {
                lat: site.lat,
                lon: site.lon,
            },
            at,
            radius,
        );
        let place = strings::on_site(verdict, metres);
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
                <span class="tag">{strings::SIZE}" "{shared::risk::VisitSize::as_str(v.size)}</span>
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

            <Checklist template=d.template.clone() findings=d.findings.clone() enabled=in_progress visit_id=visit_id error=error draft=draft/>
            <Photos photos=d.photos.clone() enabled=in_progress visit_id=visit_id error=error/>
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
    draft: LhsoDraft,
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
                    view! { <Item item=item.clone() finding=finding enabled=enabled visit_id=visit_id error=error draft=draft/> }
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
        AnswerSpec::Photo => {
            let item_id = item.id.clone();
            // The finding's id is fixed before the photo is stored, so the photo can name it.
            let on_file = move |file: web_sys::Blob| -> LocalAction {
                let item_id = item_id.clone();
                Box::pin(async move {
                    let finding_id = match existing {
                        Some(id) => id,
                        None => util::new_uuid().ok_or_else(|| StoreError("no crypto".into()))?,
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
                view! { <Lhso finding_id=f.id saved=f.lhso sent=sent enabled=enabled draft=draft error=error/> }
            })}
        </li>
    }
}

/// The visit's photos with their delivery state, and the camera button while the visit runs.
#[component]
fn Photos(
    photos: Vec<LocalPhoto>,
    enabled: bool,
    visit_id: Uuid,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let empty = photos.is_empty();
    let on_file = move |file: web_sys::Blob| -> LocalAction {
        Box::pin(async move { photos::capture(file, visit_id, None).await.map(|_| ()) })
    };
    view! {
        <section class="card photos" data-testid="photos">
            <h2>{strings::PHOTOS}</h2>
            {empty.then(|| view! { <p class="muted">{strings::NO_PHOTOS}</p> })}
            <ul class="photo-grid">
                {photos.into_iter().map(|p| view! { <PhotoThumb photo=p/> }).collect_view()}
            </ul>
            {enabled.then(|| view! { <PhotoButton label=strings::TAKE_PHOTO error=error on_file=on_file/> })}
        </section>
    }
}

#[component]
fn PhotoThumb(photo: LocalPhoto) -> impl IntoView {
    let sync = use_sync();
    let url = RwSignal::new(None::<String>);
    let sha = photo.sha256.clone();
    spawn_local(async move {
        if let Some(u) = photos::object_url(&sha).await {
            // The thumbnail may be gone already (the page re-rendered): then free the URL now.
            if let Some(u) = url.try_set(Some(u)).flatten() {
                photos::revoke(&u);
            }
        }
    });
    on_cleanup(move || {
        if let Some(u) = url.try_get_untracked().flatten() {
            photos::revoke(&u);
        }
    });
    let state = photo.state;
    view! {
        <li class="photo" data-testid="photo" data-state=state.as_str()
            data-sha256=photo.sha256.clone()>
            <img alt=strings::PHOTOS src=move || url.get().unwrap_or_default()
                width=photo.width.to_string() height=photo.height.to_string()/>
            <span class=format!("tag photo-state-{}", state.as_str())>
                {strings::photo_state_label(state)}
            </span>
            {photo.problem.map(|m| {
                let id = photo.id;
                let discard = move |_| {
                    let ok = web_sys::window()
                        .and_then(|w| w.confirm_with_message(strings::PHOTO_DISCARD_CONFIRM).ok())
                        .unwrap_or(false);
                    if ok {
                        spawn_local(async move {
                            if photos::discard_refused(id).await.is_ok() {
                                sync.changed();
                            }
                        });
                    }
                };
                view! {
                    <p class="error">{m}</p>
                    <button class="secondary" on:click=discard>{strings::PHOTO_DISCARD}</button>
                }
            })}
        </li>
    }
}

/// A camera button: a styled label around a hidden file input (on a tablet it opens the camera,
/// on a laptop a file picker). The chosen picture goes to `on_file`, which stores it.
#[component]
fn PhotoButton<F>(label: &'static str, error: RwSignal<Option<String>>, on_file: F) -> impl IntoView
where
    F: Fn(web_sys::Blob) -> LocalAction + 'static,
{
    let saving = RwSignal::new(false);
    let sync = use_sync();
    let change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = photos::chosen_file(&input) else {
            return;
        };
        // The same picture may be chosen again later.
        input.set_value("");
        saving.set(true);
        error.set(None);
        let action = on_file(file);
        spawn_local(async move {
            let result = action.await;
            saving.set(false);
            match result {
                Ok(()) => sync.changed(),
                Err(e) => {
                    leptos::logging::warn!("photo not stored: {}", e.0);
                    error.set(Some(strings::PHOTO_SAVE_FAILED.to_owned()));
                }
            }
        });
    };
    view! {
        <label class="button secondary photo-button" class:busy=move || saving.get()>
            {move || if saving.get() { strings::PHOTO_SAVING } else { label }}
            <input type="file" accept="image/*" capture="environment" class="sr-only"
                data-testid="photo-input" on:change=change disabled=move || saving.get()/>
        </label>
    }
}

/// The LHSO block of a violation: the saved assessment, and the scoring panel (or its button).
#[component]
fn Lhso(
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
                <span class=if sent { "tag delivery delivery-confirmed" } else { "tag delivery delivery-waiting" }
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
                            {strings::kind_label(h.kind)}" · "
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
