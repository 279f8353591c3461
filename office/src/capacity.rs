//! The capacity section of the programme page (Omgevingsbesluit art. 13.10): the hours the risk
//! model asks of the site register, the hours the programme plans and the hours the agency has,
//! as sentences, a bar chart and a table per authority; management enters fte and productive
//! hours here (with the version the server checks).

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use shared::capacity::{Available, NeedRow, DEFINITIONS};
use shared::nl::{decimal, grouped, parse_fixed};

use app::api;
use app::session::use_session;
use app::strings;

const TITLE: &str = "Capaciteit (Omgevingsbesluit artikel 13.10)";
const FTE: &str = "Beschikbare fte";
const HOURS: &str = "Productieve uren per fte";
const SAVE: &str = "Capaciteit opslaan";
const SAVED: &str = "Opgeslagen.";
const INVALID: &str = "Vul fte (0 tot 10.000, bijvoorbeeld 24,5) en productieve uren per fte (0 tot 2.000, bijvoorbeeld 1.200) in.";

/// The answer of `GET /api/v1/reports/capacity`, as far as the page shows it.
#[derive(Clone, Deserialize)]
struct Picture {
    required_visits: f64,
    required_hours: f64,
    planned_count: i64,
    planned_inspection_hours: f64,
    planned_hours: f64,
    available: Option<Available>,
    available_hours: Option<f64>,
    by_authority: Vec<NeedRow>,
    summary: Vec<String>,
    capacity_version: i64,
}

#[derive(Serialize)]
struct Change {
    base_version: i64,
    fte: f64,
    productive_hours_per_fte: f64,
}

#[component]
pub fn CapacitySection(year: RwSignal<i32>, refresh: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let picture = LocalResource::new(move || {
        let (year, _, token) = (year.get(), refresh.get(), session.token());
        async move {
            api::get::<Picture>(
                &format!("/api/v1/reports/capacity?year={year}"),
                token.as_deref(),
            )
            .await
            .map_err(|e| e.user_message())
        }
    });
    view! {
        <section class="capacity" data-testid="capacity">
            <h2>{TITLE}</h2>
            {move || match picture.get() {
                None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(p)) => view! { <Figures p=p year=year refresh=refresh/> }.into_any(),
            }}
            <ul class="definitions">
                {DEFINITIONS.iter().map(|(_, text)| view! { <li class="muted">{*text}</li> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Figures(p: Picture, year: RwSignal<i32>, refresh: RwSignal<u32>) -> impl IntoView {
    let bars = vec![
        ("Nodig volgens risicomodel", p.required_hours, "required"),
        ("Gepland: controles", p.planned_inspection_hours, "planned"),
        ("Gepland: alle regels", p.planned_hours, "planned"),
        ("Beschikbaar", p.available_hours.unwrap_or(0.0), "available"),
    ];
    view! {
        <div data-testid="capacity-summary">
            {p.summary.iter().map(|s| view! { <p>{s.clone()}</p> }).collect_view()}
        </div>
        <HoursChart bars=bars/>
        <table class="figures" data-testid="capacity-table">
            <caption>"Nodig en gepland per gemeente of provincie"</caption>
            <thead><tr>
                <th scope="col">"Gemeente of provincie"</th><th scope="col" class="num">"Locaties"</th>
                <th scope="col" class="num">"Nodig: controles"</th><th scope="col" class="num">"Nodig: uren"</th>
                <th scope="col" class="num">"Gepland: controles"</th><th scope="col" class="num">"Gepland: uren"</th>
                <th scope="col" class="num">"Verschil uren"</th>
            </tr></thead>
            <tbody>
                {p.by_authority.iter().map(|r| view! {
                    <tr>
                        <th scope="row">{r.name.clone()}</th>
                        <td class="num">{grouped(r.sites as f64, 0)}</td>
                        <td class="num">{grouped(r.required_visits, 0)}</td>
                        <td class="num">{grouped(r.required_hours, 0)}</td>
                        <td class="num">{grouped(r.planned_count as f64, 0)}</td>
                        <td class="num">{grouped(r.planned_hours, 0)}</td>
                        <td class="num">{signed(r.planned_hours - r.required_hours)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot><tr>
                <th scope="row">"Totaal"</th><td></td>
                <td class="num">{grouped(p.required_visits, 0)}</td>
                <td class="num">{grouped(p.required_hours, 0)}</td>
                <td class="num">{grouped(p.planned_count as f64, 0)}</td>
                <td class="num">{grouped(p.planned_inspection_hours, 0)}</td>
                <td class="num">{signed(p.planned_inspection_hours - p.required_hours)}</td>
            </tr></tfoot>
        </table>
        <CapacityForm current=p.available version=p.capacity_version year=year refresh=refresh/>
    }
}

/// Hours with their sign, for a difference (`+120`, `-45`).
fn signed(hours: f64) -> String {
    let rounded = hours.round();
    if rounded > 0.0 {
        format!("+{}", grouped(rounded, 0))
    } else {
        grouped(rounded, 0)
    }
}

/// One horizontal bar per figure, all on the same scale.
#[component]
fn HoursChart(bars: Vec<(&'static str, f64, &'static str)>) -> impl IntoView {
    let (w, row_h, label_w) = (640.0, 28.0, 190.0);
    let h = row_h * bars.len() as f64 + 8.0;
    let max = bars.iter().map(|b| b.1).fold(1.0, f64::max);
    let bar = move |v: f64| (w - label_w - 80.0) * v / max;
    view! {
        <figure class="chart" data-testid="capacity-chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label="Uren: nodig, gepland en beschikbaar">
                <title>"Uren: nodig, gepland en beschikbaar"</title>
                {bars.into_iter().enumerate().map(|(i, (label, value, class))| {
                    let top = 4.0 + row_h * i as f64;
                    view! {
                        <text x=label_w - 8.0 y=top + 17.0 text-anchor="end" class="axis">{label}</text>
                        <rect x=label_w y=top + 5.0 width=bar(value) height=16.0 class=class/>
                        <text x=label_w + bar(value) + 6.0 y=top + 17.0 class="axis">{format!("{} uur", grouped(value.round(), 0))}</text>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

#[component]
fn CapacityForm(
    current: Option<Available>,
    version: i64,
    year: RwSignal<i32>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let session = use_session();
    // Two decimals, as the form reads them: saving unchanged figures stores the same figures.
    let two = |v: f64| {
        let text = decimal(v, 2);
        text.strip_suffix(",00").map_or(text.clone(), str::to_owned)
    };
    let fte = RwSignal::new(current.map_or(String::new(), |a| two(a.fte)));
    let hours = RwSignal::new(current.map_or(String::new(), |a| two(a.productive_hours_per_fte)));
    let message = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = (
            parse_fixed(&fte.get_untracked(), 2).map(|v| v as f64 / 100.0),
            parse_fixed(&hours.get_untracked(), 2).map(|v| v as f64 / 100.0),
        );
        let (Some(fte), Some(productive_hours_per_fte)) = parsed else {
            message.set(Some((false, INVALID.to_owned())));
            return;
        };
        let entry = Available {
            fte,
            productive_hours_per_fte,
        };
        if !entry.valid() {
            message.set(Some((false, INVALID.to_owned())));
            return;
        }
        let body = Change {
            base_version: version,
            fte,
            productive_hours_per_fte,
        };
        let (year, token) = (year.get_untracked(), session.token());
        spawn_local(async move {
            let result: Result<serde::de::IgnoredAny, _> = api::put(
                &format!("/api/v1/programme/capacity/{year}"),
                &body,
                token.as_deref(),
            )
            .await;
            match result {
                Ok(_) => {
                    message.set(Some((true, SAVED.to_owned())));
                    refresh.update(|r| *r += 1);
                }
                Err(e) => message.set(Some((false, e.user_message()))),
            }
        });
    };
    view! {
        <form class="card step-form" data-testid="capacity-form" on:submit=submit>
            <label for="cap-fte">{FTE}</label>
            <input id="cap-fte" inputmode="decimal" prop:value=move || fte.get()
                on:input=move |ev| fte.set(event_target_value(&ev))/>
            <label for="cap-hours">{HOURS}</label>
            <input id="cap-hours" inputmode="decimal" prop:value=move || hours.get()
                on:input=move |ev| hours.set(event_target_value(&ev))/>
            <button type="submit">{SAVE}</button>
            {move || message.get().map(|(ok, m)| view! {
                <p class=if ok { "ok" } else { "error" } role=if ok { "status" } else { "alert" }>{m}</p>
            })}
        </form>
    }
}
