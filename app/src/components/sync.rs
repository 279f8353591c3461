//! The sync state: compact in the header, in detail on the sync panel.

use leptos::prelude::*;
use leptos::task::spawn_local;

use shared::sync::MutationStatus;

use crate::store::{self, Problem};
use crate::strings;
use crate::sync::{use_sync, Phase};
use crate::util;

fn phase_name(phase: &Phase) -> &'static str {
    match phase {
        Phase::Idle => "idle",
        Phase::Syncing { .. } | Phase::Photos(_) => "syncing",
        Phase::Offline => "offline",
        Phase::Error(_) => "error",
    }
}

/// Header badge; links to the panel. `data-phase`/`data-pending` let tests and tools read it.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let sync = use_sync();
    let status = sync.status;
    view! {
        <a href="/synchronisatie" class=move || format!("sync-badge {}", phase_name(&status.get().phase))
            data-testid="sync-state"
            data-phase=move || phase_name(&status.get().phase)
            data-pending=move || status.get().pending.to_string()
            data-last=move || status.get().last_success.unwrap_or_default()>
            {move || {
                let s = status.get();
                match &s.phase {
                    Phase::Syncing { done, total } => strings::sync_progress(*done, *total),
                    Phase::Photos(p) => strings::photo_progress(p.done, p.total),
                    _ if s.pending > 0 => strings::pending_count(s.pending),
                    Phase::Idle => match &s.last_success {
                        Some(t) => format!("{} {}", strings::SYNC_IDLE, util::short_time(t)),
                        None => strings::SYNC_NEVER.to_owned(),
                    },
                    Phase::Offline => strings::SYNC_OFFLINE.to_owned(),
                    Phase::Error(_) => strings::SYNC_ERROR.to_owned(),
                }
            }}
            {move || (status.get().problems > 0).then(|| view! {
                <span class="problem-dot" aria-label=strings::SYNC_PROBLEMS>"!"</span>
            })}
        </a>
    }
}

/// A one-line state with the "Nu synchroniseren" button, for the top of "Mijn dag".
#[component]
pub fn SyncBar() -> impl IntoView {
    let sync = use_sync();
    let status = sync.status;
    view! {
        <div class="sync-bar">
            <span class="sync-line">{move || line(&status.get())}</span>
            <button class="secondary" on:click=move |_| sync.now()
                disabled=move || matches!(status.get().phase, Phase::Syncing { .. } | Phase::Photos(_) | Phase::Offline)>
                {strings::SYNC_NOW}
            </button>
        </div>
    }
}

fn line(s: &crate::sync::SyncStatus) -> String {
    let mut text = match &s.phase {
        Phase::Idle => match &s.last_success {
            Some(t) => format!("{}: {}", strings::SYNC_LAST, util::short_time(t)),
            None => strings::SYNC_NEVER.to_owned(),
        },
        Phase::Syncing { done, total } => strings::sync_progress(*done, *total),
        Phase::Photos(p) => strings::photo_progress(p.done, p.total),
        Phase::Offline => strings::SYNC_OFFLINE.to_owned(),
        Phase::Error(reason) => format!("{}: {}", strings::SYNC_ERROR, reason.sync_message()),
    };
    if s.pending > 0 {
        text.push_str(" · ");
        text.push_str(&strings::pending_count(s.pending));
    }
    text
}

/// The sync panel: state, progress, what waits, and what the server refused.
#[component]
pub fn SyncPanel() -> impl IntoView {
    let sync = use_sync();
    let status = sync.status;
    let problems = LocalResource::new(move || {
        sync.rev.track();
        async move { store::problems().await.unwrap_or_default() }
    });
    view! {
        <section class="card sync-panel" data-testid="sync-panel">
            <h1>{strings::SYNC_TITLE}</h1>
            <p class="sync-phase" role="status">{move || match status.get().phase {
                Phase::Idle => strings::SYNC_IDLE.to_owned(),
                Phase::Syncing { done, total } => strings::sync_progress(done, total),
                Phase::Photos(p) => strings::photo_progress(p.done, p.total),
                Phase::Offline => strings::SYNC_OFFLINE.to_owned(),
                Phase::Error(reason) => format!("{}: {}", strings::SYNC_ERROR, reason.sync_message()),
            }}</p>
            {move || match status.get().phase {
                Phase::Syncing { done, total } if total > 0 => Some(view! {
                    <progress max=total.to_string() value=done.to_string()></progress>
                }),
                _ => None,
            }}
            <PhotoQueue/>
            <dl class="facts">
                <dt>{strings::SYNC_LAST}</dt>
                <dd>{move || status.get().last_success.map(|t| util::short_time(&t))
                    .unwrap_or_else(|| strings::SYNC_NEVER.to_owned())}</dd>
                <dt>{strings::SYNC_PENDING}</dt>
                <dd>{move || {
                    let s = status.get();
                    match (s.pending, s.oldest) {
                        (0, _) => strings::SYNC_NOTHING_PENDING.to_owned(),
                        (n, Some(oldest)) => format!("{} ({} {})", strings::pending_count(n),
                            strings::SYNC_OLDEST, util::short_time(&oldest)),
                        (n, None) => strings::pending_count(n),
                    }
                }}</dd>
                <StorageFacts/>
            </dl>
            {move || status.get().retry_in_s.map(|s| view! { <p class="muted">{strings::sync_retry(s)}</p> })}
            <button class="primary" on:click=move |_| sync.now()
                disabled=move || matches!(status.get().phase, Phase::Syncing { .. } | Phase::Photos(_) | Phase::Offline)>
                {strings::SYNC_NOW}
            </button>
            {move || {
                let list = problems.get().unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <h3>{strings::SYNC_PROBLEMS}</h3>
                    <p class="muted">{strings::SYNC_PROBLEMS_INTRO}</p>
                    <ul class="problems">
                        {list.into_iter().map(|p| view! { <ProblemRow problem=p/> }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

#[component]
fn ProblemRow(problem: Problem) -> impl IntoView {
    let label = match problem.status {
        MutationStatus::Conflict => strings::SYNC_PROBLEM_CONFLICT,
        _ => strings::SYNC_PROBLEM_REJECTED,
    };
    let content = problem
        .mutation
        .data
        .get("text")
        .and_then(|t| t.as_str())
        .map(str::to_owned)
        .or_else(|| problem.mutation.data.get("answer").map(|a| a.to_string()));
    let visit = problem.visit_id;
    let sync = use_sync();
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(false);
    // A conflict can be sent again on top of the server's version; a photo or a rejection cannot.
    let can_resend = problem.status == MutationStatus::Conflict
        && matches!(
            store::EntityStore::of_kind(&problem.mutation.kind),
            Some(
                store::EntityStore::Visit | store::EntityStore::Note | store::EntityStore::Finding
            )
        );
    let decide = move |problem: Problem, resend: bool| {
        busy.set(true);
        spawn_local(async move {
            let result = if resend {
                store::resend(&problem).await
            } else {
                store::accept_server(&problem).await
            };
            busy.set(false);
            failed.set(result.is_err());
            if result.is_ok() {
                sync.changed();
            }
        });
    };
    let (mine, theirs) = (problem.clone(), problem.clone());
    view! {
        <li class="problem" data-testid="problem" data-code=problem.code.clone()>
            <strong>{label}": "{strings::mutation_label(&problem.mutation.kind)}</strong>
            " · "{util::short_time(&problem.mutation.at.to_rfc3339())}
            <p class="error">{problem.message.clone()}</p>
            {content.map(|c| view! { <p class="quoted">{c}</p> })}
            <div class="problem-actions">
                {can_resend.then(|| view! {
                    <button class="secondary" disabled=move || busy.get()
                        on:click=move |_| decide(mine.clone(), true)>{strings::PROBLEM_RESEND}</button>
                })}
                <button class="secondary" disabled=move || busy.get()
                    on:click=move |_| decide(theirs.clone(), false)>
                    {if can_resend { strings::PROBLEM_ACCEPT_SERVER } else { strings::PROBLEM_ACKNOWLEDGE }}
                </button>
                <a href=format!("/bezoek/{visit}")>{strings::SYNC_DETAILS}</a>
            </div>
            <Show when=move || failed.get()>
                <p class="error">{strings::SAVE_FAILED}</p>
            </Show>
        </li>
    }
}

/// Logs out, after a warning when work has not reached the server yet.
pub fn logout_with_warning(session: crate::session::Session) {
    spawn_local(async move {
        let unsent = store::unsent_count().await.unwrap_or(0);
        if unsent > 0 {
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message(&strings::logout_unsent(unsent)).ok())
                .unwrap_or(false);
            if !ok {
                return;
            }
        }
        session.sign_out();
    });
}

/// The photo queue of a sync run as a bar in bytes (on the sync panel and a visit's photos).
#[component]
pub fn PhotoQueue() -> impl IntoView {
    let status = use_sync().status;
    move || match status.get().phase {
        Phase::Photos(p) if p.total_bytes > 0 => Some(view! {
            <label class="photo-queue">
                {strings::PHOTO_QUEUE}": "{strings::bytes_progress(p.sent_bytes, p.total_bytes)}
                <progress data-testid="photo-queue-progress"
                    max=p.total_bytes.to_string() value=p.sent_bytes.to_string()></progress>
            </label>
        }),
        _ => None,
    }
}

/// The storage guard's warnings, where the inspector starts the day.
#[component]
pub fn StorageWarnings() -> impl IntoView {
    let guard = crate::storage_guard::use_storage_guard();
    move || {
        guard
            .map(|g| g.health.get().warnings())
            .unwrap_or_default()
            .into_iter()
            .map(|w| view! { <p class="banner warn" role="status" data-testid="storage-warning">{strings::storage_warning(w)}</p> })
            .collect_view()
    }
}

/// The storage facts of the sync panel: usage against the quota, persistence, installed.
#[component]
fn StorageFacts() -> impl IntoView {
    let guard = crate::storage_guard::use_storage_guard();
    let yes_no = |v: Option<bool>| match v {
        Some(true) => strings::YES_LOWER,
        Some(false) => strings::NO_LOWER,
        None => strings::UNKNOWN,
    };
    move || {
        let h = guard?.health.get();
        Some(view! {
            <dt>{strings::STORAGE}</dt>
            <dd data-testid="storage-usage">{h.estimate.map(|e| view! {
                {strings::storage_usage(e.usage_bytes, e.quota_bytes)}
                <progress class="storage-bar" max=e.quota_bytes.to_string() value=e.usage_bytes.to_string()
                    aria-label=strings::STORAGE></progress>
            }.into_any()).unwrap_or_else(|| strings::UNKNOWN.into_any())}</dd>
            <dt>{strings::STORAGE_PERSISTENT}</dt>
            <dd data-testid="storage-persisted">{yes_no(h.persisted)}</dd>
            <dt>{strings::STORAGE_INSTALLED}</dt>
            <dd>{yes_no(Some(h.installed))}</dd>
        })
    }
}
