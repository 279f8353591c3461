//! The site's earlier inspections, from the working set.

use leptos::prelude::*;

use shared::visit::PastInspection;

use crate::strings;

#[component]
pub(super) fn History(history: Vec<PastInspection>) -> impl IntoView {
    view! {
        <section class="card history">
            <h2>{strings::HISTORY}</h2>
            {history.is_empty().then(|| view! { <p class="muted">{strings::NO_HISTORY}</p> })}
            <ul>
                {history.into_iter().map(|h| {
                    let compliant = h.violations.is_empty();
                    view! {
                        <li>
                            <strong>{strings::date_nl(h.date)}</strong>" · "
                            {strings::kind_label(h.kind)}" · "
                            {if compliant { strings::COMPLIANT.to_owned() } else {
                                format!("{}: {}", strings::VIOLATIONS, h.cells.join(", "))
                            }}
                            <ul class="violations">
                                {h.violations.into_iter().map(|x| view! {
                                    <li>
                                        <span class="tag">{x.cell.clone()}</span>" "{x.description.clone()}
                                        <span class="muted">" · "{x.rule_ref.clone()}" · "{strings::intervention_label(x.intervention)}
                                            {x.repeat_offence.then_some(strings::REPEAT).map(|r| format!(" · {r}"))}
                                            {x.remedy_deadline.map(|d| format!(" · {} {}", strings::DEADLINE, strings::date_nl(d)))}
                                            {x.remedied_on.map(|d| format!(" · {} {}", strings::REMEDIED, strings::date_nl(d)))}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
