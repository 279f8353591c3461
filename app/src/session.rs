//! The logged-in session, kept in IndexedDB so it survives an offline reload, and the device's
//! network state. Provided as context to every page.

use leptos::prelude::*;
use leptos::task::spawn_local;

use shared::{LoginResponse, UserInfo};

use crate::{api, store};

#[derive(Clone, Copy)]
pub struct Session {
    pub current: RwSignal<Option<LoginResponse>>,
    /// False until IndexedDB has been read; pages wait for it instead of flashing the login form.
    pub loaded: RwSignal<bool>,
    pub storage_failed: RwSignal<bool>,
    pub online: RwSignal<bool>,
}

impl Session {
    pub fn user(&self) -> Option<UserInfo> {
        self.current.with(|s| s.as_ref().map(|s| s.user.clone()))
    }

    pub fn user_untracked(&self) -> Option<UserInfo> {
        self.current
            .with_untracked(|s| s.as_ref().map(|s| s.user.clone()))
    }

    /// The agency's settings from the login (defaults before the first login).
    pub fn agency_untracked(&self) -> shared::auth::AgencySettings {
        self.current
            .with_untracked(|s| s.as_ref().map(|s| s.agency))
            .unwrap_or_default()
    }

    pub fn token(&self) -> Option<String> {
        self.current
            .with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
    }

    /// Stores the session on the device first, then shows it: a reload right after login must
    /// find what the screen already claims.
    pub async fn sign_in(&self, response: LoginResponse) {
        if store::save_session(&response).await.is_err() {
            self.storage_failed.set(true);
        }
        self.current.set(Some(response));
    }

    /// Forgets the session on the device before the screen says so, then revokes the token.
    pub fn sign_out(&self) {
        let this = *self;
        let token = self.token();
        spawn_local(async move {
            if store::clear_session().await.is_err() {
                this.storage_failed.set(true);
            }
            this.current.set(None);
            // Revoking the token needs the network; without it the token simply expires.
            if let Some(token) = token {
                let _ = api::post::<_, ()>("/api/v1/auth/logout", &(), Some(&token)).await;
            }
        });
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

pub fn provide() {
    let online = web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true);
    let session = Session {
        current: RwSignal::new(None),
        loaded: RwSignal::new(false),
        storage_failed: RwSignal::new(false),
        online: RwSignal::new(online),
    };
    provide_context(session);

    let online_handle =
        window_event_listener(leptos::ev::online, move |_| session.online.set(true));
    let offline_handle =
        window_event_listener(leptos::ev::offline, move |_| session.online.set(false));
    on_cleanup(move || {
        online_handle.remove();
        offline_handle.remove();
    });

    spawn_local(async move {
        match store::load_session().await {
            Ok(stored) => session.current.set(stored),
            Err(_) => session.storage_failed.set(true),
        }
        session.loaded.set(true);
        revalidate(session).await;
    });
}

/// When online, asks the server whether the stored token is still valid; a revoked or expired
/// token logs out. Offline, or when the server is unreachable, the stored session stays.
async fn revalidate(session: Session) {
    let Some(token) = session.token() else { return };
    if let Err(crate::error::AppError::Api { status: 401, .. }) =
        api::get::<UserInfo>("/api/v1/me", Some(&token)).await
    {
        session.current.set(None);
        let _ = store::clear_session().await;
    }
}
