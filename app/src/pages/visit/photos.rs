//! The visit's photos: thumbnails with their delivery state, and the camera button.

use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::LocalAction;
use crate::components::sync::PhotoQueue;
use crate::photos;
use crate::store::LocalPhoto;
use crate::strings;
use crate::sync::use_sync;

/// The visit's photos with their delivery state, and the camera button while the visit runs.
#[component]
pub(super) fn Photos(
    photos: Vec<LocalPhoto>,
    enabled: bool,
    visit_id: Uuid,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let empty = photos.is_empty();
    let on_file = move |file: web_sys::Blob| -> LocalAction {
        Box::pin(async move { photos::capture(file, visit_id, None).await.map(|_| ()) })
    };
    view! {
        <section class="card photos" data-testid="photos">
            <h2>{strings::PHOTOS}</h2>
            <PhotoQueue/>
            {empty.then(|| view! { <p class="muted">{strings::NO_PHOTOS}</p> })}
            <ul class="photo-grid">
                {photos.into_iter().map(|p| view! { <PhotoThumb photo=p/> }).collect_view()}
            </ul>
            {enabled.then(|| view! { <PhotoButton label=strings::TAKE_PHOTO error=error on_file=on_file/> })}
        </section>
    }
}

#[component]
pub(super) fn PhotoThumb(photo: LocalPhoto) -> impl IntoView {
    let sync = use_sync();
    let url = RwSignal::new(None::<String>);
    let sha = photo.sha256.clone();
    let removed = photo.removed;
    spawn_local(async move {
        if removed {
            return;
        }
        if let Some(u) = photos::object_url(&sha).await {
            // The thumbnail may be gone already (the page re-rendered): then free the URL now.
            if let Some(u) = url.try_set(Some(u)).flatten() {
                photos::revoke(&u);
            }
        }
    });
    on_cleanup(move || {
        if let Some(u) = url.try_get_untracked().flatten() {
            photos::revoke(&u);
        }
    });
    let state = photo.state;
    let id = photo.id;
    // While this photo goes up: a bar in bytes, read from the sync run.
    let sending = move || match sync.status.get().phase {
        crate::sync::Phase::Photos(p) => p.current.filter(|(current, _, _)| *current == id),
        _ => None,
    };
    view! {
        <li class="photo" data-testid="photo" data-state=state.as_str()
            data-sha256=photo.sha256.clone()>
            {if removed {
                view! { <p class="photo-removed muted" data-testid="photo-removed">{strings::PHOTO_ON_SERVER_ONLY}</p> }.into_any()
            } else {
                view! {
                    <img alt=strings::PHOTOS src=move || url.get().unwrap_or_default()
                        width=photo.width.to_string() height=photo.height.to_string()/>
                }.into_any()
            }}
            <span class=format!("tag photo-state-{}", state.as_str())>
                {strings::photo_state_label(state)}
            </span>
            {move || sending().map(|(_, sent, size)| view! {
                <label class="photo-progress">
                    {strings::PHOTO_SENDING}": "{strings::bytes_progress(sent, size)}
                    <progress data-testid="photo-progress" max=size.to_string() value=sent.to_string()></progress>
                </label>
            })}
            {photo.problem.map(|m| {
                let id = photo.id;
                let discard = move |_| {
                    let ok = web_sys::window()
                        .and_then(|w| w.confirm_with_message(strings::PHOTO_DISCARD_CONFIRM).ok())
                        .unwrap_or(false);
                    if ok {
                        spawn_local(async move {
                            if photos::discard_refused(id).await.is_ok() {
                                sync.changed();
                            }
                        });
                    }
                };
                view! {
                    <p class="error">{m}</p>
                    <button class="secondary" on:click=discard>{strings::PHOTO_DISCARD}</button>
                }
            })}
        </li>
    }
}

/// A camera button: a styled label around a hidden file input (on a tablet it opens the camera,
/// on a laptop a file picker). The chosen picture goes to `on_file`, which stores it.
#[component]
pub(super) fn PhotoButton<F>(
    label: &'static str,
    error: RwSignal<Option<String>>,
    on_file: F,
) -> impl IntoView
where
    F: Fn(web_sys::Blob) -> LocalAction + 'static,
{
    let saving = RwSignal::new(false);
    let sync = use_sync();
    let change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = photos::chosen_file(&input) else {
            return;
        };
        // The same picture may be chosen again later.
        input.set_value("");
        saving.set(true);
        error.set(None);
        let action = on_file(file);
        spawn_local(async move {
            let result = action.await;
            saving.set(false);
            match result {
                Ok(()) => sync.changed(),
                Err(e) => {
                    leptos::logging::warn!("photo not stored: {e:?}");
                    error.set(Some(strings::PHOTO_SAVE_FAILED.to_owned()));
                }
            }
        });
    };
    view! {
        <label class="button secondary photo-button" class:busy=move || saving.get()>
            {move || if saving.get() { strings::PHOTO_SAVING } else { label }}
            <input type="file" accept="image/*" capture="environment" class="sr-only"
                data-testid="photo-input" on:change=change disabled=move || saving.get()/>
        </label>
    }
}
