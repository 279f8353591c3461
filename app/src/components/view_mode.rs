//! The high-contrast outdoor view ("Buitenweergave"): black on white, heavier borders and larger
//! text for bright daylight. A choice of the person, kept per device in `localStorage` and set on
//! the root element as `data-view`, so the stylesheet alone draws it.

use leptos::prelude::*;

use crate::strings;

const STORAGE_KEY: &str = "schouw-view";
const OUTDOOR: &str = "outdoor";
const NORMAL: &str = "normal";

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Whether this device was set to the outdoor view.
pub fn saved_outdoor() -> bool {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok()?)
        .is_some_and(|v| v == OUTDOOR)
}

/// Draws the page in the outdoor view or not, and remembers the choice.
pub fn apply(outdoor: bool) {
    let value = if outdoor { OUTDOOR } else { NORMAL };
    if let Some(root) = root() {
        let _ = root.set_attribute("data-view", value);
    }
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, value);
    }
}

/// The header's switch between the normal and the outdoor view.
#[component]
pub fn OutdoorToggle() -> impl IntoView {
    let outdoor = RwSignal::new(saved_outdoor());
    apply(outdoor.get_untracked());
    view! {
        <button class="link outdoor-toggle" data-testid="outdoor-toggle"
            aria-pressed=move || outdoor.get().to_string()
            on:click=move |_| {
                let next = !outdoor.get_untracked();
                outdoor.set(next);
                apply(next);
            }>
            {strings::OUTDOOR_VIEW}
        </button>
    }
}
