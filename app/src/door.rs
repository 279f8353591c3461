//! The two front doors: the inspector's offline PWA (every path but `/kantoor`) and the online
//! office for team leads, managers, authority viewers and admins (`/kantoor/...`, its own bundle
//! in `office/`, never precached for inspectors). Login is one page, in the PWA, and sends each
//! role through its own door; a move between doors is a full page load into the other bundle.

use std::cell::Cell;

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::strings;

/// Which bundle is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    Field,
    Office,
}

pub use shared::auth::{landing_path, OFFICE_PREFIX};

thread_local! {
    static HERE: Cell<Door> = const { Cell::new(Door::Field) };
}

/// Called once by the bundle's start function.
pub fn enter(door: Door) {
    HERE.with(|h| h.set(door));
}

pub fn here() -> Door {
    HERE.with(Cell::get)
}

/// The door a path belongs to.
pub fn of_path(path: &str) -> Door {
    if shared::auth::is_office_path(path) {
        Door::Office
    } else {
        Door::Field
    }
}

/// The home link of the running bundle.
pub fn home() -> &'static str {
    match here() {
        Door::Field => "/",
        Door::Office => OFFICE_PREFIX,
    }
}

/// Goes to `path`: a client-side redirect inside this bundle, a full page load into the other.
#[component]
pub fn GoTo(path: &'static str) -> impl IntoView {
    if of_path(path) == here() {
        return view! { <Redirect path=path/> }.into_any();
    }
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(path);
    }
    view! { <p class="muted">{strings::LOADING}</p> }.into_any()
}
