//! The visit's notes: the list, editing one, and adding one.

use leptos::prelude::*;
use uuid::Uuid;

use super::act;
use crate::actions;
use crate::session::use_session;
use crate::store::LocalNote;
use crate::{strings, util};

#[component]
pub(super) fn Notes(
    notes: Vec<LocalNote>,
    enabled: bool,
    visit_id: Uuid,
    error: RwSignal<Option<String>>,
    new_note: RwSignal<String>,
    editing: RwSignal<Option<Uuid>>,
    edit_text: RwSignal<String>,
) -> impl IntoView {
    let session = use_session();
    let add = move |_| {
        let text = new_note.get_untracked();
        if !actions::valid_note(&text) {
            error.set(Some(strings::NOTE_INVALID.to_owned()));
            return;
        }
        new_note.set(String::new());
        act(
            error,
            Box::pin(actions::add_note(
                visit_id,
                text.trim().to_owned(),
                session.user_untracked().map(|u| u.name),
            )),
        );
    };
    let empty = notes.is_empty();
    view! {
        <section class="card notes">
            <h2>{strings::NOTES}</h2>
            {empty.then(|| view! { <p class="muted">{strings::NO_NOTES}</p> })}
            <ul class="note-list">
                {notes.into_iter().map(|n| {
                    let id = n.id;
                    let text = n.text.clone();
                    let pending = n.unsent > 0;
                    // Who wrote it and when, in Dutch local time (with the date if not today).
                    let byline = [n.author.clone(), n.at.as_deref().map(util::short_time)]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                    view! {
                        <li class="note" data-testid="note" class:pending=pending>
                            {move || if editing.get() == Some(id) {
                                view! {
                                    <textarea rows="3" prop:value=move || edit_text.get()
                                        on:input=move |ev| edit_text.set(event_target_value(&ev))></textarea>
                                    <div class="row">
                                        <button class="primary" on:click=move |_| {
                                            let text = edit_text.get_untracked();
                                            if !actions::valid_note(&text) {
                                                error.set(Some(strings::NOTE_INVALID.to_owned()));
                                                return;
                                            }
                                            editing.set(None);
                                            act(error, Box::pin(actions::edit_note(visit_id, id, text.trim().to_owned())));
                                        }>{strings::SAVE}</button>
                                        <button on:click=move |_| editing.set(None)>{strings::CANCEL}</button>
                                    </div>
                                }.into_any()
                            } else {
                                let text = text.clone();
                                let for_edit = text.clone();
                                let byline = byline.clone();
                                view! {
                                    <p class="note-text">{text}</p>
                                    {(!byline.is_empty()).then(|| view! { <p class="note-by muted" data-testid="note-by">{byline}</p> })}
                                    {enabled.then(|| view! {
                                        <button class="link-button" on:click=move |_| {
                                            edit_text.set(for_edit.clone());
                                            editing.set(Some(id));
                                        }>{strings::EDIT}</button>
                                    })}
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {enabled.then(|| view! {
                <label for="new-note" class="sr-only">{strings::ADD_NOTE}</label>
                <textarea id="new-note" rows="3" data-testid="note-input" placeholder=strings::NOTE_PLACEHOLDER
                    prop:value=move || new_note.get() on:input=move |ev| new_note.set(event_target_value(&ev))></textarea>
                <button class="primary" data-testid="add-note" on:click=add>{strings::ADD_NOTE}</button>
            })}
        </section>
    }
}
