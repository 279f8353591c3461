//! `/bezoek/{id}`: one visit, entirely from IndexedDB: the site and its history, "Start bezoek",
//! the checklist of the pinned template, notes, and "Bezoek afronden". Every change is saved on
//! the device first (with its outbox mutation) and sent by the sync engine.

mod checklist;
mod history;
mod lhso;
mod not_possible;
mod notes;
mod photos;
mod reinspection;

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use shared::checklist::{select_templates, ChecklistTemplate};
use shared::coords::{on_site, Wgs84};
use shared::enforcement::{earlier_violation, REPEAT_PERIOD_DAYS};
use shared::visit::VisitStatus;
use shared::Role;

use crate::actions;
use crate::components::delivery::DeliveryTag;
use crate::error::AppError;
use crate::pages::guard::RequireRole;
use crate::session::use_session;
use crate::store::{self, Delivery, LocalFinding, LocalNote, LocalPhoto, LocalVisit};
use crate::sync::use_sync;
use crate::{strings, util};

use checklist::Checklist;
use history::History;
use lhso::LhsoDraft;
use not_possible::NotPossiblePanel;
use notes::Notes;
use photos::Photos;
use reinspection::Reinspection;

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
    /// The site's enforcement cases on this device (what a re-inspection checks), and the photos
    /// of their violations this device holds.
    cases: Vec<store::LocalCase>,
    evidence: Vec<LocalPhoto>,
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
    let cases: Vec<store::LocalCase> = store::cases_of_site(local.visit.site.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.open || c.verdict.as_ref().is_some_and(|v| v.visit_id == id))
        .collect();
    let evidence_ids: Vec<Uuid> = cases
        .iter()
        .flat_map(|c| c.photo_ids.iter().copied())
        .collect();
    Some(VisitData {
        evidence: store::photos_with_ids(&evidence_ids)
            .await
            .unwrap_or_default(),
        cases,
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

/// Runs a local action; on success the screen re-reads and the sync engine is woken.
/// (The future is boxed so the bundle carries one copy of this, not one per action.)
pub(super) type LocalAction = Pin<Box<dyn Future<Output = Result<(), AppError>>>>;

pub(super) fn act(error: RwSignal<Option<String>>, action: LocalAction) {
    let sync = use_sync();
    error.set(None);
    spawn_local(async move {
        match action.await {
            Ok(()) => sync.changed(),
            Err(e) => {
                leptos::logging::warn!("local save failed: {e:?}");
                error.set(Some(e.user_message()));
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
    // Items of the checklist without an answer are listed before the visit is finished.
    let unanswered: Vec<String> = d
        .template
        .as_ref()
        .map(|t| {
            t.items
                .iter()
                .filter(|i| !d.findings.iter().any(|f| f.item_id == i.id))
                .map(|i| i.text.clone())
                .collect()
        })
        .unwrap_or_default();
    let finish = move |_| {
        let texts: Vec<&str> = unanswered.iter().map(String::as_str).collect();
        let ok = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&strings::finish_confirm(&texts))
                    .ok()
            })
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
    let history: Vec<shared::visit::PastInspection> = d
        .detail
        .as_ref()
        .map(|x| x.history.clone())
        .unwrap_or_default();
    // Per checklist item: an earlier violation of the same item or theme (a repeat offence).
    let today = util::today();
    let earlier: Vec<Option<(chrono::NaiveDate, String)>> = d
        .template
        .as_ref()
        .map(|t| {
            t.items
                .iter()
                .map(|item| {
                    earlier_violation(&history, &item.id, item.theme, today, REPEAT_PERIOD_DAYS)
                        .map(|(date, v)| (date, v.description.clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    // The lead's comment stays in sight while the inspector corrects the visit.
    let returned = d
        .local
        .returned
        .clone()
        .filter(|_| status != VisitStatus::Done);
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
                {d.delivery.map(|x| view! { <DeliveryTag delivery=x/> })}
            </div>
            {store::is_pending_status(status).then(|| view! {
                <button class="primary big" data-testid="start-visit" on:click=start disabled=move || starting.get()>
                    {move || if starting.get() { strings::STARTING }
                        else if status == VisitStatus::Returned { strings::START_CORRECTION }
                        else { strings::START_VISIT }}
                </button>
            })}
            {status.allows(shared::visit::VisitEvent::NotPossible).then(|| view! {
                <NotPossiblePanel visit_id=visit_id recorded=v.not_possible.clone() error=error/>
            })}
            {returned.map(|step| view! { <ReturnedComment step=step/> })}
            {where_started.map(|t| view! { <p class="muted" data-testid="started">{t}</p> })}
            {finished.map(|t| view! { <p class="muted">{t}</p> })}

            {(!d.cases.is_empty()).then(|| view! {
                <Reinspection cases=d.cases.clone() evidence=d.evidence.clone() visit_id=visit_id enabled=in_progress error=error/>
            })}
            <Checklist template=d.template.clone() findings=d.findings.clone() enabled=in_progress
                pending=store::is_pending_status(status) visit_id=visit_id error=error draft=draft
                earlier=earlier/>
            <Photos photos=d.photos.clone() enabled=in_progress visit_id=visit_id error=error/>
            <Notes notes=d.notes.clone() enabled=status != VisitStatus::Done visit_id=visit_id error=error
                new_note=new_note editing=editing edit_text=edit_text/>

            {in_progress.then(|| view! {
                <button class="primary big" data-testid="finish-visit" on:click=finish>{strings::FINISH_VISIT}</button>
            })}
            <History history=history/>
        </section>
    }
}

/// The team lead's comment on a returned visit: what the inspector corrects the visit by.
#[component]
fn ReturnedComment(step: shared::review::ReviewStep) -> impl IntoView {
    view! {
        <section class="card returned" role="note" data-testid="returned-comment">
            <h2>{strings::RETURNED_BY_LEAD}" · "{util::short_time(&step.at)}</h2>
            <p>{step.comment.unwrap_or_default()}</p>
        </section>
    }
}
