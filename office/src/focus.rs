//! The focus points (speerpunten) of a programme year on the programme page: each with its goal,
//! its outcome indicator and target; management adds them here and changes them in place (with
//! the version the server checks). Lines serve a focus point through the line form.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use shared::nl::{decimal, parse_fixed};
use shared::programme::FocusMeasure;

use app::api;

use crate::write::put_then_refresh;
use app::session::use_session;

const TITLE: &str = "Speerpunten";
const INTRO: &str = "Doelen van het jaar met een indicator die gemeten wordt op de controles van de programmaregels die het speerpunt dienen.";
const NONE: &str = "Dit jaar heeft nog geen speerpunten.";
const ADD_TITLE: &str = "Speerpunt toevoegen";
const NAME: &str = "Naam van het speerpunt";
const GOAL: &str = "Doel (maatschappelijk effect)";
const MEASURE: &str = "Indicator";
const TARGET: &str = "Streefwaarde in procent";
const ADD: &str = "Speerpunt toevoegen";
const EDIT: &str = "Wijzigen";
const SAVE: &str = "Opslaan";
const CANCEL: &str = "Annuleren";
const SAVED: &str = "Opgeslagen.";
const INVALID: &str =
    "Vul een naam in en een streefwaarde van 0 tot en met 100 (bijvoorbeeld 80 of 92,5).";

/// A focus point as `GET /api/v1/programme` lists it.
#[derive(Clone, Deserialize)]
pub struct FocusPoint {
    pub id: String,
    pub title: String,
    pub goal: String,
    pub measure: FocusMeasure,
    pub target_percent: f64,
    pub version: i64,
}

#[derive(Serialize)]
struct NewFocusPoint {
    year: i32,
    title: String,
    goal: String,
    measure: FocusMeasure,
    target_percent: f64,
}

#[derive(Serialize)]
struct FocusPointChange {
    base_version: i64,
    title: String,
    goal: String,
    measure: FocusMeasure,
    target_percent: f64,
}

fn parse_target(text: &str) -> Option<f64> {
    parse_fixed(text, 1)
        .map(|v| v as f64 / 10.0)
        .filter(|v| *v <= 100.0)
}

/// The fields of a focus point, shared by the add form and the in-place change.
#[derive(Clone, Copy)]
struct Fields {
    title: RwSignal<String>,
    goal: RwSignal<String>,
    measure: RwSignal<FocusMeasure>,
    target: RwSignal<String>,
}

impl Fields {
    fn new(f: Option<&FocusPoint>) -> Fields {
        Fields {
            title: RwSignal::new(f.map_or(String::new(), |f| f.title.clone())),
            goal: RwSignal::new(f.map_or(String::new(), |f| f.goal.clone())),
            measure: RwSignal::new(f.map_or(FocusMeasure::ComplianceFirst, |f| f.measure)),
            target: RwSignal::new(f.map_or(String::new(), |f| {
                let text = decimal(f.target_percent, 1);
                text.strip_suffix(",0").map_or(text.clone(), str::to_owned)
            })),
        }
    }

    /// (title, goal, measure, target) when valid.
    fn read(&self) -> Option<(String, String, FocusMeasure, f64)> {
        let title = self.title.get_untracked().trim().to_owned();
        let target = parse_target(&self.target.get_untracked())?;
        (!title.is_empty()).then(|| {
            (
                title,
                self.goal.get_untracked().trim().to_owned(),
                self.measure.get_untracked(),
                target,
            )
        })
    }
}

#[component]
fn FieldInputs(fields: Fields, prefix: String) -> impl IntoView {
    let id = move |name: &str| format!("{prefix}-{name}");
    view! {
        <label for=id("title")>{NAME}</label>
        <input id=id("title") maxlength="200" prop:value=move || fields.title.get()
            on:input=move |ev| fields.title.set(event_target_value(&ev))/>
        <label for=id("goal")>{GOAL}</label>
        <textarea id=id("goal") maxlength="2000" prop:value=move || fields.goal.get()
            on:input=move |ev| fields.goal.set(event_target_value(&ev))></textarea>
        <label for=id("measure")>{MEASURE}</label>
        <select id=id("measure") on:change=move |ev| {
            if let Some(m) = FocusMeasure::parse(&event_target_value(&ev)) { fields.measure.set(m) }
        }>
            {FocusMeasure::ALL.iter().map(|m| view! {
                <option value=m.as_str() selected=move || fields.measure.get() == *m>{m.label_nl()}</option>
            }).collect_view()}
        </select>
        <label for=id("target")>{TARGET}</label>
        <input id=id("target") inputmode="decimal" prop:value=move || fields.target.get()
            on:input=move |ev| fields.target.set(event_target_value(&ev))/>
    }
}

#[component]
pub fn FocusPoints(
    year: RwSignal<i32>,
    refresh: RwSignal<u32>,
    focus_points: Vec<FocusPoint>,
) -> impl IntoView {
    view! {
        <section class="focus-points" data-testid="focus-points">
            <h2>{TITLE}</h2>
            <p class="muted">{INTRO}</p>
            {if focus_points.is_empty() {
                view! { <p>{NONE}</p> }.into_any()
            } else {
                view! {
                    <ul class="focus-list">
                        {focus_points.into_iter().map(|f| view! { <FocusPointItem f=f refresh=refresh/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <NewFocusPointForm year=year refresh=refresh/>
        </section>
    }
}

#[component]
fn FocusPointItem(f: FocusPoint, refresh: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let editing = RwSignal::new(false);
    let fields = Fields::new(Some(&f));
    let message = RwSignal::new(None::<String>);
    let (id, version) = (f.id.clone(), f.version);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((title, goal, measure, target_percent)) = fields.read() else {
            message.set(Some(INVALID.to_owned()));
            return;
        };
        let body = FocusPointChange {
            base_version: version,
            title,
            goal,
            measure,
            target_percent,
        };
        put_then_refresh(
            format!("/api/v1/programme/focus-points/{id}"),
            body,
            session.token(),
            refresh,
            message,
        );
    };
    let summary = format!(
        "{}: streefwaarde {}",
        f.measure.label_nl(),
        shared::report::target_nl(f.target_percent)
    );
    let prefix = format!("fp-{}", f.id);
    let title = f.title.clone();
    view! {
        <li class="card" data-testid="focus-point">
            <h3>{f.title.clone()}</h3>
            {(!f.goal.is_empty()).then(|| view! { <p>{f.goal.clone()}</p> })}
            <p class="muted">{summary}</p>
            {move || if editing.get() {
                view! {
                    <form class="step-form" on:submit=save.clone()>
                        <FieldInputs fields=fields prefix=prefix.clone()/>
                        <button type="submit">{SAVE}</button>
                        <button type="button" class="secondary" on:click=move |_| editing.set(false)>{CANCEL}</button>
                        {move || message.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                    </form>
                }.into_any()
            } else {
                view! {
                    <button class="secondary" aria-label=format!("{EDIT}: {title}") on:click=move |_| editing.set(true)>{EDIT}</button>
                }.into_any()
            }}
        </li>
    }
}

#[component]
fn NewFocusPointForm(year: RwSignal<i32>, refresh: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let fields = Fields::new(None);
    let message = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((title, goal, measure, target_percent)) = fields.read() else {
            message.set(Some((false, INVALID.to_owned())));
            return;
        };
        let body = NewFocusPoint {
            year: year.get_untracked(),
            title,
            goal,
            measure,
            target_percent,
        };
        let token = session.token();
        spawn_local(async move {
            let result: Result<serde::de::IgnoredAny, _> =
                api::post("/api/v1/programme/focus-points", &body, token.as_deref()).await;
            match result {
                Ok(_) => {
                    message.set(Some((true, SAVED.to_owned())));
                    fields.title.set(String::new());
                    fields.goal.set(String::new());
                    fields.target.set(String::new());
                    refresh.update(|r| *r += 1);
                }
                Err(e) => message.set(Some((false, e.user_message()))),
            }
        });
    };
    view! {
        <form class="card step-form" data-testid="focus-point-new" on:submit=submit>
            <h3>{ADD_TITLE}</h3>
            <FieldInputs fields=fields prefix="fp-new".to_owned()/>
            <button type="submit">{ADD}</button>
            {move || message.get().map(|(ok, m)| view! {
                <p class=if ok { "ok" } else { "error" } role=if ok { "status" } else { "alert" }>{m}</p>
            })}
        </form>
    }
}
