//! `/kantoor/programma` (manager, admin): the year's execution programme (uitvoeringsprogramma).
//! Lines are entered one by one, corrected in place (with the version the server checks, so two
//! managers never overwrite each other unseen) or imported from a spreadsheet (CSV or XLSX), all
//! or nothing, with the server's Dutch reason for every rejected row.

use leptos::prelude::*;

use crate::capacity::CapacitySection;
use crate::focus::{FocusPoint, FocusPoints};
use crate::write::put_then_refresh;
use crate::year::{this_year, YearSelect};
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use shared::nl::{decimal, grouped, parse_fixed};
use shared::programme::{TaskGroup, TEMPLATE_HEADER};
use shared::Role;

use app::api;
use app::pages::guard::RequireRole;
use app::session::use_session;
use app::strings;

const TITLE: &str = "Uitvoeringsprogramma";
const INTRO: &str = "De geplande controles en uren van het jaar per product, gemeente of provincie en taakgroep. Controles van locaties in de sector van een regel tellen mee voor die regel.";
const NO_LINES: &str = "Dit jaar heeft nog geen programmaregels.";
const TOTAL: &str = "Totaal";
const EDIT: &str = "Wijzigen";
const SAVE: &str = "Opslaan";
const CANCEL: &str = "Annuleren";
const ADD_TITLE: &str = "Regel toevoegen";
const ADD: &str = "Toevoegen";
const PRODUCT: &str = "Product (soort controle of project)";
const AUTHORITY: &str = "Gemeente of provincie";
const TASK_GROUP: &str = "Taakgroep";
const SECTOR: &str = "Sector (controles die meetellen)";
const NO_SECTOR: &str = "Geen (project of bedrijfsvoering)";
const COUNT: &str = "Gepland aantal";
const FOCUS: &str = "Speerpunt";
const NO_FOCUS: &str = "Geen";
const HOURS: &str = "Geplande uren";
const COUNT_INVALID: &str = "Vul bij aantal een geheel getal in, bijvoorbeeld 120.";
const HOURS_INVALID: &str = "Vul bij uren een getal in, bijvoorbeeld 1.250 of 12,5.";
const PRODUCT_MISSING: &str = "Vul een product in en kies een gemeente of provincie.";
const SAVED: &str = "Opgeslagen.";
const IMPORT_TITLE: &str = "Importeren uit een spreadsheet";
const IMPORT_INTRO: &str = "Een CSV-bestand (puntkomma of komma, decimale komma) of Excel-bestand (XLSX, eerste werkblad) met de kolommen hieronder; gemeente als CBS-code of naam. Alles of niets: bij één afgekeurde regel wordt niets gewijzigd. Bestaande regels met hetzelfde product, dezelfde gemeente en taakgroep worden bijgewerkt; regels die niet in het bestand staan blijven staan.";
const FILE: &str = "Bestand (CSV of XLSX)";
const IMPORT: &str = "Importeren";
const NO_FILE: &str = "Kies eerst een bestand.";
const WRONG_KIND: &str = "Kies een CSV- of XLSX-bestand.";
const REJECTED: &str =
    "Niet geïmporteerd: er is niets gewijzigd. Pas deze regels aan en probeer het opnieuw.";

#[derive(Clone, Deserialize)]
struct Line {
    id: String,
    product: String,
    authority_id: String,
    task_group: TaskGroup,
    planned_count: i64,
    planned_hours: f64,
    version: i64,
    sector: Option<String>,
    focus_point_id: Option<String>,
}

#[derive(Clone, Deserialize)]
struct Programme {
    lines: Vec<Line>,
    focus_points: Vec<FocusPoint>,
}

/// An authority as `GET /authorities` lists it.
#[derive(Clone, Deserialize)]
pub(crate) struct Authority {
    pub(crate) id: String,
    pub(crate) name: String,
}

#[derive(Clone, Deserialize)]
pub(crate) struct Authorities {
    pub(crate) authorities: Vec<Authority>,
}

#[derive(Serialize)]
struct NewLine {
    year: i32,
    product: String,
    authority_id: String,
    task_group: TaskGroup,
    planned_count: i64,
    planned_hours: f64,
    sector: Option<String>,
    focus_point_id: Option<String>,
}

#[derive(Serialize)]
struct LineUpdate {
    base_version: i64,
    planned_count: i64,
    planned_hours: f64,
    /// Always sent: `None` (JSON `null`) takes the line off any focus point.
    focus_point_id: Option<String>,
}

#[derive(Clone, Deserialize)]
struct Rejection {
    line: u64,
    column: Option<String>,
    reason: String,
}

#[derive(Clone, Deserialize)]
struct ImportReport {
    created: usize,
    updated: usize,
    unchanged: usize,
    written: bool,
    rejected: Vec<Rejection>,
    rejected_total: usize,
}

#[derive(Deserialize)]
struct RejectedAnswer {
    report: ImportReport,
}

/// What the import form shows after an upload.
#[derive(Clone)]
enum ImportOutcome {
    Done(ImportReport),
    Failed(String),
}

fn parse_count(text: &str) -> Option<i64> {
    parse_fixed(text, 0).filter(|n| *n <= shared::programme::MAX_COUNT)
}

fn parse_hours(text: &str) -> Option<f64> {
    parse_fixed(text, 2)
        .map(|h| h as f64 / 100.0)
        .filter(|h| *h <= shared::programme::MAX_HOURS)
}

#[component]
pub fn ProgrammePage() -> impl IntoView {
    view! { <RequireRole role=Role::Manager also=Role::Admin><ProgrammeEditor/></RequireRole> }
}

#[component]
fn ProgrammeEditor() -> impl IntoView {
    let session = use_session();
    let year = RwSignal::new(this_year());
    let refresh = RwSignal::new(0u32);
    let authorities = LocalResource::new(move || {
        let token = session.token();
        async move {
            api::get::<Authorities>("/api/v1/authorities", token.as_deref())
                .await
                .map(|a| a.authorities)
                .unwrap_or_default()
        }
    });
    let lines = LocalResource::new(move || {
        let (year, _, token) = (year.get(), refresh.get(), session.token());
        async move {
            api::get::<Programme>(&format!("/api/v1/programme?year={year}"), token.as_deref())
                .await
                .map_err(|e| e.user_message())
        }
    });
    // The focus points of the year, for the line form's choice.
    let focus_choice = RwSignal::new(Vec::<(String, String)>::new());
    Effect::new(move |_| {
        if let Some(Ok(p)) = lines.get() {
            focus_choice.set(
                p.focus_points
                    .iter()
                    .map(|f| (f.id.clone(), f.title.clone()))
                    .collect(),
            );
        }
    });
    let name_of = move |id: &str| -> String {
        authorities
            .get()
            .and_then(|list| list.iter().find(|a| a.id == id).map(|a| a.name.clone()))
            .unwrap_or_else(|| id.to_owned())
    };
    view! {
        <section class="programme" data-testid="programme">
            <h1>{TITLE}</h1>
            <p class="muted">{INTRO}</p>
            <p><a href="/kantoor/monitoring">"Realisatie van het programma"</a></p>
            <div class="filters">
                <YearSelect year=year testid="programme-year"/>
            </div>
            {move || match lines.get() {
                None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(p)) => {
                    let focus_points = p.focus_points.clone();
                    let titles: Vec<(String, String)> = focus_points.iter().map(|f| (f.id.clone(), f.title.clone())).collect();
                    let list = p.lines;
                    if list.is_empty() {
                        return view! {
                            <p data-testid="programme-empty">{NO_LINES}</p>
                            <FocusPoints year=year refresh=refresh focus_points=focus_points/>
                        }.into_any();
                    }
                    let count: i64 = list.iter().map(|l| l.planned_count).sum();
                    let hours: f64 = list.iter().map(|l| l.planned_hours).sum();
                    view! {
                        <table class="figures" data-testid="programme-lines">
                            <caption>{format!("Programma {}", year.get_untracked())}</caption>
                            <thead><tr>
                                <th scope="col">"Product"</th><th scope="col">{AUTHORITY}</th>
                                <th scope="col">{TASK_GROUP}</th><th scope="col">"Sector"</th><th scope="col">"Speerpunt"</th>
                                <th scope="col" class="num">{COUNT}</th><th scope="col" class="num">{HOURS}</th>
                                <th scope="col"><span class="sr-only">"Acties"</span></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|l| {
                                    let authority = name_of(&l.authority_id);
                                    view! { <LineRow line=l authority=authority focus_points=titles.clone() refresh=refresh/> }
                                }).collect_view()}
                            </tbody>
                            <tfoot><tr>
                                <th scope="row" colspan="5">{TOTAL}</th>
                                <td class="num" data-testid="programme-total-count">{grouped(count as f64, 0)}</td>
                                <td class="num">{grouped(hours, 1)}</td><td></td>
                            </tr></tfoot>
                        </table>
                        <FocusPoints year=year refresh=refresh focus_points=focus_points/>
                    }.into_any()
                }
            }}
            <CapacitySection year=year refresh=refresh/>
            <NewLineForm year=year refresh=refresh authorities=authorities focus_points=focus_choice/>
            <ImportForm year=year refresh=refresh/>
        </section>
    }
}

/// One programme line, with an in-place correction of its planned figures and of the focus point
/// it serves (`focus_points`: the year's focus points as id and title).
#[component]
fn LineRow(
    line: Line,
    authority: String,
    focus_points: Vec<(String, String)>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let session = use_session();
    let editing = RwSignal::new(false);
    let focus_title = line
        .focus_point_id
        .as_ref()
        .and_then(|id| focus_points.iter().find(|(f, _)| f == id))
        .map(|(_, t)| t.clone());
    let focus = RwSignal::new(line.focus_point_id.clone().unwrap_or_default());
    let count = RwSignal::new(line.planned_count.to_string());
    let hours = RwSignal::new(decimal(line.planned_hours, 2).replace(",00", ""));
    let message = RwSignal::new(None::<String>);
    let (id, version) = (line.id.clone(), line.version);
    let save = move |_| {
        let (Some(planned_count), Some(planned_hours)) = (
            parse_count(&count.get_untracked()),
            parse_hours(&hours.get_untracked()),
        ) else {
            message.set(Some(format!("{COUNT_INVALID} {HOURS_INVALID}")));
            return;
        };
        let body = LineUpdate {
            base_version: version,
            planned_count,
            planned_hours,
            focus_point_id: Some(focus.get_untracked()).filter(|f| !f.is_empty()),
        };
        put_then_refresh(
            format!("/api/v1/programme/lines/{id}"),
            body,
            session.token(),
            refresh,
            message,
        );
    };
    let label = format!("{} {}", line.product, authority);
    view! {
        <tr data-testid="programme-line">
            <td>{line.product.clone()}</td>
            <td>{authority}</td>
            <td>{line.task_group.label_nl()}</td>
            <td>{line.sector.as_deref().map(strings::sector_label).unwrap_or("-").to_owned()}</td>
            {move || if editing.get() {
                let choices = focus_points.clone();
                view! {
                    <td>
                        <select class="figure-input" aria-label=format!("{FOCUS}: {label}") on:change=move |ev| focus.set(event_target_value(&ev))>
                            <option value="" selected=move || focus.get().is_empty()>{NO_FOCUS}</option>
                            {choices.into_iter().map(|(id, title)| {
                                let value = id.clone();
                                view! { <option value=id selected=move || focus.get() == value>{title}</option> }
                            }).collect_view()}
                        </select>
                    </td>
                    <td class="num"><input class="figure-input" inputmode="numeric" aria-label=format!("{COUNT}: {label}")
                        prop:value=move || count.get() on:input=move |ev| count.set(event_target_value(&ev))/></td>
                    <td class="num"><input class="figure-input" inputmode="decimal" aria-label=format!("{HOURS}: {label}")
                        prop:value=move || hours.get() on:input=move |ev| hours.set(event_target_value(&ev))/></td>
                    <td>
                        <button on:click=save.clone()>{SAVE}</button>
                        <button class="secondary" on:click=move |_| { editing.set(false); message.set(None) }>{CANCEL}</button>
                        {move || message.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                    </td>
                }.into_any()
            } else {
                view! {
                    <td>{focus_title.clone().unwrap_or_else(|| "-".to_owned())}</td>
                    <td class="num">{grouped(line.planned_count as f64, 0)}</td>
                    <td class="num">{grouped(line.planned_hours, 1)}</td>
                    <td><button class="secondary" aria-label=format!("{EDIT}: {label}") on:click=move |_| editing.set(true)>{EDIT}</button></td>
                }.into_any()
            }}
        </tr>
    }
}

#[component]
fn NewLineForm(
    year: RwSignal<i32>,
    refresh: RwSignal<u32>,
    authorities: LocalResource<Vec<Authority>>,
    focus_points: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let session = use_session();
    let focus = RwSignal::new(String::new());
    // Another year (or a reload) offers other focus points: forget a choice that is not offered.
    Effect::new(move |_| {
        let offered = focus_points.get();
        if !offered.iter().any(|(id, _)| *id == focus.get_untracked()) {
            focus.set(String::new());
        }
    });
    let product = RwSignal::new(String::new());
    let authority = RwSignal::new(String::new());
    let group = RwSignal::new(TaskGroup::Basistaak);
    let sector = RwSignal::new(String::new());
    let count = RwSignal::new(String::new());
    let hours = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = product.get_untracked().trim().to_owned();
        let authority_id = authority.get_untracked();
        if name.is_empty() || authority_id.is_empty() {
            message.set(Some((false, PRODUCT_MISSING.to_owned())));
            return;
        }
        let Some(planned_count) = parse_count(&count.get_untracked()) else {
            message.set(Some((false, COUNT_INVALID.to_owned())));
            return;
        };
        let Some(planned_hours) = parse_hours(&hours.get_untracked()) else {
            message.set(Some((false, HOURS_INVALID.to_owned())));
            return;
        };
        let body = NewLine {
            year: year.get_untracked(),
            product: name,
            authority_id,
            task_group: group.get_untracked(),
            planned_count,
            planned_hours,
            sector: Some(sector.get_untracked()).filter(|s| !s.is_empty()),
            focus_point_id: Some(focus.get_untracked()).filter(|f| !f.is_empty()),
        };
        let token = session.token();
        spawn_local(async move {
            let result: Result<serde::de::IgnoredAny, _> =
                api::post("/api/v1/programme/lines", &body, token.as_deref()).await;
            match result {
                Ok(_) => {
                    message.set(Some((true, SAVED.to_owned())));
                    product.set(String::new());
                    count.set(String::new());
                    hours.set(String::new());
                    refresh.update(|r| *r += 1);
                }
                Err(e) => message.set(Some((false, e.user_message()))),
            }
        });
    };
    view! {
        <form class="card step-form" data-testid="programme-new" on:submit=submit>
            <h2>{ADD_TITLE}</h2>
            <label for="pl-product">{PRODUCT}</label>
            <input id="pl-product" maxlength="200" prop:value=move || product.get()
                on:input=move |ev| product.set(event_target_value(&ev))/>
            <label for="pl-authority">{AUTHORITY}</label>
            <select id="pl-authority" on:change=move |ev| authority.set(event_target_value(&ev))>
                <option value="">"Kies…"</option>
                {move || authorities.get().unwrap_or_default().into_iter().map(|a| {
                    let selected = authority.get_untracked() == a.id;
                    view! { <option value=a.id selected=selected>{a.name}</option> }
                }).collect_view()}
            </select>
            <label for="pl-group">{TASK_GROUP}</label>
            <select id="pl-group" on:change=move |ev| {
                if let Some(g) = TaskGroup::parse(&event_target_value(&ev)) { group.set(g) }
            }>
                {TaskGroup::ALL.iter().map(|g| view! {
                    <option value=g.as_str() selected=move || group.get() == *g>{g.label_nl()}</option>
                }).collect_view()}
            </select>
            <label for="pl-sector">{SECTOR}</label>
            <select id="pl-sector" on:change=move |ev| sector.set(event_target_value(&ev))>
                <option value="">{NO_SECTOR}</option>
                {shared::risk::DEFAULT_SECTORS.iter().map(|s| {
                    view! { <option value=*s>{strings::sector_label(s)}</option> }
                }).collect_view()}
            </select>
            <label for="pl-focus">"Speerpunt (optioneel)"</label>
            <select id="pl-focus" on:change=move |ev| focus.set(event_target_value(&ev))>
                <option value="" selected=move || focus.get().is_empty()>"Geen"</option>
                {move || focus_points.get().into_iter().map(|(id, title)| {
                    let value = id.clone();
                    view! { <option value=id selected=move || focus.get() == value>{title}</option> }
                }).collect_view()}
            </select>
            <label for="pl-count">{COUNT}</label>
            <input id="pl-count" inputmode="numeric" prop:value=move || count.get()
                on:input=move |ev| count.set(event_target_value(&ev))/>
            <label for="pl-hours">{HOURS}</label>
            <input id="pl-hours" inputmode="decimal" prop:value=move || hours.get()
                on:input=move |ev| hours.set(event_target_value(&ev))/>
            <button type="submit">{ADD}</button>
            {move || message.get().map(|(ok, m)| view! {
                <p class=if ok { "ok" } else { "error" } role=if ok { "status" } else { "alert" }>{m}</p>
            })}
        </form>
    }
}

/// Uploads the chosen file as it is (the server reads CSV and XLSX) and shows the report.
async fn upload(file: web_sys::File, year: i32, token: Option<String>) -> ImportOutcome {
    let name = file.name().to_lowercase();
    let content_type = if name.ends_with(".csv") {
        "text/csv"
    } else if name.ends_with(".xlsx") {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        return ImportOutcome::Failed(WRONG_KIND.to_owned());
    };
    let body: &wasm_bindgen::JsValue = file.as_ref();
    let path = format!("/api/v1/programme/import?year={year}");
    let response = match api::raw(
        "POST",
        &path,
        Some(body),
        &[("Content-Type", content_type)],
        token.as_deref(),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return ImportOutcome::Failed(e.user_message()),
    };
    match response.status() {
        200 => match api::text(&response)
            .await
            .ok()
            .and_then(|t| app::json::parse_json(&t))
        {
            Some(report) => ImportOutcome::Done(report),
            None => ImportOutcome::Failed(
                app::error::AppError::internal(response.status()).user_message(),
            ),
        },
        422 => match api::text(&response)
            .await
            .ok()
            .and_then(|t| app::json::parse_json::<RejectedAnswer>(&t))
        {
            Some(answer) => ImportOutcome::Done(answer.report),
            None => ImportOutcome::Failed(
                app::error::AppError::internal(response.status()).user_message(),
            ),
        },
        _ => ImportOutcome::Failed(api::failure(response).await.user_message()),
    }
}

#[component]
fn ImportForm(year: RwSignal<i32>, refresh: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let input = NodeRef::<leptos::html::Input>::new();
    let outcome = RwSignal::new(None::<ImportOutcome>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = input
            .get_untracked()
            .and_then(|el| el.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            outcome.set(Some(ImportOutcome::Failed(NO_FILE.to_owned())));
            return;
        };
        let (year, token) = (year.get_untracked(), session.token());
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let result = upload(file, year, token).await;
            if matches!(&result, ImportOutcome::Done(r) if r.written) {
                refresh.update(|r| *r += 1);
            }
            outcome.set(Some(result));
            busy.set(false);
        });
    };
    view! {
        <form class="card step-form" data-testid="programme-import" on:submit=submit>
            <h2>{IMPORT_TITLE}</h2>
            <p class="muted">{IMPORT_INTRO}</p>
            <p><code>{TEMPLATE_HEADER.join(";")}</code></p>
            <label for="pl-file">{FILE}</label>
            <input id="pl-file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" node_ref=input/>
            <button type="submit" disabled=move || busy.get()>{IMPORT}</button>
            <div aria-live="polite" data-testid="programme-import-result">
                {move || outcome.get().map(|o| match o {
                    ImportOutcome::Failed(m) => view! { <p class="error" role="alert">{m}</p> }.into_any(),
                    ImportOutcome::Done(r) if r.written => view! {
                        <p class="ok" role="status">{format!(
                            "Geïmporteerd: {} nieuw, {} bijgewerkt, {} ongewijzigd.",
                            r.created, r.updated, r.unchanged
                        )}</p>
                    }.into_any(),
                    ImportOutcome::Done(r) => view! {
                        <p class="error" role="alert">{format!("{REJECTED} ({} afgekeurd)", r.rejected_total)}</p>
                        <table class="figures" data-testid="programme-rejections">
                            <thead><tr><th scope="col" class="num">"Regel"</th><th scope="col">"Kolom"</th><th scope="col">"Reden"</th></tr></thead>
                            <tbody>
                                {r.rejected.into_iter().map(|x| view! {
                                    <tr><td class="num">{x.line}</td><td>{x.column.unwrap_or_default()}</td><td>{x.reason}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </div>
        </form>
    }
}
