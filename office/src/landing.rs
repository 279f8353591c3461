//! The start page of each role. Only the role itself may see it; others are sent to their own.

use leptos::prelude::*;

use shared::Role;

use app::door::{landing_path, GoTo};
use app::session::use_session;
use app::strings;

#[component]
pub fn RoleLanding(role: Role) -> impl IntoView {
    let session = use_session();
    move || {
        if !session.loaded.get() {
            return view! { <p class="muted">{strings::LOADING}</p> }.into_any();
        }
        match session.user() {
            None => view! { <GoTo path="/inloggen"/> }.into_any(),
            Some(user) if user.role != role => {
                view! { <GoTo path=landing_path(user.role)/> }.into_any()
            }
            Some(_) => {
                let (title, intro) = strings::landing(role);
                view! {
                    <section class="landing">
                        <h1>{title}</h1>
                        <p class="muted">{intro}</p>
                        {(role == Role::Manager).then(|| view! {
                            <p><a href="/kantoor/beoordelen">"Beoordelen: afgeronde bezoeken"</a></p>
                            <p><a href="/kantoor/gelijke-behandeling">"Gelijke behandeling: interventies per cel en inspecteur"</a></p>
                            <p><a href="/kantoor/handhaving">"Handhaving: openstaande zaken"</a></p>
                        })}
                        {matches!(role, Role::Manager | Role::Admin).then(|| view! {
                            <p><a href="/kantoor/programma">"Uitvoeringsprogramma: regels invoeren en importeren"</a></p>
                        })}
                    </section>
                }
                .into_any()
            }
        }
    }
}
