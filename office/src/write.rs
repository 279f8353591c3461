//! Changes sent from office pages: a PUT with the version the server checks, then the page's data
//! reloaded, or the server's Dutch refusal shown where the change was made.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use app::api;

/// PUTs `body` to `path`; on success bumps `refresh` (the page reloads its data), otherwise puts
/// the refusal into `message`.
pub fn put_then_refresh<B: Serialize + 'static>(
    path: String,
    body: B,
    token: Option<String>,
    refresh: RwSignal<u32>,
    message: RwSignal<Option<String>>,
) {
    spawn_local(async move {
        let result: Result<serde::de::IgnoredAny, _> =
            api::put(&path, &body, token.as_deref()).await;
        match result {
            Ok(_) => refresh.update(|r| *r += 1),
            Err(e) => message.set(Some(e.user_message())),
        }
    });
}
