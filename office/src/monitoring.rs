//! Realisation monitoring (`/kantoor/monitoring` for management, `/kantoor/gemeente` for an
//! authority viewer, limited to their own authority by the server): planned against realised
//! work of the execution programme, progress over the year with a forecast, compliance, LHSO,
//! interventions and penalties. Every figure prints its definition (`shared::report`). Charts are
//! inline SVG drawn from the figures: nothing to download, readable by screen readers through
//! their titles and the tables beside them.

use leptos::prelude::*;

use crate::year::{this_year, YearSelect};

use shared::lhso::{Behaviour, Consequence, LhsoCell};
use shared::nl::{decimal, grouped};
use shared::report::{self, CellCount, Realisation, Volume, PERIODS};
use shared::Role;

use app::api;
use app::pages::guard::RequireRole;
use app::session::use_session;
use app::strings;

const MANAGER_TITLE: &str = "Realisatie uitvoeringsprogramma";
const VIEWER_TITLE: &str = "Mijn gemeente: realisatie";
const PERIOD: &str = "Periode";
const AUTHORITY: &str = "Gemeente of provincie";
const ALL_AUTHORITIES: &str = "Alle (regio)";
const ENFORCEMENT_LINK: &str = "Handhaving: openstaande zaken";
const ANNUAL: &str = "Jaarverslag";
const PROGRAMME_LINK: &str = "Uitvoeringsprogramma: regels invoeren en importeren";
const OPEN_DRILL: &str = "Toon de controles achter dit cijfer";
const DRILL_TITLE: &str = "Controles achter";
const CLOSE: &str = "Sluiten";
const SHOW: &str = "Toon controles";
const DRILL_MORE: &str = "Alleen de nieuwste 500 worden getoond.";
const PENALTY_DRILL_TITLE: &str = "Dwangsomstappen achter";
const OPEN_PENALTIES: &str = "Toon de zaken achter dit cijfer";

/// What a drill-down lists: the inspections behind a figure (the query of
/// `/api/v1/reports/inspections`) or the penalty steps behind a penalty figure.
#[derive(Clone, PartialEq)]
enum DrillTarget {
    Inspections(String),
    Penalties(report::PenaltyKind),
}

/// The figure whose rows are shown: (title, what to list).
#[derive(Clone, Copy)]
struct Drill(RwSignal<Option<(String, DrillTarget)>>);

impl Drill {
    fn open(self, title: String, query: String) {
        self.0.set(Some((title, DrillTarget::Inspections(query))));
    }
}

#[derive(Clone, serde::Deserialize)]
struct DrillAnswer {
    total: usize,
    inspections: Vec<report::DrillRow>,
}

#[derive(Clone, serde::Deserialize)]
struct PenaltyAnswer {
    total: usize,
    penalties: Vec<report::PenaltyInput>,
}

/// The rows a drill-down shows.
#[derive(Clone)]
enum DrillRows {
    Inspections(DrillAnswer),
    Penalties(PenaltyAnswer),
}

/// The rows behind the chosen figure, for the period and authority on screen.
#[component]
fn DrillPanel(
    year: RwSignal<i32>,
    months: RwSignal<u32>,
    authority: RwSignal<String>,
) -> impl IntoView {
    let session = use_session();
    let drill = expect_context::<Drill>();
    let data = LocalResource::new(move || {
        let chosen = drill.0.get();
        let (year, months, authority, token) =
            (year.get(), months.get(), authority.get(), session.token());
        async move {
            let (_, target) = chosen?;
            let (path, own_authority) = match &target {
                DrillTarget::Inspections(query) => (
                    format!("/api/v1/reports/inspections?year={year}&months={months}{query}"),
                    query.contains("authority_id="),
                ),
                DrillTarget::Penalties(kind) => (
                    format!(
                        "/api/v1/reports/penalties?year={year}&months={months}&kind={}",
                        kind.as_str()
                    ),
                    false,
                ),
            };
            let mut path = path;
            if !authority.is_empty() && !own_authority {
                path.push_str(&format!("&authority_id={authority}"));
            }
            let token = token.as_deref();
            Some(
                match target {
                    DrillTarget::Inspections(_) => api::get::<DrillAnswer>(&path, token)
                        .await
                        .map(DrillRows::Inspections),
                    DrillTarget::Penalties(_) => api::get::<PenaltyAnswer>(&path, token)
                        .await
                        .map(DrillRows::Penalties),
                }
                .map_err(|e| e.user_message()),
            )
        }
    });
    // Bring the list into view when a figure low on the page opens it.
    let panel = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(el) = panel.get() {
            el.scroll_into_view();
        }
    });
    move || {
        let (title, target) = drill.0.get()?;
        let heading = match target {
            DrillTarget::Inspections(_) => DRILL_TITLE,
            DrillTarget::Penalties(_) => PENALTY_DRILL_TITLE,
        };
        Some(view! {
            <section class="drill card" data-testid="drill" aria-live="polite" node_ref=panel>
                <h2>{format!("{heading}: {title}")}</h2>
                <button class="secondary" on:click=move |_| drill.0.set(None)>{CLOSE}</button>
                {move || match data.get().flatten() {
                    None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                    Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                    Some(Ok(DrillRows::Inspections(answer))) => view! {
                        <table class="figures">
                            <caption>{format!("{} controles", grouped(answer.total as f64, 0))}</caption>
                            <thead><tr>
                                <th scope="col">"Datum"</th><th scope="col">"Locatie"</th><th scope="col">"Soort"</th>
                                <th scope="col">"Resultaat"</th><th scope="col" class="num">"Uren"</th><th scope="col">"Cellen"</th>
                            </tr></thead>
                            <tbody>
                                {answer.inspections.into_iter().map(|i| view! {
                                    <tr>
                                        <td class="date">{strings::date_nl(i.inspected_on)}</td>
                                        <td>{i.site_name}</td>
                                        <td>{if i.reinspection { "Hercontrole" } else { "Controle" }}</td>
                                        <td>{if i.compliant { "Geen overtreding" } else { "Overtreding" }}</td>
                                        <td class="num">{decimal(i.hours, 1)}</td>
                                        <td>{i.cells.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {(answer.total > 500).then(|| view! { <p class="muted">{DRILL_MORE}</p> })}
                    }.into_any(),
                    Some(Ok(DrillRows::Penalties(answer))) => view! {
                        <table class="figures" data-testid="penalty-drill">
                            <caption>{format!("{} stappen", grouped(answer.total as f64, 0))}</caption>
                            <thead><tr>
                                <th scope="col">"Datum"</th><th scope="col">"Stap"</th><th scope="col">"Locatie"</th>
                                <th scope="col">"Cel"</th><th scope="col">"Overtreding vastgesteld"</th><th scope="col" class="num">"Bedrag"</th>
                            </tr></thead>
                            <tbody>
                                {answer.penalties.into_iter().map(|p| view! {
                                    <tr>
                                        <td class="date">{strings::date_nl(p.on)}</td>
                                        <td>{penalty_label(p.kind)}</td>
                                        <td>{p.site_name}</td>
                                        <td>{p.cell.to_string()}</td>
                                        <td class="date">{strings::date_nl(p.found_on)}</td>
                                        <td class="num">{euros(p.cents)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {(answer.total > 500).then(|| view! { <p class="muted">{DRILL_MORE}</p> })}
                        <p><a href="/kantoor/handhaving">{ENFORCEMENT_LINK}</a></p>
                    }.into_any(),
                }}
            </section>
        })
    }
}

fn penalty_label(kind: report::PenaltyKind) -> &'static str {
    match kind {
        report::PenaltyKind::Forfeited => "Verbeurd",
        report::PenaltyKind::Collected => "Ingevorderd",
    }
}

const ANNUAL_INTRO: &str = "Het jaarverslag (Omgevingsbesluit artikel 13.11) van het gekozen jaar, met dezelfde cijfers als hieronder.";
const DOWNLOAD_FAILED: &str = "Downloaden is niet gelukt. Probeer het opnieuw.";

/// The forms of the annual report: (extension, button label).
const FORMS: [(&str, &str); 4] = [
    ("pdf", "PDF"),
    ("html", "HTML"),
    ("xlsx", "Excel (XLSX)"),
    ("csv", "CSV"),
];

/// Fetches a report with the session's token and hands it to the browser as a download (a plain
/// link cannot carry the bearer token).
async fn download(path: String, file_name: String, token: Option<String>) -> Result<(), ()> {
    use wasm_bindgen::JsCast;
    let url = crate::fetch::object_url(&path, token.as_deref()).await?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or(())?;
    let link = document.create_element("a").map_err(|_| ())?;
    link.set_attribute("href", &url).map_err(|_| ())?;
    link.set_attribute("download", &file_name).map_err(|_| ())?;
    link.dyn_ref::<web_sys::HtmlElement>().ok_or(())?.click();
    crate::fetch::revoke(&url);
    Ok(())
}

#[component]
fn AnnualReport(year: RwSignal<i32>, authority: RwSignal<String>) -> impl IntoView {
    let session = use_session();
    let failed = RwSignal::new(false);
    view! {
        <section class="annual" data-testid="annual">
            <h2>{ANNUAL}</h2>
            <p class="muted">{ANNUAL_INTRO}</p>
            <div class="actions">
                {FORMS.iter().map(|&(ext, label)| view! {
                    <button class="secondary" data-testid=format!("annual-{ext}") on:click=move |_| {
                        let y = year.get_untracked();
                        let a = authority.get_untracked();
                        let mut path = format!("/api/v1/reports/annual/{y}.{ext}");
                        if !a.is_empty() {
                            path.push_str(&format!("?authority_id={a}"));
                        }
                        let token = session.token();
                        failed.set(false);
                        leptos::task::spawn_local(async move {
                            if download(path, format!("jaarverslag-{y}.{ext}"), token).await.is_err() {
                                failed.set(true);
                            }
                        });
                    }>{label}</button>
                }).collect_view()}
            </div>
            {move || failed.get().then(|| view! { <p class="error" role="alert">{DOWNLOAD_FAILED}</p> })}
        </section>
    }
}

fn period_label(months: u32) -> &'static str {
    match months {
        4 => "Eerste 4 maanden (t/m april)",
        8 => "Eerste 8 maanden (t/m augustus)",
        _ => "Heel het jaar",
    }
}

fn definition(key: &str) -> &'static str {
    report::definitions()
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, text)| *text)
}

fn percent_nl(value: Option<f64>) -> String {
    value.map_or("-".to_owned(), |v| format!("{} %", decimal(v, 1)))
}

fn euros(cents: i64) -> String {
    format!("€ {}", grouped(cents as f64 / 100.0, 2))
}

fn share(part: i64, whole: i64) -> String {
    percent_nl(report::percent(part, whole))
}

#[component]
pub fn MonitoringPage() -> impl IntoView {
    view! { <RequireRole role=Role::Manager also=Role::TeamLead><Monitoring title=MANAGER_TITLE choose_authority=true/></RequireRole> }
}

#[component]
pub fn AuthorityPage() -> impl IntoView {
    view! { <RequireRole role=Role::AuthorityViewer><Monitoring title=VIEWER_TITLE choose_authority=false/></RequireRole> }
}

#[component]
fn Monitoring(title: &'static str, choose_authority: bool) -> impl IntoView {
    let session = use_session();
    let year = RwSignal::new(this_year());
    let months = RwSignal::new(12u32);
    let authority = RwSignal::new(String::new());
    // The authorities to choose from, as the region-wide answer lists them.
    let authorities = RwSignal::new(Vec::<(String, String)>::new());
    let drill = Drill(RwSignal::new(None));
    provide_context(drill);
    // A new period or authority closes an open drill-down (its numbers would no longer match).
    Effect::new(move |_| {
        year.track();
        months.track();
        authority.track();
        drill.0.set(None);
    });
    let data = LocalResource::new(move || {
        let (online, token) = (session.online.get(), session.token());
        let (year, months, authority) = (year.get(), months.get(), authority.get());
        async move {
            if !online {
                return Err(strings::TEAM_ONLINE_ONLY.to_owned());
            }
            let token = token.ok_or_else(|| strings::LOGIN_NEEDS_NETWORK.to_owned())?;
            let mut path = format!("/api/v1/reports/realisation?year={year}&months={months}");
            if !authority.is_empty() {
                path.push_str(&format!("&authority_id={authority}"));
            }
            api::get::<Realisation>(&path, Some(&token))
                .await
                .map_err(|f| f.user_message())
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = data.get() {
            if r.authority_id.is_none() {
                authorities.set(
                    r.by_authority
                        .iter()
                        .map(|a| (a.authority_id.clone(), a.name.clone()))
                        .collect(),
                );
            }
        }
    });
    view! {
        <section class="monitoring" data-testid="monitoring">
            <h1>{title}</h1>
            <div class="filters">
                <YearSelect year=year testid="year"/>
                <label>{PERIOD}
                    <select data-testid="period" on:change=move |ev| {
                        if let Ok(m) = event_target_value(&ev).parse() { months.set(m) }
                    }>
                        {PERIODS.iter().map(|&m| view! {
                            <option value=m.to_string() selected=move || months.get() == m>{period_label(m)}</option>
                        }).collect_view()}
                    </select>
                </label>
                {choose_authority.then(|| view! {
                    <label>{AUTHORITY}
                        <select data-testid="authority" on:change=move |ev| authority.set(event_target_value(&ev))>
                            <option value="">{ALL_AUTHORITIES}</option>
                            {move || authorities.get().into_iter().map(|(id, name)| {
                                let selected = authority.get_untracked() == id;
                                view! { <option value=id selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                })}
            </div>
            {choose_authority.then(|| view! { <p><a href="/kantoor/handhaving">{ENFORCEMENT_LINK}</a></p> })}
            {move || session.user().is_some_and(|u| matches!(u.role, Role::Manager | Role::Admin)).then(|| view! {
                <p><a href="/kantoor/programma">{PROGRAMME_LINK}</a></p>
            })}
            <AnnualReport year=year authority=authority/>
            <DrillPanel year=year months=months authority=authority/>
            {move || match data.get() {
                None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(r)) => view! { <Figures r=r/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Figures(r: Realisation) -> impl IntoView {
    // The first sentences of the annual report's summary: what was done, and the forecast.
    let sentence = report::summary(&r)
        .into_iter()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let compliance = r.compliance;
    let lhso = r.lhso.clone();
    let penalties = r.penalties;
    let violations = lhso.violations;
    view! {
        <p class="headline" data-testid="headline">{sentence}</p>
        <div class="kpis">
            <Kpi label="Uitgevoerd" value=format!("{} / {}", grouped(r.realised.count as f64, 0), grouped(r.planned.count as f64, 0))
                detail=share(r.realised.count, r.planned.count) definition=definition("realised")/>
            <Kpi label="Uren" value=format!("{} / {}", grouped(r.realised.hours, 0), grouped(r.planned.hours, 0))
                detail=share(r.realised.hours.round() as i64, r.planned.hours.round() as i64) definition=definition("planned")/>
            <Kpi label="Prognose eind van het jaar" value=r.forecast.map_or("-".to_owned(), |f| grouped(f.count as f64, 0))
                detail=r.forecast.map_or(String::new(), |f| share(f.count, r.planned.count)) definition=definition("forecast")/>
            <Kpi label="Naleving bij eerste controle" value=percent_nl(compliance.rate_first)
                detail=format!("{} van {} eerste controles", compliance.compliant_at_first, compliance.first_inspections) definition=definition("rate_first")
                drill="&figure=first_inspections"/>
            <Kpi label="Naleving na hercontrole" value=percent_nl(compliance.rate_after_reinspection)
                detail=format!("{} van {}", compliance.compliant_after_reinspection, compliance.first_inspections) definition=definition("rate_after_reinspection")
                drill="&figure=first_inspections"/>
        </div>

        <h2>"Voortgang over het jaar"</h2>
        <ProgressChart r=r.clone()/>
        <p class="definition">{definition("forecast")}</p>

        <h2>"Per gemeente en provincie"</h2>
        <BarsChart rows=r.by_authority.iter().map(|a| (a.name.clone(), a.planned, a.realised)).collect()/>
        <VolumeTable caption="Gepland en uitgevoerd per bevoegd gezag"
            rows=r.by_authority.iter().map(|a| (a.name.clone(), a.planned, a.realised)).collect()
            drills=r.by_authority.iter().map(|a| Some(format!("&authority_id={}", a.authority_id))).collect()/>

        <h2>"Per product"</h2>
        <VolumeTable caption="Gepland en uitgevoerd per product"
            rows=r.by_product.iter().map(|p| (p.product.clone().unwrap_or_else(|| "Buiten het programma".to_owned()), p.planned, p.realised)).collect()
            drills=r.by_product.iter().map(|p| p.product.as_deref().map(|name| format!("&product={}", String::from(js_sys::encode_uri_component(name))))).collect()/>
        <h2>"Per taakveld"</h2>
        <VolumeTable caption="Gepland en uitgevoerd per taakveld"
            rows=r.by_task_group.iter().map(|t| (report::task_group_nl(t.task_group.as_deref()).to_owned(), t.planned, t.realised)).collect()
            drills=r.by_task_group.iter().map(|t| t.task_group.as_ref().map(|g| format!("&task_group={g}"))).collect()/>
        <p class="definition">{definition("realised")}</p>

        <h2>"Speerpunten"</h2>
        {if r.by_focus_point.is_empty() {
            view! { <p class="muted">"Het programma van dit jaar heeft geen speerpunten."</p> }.into_any()
        } else {
            view! {
                <table class="figures" data-testid="focus-table">
                    <caption>"Speerpunten: indicator tegen streefwaarde"</caption>
                    <thead><tr>
                        <th scope="col">"Speerpunt"</th><th scope="col">"Indicator"</th>
                        <th scope="col" class="num">"Streefwaarde"</th><th scope="col" class="num">"Gemeten"</th>
                        <th scope="col">"Oordeel"</th>
                        <th scope="col" class="num">"Gepland"</th><th scope="col" class="num">"Uitgevoerd"</th>
                    </tr></thead>
                    <tbody>
                        {r.by_focus_point.iter().map(|f| view! {
                            <tr>
                                <th scope="row">{f.title.clone()}
                                    {(!f.goal.is_empty()).then(|| view! { <div class="muted">{f.goal.clone()}</div> })}</th>
                                <td>{f.measure.label_nl()}</td>
                                <td class="num">{report::target_nl(f.target_percent)}</td>
                                <td class="num">{percent_nl(f.value_percent)}</td>
                                <td class=match f.met { Some(true) => "met", Some(false) => "not-met", None => "" }>{match f.met {
                                    Some(true) => "Gehaald",
                                    Some(false) => "Niet gehaald",
                                    None => "Nog niet te meten",
                                }}</td>
                                <td class="num">{grouped(f.planned.count as f64, 0)}</td>
                                <td class="num">{grouped(f.realised.count as f64, 0)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <p class="definition">{definition("focus_points")}</p>

        <h2>"Overtredingen (LHSO)"</h2>
        <div class="kpis">
            <Kpi label="Overtredingen" value=grouped(violations as f64, 0)
                detail=format!("bij {} controles", lhso.inspections_with_violations) definition=""
                drill="&figure=with_violations"/>
            <Kpi label="Recidive" value=percent_nl(lhso.repeat_offence_rate)
                detail=format!("{} van {}", lhso.repeat_offences, violations) definition=definition("repeat_offence_rate")
                drill="&figure=repeat_offence"/>
            <Kpi label="Afwijking van de voorgestelde cel" value=percent_nl(lhso.deviation_rate)
                detail=format!("{} van {}", lhso.deviations, violations) definition=definition("deviation_rate")
                drill="&figure=deviation"/>
            <Kpi label="BOA-aandeel" value=percent_nl(lhso.boa_share)
                detail=format!("indicatie {}-{} %", report::BOA_INDICATION_PERCENT.0, report::BOA_INDICATION_PERCENT.1) definition=definition("boa_share")
                drill="&figure=boa"/>
        </div>
        <div class="lhso-grids">
            <LhsoGrid caption="Alle overtredingen" cells=lhso.all_violations.clone() testid="lhso-all" heaviest=false/>
            <LhsoGrid caption="Zwaarste per controle" cells=lhso.heaviest_per_inspection.clone() testid="lhso-heaviest" heaviest=true/>
        </div>
        <p class="definition">{definition("all_violations")}" "{definition("heaviest_per_inspection")}</p>

        <h2>"Interventies"</h2>
        <table class="figures">
            <caption>"Gekozen interventie per overtreding"</caption>
            <thead><tr><th scope="col">"Interventie"</th><th scope="col" class="num">"Aantal"</th><th scope="col" class="num">"Aandeel"</th></tr></thead>
            <tbody>
                {r.interventions.iter().map(|i| view! {
                    <tr><th scope="row"><DrillName name=strings::intervention_label(i.intervention).to_owned()
                        query=format!("&intervention={}", i.intervention.as_str())/></th>
                        <td class="num">{grouped(i.count as f64, 0)}</td>
                        <td class="num">{share(i.count, violations)}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        <p class="definition">{definition("interventions")}</p>

        <h2>"Dwangsommen"</h2>
        <table class="figures">
            <caption>"Verbeurd en ingevorderd in de periode"</caption>
            <thead><tr><th scope="col">""</th><th scope="col" class="num">"Aantal"</th><th scope="col" class="num">"Bedrag"</th></tr></thead>
            <tbody>
                <tr><th scope="row"><PenaltyDrill kind=report::PenaltyKind::Forfeited/></th><td class="num">{penalties.forfeited_count}</td><td class="num">{euros(penalties.forfeited_cents)}</td></tr>
                <tr><th scope="row"><PenaltyDrill kind=report::PenaltyKind::Collected/></th><td class="num">{penalties.collected_count}</td><td class="num">{euros(penalties.collected_cents)}</td></tr>
            </tbody>
        </table>
        <p class="definition">{definition("penalties")}</p>
    }
}

#[component]
fn Kpi(
    label: &'static str,
    value: String,
    detail: String,
    definition: &'static str,
    /// The drill-down query of the inspections the figure counts.
    #[prop(optional)]
    drill: Option<&'static str>,
) -> impl IntoView {
    let opener = use_context::<Drill>();
    view! {
        <div class="kpi">
            <div class="kpi-label">{label}</div>
            <div class="kpi-value">{value}</div>
            <div class="kpi-detail">{detail}</div>
            {drill.zip(opener).map(|(query, d)| view! {
                <button class="link drill" aria-label=format!("{SHOW}: {label}") title=OPEN_DRILL
                    on:click=move |_| d.open(label.to_owned(), query.to_owned())>{SHOW}</button>
            })}
            {(!definition.is_empty()).then(|| view! { <details><summary>"Definitie"</summary><p>{definition}</p></details> })}
        </div>
    }
}

/// The name of a penalty figure, opening the penalty steps behind it.
#[component]
fn PenaltyDrill(kind: report::PenaltyKind) -> impl IntoView {
    let name = penalty_label(kind);
    match use_context::<Drill>() {
        Some(d) => view! {
            <button class="link drill" title=OPEN_PENALTIES data-testid=format!("penalty-drill-{}", name.to_lowercase())
                on:click=move |_| d.0.set(Some((name.to_owned(), DrillTarget::Penalties(kind))))>{name}</button>
        }
        .into_any(),
        None => view! { <span>{name}</span> }.into_any(),
    }
}

/// A row's name that opens the inspections behind the row.
#[component]
fn DrillName(name: String, query: String) -> impl IntoView {
    let drill = use_context::<Drill>();
    match drill {
        Some(d) => {
            let label = name.clone();
            view! {
                <button class="link drill" title=OPEN_DRILL on:click=move |_| d.open(label.clone(), query.clone())>{name}</button>
            }
            .into_any()
        }
        None => view! { <span>{name}</span> }.into_any(),
    }
}

#[component]
fn VolumeTable(
    caption: &'static str,
    rows: Vec<(String, Volume, Volume)>,
    #[prop(optional)] drills: Vec<Option<String>>,
) -> impl IntoView {
    view! {
        <table class="figures">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">""</th>
                <th scope="col" class="num">"Gepland"</th><th scope="col" class="num">"Uitgevoerd"</th><th scope="col" class="num">"%"</th>
                <th scope="col" class="num">"Uren gepland"</th><th scope="col" class="num">"Uren uitgevoerd"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().enumerate().map(|(i, (name, p, r))| {
                    let query = drills.get(i).cloned().flatten();
                    view! {
                    <tr>
                        <th scope="row">{match query {
                            Some(q) => view! { <DrillName name=name query=q/> }.into_any(),
                            None => view! { <span>{name}</span> }.into_any(),
                        }}</th>
                        <td class="num">{grouped(p.count as f64, 0)}</td>
                        <td class="num">{grouped(r.count as f64, 0)}</td>
                        <td class="num">{share(r.count, p.count)}</td>
                        <td class="num">{grouped(p.hours, 1)}</td>
                        <td class="num">{grouped(r.hours, 1)}</td>
                    </tr>
                }}).collect_view()}
            </tbody>
        </table>
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// Cumulative realised count per month against the planned count spread over the year.
#[component]
fn ProgressChart(r: Realisation) -> impl IntoView {
    let (w, h, left, bottom, top) = (640.0, 240.0, 48.0, 28.0, 12.0);
    let max = r
        .progress
        .iter()
        .map(|p| p.planned.max(p.realised.unwrap_or(0) as f64))
        .fold(1.0, f64::max)
        .max(r.forecast.map_or(0.0, |f| f.count as f64));
    let x = move |month: f64| left + (w - left - 8.0) * month / 12.0;
    let y = move |value: f64| top + (h - top - bottom) * (1.0 - value / max);
    let polyline = |points: Vec<(f64, f64)>| {
        points
            .into_iter()
            .map(|(m, v)| format!("{},{}", x(m), y(v)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let planned = polyline(
        std::iter::once((0.0, 0.0))
            .chain(r.progress.iter().map(|p| (f64::from(p.month), p.planned)))
            .collect(),
    );
    let realised = polyline(report::realised_curve(&r));
    let forecast =
        report::forecast_segment(&r).map(|((m1, v1), (m2, v2))| (x(m1), y(v1), x(m2), y(v2)));
    let ticks: Vec<f64> = (0..=4).map(|i| max * f64::from(i) / 4.0).collect();
    let label = format!(
        "Voortgang {}: {} van {} geplande controles uitgevoerd",
        r.year, r.realised.count, r.planned.count
    );
    let aria = label.clone();
    view! {
        <figure class="chart" data-testid="progress-chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=aria>
                <title>{label}</title>
                {ticks.into_iter().map(|t| view! {
                    <line x1=left x2=w - 8.0 y1=y(t) y2=y(t) class="grid"/>
                    <text x=left - 6.0 y=y(t) + 4.0 text-anchor="end" class="axis">{grouped(t, 0)}</text>
                }).collect_view()}
                {MONTHS.iter().enumerate().map(|(i, m)| view! {
                    <text x=x(i as f64 + 1.0) y=h - 8.0 text-anchor="end" class="axis">{*m}</text>
                }).collect_view()}
                <polyline points=planned class="planned"/>
                <polyline points=realised class="realised"/>
                {forecast.map(|(x1, y1, x2, y2)| view! { <line x1=x1 y1=y1 x2=x2 y2=y2 class="forecast"/> })}
            </svg>
            <figcaption>
                <span class="swatch planned"></span>"Gepland (gelijk verdeeld over het jaar) "
                <span class="swatch realised"></span>"Uitgevoerd "
                <span class="swatch forecast"></span>"Prognose"
            </figcaption>
        </figure>
    }
}

/// Planned and realised count side by side per row.
#[component]
fn BarsChart(rows: Vec<(String, Volume, Volume)>) -> impl IntoView {
    let (w, row_h, label_w) = (640.0, 30.0, 170.0);
    let h = row_h * rows.len().max(1) as f64 + 8.0;
    let max = rows
        .iter()
        .map(|(_, p, r)| p.count.max(r.count))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let bar = move |count: i64| (w - label_w - 60.0) * count as f64 / max;
    view! {
        <figure class="chart" data-testid="authority-chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label="Gepland en uitgevoerd per bevoegd gezag">
                <title>"Gepland en uitgevoerd per bevoegd gezag"</title>
                {rows.into_iter().enumerate().map(|(i, (name, p, r))| {
                    let top = 4.0 + row_h * i as f64;
                    view! {
                        <text x=label_w - 8.0 y=top + 18.0 text-anchor="end" class="axis">{name}</text>
                        <rect x=label_w y=top + 3.0 width=bar(p.count) height=10.0 class="planned"/>
                        <rect x=label_w y=top + 14.0 width=bar(r.count) height=10.0 class="realised"/>
                        <text x=label_w + bar(p.count.max(r.count)) + 6.0 y=top + 22.0 class="axis">
                            {format!("{} / {}", grouped(r.count as f64, 0), grouped(p.count as f64, 0))}
                        </text>
                    }
                }).collect_view()}
            </svg>
            <figcaption>
                <span class="swatch planned"></span>"Gepland "
                <span class="swatch realised"></span>"Uitgevoerd"
            </figcaption>
        </figure>
    }
}

/// The 4 x 4 LHSO matrix with the count in every cell, shaded by its share.
#[component]
fn LhsoGrid(
    caption: &'static str,
    cells: Vec<CellCount>,
    testid: &'static str,
    heaviest: bool,
) -> impl IntoView {
    let drill = use_context::<Drill>();
    let total: i64 = cells.iter().map(|c| c.count).sum();
    let max = cells.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let count = move |cell: LhsoCell| cells.iter().find(|c| c.cell == cell).map_or(0, |c| c.count);
    view! {
        <table class="lhso-grid" data-testid=testid>
            <caption>{format!("{caption} ({})", grouped(total as f64, 0))}</caption>
            <thead><tr>
                <th scope="col" class="corner">"Gevolg / gedrag"</th>
                {Behaviour::ALL.into_iter().map(|b| view! { <th scope="col">{b.letter().to_string()}</th> }).collect_view()}
            </tr></thead>
            <tbody>
                {Consequence::ALL.into_iter().rev().map(|c| view! {
                    <tr>
                        <th scope="row">{c.digit()}</th>
                        {Behaviour::ALL.into_iter().map(|b| {
                            let n = count(LhsoCell::new(c, b));
                            // Five shades; the darkest two carry white text for contrast.
                            let level = if n == 0 { 0 } else { 1 + (n * 4 / max).min(3) };
                            let cell = format!("{}{}", b.letter(), c.digit());
                            let query = format!("&cell={cell}{}", if heaviest { "&heaviest=true" } else { "" });
                            let label = format!("{caption}, cel {cell}");
                            view! { <td class=format!("heat-{level}")>{match (n, drill) {
                                (n, Some(d)) if n > 0 => view! {
                                    <button class="cell-drill" aria-label=format!("{label}: {n}") on:click=move |_| d.open(label.clone(), query.clone())>{n}</button>
                                }.into_any(),
                                _ => view! { <span title=cell>{n}</span> }.into_any(),
                            }}</td> }
                        }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
