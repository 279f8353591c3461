use leptos::prelude::*;

use crate::strings;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section>
            <h1>{strings::NOT_FOUND_TITLE}</h1>
            <a href="/" class="button">{strings::NOT_FOUND_LINK}</a>
        </section>
    }
}
