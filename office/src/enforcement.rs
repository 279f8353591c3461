//! `/kantoor/handhaving` (team lead, manager): the open enforcement cases, soonest re-inspection
//! first, each with what was found, where the case stands and the step the machine proposes next;
//! the office steps (letter, intention, response, decision, forfeiture, collection, the criminal
//! route) are recorded here, online. The server applies the shared machine: a step it does not
//! allow is refused with a Dutch message and changes nothing.

use leptos::prelude::*;
use leptos::task::spawn_local;

use shared::enforcement::{CaseList, EnforcementCase, Sanction, Step, StepRequest};
use shared::nl::parse_euro_cents;
use shared::Role;

use app::api;
use app::pages::guard::RequireRole;
use app::session::use_session;
use app::{strings, util};

const TITLE: &str = "Handhaving: openstaande zaken";
const INTRO: &str = "Zaken met de vroegste hercontrole eerst. Leg hier de stappen van het kantoor vast; hercontroles gebeuren op de tablet.";
const NONE_OPEN: &str = "Geen openstaande handhavingszaken.";
const NONE: &str = "Geen handhavingszaken.";
const SHOW_CLOSED: &str = "Ook afgeronde zaken tonen (gesloten en ingevorderd)";
const RECORD: &str = "Stap vastleggen";
const STEP: &str = "Stap";
const ON: &str = "Datum van de stap";
const DEADLINE: &str = "Termijn tot (leeg: standaardtermijn)";
const AMOUNT: &str = "Bedrag in euro";
const NOTE: &str = "Toelichting (optioneel)";
const SAVE: &str = "Vastleggen";
const AMOUNT_INVALID: &str = "Vul een bedrag in euro in, bijvoorbeeld 2.500,00.";
const DATE_INVALID: &str = "Vul een geldige datum in.";
const SAVED: &str = "Vastgelegd.";
const DUE: &str = "Hercontrole vanaf";
const STEPS: &str = "Verloop";

/// The office steps, as (wire name, Dutch label, needs an amount, sets a deadline).
const OFFICE_STEPS: &[(&str, &str, bool, bool)] = &[
    (
        "letter_sent",
        "Brief met hersteltermijn verstuurd",
        false,
        true,
    ),
    (
        "intention_penalty",
        "Voornemen last onder dwangsom verstuurd",
        false,
        true,
    ),
    (
        "intention_enforcement",
        "Voornemen last onder bestuursdwang verstuurd",
        false,
        true,
    ),
    ("response_received", "Zienswijze ontvangen", false, false),
    (
        "decision_taken",
        "Besluit genomen (begunstigingstermijn)",
        true,
        true,
    ),
    (
        "acute_harm",
        "Acuut gevaar: direct bestuursdwang",
        false,
        false,
    ),
    ("forfeited", "Dwangsom verbeurd (bedrag)", true, false),
    ("collected", "Bedrag ingevorderd", true, false),
    ("official_report", "Proces-verbaal opgemaakt", false, false),
    (
        "referred_to_prosecutor",
        "Doorgestuurd naar het OM",
        false,
        false,
    ),
];

fn step_label(wire: &str) -> &'static str {
    match wire {
        "opened" => "Geconstateerd",
        "remedied" => "Hercontrole: hersteld",
        "not_remedied" => "Hercontrole: niet hersteld",
        "intention_sent" => "Voornemen verstuurd",
        other => OFFICE_STEPS
            .iter()
            .find(|s| s.0 == other)
            .map_or("Stap", |s| s.1),
    }
}

/// The step a form describes; `None` when the amount does not read as euros.
fn build_step(
    kind: &str,
    deadline: Option<chrono::NaiveDate>,
    amount: Option<i64>,
) -> Option<Step> {
    Some(match kind {
        "letter_sent" => Step::LetterSent {
            remedy_deadline: deadline,
        },
        "intention_penalty" => Step::IntentionSent {
            sanction: Sanction::PenaltyOrder,
            response_deadline: deadline,
        },
        "intention_enforcement" => Step::IntentionSent {
            sanction: Sanction::EnforcementOrder,
            response_deadline: deadline,
        },
        "response_received" => Step::ResponseReceived,
        "decision_taken" => Step::DecisionTaken {
            grace_deadline: deadline,
            amount_cents: amount,
        },
        "acute_harm" => Step::AcuteHarm,
        "forfeited" => Step::Forfeited {
            amount_cents: amount?,
        },
        "collected" => Step::Collected {
            amount_cents: amount?,
        },
        "official_report" => Step::OfficialReport,
        _ => Step::ReferredToProsecutor,
    })
}

#[component]
pub fn EnforcementPage() -> impl IntoView {
    view! { <RequireRole role=Role::TeamLead also=Role::Manager><Cases/></RequireRole> }
}

#[component]
fn Cases() -> impl IntoView {
    let session = use_session();
    let refresh = RwSignal::new(0u32);
    let closed_too = RwSignal::new(false);
    let data = LocalResource::new(move || {
        refresh.track();
        let online = session.online.get();
        let token = session.token();
        let open_only = !closed_too.get();
        async move {
            if !online {
                return Err(strings::TEAM_ONLINE_ONLY.to_owned());
            }
            let token = token.ok_or_else(|| strings::LOGIN_NEEDS_NETWORK.to_owned())?;
            let path = format!("/api/v1/enforcement/cases?open={open_only}");
            api::get::<CaseList>(&path, Some(&token))
                .await
                .map(|l| l.cases)
                .map_err(|f| f.user_message())
        }
    });
    view! {
        <section class="enforcement" data-testid="enforcement">
            <h1>{TITLE}</h1>
            <p class="muted">{INTRO}</p>
            <p><a href="/kantoor/team">{strings::TEAM_SYNC_TITLE}</a></p>
            <button class="secondary" on:click=move |_| refresh.update(|r| *r += 1)>{strings::REFRESH}</button>
            <label class="check">
                <input type="checkbox" data-testid="show-closed" prop:checked=move || closed_too.get()
                    on:change=move |ev| closed_too.set(event_target_checked(&ev))/>
                {SHOW_CLOSED}
            </label>
            {move || match data.get() {
                None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(cases)) if cases.is_empty() => view! {
                    <p class="muted">{if closed_too.get_untracked() { NONE } else { NONE_OPEN }}</p>
                }.into_any(),
                Some(Ok(cases)) => view! {
                    <ul class="cases">
                        {cases.into_iter().map(|c| view! { <CaseCard c=c refresh=refresh/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CaseCard(c: EnforcementCase, refresh: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let open = RwSignal::new(false);
    let kind = RwSignal::new(OFFICE_STEPS[0].0.to_owned());
    let on = RwSignal::new(util::today().to_string());
    let deadline = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let (id, version) = (c.id, c.version);
    let facts = format!(
        "{} {} · {} {} · {}",
        strings::FOUND_ON,
        strings::date_nl(c.found_on),
        strings::LHSO_CELL,
        c.cell,
        strings::intervention_label(c.intervention),
    );
    let due = c
        .reinspection_due
        .map(|d| format!("{DUE} {}", strings::date_nl(d)));
    let next = c.next.map(|n| strings::next_step_label(n.step, n.deadline));
    let needs = move |i: usize| {
        kind.with(|k| {
            OFFICE_STEPS
                .iter()
                .find(|s| s.0 == k)
                .is_some_and(|s| if i == 0 { s.2 } else { s.3 })
        })
    };
    let save = move |_| {
        message.set(None);
        let Ok(on_date) = on.get_untracked().parse::<chrono::NaiveDate>() else {
            message.set(Some((false, DATE_INVALID.to_owned())));
            return;
        };
        let deadline_text = deadline.get_untracked();
        let deadline_date = if deadline_text.trim().is_empty() {
            None
        } else {
            match deadline_text.parse::<chrono::NaiveDate>() {
                Ok(d) => Some(d),
                Err(_) => {
                    message.set(Some((false, DATE_INVALID.to_owned())));
                    return;
                }
            }
        };
        let amount_text = amount.get_untracked();
        let cents = if amount_text.trim().is_empty() {
            None
        } else {
            parse_euro_cents(&amount_text)
        };
        if !amount_text.trim().is_empty() && cents.is_none() {
            message.set(Some((false, AMOUNT_INVALID.to_owned())));
            return;
        }
        let Some(step) = build_step(&kind.get_untracked(), deadline_date, cents) else {
            message.set(Some((false, AMOUNT_INVALID.to_owned())));
            return;
        };
        let text = note.get_untracked();
        let request = StepRequest {
            base_version: version,
            step,
            on: Some(on_date),
            note: Some(text).filter(|t| !t.trim().is_empty()),
        };
        let token = session.token();
        spawn_local(async move {
            let result: Result<EnforcementCase, _> = api::post(
                &format!("/api/v1/enforcement/cases/{id}/steps"),
                &request,
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
    let steps = c.steps.clone();
    view! {
        <li class="card case" data-testid="office-case" data-case-id=c.id.to_string() data-state=c.state.as_str()>
            <h2>{c.site_name.clone()}</h2>
            <p><strong>{c.description.clone()}</strong></p>
            <p class="muted">{c.rule_ref.clone()}</p>
            <p class="muted">{facts}</p>
            <p data-testid="office-case-state"><strong>{strings::case_state_label(c.state)}</strong>
                {due.map(|d| format!(" · {d}"))}</p>
            {next.map(|n| view! { <p data-testid="office-case-next">{n}</p> })}
            <details>
                <summary>{STEPS}</summary>
                <ol class="steps">
                    {steps.into_iter().map(|s| view! {
                        <li>{strings::date_nl(s.on)}" · "{step_label(s.step.as_str())}
                            {s.amount_cents.map(|a| format!(" · € {}", shared::nl::grouped(a as f64 / 100.0, 2)))}
                            {s.note.map(|n| format!(" · {n}"))}</li>
                    }).collect_view()}
                </ol>
            </details>
            <Show when=move || !open.get()>
                <button class="secondary" data-testid="office-step-open" on:click=move |_| open.set(true)>{RECORD}</button>
            </Show>
            <Show when=move || open.get()>
                <div class="step-form" data-testid="office-step-form">
                    <label for=format!("step-{id}")>{STEP}</label>
                    <select id=format!("step-{id}") data-testid="office-step-kind"
                        on:change=move |ev| kind.set(event_target_value(&ev))>
                        {OFFICE_STEPS.iter().map(|s| view! { <option value=s.0>{s.1}</option> }).collect_view()}
                    </select>
                    <label for=format!("on-{id}")>{ON}</label>
                    <input id=format!("on-{id}") type="date" data-testid="office-step-on"
                        prop:value=move || on.get() on:change=move |ev| on.set(event_target_value(&ev))/>
                    <Show when=move || needs(1)>
                        <label for=format!("deadline-{id}")>{DEADLINE}</label>
                        <input id=format!("deadline-{id}") type="date" data-testid="office-step-deadline"
                            prop:value=move || deadline.get() on:change=move |ev| deadline.set(event_target_value(&ev))/>
                    </Show>
                    <Show when=move || needs(0)>
                        <label for=format!("amount-{id}")>{AMOUNT}</label>
                        <input id=format!("amount-{id}") inputmode="decimal" data-testid="office-step-amount"
                            prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                    </Show>
                    <label for=format!("note-{id}")>{NOTE}</label>
                    <textarea id=format!("note-{id}") rows="2" prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    <div class="row">
                        <button class="primary" data-testid="office-step-save" on:click=save>{SAVE}</button>
                        <button on:click=move |_| open.set(false)>{strings::CANCEL}</button>
                    </div>
                </div>
            </Show>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "ok" } else { "error" } role="alert" data-testid="office-step-message">{text}</p>
            })}
        </li>
    }
}
