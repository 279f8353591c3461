//! `/synchronisatie`: the sync panel in full.

use leptos::prelude::*;

use crate::components::sync::SyncPanel;
use crate::pages::guard::RequireRole;

#[component]
pub fn SyncPage() -> impl IntoView {
    let session = crate::session::use_session();
    move || {
        let role = session
            .user()
            .map(|u| u.role)
            .unwrap_or(shared::Role::Inspector);
        view! { <RequireRole role=role><SyncPanel/></RequireRole> }
    }
}
