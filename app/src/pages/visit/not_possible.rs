//! "Niet mogelijk": the inspector gives up a visit not yet started (closed, no access, ...) with
//! a reason, offline like everything else; the visit shows why, and can still be started.

use leptos::prelude::*;
use uuid::Uuid;

use shared::visit::{NotPossible, NotPossibleReason, NOT_POSSIBLE_NOTE_MAX_CHARS};

use super::act;
use crate::{actions, strings, util};

/// The reason a visit was not possible (when it is), and the form to give or change one.
#[component]
pub(super) fn NotPossiblePanel(
    visit_id: Uuid,
    recorded: Option<NotPossible>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let reason = RwSignal::new(recorded.as_ref().map(|n| n.reason));
    let note = RwSignal::new(
        recorded
            .as_ref()
            .and_then(|n| n.note.clone())
            .unwrap_or_default(),
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = reason.get_untracked() else {
            return;
        };
        open.set(false);
        act(
            error,
            Box::pin(actions::mark_not_possible(
                visit_id,
                chosen,
                note.get_untracked(),
            )),
        );
    };
    // The shared rule decides; the button stays off until it would pass.
    let ready = move || {
        reason
            .get()
            .is_some_and(|r| note.with(|n| shared::visit::check_not_possible(r, Some(n)).is_ok()))
    };
    let opener = if recorded.is_some() {
        strings::NOT_POSSIBLE_CHANGE
    } else {
        strings::NOT_POSSIBLE_OPEN
    };
    let shown = recorded.map(|n| {
        let note = n.note.clone();
        view! {
            <section class="card not-possible" role="note" data-testid="not-possible">
                <h2>{strings::NOT_POSSIBLE_TITLE}</h2>
                <p><strong data-testid="not-possible-reason">{strings::not_possible_label(n.reason)}</strong>
                    {note.map(|t| view! { " · " <span>{t}</span> })}</p>
                <p class="muted">{strings::NOT_POSSIBLE_MARKED}" "{util::short_time(&n.at)}". "{strings::NOT_POSSIBLE_AFTER}</p>
            </section>
        }
    });
    view! {
        {shown}
        <Show when=move || open.get() fallback=move || view! {
            <button class="big secondary" data-testid="not-possible-open" on:click=move |_| open.set(true)>{opener}</button>
        }>
            <form class="card not-possible-form" data-testid="not-possible-form" on:submit=save>
                <fieldset>
                    <legend>{strings::NOT_POSSIBLE_WHY}</legend>
                    {NotPossibleReason::ALL.iter().copied().map(|r| view! {
                        <label class="choice">
                            <input type="radio" name="not-possible-reason" value=r.as_str()
                                prop:checked=move || reason.get() == Some(r)
                                on:change=move |_| reason.set(Some(r))/>
                            {strings::not_possible_label(r)}
                        </label>
                    }).collect_view()}
                </fieldset>
                <label for="not-possible-note">{strings::NOT_POSSIBLE_NOTE}</label>
                <textarea id="not-possible-note" rows="2" data-testid="not-possible-note"
                    maxlength=NOT_POSSIBLE_NOTE_MAX_CHARS.to_string() aria-describedby="not-possible-hint"
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <p id="not-possible-hint" class="muted">{strings::NOT_POSSIBLE_NOTE_HINT}</p>
                <div class="row">
                    <button type="submit" class="primary" data-testid="not-possible-save"
                        disabled=move || !ready()>{strings::NOT_POSSIBLE_SAVE}</button>
                    <button type="button" on:click=move |_| open.set(false)>{strings::CANCEL}</button>
                </div>
            </form>
        </Show>
    }
}
