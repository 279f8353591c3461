//! `/kantoor/gelijke-behandeling` (team lead, manager): equal treatment. For each LHSO cell over a
//! chosen period, a table and a stacked-bar chart of the interventions each inspector chose against
//! the team, with deviation rates and remedy periods; outliers by the stated rule of
//! `shared::equal_treatment` are marked; each count drills down to the cases (and their visits).

use leptos::prelude::*;
use leptos::task::spawn_local;

use shared::equal_treatment::{
    CellFigures, Chosen, EqualTreatment, EqualTreatmentCases, InspectorFigures, MIN_CASES,
};
use shared::lhso::Intervention;
use shared::Role;

use app::api;
use app::pages::guard::RequireRole;
use app::session::use_session;
use app::{strings, util};

const TITLE: &str = "Gelijke behandeling";
const FROM: &str = "Van";
const TO: &str = "Tot en met";
const NONE: &str = "Geen beoordeelde overtredingen in deze periode.";
const CELL: &str = "Cel";
const CASES: &str = "zaken";
const TYPICAL: &str = "gebruikelijke interventie in het team";
const INSPECTOR: &str = "Inspecteur";
const COUNT: &str = "Zaken";
const CHOSEN: &str = "Gekozen interventies";
const DEVIATION: &str = "Afwijking voorgestelde cel";
const REMEDY: &str = "Gem. hersteltermijn";
const LIGHTER: &str = "Lichter";
const HEAVIER: &str = "Zwaarder";
const TEAM: &str = "Team";
const LIGHTER_FLAG: &str = "Opvallend vaak lichter";
const HEAVIER_FLAG: &str = "Opvallend vaak zwaarder";
const DAYS: &str = "dagen";
const SHOW_CASES: &str = "Toon de zaken";
const CASES_OF: &str = "Zaken";
const DATE: &str = "Datum";
const SITE: &str = "Bedrijf";
const SUGGESTED: &str = "Voorgestelde cel";
const OPEN_VISIT: &str = "Bezoek openen";

/// The stated rule, as the page says it.
fn rule() -> String {
    format!(
        "Regel: een inspecteur met minstens {MIN_CASES} zaken in een cel valt op als hij of zij in meer dan de helft daarvan een lichtere (of zwaardere) interventie koos dan de gebruikelijke in het team (de middelste van alle keuzes in die cel)."
    )
}

#[component]
pub fn EqualTreatmentPage() -> impl IntoView {
    view! { <RequireRole role=Role::TeamLead also=Role::Manager><Figures/></RequireRole> }
}

fn percent(share: f64) -> String {
    format!("{} %", util::number_nl(share * 100.0, 0))
}

#[component]
fn Figures() -> impl IntoView {
    let session = use_session();
    let to = RwSignal::new(util::today());
    let from = RwSignal::new(util::today() - chrono::Days::new(3 * 365));
    let data = LocalResource::new(move || {
        let (f, t) = (from.get(), to.get());
        let token = session.token();
        async move {
            api::get::<EqualTreatment>(
                &format!("/api/v1/reports/equal-treatment?from={f}&to={t}"),
                token.as_deref(),
            )
            .await
            .map_err(|e| e.user_message())
        }
    });
    let date_input = |label: &'static str, value: RwSignal<chrono::NaiveDate>, id: &'static str| {
        view! {
            <label>{label}
                <input type="date" data-testid=id prop:value=move || value.get().to_string()
                    on:change=move |ev| { if let Ok(d) = event_target_value(&ev).parse() { value.set(d) } }/>
            </label>
        }
    };
    view! {
        <section class="equal-treatment" data-testid="equal-treatment">
            <h1>{TITLE}</h1>
            <p class="muted" data-testid="equal-rule">{rule()}</p>
            <div class="filters">
                {date_input(FROM, from, "equal-from")}
                {date_input(TO, to, "equal-to")}
            </div>
            {move || match data.get() {
                None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(figures)) if figures.cells.is_empty() => view! { <p class="muted">{NONE}</p> }.into_any(),
                Some(Ok(figures)) => {
                    let period = (figures.from, figures.to);
                    figures.cells.into_iter()
                        .map(|c| view! { <Cell c=c period=period/> })
                        .collect_view()
                        .into_any()
                }
            }}
        </section>
    }
}

/// The colour of an intervention in the bars: greens for the light ones, ambers to reds for the
/// administrative sanctions, dark blues for the criminal route; neighbours differ clearly.
fn shade(i: Intervention) -> &'static str {
    const PALETTE: [&str; 14] = [
        "#cfe8d5", "#8fcf9f", "#4f9e63", "#2e6b3f", "#f3d37a", "#e9a23b", "#c96a1b", "#b3471d",
        "#8e2c16", "#7a1f3d", "#5c1330", "#3f2a6b", "#2b2b8b", "#111144",
    ];
    let rank = Intervention::ALL.iter().position(|x| *x == i).unwrap_or(0);
    PALETTE[rank.min(PALETTE.len() - 1)]
}

/// A stacked bar of the interventions chosen, in severity order.
fn bar(chosen: &[Chosen]) -> impl IntoView {
    let total: usize = chosen.iter().map(|c| c.count).sum();
    let label = chosen
        .iter()
        .map(|c| format!("{}: {}", c.intervention.label_nl(), c.count))
        .collect::<Vec<_>>()
        .join(", ");
    let mut x = 0.0;
    let parts: Vec<(f64, f64, &'static str, String)> = chosen
        .iter()
        .map(|c| {
            let w = if total == 0 {
                0.0
            } else {
                200.0 * c.count as f64 / total as f64
            };
            let part = (
                x,
                w,
                shade(c.intervention),
                format!("{}: {}", c.intervention.label_nl(), c.count),
            );
            x += w;
            part
        })
        .collect();
    view! {
        <svg class="stack" viewBox="0 0 200 16" width="200" height="16" preserveAspectRatio="none" role="img" aria-label=label>
            {parts.into_iter().map(|(x, w, fill, title)| view! {
                <rect x=x y="0" width=w height="16" fill=fill stroke="#fff" stroke-width="1"><title>{title}</title></rect>
            }).collect_view()}
        </svg>
    }
}

#[component]
fn Cell(c: CellFigures, period: (chrono::NaiveDate, chrono::NaiveDate)) -> impl IntoView {
    let drill = RwSignal::new(None::<(Option<String>, String)>);
    let cell = c.cell.clone();
    let legend: Vec<Intervention> = c.interventions.iter().map(|x| x.intervention).collect();
    let team_row = view! {
        <tr class="team-row">
            <th scope="row">{TEAM}</th>
            <td class="num">
                <button class="link" data-testid="equal-drill-team" on:click={
                    let cell = cell.clone();
                    move |_| drill.set(Some((None, cell.clone())))
                }>{c.cases}</button>
            </td>
            <td>{bar(&c.interventions)}</td>
            <td class="num">{percent(c.deviation_rate)}</td>
            <td class="num">{c.mean_remedy_days.map(|d| format!("{} {DAYS}", util::number_nl(d, 0))).unwrap_or_else(|| "–".into())}</td>
            <td></td><td></td>
        </tr>
    };
    view! {
        <section class="card cell-figures" data-testid="equal-cell" data-cell=c.cell.clone()>
            <h2>{CELL}" "{c.cell.clone()}<span class="muted">{format!(" · {} {CASES} · {TYPICAL}: {}", c.cases, c.typical.label_nl())}</span></h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label=format!("{CELL} {}", c.cell)>
                <table class="figures equal">
                    <thead><tr>
                        <th scope="col">{INSPECTOR}</th><th scope="col" class="num">{COUNT}</th>
                        <th scope="col">{CHOSEN}</th><th scope="col" class="num">{DEVIATION}</th>
                        <th scope="col" class="num">{REMEDY}</th><th scope="col" class="num">{LIGHTER}</th>
                        <th scope="col" class="num">{HEAVIER}</th>
                    </tr></thead>
                    <tbody>
                        {team_row}
                        {c.inspectors.into_iter().map(|i| view! { <InspectorRow i=i cell=cell.clone() drill=drill/> }).collect_view()}
                    </tbody>
                </table>
            </div>
            <ul class="legend">
                {legend.into_iter().map(|i| view! {
                    <li><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill=shade(i)/></svg>{i.label_nl()}</li>
                }).collect_view()}
            </ul>
            {move || drill.get().map(|(inspector, cell)| view! { <Cases period=period cell=cell inspector=inspector/> })}
        </section>
    }
}

#[component]
fn InspectorRow(
    i: InspectorFigures,
    cell: String,
    drill: RwSignal<Option<(Option<String>, String)>>,
) -> impl IntoView {
    let flag = match (i.lighter_outlier, i.heavier_outlier) {
        (true, _) => Some(("lighter", LIGHTER_FLAG)),
        (_, true) => Some(("heavier", HEAVIER_FLAG)),
        _ => None,
    };
    let id = i.inspector_id.clone();
    view! {
        <tr class=flag.map(|(k, _)| format!("outlier {k}")).unwrap_or_default()
            data-testid="equal-inspector" data-inspector-id=i.inspector_id.clone()
            data-outlier=flag.map(|(k, _)| k).unwrap_or("none")>
            <th scope="row">{i.name.clone()}
                {flag.map(|(_, text)| view! { " " <span class="tag outlier-flag">{text}</span> })}</th>
            <td class="num">
                <button class="link" data-testid="equal-drill" aria-label=format!("{} · {SHOW_CASES}: {}", i.cases, i.name)
                    on:click=move |_| drill.set(Some((Some(id.clone()), cell.clone())))>{i.cases}</button>
            </td>
            <td>{bar(&i.interventions)}</td>
            <td class="num">{percent(i.deviation_rate)}</td>
            <td class="num">{i.mean_remedy_days.map(|d| format!("{} {DAYS}", util::number_nl(d, 0))).unwrap_or_else(|| "–".into())}</td>
            <td class="num">{i.lighter}</td>
            <td class="num">{i.heavier}</td>
        </tr>
    }
}

/// The cases behind a figure, with a link to each visit.
#[component]
fn Cases(
    period: (chrono::NaiveDate, chrono::NaiveDate),
    cell: String,
    inspector: Option<String>,
) -> impl IntoView {
    let session = use_session();
    let cases = RwSignal::new(None::<Result<EqualTreatmentCases, String>>);
    let path = format!(
        "/api/v1/reports/equal-treatment/cases?from={}&to={}&cell={cell}{}",
        period.0,
        period.1,
        inspector
            .as_deref()
            .map(|i| format!("&inspector_id={i}"))
            .unwrap_or_default()
    );
    let token = session.token();
    spawn_local(async move {
        let answer = api::get(&path, token.as_deref())
            .await
            .map_err(|e| e.user_message());
        cases.try_set(Some(answer));
    });
    view! {
        <div class="drill" data-testid="equal-cases">
            <h3>{CASES_OF}" · "{CELL}" "{cell.clone()}</h3>
            {move || match cases.get() {
                None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="figures">
                        <thead><tr>
                            <th scope="col">{DATE}</th><th scope="col">{SITE}</th><th scope="col">{INSPECTOR}</th>
                            <th scope="col">{SUGGESTED}</th><th scope="col">{CHOSEN}</th><th scope="col"></th>
                        </tr></thead>
                        <tbody>
                            {list.cases.into_iter().map(|c| view! {
                                <tr data-testid="equal-case">
                                    <td class="date">{strings::date_nl(c.inspected_on)}</td>
                                    <td>{c.site_name.clone()}</td>
                                    <td>{c.inspector_name.clone()}</td>
                                    <td>{c.suggested_cell.clone()}</td>
                                    <td>{c.intervention.label_nl()}</td>
                                    <td>{c.visit_id.clone().map(|v| view! { <a href=format!("/kantoor/beoordelen/{v}")>{OPEN_VISIT}</a> })}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </div>
    }
}
