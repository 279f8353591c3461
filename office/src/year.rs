//! The year filter of the office pages: this year, four before and the next (programmes are
//! prepared ahead), newest first.

use chrono::Datelike;
use leptos::prelude::*;

const YEAR: &str = "Jaar";

/// The current year on this device.
pub fn this_year() -> i32 {
    app::util::today().year()
}

#[component]
pub fn YearSelect(year: RwSignal<i32>, testid: &'static str) -> impl IntoView {
    let now = this_year();
    view! {
        <label>{YEAR}
            <select data-testid=testid on:change=move |ev| {
                if let Ok(y) = event_target_value(&ev).parse() { year.set(y) }
            }>
                {(now - 4..=now + 1).rev().map(|y| view! {
                    <option value=y.to_string() selected=move || year.get() == y>{y}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
