//! `/vandaag` ("Mijn dag"): the inspector's visits of a chosen day, read from IndexedDB so the
//! list opens without a network, in route order, each with why it is there and how far its
//! recorded work has travelled to the server.

use std::collections::HashMap;

use leptos::prelude::*;
use uuid::Uuid;

use shared::Role;

use crate::components::delivery::DeliveryTag;
use crate::components::sync::{StorageWarnings, SyncBar};
use crate::pages::day_map::DayMap;
use crate::pages::guard::RequireRole;
use crate::session::use_session;
use crate::store::{self, Delivery, LocalVisit};
use crate::sync::use_sync;
use crate::{strings, util};

#[component]
pub fn MyDayPage() -> impl IntoView {
    view! { <RequireRole role=Role::Inspector><MyDay/></RequireRole> }
}

#[component]
fn MyDay() -> impl IntoView {
    let session = use_session();
    let sync = use_sync();
    let days = util::working_days(4);
    let day = RwSignal::new(days[0]);
    let show_map = RwSignal::new(false);
    let data = LocalResource::new(move || {
        let date = day.get();
        let online = session.online.get();
        sync.rev.track();
        let me = session.user_untracked().map(|u| u.id);
        async move {
            let all = store::visits().await.unwrap_or_default();
            let any = !all.is_empty();
            let mut visits: Vec<LocalVisit> = all
                .into_iter()
                .filter(|v| v.visit.planned_date == date && Some(v.visit.inspector_id) == me)
                .collect();
            visits.sort_by_key(|v| v.visit.route_order);
            let deliveries = store::deliveries(online).await.unwrap_or_default();
            (visits, deliveries, any)
        }
    });

    view! {
        <section class="my-day">
            <h1>{strings::MY_DAY}</h1>
            <SyncBar/>
            <StorageWarnings/>
            <nav class="day-picker" aria-label=strings::MY_DAY>
                {days.into_iter().map(|d| view! {
                    <button class="chip" class:active=move || day.get() == d data-date=d.to_string()
                        aria-pressed=move || (day.get() == d).to_string()
                        on:click=move |_| day.set(d)>
                        {if d == util::today() {
                            view! { <span class="chip-today">{strings::TODAY}</span>" "<span class="chip-date">{strings::short_day(d)}</span> }.into_any()
                        } else {
                            view! { {strings::short_day(d)} }.into_any()
                        }}
                    </button>
                }).collect_view()}
            </nav>
            {move || { show_map.track(); data.get() }.map(|(visits, deliveries, any)| {
                if visits.is_empty() {
                    let text = if any { strings::NO_VISITS } else { strings::NO_VISITS_YET };
                    return view! { <p class="muted empty">{text}</p> }.into_any();
                }
                let sizes = shared::planner::PlannerSettings::default().size_hours;
                let hours: f64 = visits.iter().map(|v| sizes.hours(v.visit.size)).sum();
                let not_possible = visits.iter().filter(|v| v.visit.status == shared::visit::VisitStatus::NotPossible).count();
                let load = strings::day_load(visits.len(), hours, not_possible);
                let body = if show_map.get_untracked() {
                    view! { <DayMap visits=visits/> }.into_any()
                } else {
                    view! { <VisitList visits=visits deliveries=deliveries/> }.into_any()
                };
                view! {
                    <div class="day-head">
                        <p class="day-load" data-testid="day-load">{load}</p>
                        <div class="view-switch" role="group" aria-label=strings::DAY_VIEW>
                            <button class="chip" class:active=move || !show_map.get() aria-pressed=move || (!show_map.get()).to_string()
                                data-testid="show-list" on:click=move |_| show_map.set(false)>{strings::LIST}</button>
                            <button class="chip" class:active=move || show_map.get() aria-pressed=move || show_map.get().to_string()
                                data-testid="show-map" on:click=move |_| show_map.set(true)>{strings::MAP}</button>
                        </div>
                    </div>
                    {body}
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn VisitList(visits: Vec<LocalVisit>, deliveries: HashMap<Uuid, Delivery>) -> impl IntoView {
    view! {
        <ol class="visit-list" data-testid="visit-list">
            {visits.into_iter().map(|v| {
                let delivery = deliveries.get(&v.visit.id).copied();
                view! { <VisitCard local=v delivery=delivery/> }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn VisitCard(local: LocalVisit, delivery: Option<Delivery>) -> impl IntoView {
    let v = local.visit;
    let href = format!("/bezoek/{}", v.id);
    let mut factors = v.priority.factors.clone();
    factors.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
    view! {
        <li class="visit-card card" data-status=v.status.as_str() data-testid="visit-card" data-visit-id=v.id.to_string()>
            <div class="visit-head">
                <span class="route-order">{v.route_order}</span>
                <div class="visit-title">
                    <a href=href.clone() class="visit-name">{v.site.name.clone()}</a>
                    <span class="address">{v.site.address.clone()}</span>
                </div>
                <a href=href class="button open">"›"</a>
            </div>
            <div class="tags">
                <span class=format!("tag kind-{}", v.kind.as_str())>{strings::kind_label(v.kind)}</span>
                <span class="tag">{strings::SIZE}" "{v.size.as_str()}</span>
                <span class=format!("tag status-{}", v.status.as_str())>{strings::status_label(v.status)}</span>
                {delivery.map(|d| view! { <DeliveryTag delivery=d/> })}
            </div>
            {local.returned.filter(|_| v.status == shared::visit::VisitStatus::Returned).map(|step| view! {
                <p class="returned-comment" data-testid="card-returned-comment">
                    <strong>{strings::RETURNED_BY_LEAD}": "</strong>{step.comment.unwrap_or_default()}
                </p>
            })}
            {v.not_possible.clone().filter(|_| v.status == shared::visit::VisitStatus::NotPossible).map(|n| view! {
                <p class="not-possible-reason" data-testid="card-not-possible">
                    <strong>{strings::status_label(v.status)}": "</strong>{strings::not_possible_label(n.reason)}
                    {n.note.map(|t| view! { " · " {t} })}
                </p>
            })}
            <details class="why">
                <summary>{strings::SCORE}" "{util::number_nl(v.priority.score, 1)}" · "{strings::WHY}</summary>
                <table class="factors">
                    <tbody>
                        {factors.into_iter().filter(|f| f.contribution != 0.0).map(|f| view! {
                            <tr data-factor=f.name.to_string()>
                                <th scope="row">{strings::factor_label(&f.name).to_owned()}
                                    {f.note.clone().map(|n| view! { <span class="factor-note">{n}</span> })}</th>
                                <td class="num">{format!("{}{}", if f.contribution > 0.0 { "+" } else { "" },
                                    util::number_nl(f.contribution, 2))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </li>
    }
}
