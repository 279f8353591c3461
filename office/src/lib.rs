//! Schouw's office door: the online-only pages of team leads, managers, authority viewers and
//! admins, under `/kantoor`. A bundle of its own (see ARCHITECTURE.md "Two front doors"), so
//! nothing of it reaches an inspector's tablet; the field app's login sends office roles here.

mod board;
mod capacity;
mod conflict;
mod enforcement;
mod equal_treatment;
mod fetch;
mod focus;
mod landing;
mod monitoring;
mod planning;
mod programme;
mod review;
mod team;
mod write;
mod year;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

use app::components::header::{Footer, Header};
use app::door;
use app::pages::{home::Home, not_found::NotFound};
use app::session::{self, use_session};
use app::sync;
use shared::Role;

use enforcement::EnforcementPage;
use equal_treatment::EqualTreatmentPage;
use landing::RoleLanding;
use monitoring::{AuthorityPage, MonitoringPage};
use planning::PlanningPage;
use programme::ProgrammePage;
use review::{ReviewListPage, ReviewVisitPage};
use team::TeamPage;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    door::enter(door::Door::Office);
    mount_to_body(Office);
}

#[component]
fn Office() -> impl IntoView {
    session::provide();
    // Office roles keep no working set; the loop only pushes what they settle (problems).
    sync::provide(use_session());
    view! {
        <Router>
            <Header/>
            <main class="page office">
                <Routes fallback=NotFound>
                    <Route path=path!("/kantoor") view=Home/>
                    <Route path=path!("/kantoor/team") view=TeamPage/>
                    <Route path=path!("/kantoor/handhaving") view=EnforcementPage/>
                    <Route path=path!("/kantoor/planning") view=PlanningPage/>
                    <Route path=path!("/kantoor/gelijke-behandeling") view=EqualTreatmentPage/>
                    <Route path=path!("/kantoor/beoordelen") view=ReviewListPage/>
                    <Route path=path!("/kantoor/beoordelen/:id") view=ReviewVisitPage/>
                    <Route path=path!("/kantoor/monitoring") view=MonitoringPage/>
                    <Route path=path!("/kantoor/gemeente") view=AuthorityPage/>
                    <Route path=path!("/kantoor/programma") view=ProgrammePage/>
                    <Route path=path!("/kantoor/beheer") view=|| view! { <RoleLanding role=Role::Admin/> }/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
