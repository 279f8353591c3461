//! `/kantoor/team` (team lead): the day board (`board`), the team's devices and what the server refused from them. Online only: it
//! reads `GET /team/devices` and `GET /sync/problems`, so a lead sees unsent work on a tablet that
//! keeps syncing but never empties its outbox, and every conflict or rejection still open.

use leptos::prelude::*;

use leptos::task::spawn_local;

use shared::sync::{device_health, DeviceHealth, MutationStatus, Resolution};
use shared::team::{ProblemKind, SyncProblem, SyncProblems, TeamDevice, TeamDevices};
use shared::Role;

use app::api;
use app::pages::guard::RequireRole;
use app::session::use_session;
use app::sync::use_sync;
use app::{store, strings, util};

#[component]
pub fn TeamPage() -> impl IntoView {
    view! { <RequireRole role=Role::TeamLead><TeamSync/></RequireRole> }
}

type Device = TeamDevice;
type TeamProblem = SyncProblem;

type Overview = Result<(Vec<Device>, Vec<TeamProblem>), String>;

async fn load(token: Option<String>) -> Overview {
    let token = token.ok_or_else(|| strings::LOGIN_NEEDS_NETWORK.to_owned())?;
    let devices: TeamDevices = api::get("/api/v1/team/devices", Some(&token))
        .await
        .map_err(|f| f.user_message())?;
    let problems: SyncProblems = api::get("/api/v1/sync/problems", Some(&token))
        .await
        .map_err(|f| f.user_message())?;
    Ok((devices.devices, problems.problems))
}

fn parse(t: &Option<String>) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(t.as_deref()?).ok()
}

fn health_of(d: &Device) -> DeviceHealth {
    let now = chrono::DateTime::parse_from_rfc3339(&util::now_rfc3339())
        .unwrap_or_else(|_| chrono::DateTime::UNIX_EPOCH.fixed_offset());
    device_health(
        d.pending_count,
        parse(&d.oldest_pending_at),
        parse(&d.last_push_at),
        now,
    )
}

#[component]
fn TeamSync() -> impl IntoView {
    let session = use_session();
    let sync = use_sync();
    let refresh = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        refresh.track();
        // Re-read after every sync run: a settlement sent from here then leaves the list.
        sync.rev.track();
        let online = session.online.get();
        let token = session.token();
        async move {
            if !online {
                return Err(strings::TEAM_ONLINE_ONLY.to_owned());
            }
            load(token).await
        }
    });
    view! {
        <section class="team" data-testid="team-sync">
            <h1>{strings::TEAM_SYNC_TITLE}</h1>
            <p><a href="/kantoor/beoordelen" data-testid="to-review">"Beoordelen: afgeronde bezoeken"</a></p>
            <p><a href="/kantoor/gelijke-behandeling" data-testid="to-equal">"Gelijke behandeling: interventies per cel en inspecteur"</a></p>
            <p><a href="/kantoor/planning" data-testid="to-planning">"Planning: dag plannen, bezoeken verplaatsen, voorrang, dag vastzetten"</a></p>
            <p><a href="/kantoor/handhaving" data-testid="to-enforcement">"Handhaving: openstaande zaken"</a></p>
            <crate::board::DayBoard/>
            <button class="secondary" on:click=move |_| refresh.update(|r| *r += 1)>{strings::REFRESH}</button>
            {move || match data.get() {
                None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok((devices, problems))) => view! {
                    <DeviceTable devices=devices/>
                    <ProblemList problems=problems/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn DeviceTable(mut devices: Vec<Device>) -> impl IntoView {
    // Worst first: a stuck device is what a lead must act on.
    devices.sort_by_key(|d| match health_of(d) {
        DeviceHealth::Stuck => 0,
        DeviceHealth::Silent => 1,
        DeviceHealth::Pending => 2,
        DeviceHealth::UpToDate => 3,
    });
    let empty = devices.is_empty();
    let time = |t: &Option<String>| {
        t.as_deref()
            .map(util::short_time)
            .unwrap_or_else(|| "–".into())
    };
    view! {
        <section class="card">
            <h2>{strings::TEAM_DEVICES}</h2>
            {empty.then(|| view! { <p class="muted">{strings::TEAM_NO_DEVICES}</p> })}
            {(!empty).then(|| view! {
                <table class="devices">
                    <thead><tr>
                        <th>{strings::TEAM_INSPECTOR}</th><th>{strings::TEAM_LAST_CONTACT}</th>
                        <th>{strings::SYNC_PENDING}</th><th>{strings::SYNC_OLDEST}</th><th>{strings::TEAM_STATE}</th>
                    </tr></thead>
                    <tbody>
                        {devices.into_iter().map(|d| {
                            let health = health_of(&d);
                            let (label, class) = strings::device_health(health);
                            view! {
                                <tr data-testid="device" data-health=class>
                                    <td>{d.user_name.clone()}</td>
                                    <td>{time(&d.last_push_at)}</td>
                                    <td>{d.pending_count}</td>
                                    <td>{time(&d.oldest_pending_at)}</td>
                                    <td><span class=format!("tag health-{class}")>{label}</span></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}

const KEEP_SERVER: &str = "Versie van de server houden";
const KEEP_TABLET: &str = "Versie van de tablet overnemen";
const CONFIRM_KEEP_SERVER: &str = "De wijziging van de tablet wordt niet opgeslagen; wat nu op de server staat, blijft staan. Doorgaan?";
const CONFIRM_KEEP_TABLET: &str =
    "De versie van de tablet vervangt wat nu op de server staat. Doorgaan?";
const CONFLICT_INTRO: &str =
    "Twee apparaten wijzigden hetzelfde. Vergelijk beide versies en kies welke blijft.";
const SETTLE_REJECTION: &str = "Weigering afhandelen";
const CONFIRM_SETTLE_REJECTION: &str =
    "De server weigerde deze wijziging; ze wordt niet opgeslagen. Afhandelen?";

/// Asks the browser's confirmation; `false` when there is no window to ask in.
fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

#[component]
fn ProblemList(problems: Vec<TeamProblem>) -> impl IntoView {
    let empty = problems.is_empty();
    view! {
        <section class="card">
            <h2>{strings::TEAM_PROBLEMS}</h2>
            {empty.then(|| view! { <p class="muted">{strings::TEAM_NO_PROBLEMS}</p> })}
            <ul class="problems">
                {problems.into_iter().map(|p| view! { <ProblemItem p=p/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn ProblemItem(p: TeamProblem) -> impl IntoView {
    let conflict = p.problem == ProblemKind::Conflict;
    let label = if conflict {
        strings::SYNC_PROBLEM_CONFLICT
    } else {
        strings::SYNC_PROBLEM_REJECTED
    };
    let settled = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let (mutation_id, kind, entity_id) = (p.mutation_id, p.kind.clone(), p.entity_id);
    let status = if conflict {
        MutationStatus::Conflict
    } else {
        MutationStatus::Rejected
    };
    let sync = use_sync();
    let seen = crate::conflict::server_version(&p);
    let may_keep_tablet = conflict && seen.is_some() && p.kind.can_keep_tablet_version();
    let settle = move |resolution: Resolution, question: &'static str| {
        if !confirmed(question) {
            return;
        }
        settled.set(true);
        let kind = kind.clone();
        let seen = (resolution == Resolution::TabletKept)
            .then_some(seen)
            .flatten();
        spawn_local(async move {
            match store::settle_listed(mutation_id, kind, entity_id, status, resolution, seen).await
            {
                Ok(()) => sync.changed(),
                Err(_) => {
                    settled.set(false);
                    failed.set(true);
                }
            }
        });
    };
    let keep_server = settle.clone();
    let reason = match error_of(&p.detail) {
        Some((code, message)) => strings::error_message(&code, &message),
        None => CONFLICT_INTRO.to_owned(),
    };
    view! {
        <li class="problem" data-testid="team-problem" data-id=p.id.clone() data-problem=p.problem.as_str()>
            <strong>{label}": "{strings::mutation_label(&p.kind)}</strong>
            " · "{p.user_name.clone()}" · "{util::short_time(&p.created_at)}
            <p class=if conflict { "muted" } else { "error" }>{reason}</p>
            {conflict.then(|| view! { <crate::conflict::Versions problem=p.clone()/> })}
            <div class="actions">
                <button class="secondary" data-testid="team-settle" disabled=move || settled.get()
                    on:click=move |_| {
                        if conflict {
                            keep_server(Resolution::ServerKept, CONFIRM_KEEP_SERVER)
                        } else {
                            keep_server(Resolution::ServerKept, CONFIRM_SETTLE_REJECTION)
                        }
                    }>
                    {move || if settled.get() { strings::TEAM_SETTLING } else if conflict { KEEP_SERVER } else { SETTLE_REJECTION }}
                </button>
                {may_keep_tablet.then(|| view! {
                    <button class="secondary" data-testid="team-keep-tablet" disabled=move || settled.get()
                        on:click=move |_| settle(Resolution::TabletKept, CONFIRM_KEEP_TABLET)>
                        {KEEP_TABLET}
                    </button>
                })}
            </div>
            <Show when=move || failed.get()>
                <p class="error">{strings::SAVE_FAILED}</p>
            </Show>
        </li>
    }
}

/// The error of a rejection's stored answer, if it has one.
fn error_of(detail: &serde_json::Value) -> Option<(String, String)> {
    let error = detail.get("error")?;
    let text = |name: &str| error.get(name)?.as_str().map(str::to_owned);
    Some((text("code")?, text("message").unwrap_or_default()))
}
