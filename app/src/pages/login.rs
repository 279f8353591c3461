//! `/inloggen`: logging in needs the network once; afterwards the session lives on the device.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use shared::{LoginRequest, LoginResponse};

use crate::api;
use crate::door::{landing_path, GoTo};
use crate::session::use_session;
use crate::strings;

#[component]
pub fn Login() -> impl IntoView {
    let session = use_session();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let request = LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match api::post::<_, LoginResponse>("/api/v1/auth/login", &request, None).await {
                Ok(response) => {
                    password.set(String::new());
                    session.sign_in(response).await;
                }
                Err(failure) => error.set(Some(failure.user_message())),
            }
            busy.set(false);
        });
    };

    move || {
        if let Some(user) = session.user() {
            return view! { <GoTo path=landing_path(user.role)/> }.into_any();
        }
        view! {
            <section class="login card">
                <h1>{strings::LOGIN_TITLE}</h1>
                <p class="muted">{strings::LOGIN_INTRO}</p>
                <form on:submit=submit>
                    <label for="username">{strings::USERNAME}</label>
                    <input id="username" name="username" autocomplete="username" autocapitalize="none"
                        required prop:value=username on:input=move |ev| username.set(event_target_value(&ev))/>
                    <label for="password">{strings::PASSWORD}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password"
                        required prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                    <Show when=move || error.get().is_some()>
                        <p class="error" role="alert">{move || error.get().unwrap_or_default()}</p>
                    </Show>
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        {move || if busy.get() { strings::LOGIN_BUSY } else { strings::LOGIN_BUTTON }}
                    </button>
                </form>
            </section>
        }
        .into_any()
    }
}
