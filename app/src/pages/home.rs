//! `/` (and the office door's `/kantoor`): sends the user to their role's start page, behind
//! their own door, or to the login page.

use leptos::prelude::*;

use crate::door::{landing_path, GoTo};
use crate::session::use_session;
use crate::strings;

#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    move || {
        if !session.loaded.get() {
            return view! { <p class="muted">{strings::LOADING}</p> }.into_any();
        }
        match session.user() {
            Some(user) => view! { <GoTo path=landing_path(user.role)/> }.into_any(),
            None => view! { <GoTo path="/inloggen"/> }.into_any(),
        }
    }
}
