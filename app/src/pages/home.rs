//! `/`: sends the user to their role's start page, or to the login page.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::session::{landing_path, use_session};
use crate::strings;

#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    move || {
        if !session.loaded.get() {
            return view! { <p class="muted">{strings::LOADING}</p> }.into_any();
        }
        match session.user() {
            Some(user) => view! { <Redirect path=landing_path(user.role)/> }.into_any(),
            None => view! { <Redirect path="/inloggen"/> }.into_any(),
        }
    }
}
