//! The re-inspection of a site's open enforcement cases: what was found (item, rule, cell,
//! intervention, deadline), and per case the verdict "hersteld" or "niet hersteld", offline. Not
//! remedied shows the step the shared machine proposes next, with its deadline.

use leptos::prelude::*;

use shared::enforcement::{EscalationConfig, Step};

use super::act;
use super::photos::PhotoThumb;
use crate::actions;
use crate::components::delivery::delivery_class;
use crate::store::{Delivery, LocalCase, LocalPhoto};
use crate::{strings, util};

#[component]
pub(super) fn Reinspection(
    cases: Vec<LocalCase>,
    /// Photos of the cases' violations this device holds.
    evidence: Vec<LocalPhoto>,
    visit_id: uuid::Uuid,
    enabled: bool,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let mut evidence = evidence;
    let cases: Vec<_> = cases
        .into_iter()
        .map(|c| {
            let (photos, rest): (Vec<LocalPhoto>, Vec<LocalPhoto>) = std::mem::take(&mut evidence)
                .into_iter()
                .partition(|p| c.photo_ids.contains(&p.id));
            evidence = rest;
            view! { <Case c=c photos=photos visit_id=visit_id enabled=enabled error=error/> }
        })
        .collect();
    view! {
        <section class="card reinspection" data-testid="reinspection">
            <h2>{strings::REINSPECTION}</h2>
            <p class="muted">{strings::REINSPECTION_INTRO}</p>
            <ul class="cases">
                {cases}
            </ul>
        </section>
    }
}

#[component]
fn Case(
    c: LocalCase,
    /// Photos of this violation on the device.
    photos: Vec<LocalPhoto>,
    visit_id: uuid::Uuid,
    enabled: bool,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let today = util::today();
    let case_id = c.id;
    let verdict = c.verdict.clone().filter(|v| v.visit_id == visit_id);
    let may_fail = c.file.may_report_not_remedied(today);
    let deadline = c.file.inspection_deadline();
    let give = move |remedied: bool| {
        act(
            error,
            Box::pin(actions::record_verdict(case_id, visit_id, remedied)),
        )
    };
    let facts = format!(
        "{} {} · {} {} · {}{}",
        strings::FOUND_ON,
        strings::date_nl(c.found_on),
        strings::LHSO_CELL,
        c.cell,
        strings::intervention_label(c.intervention),
        c.reinspection_due
            .map(|d| format!(" · {} {}", strings::REINSPECTION_DUE, strings::date_nl(d)))
            .unwrap_or_default(),
    );
    let evidence = (!c.photo_ids.is_empty())
        .then(|| format!("{} {}", c.photo_ids.len(), strings::EVIDENCE_PHOTOS));
    let outcome = verdict.as_ref().map(|v| {
        let sent = c.unsent == 0;
        let text = if v.remedied {
            strings::VERDICT_REMEDIED.to_owned()
        } else {
            // What the machine proposes after "not remedied", as of the verdict's date.
            let config = EscalationConfig::default();
            let next = c
                .file
                .apply(Step::Reinspected { remedied: false }, v.on, &config)
                .ok()
                .and_then(|f| f.proposed_next(c.intervention, v.on, &config));
            match next {
                Some((step, deadline)) => format!(
                    "{} {}",
                    strings::VERDICT_NOT_REMEDIED,
                    strings::next_step_label(step, deadline)
                ),
                None => strings::VERDICT_NOT_REMEDIED.to_owned(),
            }
        };
        (v.remedied, sent, text)
    });
    view! {
        <li class="case" data-testid="case" data-case-id=c.id.to_string() data-state=c.file.state.as_str()>
            <p><strong>{c.description.clone()}</strong></p>
            <p class="muted">{c.rule_ref.clone()}</p>
            <p class="muted" data-testid="case-facts">{facts}</p>
            <p class="muted">{strings::case_state_label(c.file.state)}</p>
            {evidence.map(|e| view! { <p class="muted">{e}</p> })}
            {(!photos.is_empty()).then(|| view! {
                <ul class="photo-grid" data-testid="case-evidence">
                    {photos.into_iter().map(|p| view! { <PhotoThumb photo=p/> }).collect_view()}
                </ul>
            })}
            {match outcome {
                Some((remedied, sent, text)) => view! {
                    <p data-testid="verdict" data-remedied=remedied.to_string()>
                        {text}" "
                        <span class=delivery_class(if sent { Delivery::Confirmed } else { Delivery::Waiting })
                            data-testid="verdict-delivery" data-sent=sent.to_string()>
                            {if sent { strings::VERDICT_SENT } else { strings::VERDICT_PENDING }}
                        </span>
                    </p>
                }.into_any(),
                None if enabled => view! {
                    <div class="row">
                        <button class="primary" data-testid="case-remedied" on:click=move |_| give(true)>{strings::REMEDIED_BUTTON}</button>
                        <button data-testid="case-not-remedied" disabled=!may_fail on:click=move |_| give(false)>{strings::NOT_REMEDIED_BUTTON}</button>
                    </div>
                    {(!may_fail).then(|| deadline.map(|d| view! { <p class="muted">{strings::not_before(d)}</p> }))}
                }.into_any(),
                None => ().into_any(),
            }}
        </li>
    }
}
