//! `/kantoor/planning` (team lead, manager): one day of the team's plan with the team lead's hand
//! in it. Plan the day with the planner (`POST /team/plan`: capacity, sizes, due re-inspections,
//! risk order, the sample share and routes), lock it against the planner, move a planned visit to
//! another inspector or day, or push it to the top of its day with a reason. A visit someone
//! started stays where it is; the server refuses the rest in Dutch and changes nothing.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use shared::board::BoardInspector;
use shared::board::{BoardVisit, TeamBoard};
use shared::team::{
    Absence, BoostRequest, CapacityRequest, DayLock, MoveRequest, SiteBoost, SiteBoostRequest,
    TeamDay,
};
use shared::visit::{VisitDetail, VisitStatus};
use shared::Role;

use app::api;
use app::pages::guard::RequireRole;
use app::session::use_session;
use app::{strings, util};

const TITLE: &str = "Planning";
const INTRO: &str = "Plan een dag voor het team, zet hem vast, verplaats bezoeken of geef een bedrijf voorrang. Toezichthouders krijgen de wijzigingen bij hun volgende synchronisatie; een bezoek dat al is begonnen, blijft waar het is.";
const DAY: &str = "Dag";
const PLAN: &str = "Dag plannen";
const PLANNED: &str = "Gepland: de dag staat klaar.";
const LOCKED: &str = "Deze dag is vastgezet: de planner verandert hem niet meer.";
const UNLOCKED: &str = "Deze dag is niet vastgezet.";
const LOCK: &str = "Dag vastzetten";
const UNLOCK: &str = "Dag losmaken";
const NO_VISITS: &str = "Geen bezoeken.";
const MOVE_TO: &str = "Naar";
const MOVE_DAY: &str = "op";
const MOVE: &str = "Verplaatsen";
const BOOST_REASON: &str = "Reden voor voorrang";
const BOOST: &str = "Voorrang geven";
const STARTED: &str = "Begonnen: blijft bij de toezichthouder";
const DONE: &str = "Gedaan.";
const REASON_NEEDED: &str = "Schrijf waarom dit bedrijf voorrang krijgt.";
const HOURS: &str = "uur gepland";
const CAPACITY: &str = "Uren per dag voor bezoeken en reistijd";
const CAPACITY_SAVE: &str = "Opslaan";
const CAPACITY_INVALID: &str = "Vul een aantal uren in tussen 0,5 en 12, bijvoorbeeld 6,5.";
const ABSENT: &str = "Afwezig op deze dag";
const SITE_BOOST: &str = "Een bedrijf voorrang geven";
const SITE_BOOST_INTRO: &str = "De planner zet het bedrijf bovenaan zolang de voorrang geldt, ook als het nog niet aan de beurt is; een bezoek dat al gepland staat en nog niet begonnen is, gaat meteen bovenaan zijn dag.";
const SITE_SEARCH: &str = "Zoek een bedrijf (naam, adres of plaats)";
const SITE_SEARCH_BUTTON: &str = "Zoeken";
const SITE_CHOOSE: &str = "Kiezen";
const SITE_CHOSEN: &str = "Gekozen";
const SITE_UNTIL: &str = "Geldt tot en met (leeg: tot het bezoek)";
const SITE_NONE: &str = "Geen bedrijven gevonden.";
const SITE_LIFTED: &str = "Gedaan. Het geplande bezoek staat nu bovenaan zijn dag.";
const SITE_STORED: &str =
    "Gedaan. De planner zet het bedrijf bovenaan bij de volgende dag die hij plant.";

#[component]
pub fn PlanningPage() -> impl IntoView {
    view! { <RequireRole role=Role::TeamLead also=Role::Manager><Planning/></RequireRole> }
}

#[component]
fn Planning() -> impl IntoView {
    let session = use_session();
    let date = RwSignal::new(util::today());
    let refresh = RwSignal::new(0u32);
    let message = RwSignal::new(None::<(bool, String)>);
    let data = LocalResource::new(move || {
        refresh.track();
        let day = date.get();
        let token = session.token();
        async move {
            api::get::<TeamBoard>(&format!("/api/v1/team/board?date={day}"), token.as_deref())
                .await
                .map_err(|e| e.user_message())
        }
    });
    // Every change answers with a Dutch outcome and reads the day again.
    // The server's answer reads the day again (a refusal may mean the day changed meanwhile); a
    // form the page itself refused does not, so what was typed stays where it was typed.
    let done = move |result: Result<(), String>| {
        let checked_here =
            matches!(&result, Err(e) if [REASON_NEEDED, CAPACITY_INVALID].contains(&e.as_str()));
        message.set(Some(match result {
            Ok(()) => (true, DONE.to_owned()),
            Err(e) => (false, e),
        }));
        if !checked_here {
            refresh.update(|r| *r += 1);
        }
    };
    // An inspector's hours and absence change nothing shown on the page: their answer is only said,
    // so the day is not read again under a form being filled in.
    let say = move |result: Result<(), String>| {
        message.set(Some(match result {
            Ok(()) => (true, DONE.to_owned()),
            Err(e) => (false, e),
        }));
    };
    let plan = move |_| {
        let day = date.get_untracked();
        let token = session.token();
        spawn_local(async move {
            let answer: Result<TeamDay, _> = api::post(
                "/api/v1/team/plan",
                &serde_json::json!({ "date": day }),
                token.as_deref(),
            )
            .await;
            done(answer.map(|_| ()).map_err(|e| e.user_message()));
            if message.get_untracked().is_some_and(|(ok, _)| ok) {
                message.set(Some((true, PLANNED.to_owned())));
            }
        });
    };
    let set_lock = move |locked: bool| {
        let day = date.get_untracked();
        let token = session.token();
        spawn_local(async move {
            let answer: Result<DayLock, _> = api::put(
                &format!("/api/v1/team/days/{day}/lock"),
                &DayLock { date: None, locked },
                token.as_deref(),
            )
            .await;
            done(answer.map(|_| ()).map_err(|e| e.user_message()));
        });
    };
    view! {
        <section class="planning" data-testid="planning">
            <h1>{TITLE}</h1>
            <p class="muted">{INTRO}</p>
            <div class="filters">
                <label>{DAY}
                    <input type="date" data-testid="planning-date" prop:value=move || date.get().to_string()
                        on:change=move |ev| {
                            if let Ok(d) = event_target_value(&ev).parse() {
                                message.set(None);
                                date.set(d);
                            }
                        }/>
                </label>
                <span class="day-name">{move || format!("{} ({})", strings::day_label(date.get()), strings::date_nl(date.get()))}</span>
            </div>
            <Show when=move || message.get().is_some()>
                {move || message.get().map(|(ok, text)| view! {
                    <p class=if ok { "ok" } else { "error" } role="status" data-testid="planning-message">{text}</p>
                })}
            </Show>
            {move || match data.get() {
                None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(board)) => {
                    let locked = board.locked;
                    view! {
                        <div class="card day-controls">
                            <p data-testid="planning-lock-state" data-locked=locked.to_string()>
                                {if locked { LOCKED } else { UNLOCKED }}
                            </p>
                            <div class="actions">
                                <button class="primary" data-testid="planning-plan" disabled=locked on:click=plan>{PLAN}</button>
                                <button class="secondary" data-testid="planning-lock"
                                    on:click=move |_| set_lock(!locked)>{if locked { UNLOCK } else { LOCK }}</button>
                            </div>
                        </div>
                        <SiteBoostForm message=message refresh=refresh/>
                        <Days board=board done=done say=say/>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Days(
    board: TeamBoard,
    done: impl Fn(Result<(), String>) + Copy + Send + Sync + 'static,
    say: impl Fn(Result<(), String>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let names: Vec<(Uuid, String)> = board
        .inspectors
        .iter()
        .map(|i| (i.id, i.name.clone()))
        .collect();
    let day = board.date;
    board
        .inspectors
        .into_iter()
        .map(|inspector| {
            let visits: Vec<BoardVisit> = board
                .visits
                .iter()
                .filter(|v| v.inspector_id == inspector.id)
                .cloned()
                .collect();
            let hours: f64 = visits.iter().map(|v| v.planned_hours).sum();
            let empty = visits.is_empty();
            let names = names.clone();
            view! {
                <section class="card inspector-day" data-testid="planning-inspector" data-inspector-id=inspector.id.to_string()>
                    <h2>{inspector.name.clone()}
                        <span class="muted">{format!(" · {} {HOURS}", util::number_nl(hours, 1))}</span></h2>
                    <Availability inspector=inspector.clone() day=day done=say/>
                    {empty.then(|| view! { <p class="muted">{NO_VISITS}</p> })}
                    <ol class="planned-visits">
                        {visits.into_iter().map(|v| view! { <PlannedVisit v=v names=names.clone() day=day done=done/> }).collect_view()}
                    </ol>
                </section>
            }
        })
        .collect_view()
}

#[component]
fn PlannedVisit(
    v: BoardVisit,
    names: Vec<(Uuid, String)>,
    day: chrono::NaiveDate,
    done: impl Fn(Result<(), String>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let movable = v.status == VisitStatus::Planned;
    let target = RwSignal::new(v.inspector_id.to_string());
    let target_day = RwSignal::new(day);
    let reason = RwSignal::new(String::new());
    let (id, version) = (v.id, v.version);
    let boost_note = v.status.as_str();
    let send_move = move |_| {
        let Ok(inspector_id) = Uuid::parse_str(&target.get_untracked()) else {
            return;
        };
        let body = MoveRequest {
            inspector_id,
            date: target_day.get_untracked(),
            version,
        };
        let token = session.token();
        spawn_local(async move {
            let answer: Result<VisitDetail, _> = api::post(
                &format!("/api/v1/team/visits/{id}/move"),
                &body,
                token.as_deref(),
            )
            .await;
            done(answer.map(|_| ()).map_err(|e| e.user_message()));
        });
    };
    let send_boost = move |_| {
        let text = reason.get_untracked();
        if text.trim().is_empty() {
            done(Err(REASON_NEEDED.to_owned()));
            return;
        }
        let body = BoostRequest {
            reason: text,
            version,
        };
        let token = session.token();
        spawn_local(async move {
            let answer: Result<VisitDetail, _> = api::post(
                &format!("/api/v1/team/visits/{id}/boost"),
                &body,
                token.as_deref(),
            )
            .await;
            done(answer.map(|_| ()).map_err(|e| e.user_message()));
        });
    };
    let boost = v.site.name.clone();
    let move_label = format!("{MOVE_TO} ({})", v.site.name);
    let day_label = format!("{MOVE_DAY} ({})", v.site.name);
    let reason_label = format!("{BOOST_REASON} ({boost})");
    view! {
        <li class="planned-visit" data-testid="planning-visit" data-visit-id=id.to_string() data-status=boost_note>
            <div class="visit-line">
                <span class="route-order">{v.route_order}</span>
                <strong>{v.site.name.clone()}</strong>
                <span class="muted">{v.site.address.clone()}</span>
                <span class="tag">{strings::kind_label(v.kind)}</span>
                <span class="tag">{v.size.as_str()}</span>
                <span class=format!("tag status-{}", v.status.as_str())>{strings::status_label(v.status)}</span>
            </div>
            {if movable {
                view! {
                    <div class="visit-actions">
                        <select aria-label=move_label data-testid="planning-move-inspector"
                            on:change=move |ev| target.set(event_target_value(&ev))>
                            {names.into_iter().map(|(i, n)| view! {
                                <option value=i.to_string() selected=i == v.inspector_id>{n}</option>
                            }).collect_view()}
                        </select>
                        <input type="date" aria-label=day_label data-testid="planning-move-date" prop:value=day.to_string()
                            on:change=move |ev| { if let Ok(d) = event_target_value(&ev).parse() { target_day.set(d) } }/>
                        <button class="secondary" data-testid="planning-move" on:click=send_move>{MOVE}</button>
                        <input type="text" aria-label=reason_label placeholder=BOOST_REASON data-testid="planning-boost-reason"
                            prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                        <button class="secondary" data-testid="planning-boost" on:click=send_boost>{BOOST}</button>
                    </div>
                }.into_any()
            } else {
                view! { <p class="muted">{STARTED}</p> }.into_any()
            }}
        </li>
    }
}

/// An inspector's hours a day for the planner and their absence on the page's day.
#[component]
fn Availability(
    inspector: BoardInspector,
    day: chrono::NaiveDate,
    done: impl Fn(Result<(), String>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let id = inspector.id;
    let hours = RwSignal::new(
        inspector
            .capacity_hours
            .map(|h| util::number_nl(h, 1))
            .unwrap_or_default(),
    );
    let save_hours = move |_| {
        let text = hours.get_untracked();
        let value = if text.trim().is_empty() {
            None
        } else {
            match text.trim().replace(',', ".").parse::<f64>() {
                Ok(h) if shared::team::check_capacity(Some(h)).is_ok() => Some(h),
                _ => {
                    done(Err(CAPACITY_INVALID.to_owned()));
                    return;
                }
            }
        };
        let token = session.token();
        spawn_local(async move {
            let answer: Result<CapacityRequest, _> = api::put(
                &format!("/api/v1/team/inspectors/{id}/capacity"),
                &CapacityRequest {
                    capacity_hours: value,
                },
                token.as_deref(),
            )
            .await;
            done(answer.map(|_| ()).map_err(|e| e.user_message()));
        });
    };
    let set_absent = move |absent: bool| {
        let token = session.token();
        spawn_local(async move {
            let answer: Result<Absence, _> = api::put(
                &format!("/api/v1/team/inspectors/{id}/absences/{day}"),
                &Absence { date: None, absent },
                token.as_deref(),
            )
            .await;
            done(answer.map(|_| ()).map_err(|e| e.user_message()));
        });
    };
    let hours_id = format!("capacity-{id}");
    let absent_id = format!("absent-{id}");
    view! {
        <div class="availability">
            <label for=hours_id.clone()>{CAPACITY}</label>
            <input id=hours_id type="text" inputmode="decimal" placeholder="7" data-testid="planning-capacity"
                prop:value=move || hours.get() on:input=move |ev| hours.set(event_target_value(&ev))/>
            <button class="secondary" data-testid="planning-capacity-save" on:click=save_hours>{CAPACITY_SAVE}</button>
            <input id=absent_id.clone() type="checkbox" data-testid="planning-absent" prop:checked=inspector.absent
                on:change=move |ev| set_absent(event_target_checked(&ev))/>
            <label for=absent_id>{ABSENT}</label>
        </div>
    }
}

/// A site as the search lists it.
#[derive(Clone, serde::Deserialize)]
struct FoundSite {
    id: Uuid,
    name: String,
    address: String,
}

#[derive(Clone, serde::Deserialize)]
struct FoundSites {
    sites: Vec<FoundSite>,
}

/// Find a site of the register and push it to the top with a reason.
#[component]
fn SiteBoostForm(
    message: RwSignal<Option<(bool, String)>>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let session = use_session();
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Vec<FoundSite>>);
    let chosen = RwSignal::new(None::<Uuid>);
    let reason = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked();
        let token = session.token();
        spawn_local(async move {
            let path = format!(
                "/api/v1/sites?limit=10&q={}",
                js_sys::encode_uri_component(q.trim())
            );
            match api::get::<FoundSites>(&path, token.as_deref()).await {
                Ok(list) => found.set(Some(list.sites)),
                Err(e) => message.set(Some((false, e.user_message()))),
            }
        });
    };
    let send = move |_| {
        let Some(site) = chosen.get_untracked() else {
            return;
        };
        let text = reason.get_untracked();
        if text.trim().is_empty() {
            message.set(Some((false, REASON_NEEDED.to_owned())));
            return;
        }
        let body = SiteBoostRequest {
            reason: text,
            until: until.get_untracked().parse().ok(),
        };
        let token = session.token();
        spawn_local(async move {
            let answer: Result<SiteBoost, _> = api::post(
                &format!("/api/v1/team/sites/{site}/boost"),
                &body,
                token.as_deref(),
            )
            .await;
            match answer {
                Ok(b) => {
                    let text = if b.visit_id.is_some() {
                        SITE_LIFTED
                    } else {
                        SITE_STORED
                    };
                    message.set(Some((true, text.to_owned())));
                    reason.set(String::new());
                    refresh.update(|r| *r += 1);
                }
                Err(e) => message.set(Some((false, e.user_message()))),
            }
        });
    };
    view! {
        <section class="card site-boost" data-testid="site-boost">
            <h2>{SITE_BOOST}</h2>
            <p class="muted">{SITE_BOOST_INTRO}</p>
            <form class="search" on:submit=search>
                <label for="site-boost-query">{SITE_SEARCH}</label>
                <input id="site-boost-query" type="search" data-testid="site-boost-query"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <button class="secondary" type="submit">{SITE_SEARCH_BUTTON}</button>
            </form>
            {move || found.get().map(|sites| if sites.is_empty() {
                view! { <p class="muted">{SITE_NONE}</p> }.into_any()
            } else {
                view! {
                    <ul class="found-sites">
                        {sites.into_iter().map(|s| {
                            let id = s.id;
                            view! {
                                <li data-testid="site-boost-found" data-site-id=id.to_string()>
                                    <strong>{s.name}</strong>" "<span class="muted">{s.address}</span>" "
                                    <button class="secondary" aria-pressed=move || (chosen.get() == Some(id)).to_string()
                                        on:click=move |_| chosen.set(Some(id))>
                                        {move || if chosen.get() == Some(id) { SITE_CHOSEN } else { SITE_CHOOSE }}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
            <Show when=move || chosen.get().is_some()>
                <div class="visit-actions">
                    <input type="text" aria-label=BOOST_REASON placeholder=BOOST_REASON data-testid="site-boost-reason"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <label for="site-boost-until">{SITE_UNTIL}</label>
                    <input id="site-boost-until" type="date" data-testid="site-boost-until"
                        prop:value=move || until.get() on:change=move |ev| until.set(event_target_value(&ev))/>
                    <button class="primary" data-testid="site-boost-send" on:click=send>{BOOST}</button>
                </div>
            </Show>
        </section>
    }
}
