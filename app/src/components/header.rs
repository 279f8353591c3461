//! The header on every page: app name, sync state, who is logged in, network state, logout.

use leptos::prelude::*;

use crate::components::sync::{logout_with_warning, SyncBadge};
use crate::components::view_mode::OutdoorToggle;
use crate::session::use_session;
use crate::strings;

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    view! {
        <header class="app-header">
            <a href=crate::door::home() class="brand">{strings::APP_NAME}</a>
            <span class=move || if session.online.get() { "net online" } else { "net offline" }>
                {move || if session.online.get() { strings::ONLINE } else { strings::OFFLINE }}
            </span>
            <OutdoorToggle/>
            {move || session.user().map(|user| view! {
                // Only inspectors keep work on the device; other roles work online.
                {(user.role == shared::Role::Inspector).then(|| view! { <SyncBadge/> })}
                <span class="user">
                    <span class="user-name" data-testid="user-name">{user.name}</span>
                    <span class="user-role">{strings::role_label(user.role)}</span>
                </span>
                <button class="link" on:click=move |_| logout_with_warning(session)>{strings::LOGOUT}</button>
            })}
        </header>
        <Show when=move || session.storage_failed.get()>
            <p class="banner error" role="alert">{strings::STORAGE_FAILED}</p>
        </Show>
    }
}

/// The foot of every page: the accessibility statement (a page of the field app, so it opens
/// offline on a tablet; from the office it is a full page load).
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="app-footer">
            <a href="/toegankelijkheid" rel="external">{strings::ACCESSIBILITY}</a>
        </footer>
    }
}
