//! Where recorded work is on its way to the server, as a tag: the presentation of
//! `store::Delivery` (its CSS classes here, its Dutch label in `strings`).

use leptos::prelude::*;

use crate::store::Delivery;
use crate::strings;

/// The tag's CSS classes (`style/` colours each delivery state).
pub fn delivery_class(delivery: Delivery) -> &'static str {
    match delivery {
        Delivery::Saved => "tag delivery delivery-saved",
        Delivery::Waiting => "tag delivery delivery-waiting",
        Delivery::Sent => "tag delivery delivery-sent",
        Delivery::Confirmed => "tag delivery delivery-confirmed",
        Delivery::Problem => "tag delivery delivery-problem",
    }
}

/// A visit's delivery tag (`data-testid="delivery"`).
#[component]
pub fn DeliveryTag(delivery: Delivery) -> impl IntoView {
    view! {
        <span class=delivery_class(delivery) data-testid="delivery">
            {strings::delivery_label(delivery)}
        </span>
    }
}
