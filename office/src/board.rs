//! The team lead's day board (on `/kantoor/team`): per inspector the day's visits by status, hours,
//! violations and the work still unsent on their devices, and a map of the day's sites drawn from
//! their coordinates (no tile server). It reads `GET /team/board` again every few seconds, so a
//! tablet's sync shows without a reload; filters narrow it to a team, an authority or a sector.
//! The figures per inspector are `shared::board`'s.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use shared::board::{self, BoardFilter, BoardRow, BoardVisit, TeamBoard};
use shared::visit::VisitStatus;

use app::api;
use app::session::use_session;
use app::{strings, util};

use crate::programme::Authorities;

/// How often the board is read again.
const POLL_MS: i32 = 5_000;

const TITLE: &str = "Dagbord";
const DATE: &str = "Dag";
const TEAM: &str = "Team";
const AUTHORITY: &str = "Gemeente of provincie";
const SECTOR: &str = "Branche";
const ALL: &str = "Alle";
const INSPECTOR: &str = "Inspecteur";
const PLANNED: &str = "Gepland";
const IN_PROGRESS: &str = "Bezig";
const DONE: &str = "Afgerond";
const RETURNED: &str = "Teruggestuurd";
const NOT_POSSIBLE: &str = "Niet mogelijk";
const HOURS: &str = "Uren besteed / gepland";
const VIOLATIONS: &str = "Overtredingen";
const UNSENT: &str = "Niet verzonden";
const LAST_CONTACT: &str = "Laatste contact";
const SINCE: &str = "sinds";
const UPDATED: &str = "Bijgewerkt om";
const UNREACHABLE: &str = "Het dagbord kon niet worden geladen. Controleer de verbinding; het wordt vanzelf opnieuw geprobeerd.";
const STALE: &str = "Het dagbord kon niet worden bijgewerkt; de cijfers zijn van";
const NO_VISITS: &str = "Geen bezoeken op deze dag bij deze keuze.";
const MAP: &str = "Kaart van de bezoeken";
const MAP_LABEL: &str = "Kaart met de locaties van de bezoeken van deze dag, gekleurd naar status. Dezelfde bezoeken staan per inspecteur in de tabel.";
const TOTAL: &str = "Totaal";

const MAP_W: f64 = 640.0;
const MAP_H: f64 = 420.0;
const MAP_MARGIN: f64 = 18.0;

#[component]
pub fn DayBoard() -> impl IntoView {
    let session = use_session();
    let date = RwSignal::new(util::today());
    let team = RwSignal::new(String::new());
    let authority = RwSignal::new(String::new());
    let sector = RwSignal::new(String::new());
    let current = RwSignal::new(None::<TeamBoard>);
    let failed = RwSignal::new(false);
    let authorities = RwSignal::new(Vec::<(String, String)>::new());

    // The authorities to filter by, once.
    spawn_local(async move {
        let token = session.token();
        if let Ok(list) = api::get::<Authorities>("/api/v1/authorities", token.as_deref()).await {
            authorities.try_set(
                list.authorities
                    .into_iter()
                    .map(|a| (a.id, a.name))
                    .collect(),
            );
        }
    });

    // Read the board now and again every few seconds until the page goes; a changed date reads
    // at once (the wake-up cuts the wait short).
    let alive = StoredValue::new(true);
    let wake = StoredValue::new(None::<js_sys::Function>);
    on_cleanup(move || {
        alive.try_set_value(false);
        if let Some(Some(f)) = wake.try_get_value() {
            let _ = f.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    Effect::new(move |_| {
        date.track();
        if let Some(Some(f)) = wake.try_get_value() {
            let _ = f.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    spawn_local(async move {
        while alive.try_get_value() == Some(true) {
            let Some(day) = date.try_get_untracked() else {
                break;
            };
            let token = session.token();
            let answer: Result<TeamBoard, _> =
                api::get(&format!("/api/v1/team/board?date={day}"), token.as_deref()).await;
            match answer {
                Ok(b) if b.date == day => {
                    current.try_set(Some(b));
                    failed.try_set(false);
                }
                Ok(_) => {}
                Err(_) => {
                    failed.try_set(true);
                }
            }
            let (wait, resolver) = util::timer(POLL_MS);
            wake.try_set_value(Some(resolver));
            let _ = wait.await;
        }
    });

    let filter = Memo::new(move |_| BoardFilter {
        team: Some(team.get()).filter(|t| !t.is_empty()),
        authority_id: Uuid::parse_str(&authority.get()).ok(),
        sector: Some(sector.get()).filter(|s| !s.is_empty()),
    });

    view! {
        <section class="card board" data-testid="day-board">
            <h2>{TITLE}" · "{move || format!("{} ({})", strings::day_label(date.get()), strings::date_nl(date.get()))}</h2>
            <div class="filters">
                <label>{DATE}
                    <input type="date" data-testid="board-date" prop:value=move || date.get().to_string()
                        on:change=move |ev| {
                            if let Ok(d) = event_target_value(&ev).parse() { date.set(d) }
                        }/>
                </label>
                <label>{TEAM}
                    <select data-testid="board-team" on:change=move |ev| team.set(event_target_value(&ev))>
                        <option value="">{ALL}</option>
                        {move || current.with(|b| b.as_ref().map(board::teams).unwrap_or_default()).into_iter()
                            .map(|t| view! { <option value=t.clone() selected=team.get_untracked() == t>{t.clone()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>{AUTHORITY}
                    <select data-testid="board-authority" on:change=move |ev| authority.set(event_target_value(&ev))>
                        <option value="">{ALL}</option>
                        {move || authorities.get().into_iter()
                            .map(|(id, name)| view! { <option value=id.clone() selected=authority.get_untracked() == id>{name}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>{SECTOR}
                    <select data-testid="board-sector" on:change=move |ev| sector.set(event_target_value(&ev))>
                        <option value="">{ALL}</option>
                        {move || current.with(|b| b.as_ref().map(board::sectors).unwrap_or_default()).into_iter()
                            .map(|s| view! { <option value=s.clone() selected=sector.get_untracked() == s>{strings::sector_label(&s).to_owned()}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            {move || current.with(|b| match b {
                None if failed.get() => view! { <p class="error" role="alert">{UNREACHABLE}</p> }.into_any(),
                None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                Some(b) => {
                    let f = filter.get();
                    let rows = board::board_rows(b, &f);
                    let visits: Vec<BoardVisit> = board::visible_visits(b, &f).cloned().collect();
                    let names: Vec<(Uuid, String)> = b.inspectors.iter().map(|i| (i.id, i.name.clone())).collect();
                    let fresh = if failed.get() {
                        view! { <p class="error" role="status" data-testid="board-stale">{STALE}" "{util::short_time(&b.read_at)}</p> }.into_any()
                    } else {
                        view! { <p class="muted" role="status" data-testid="board-updated" data-read-at=b.read_at.clone()>{UPDATED}" "{seconds(&b.read_at)}</p> }.into_any()
                    };
                    view! {
                        {fresh}
                        <div class="table-scroll" tabindex="0" role="region" aria-label=TITLE><BoardTable rows=rows/></div>
                        <BoardMap visits=visits names=names/>
                    }.into_any()
                }
            })}
        </section>
    }
}

/// `HH:MM:SS` in Amsterdam time: how fresh the board is.
fn seconds(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            shared::calendar::amsterdam(t.to_utc())
                .format("%H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

fn hours(h: f64) -> String {
    util::number_nl(h, 1)
}

#[component]
fn BoardTable(rows: Vec<BoardRow>) -> impl IntoView {
    let sum = |f: fn(&BoardRow) -> usize| rows.iter().map(f).sum::<usize>();
    let totals = (
        sum(|r| r.planned),
        sum(|r| r.in_progress),
        sum(|r| r.done),
        sum(|r| r.returned),
        sum(|r| r.not_possible),
        rows.iter().map(|r| r.hours_spent).sum::<f64>(),
        rows.iter().map(|r| r.planned_hours).sum::<f64>(),
        rows.iter().map(|r| r.violations).sum::<u32>(),
        rows.iter().map(|r| r.unsent).sum::<i64>(),
    );
    view! {
        <table class="figures board-table">
            <thead><tr>
                <th scope="col">{INSPECTOR}</th><th scope="col">{TEAM}</th>
                <th scope="col" class="num">{PLANNED}</th><th scope="col" class="num">{IN_PROGRESS}</th>
                <th scope="col" class="num">{DONE}</th><th scope="col" class="num">{RETURNED}</th>
                <th scope="col" class="num">{NOT_POSSIBLE}</th>
                <th scope="col" class="num">{HOURS}</th><th scope="col" class="num">{VIOLATIONS}</th>
                <th scope="col">{UNSENT}</th><th scope="col">{LAST_CONTACT}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let unsent_class = if r.unsent > 0 { "unsent" } else { "" };
                    let unsent = if r.unsent > 0 {
                        format!("{} {SINCE} {}", r.unsent, r.oldest_unsent_at.as_deref().map(util::short_time).unwrap_or_default())
                    } else {
                        "0".to_owned()
                    };
                    view! {
                        <tr data-testid="board-row" data-inspector-id=r.inspector_id.to_string()>
                            <th scope="row">{r.name.clone()}</th>
                            <td>{r.team.clone().unwrap_or_default()}</td>
                            <td class="num" data-testid="board-planned">{r.planned}</td>
                            <td class="num" data-testid="board-in-progress">{r.in_progress}</td>
                            <td class="num" data-testid="board-done">{r.done}</td>
                            <td class="num" data-testid="board-returned">{r.returned}</td>
                            <td class="num" data-testid="board-not-possible">{r.not_possible}</td>
                            <td class="num">{format!("{} / {}", hours(r.hours_spent), hours(r.planned_hours))}</td>
                            <td class="num" data-testid="board-violations">{r.violations}</td>
                            <td class=unsent_class data-testid="board-unsent">{unsent}</td>
                            <td>{r.last_contact_at.as_deref().map(util::short_time).unwrap_or_else(|| "–".into())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
            <tfoot><tr>
                <th scope="row">{TOTAL}</th><td></td>
                <td class="num">{totals.0}</td><td class="num">{totals.1}</td>
                <td class="num">{totals.2}</td><td class="num">{totals.3}</td>
                <td class="num">{totals.4}</td>
                <td class="num">{format!("{} / {}", hours(totals.5), hours(totals.6))}</td>
                <td class="num">{totals.7}</td><td>{totals.8}</td><td></td>
            </tr></tfoot>
        </table>
    }
}

/// The marker of a status: colour and shape both differ, so the map reads without colour too.
fn marker(status: VisitStatus, x: f64, y: f64) -> AnyView {
    let class = format!("marker status-{}", status.as_str());
    match status {
        VisitStatus::Planned => view! { <circle class=class cx=x cy=y r="6"/> }.into_any(),
        VisitStatus::InProgress => view! { <circle class=class cx=x cy=y r="7"/> }.into_any(),
        VisitStatus::Done => {
            view! { <rect class=class x=x - 6.0 y=y - 6.0 width="12" height="12"/> }.into_any()
        }
        VisitStatus::Returned => {
            let points = format!(
                "{},{} {},{} {},{}",
                x,
                y - 8.0,
                x + 7.0,
                y + 6.0,
                x - 7.0,
                y + 6.0
            );
            view! { <polygon class=class points=points/> }.into_any()
        }
        VisitStatus::NotPossible => {
            let d = format!(
                "M{} {} L{} {} M{} {} L{} {}",
                x - 6.0,
                y - 6.0,
                x + 6.0,
                y + 6.0,
                x + 6.0,
                y - 6.0,
                x - 6.0,
                y + 6.0
            );
            view! { <path class=class d=d/> }.into_any()
        }
    }
}

#[component]
fn BoardMap(visits: Vec<BoardVisit>, names: Vec<(Uuid, String)>) -> impl IntoView {
    if visits.is_empty() {
        return view! { <p class="muted">{NO_VISITS}</p> }.into_any();
    }
    let at: Vec<(f64, f64)> = visits.iter().map(|v| (v.site.lat, v.site.lon)).collect();
    let points = shared::coords::project(&at, MAP_W, MAP_H, MAP_MARGIN);
    let name_of = |id: Uuid| {
        names
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    view! {
        <figure class="board-map">
            <figcaption>{MAP}</figcaption>
            <svg viewBox=format!("0 0 {MAP_W} {MAP_H}") role="img" aria-label=MAP_LABEL data-testid="board-map">
                <rect class="map-ground" x="0" y="0" width=MAP_W height=MAP_H/>
                {visits.iter().zip(points).map(|(v, p)| {
                    let mut title = format!("{} · {} · {}", v.site.name, name_of(v.inspector_id), strings::status_label(v.status));
                    if let Some(reason) = v.not_possible {
                        title = format!("{title}: {}", strings::not_possible_label(reason));
                    }
                    view! {
                        <g data-testid="board-site" data-visit-id=v.id.to_string() data-status=v.status.as_str()>
                            <title>{title}</title>
                            {marker(v.status, p.x, p.y)}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <ul class="legend">
                {VisitStatus::ALL.iter().map(|s| view! {
                    <li>
                        <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{marker(*s, 9.0, 10.0)}</svg>
                        {strings::status_label(*s)}
                    </li>
                }).collect_view()}
            </ul>
        </figure>
    }
    .into_any()
}
