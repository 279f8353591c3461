//! Schouw's field app: a client-side rendered Leptos PWA, the inspector's front door.
//!
//! Client-side rendering (not SSR + hydration) because the app must start from the service
//! worker's cached shell on any route with no network at all (see ARCHITECTURE.md).
//!
//! The crate is also the web layer of the office door (`office/`, a bundle of its own): it uses
//! the API client, session, store, sync loop, strings and shared components from here, built
//! without the `pwa` feature so this crate's start function stays out of it.

mod actions;
pub mod api;
#[cfg(feature = "bench")]
pub mod bench;
pub mod components;
pub mod door;
pub mod error;
pub mod json;
mod lhso;
pub mod pages;
mod photos;
pub mod session;
pub mod storage_guard;
pub mod store;
pub mod strings;
pub mod sync;
pub mod util;

/// The field app itself: its start function and routes.
#[cfg(feature = "pwa")]
mod field {
    use leptos::prelude::*;
    use leptos_router::components::{Route, Router, Routes};
    use leptos_router::path;
    use wasm_bindgen::prelude::wasm_bindgen;

    use crate::components::header::{Footer, Header};
    use crate::pages::{
        accessibility::AccessibilityPage, home::Home, login::Login, my_day::MyDayPage,
        not_found::NotFound, sync::SyncPage, visit::VisitPage,
    };
    use crate::{door, session, sync};

    #[wasm_bindgen(start)]
    pub fn start() {
        console_error_panic_hook::set_once();
        door::enter(door::Door::Field);
        mount_to_body(App);
    }

    #[component]
    fn App() -> impl IntoView {
        session::provide();
        sync::provide(session::use_session());
        crate::storage_guard::provide();
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
                        <Route path=path!("/toegankelijkheid") view=AccessibilityPage/>
                    </Routes>
                </main>
                <Footer/>
            </Router>
        }
    }
}
