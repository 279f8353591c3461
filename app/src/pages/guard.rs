//! Shows a page only to its role: others go to their own start page, nobody to the login.

use leptos::prelude::*;

use shared::Role;

use crate::door::{landing_path, GoTo};
use crate::session::use_session;
use crate::strings;

#[component]
pub fn RequireRole(
    role: Role,
    /// A second role that may see the page too.
    #[prop(optional)]
    also: Option<Role>,
    children: ChildrenFn,
) -> impl IntoView {
    let session = use_session();
    let allowed = Memo::new(move |_| {
        if !session.loaded.get() {
            return None;
        }
        Some(
            session
                .user()
                .map(|u| (u.role == role || Some(u.role) == also, u.role)),
        )
    });
    move || match allowed.get() {
        None => view! { <p class="muted">{strings::LOADING}</p> }.into_any(),
        Some(None) => view! { <GoTo path="/inloggen"/> }.into_any(),
        Some(Some((false, own))) => view! { <GoTo path=landing_path(own)/> }.into_any(),
        Some(Some((true, _))) => children().into_any(),
    }
}
