//! Schouw's field app: a client-side rendered Leptos PWA.
//!
//! Client-side rendering (not SSR + hydration) because the app must start from the service
//! worker's cached shell on any route with no network at all (see docs/ARCHITECTURE.md).

mod actions;
mod api;
#[cfg(feature = "bench")]
pub mod bench;
mod components;
mod error;
mod json;
mod lhso;
mod pages;
mod photos;
mod session;
mod store;
pub mod strings;
mod sync;
mod util;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

use components::header::Header;
use pages::{
    home::Home, landing::RoleLanding, login::Login, my_day::MyDayPage, not_found::NotFound,
    sync::SyncPage, team::TeamPage, visit::VisitPage,
};
use shared::Role;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    session::provide();
    sync::provide(session::use_session());
    view! {
        <Router>
            <Header/>
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/inloggen") view=Login/>
                    <Route path=path!("/vandaag") view=MyDayPage/>
                    <Route path=path!("/bezoek/:id") view=VisitPage/>
                    <Route path=path!("/synchronisatie") view=SyncPage/>
                    <Route path=path!("/team") view=TeamPage/>
                    <Route path=path!("/monitoring") view=|| view! { <RoleLanding role=Role::Manager/> }/>
                    <Route path=path!("/gemeente") view=|| view! { <RoleLanding role=Role::AuthorityViewer/> }/>
                    <Route path=path!("/beheer") view=|| view! { <RoleLanding role=Role::Admin/> }/>
                </Routes>
            </main>
        </Router>
    }
}
