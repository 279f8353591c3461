//! The day's route as a map that works offline: drawn from the sites' coordinates (no tile
//! server, nothing to download), the visits numbered in route order and marked by status, the
//! route between them, and the tablet's position when the browser knows it. Each stop is a link
//! to its visit (a 48 px target laid over the drawing, so it is a real, focusable link).

use leptos::prelude::*;
use leptos::task::spawn_local;

use shared::coords::{project, MapPoint};
use shared::sync::Position;
use shared::visit::VisitStatus;

use crate::store::LocalVisit;
use crate::{strings, util};

const MAP_W: f64 = 640.0;
const MAP_H: f64 = 420.0;
/// Room for a stop's marker at the edge of the drawing.
const MAP_MARGIN: f64 = 30.0;
/// How long the map waits for a position before it is drawn without one.
const POSITION_TIMEOUT_MS: i32 = 3_000;

#[component]
pub fn DayMap(visits: Vec<LocalVisit>) -> impl IntoView {
    let here = RwSignal::new(None::<Position>);
    let located = RwSignal::new(false);
    spawn_local(async move {
        let position = util::position(POSITION_TIMEOUT_MS).await;
        // The page may have been left meanwhile; a disposed signal is not written.
        let _ = here.try_set(position);
        let _ = located.try_set(true);
    });
    let mut stops = visits;
    stops.sort_by_key(|v| v.visit.route_order);
    // The legend names the statuses on the map, in the machine's order.
    let shown: Vec<VisitStatus> = VisitStatus::ALL
        .iter()
        .copied()
        .filter(|s| stops.iter().any(|v| v.visit.status == *s))
        .collect();

    view! {
        <figure class="day-map" data-testid="day-map">
            <figcaption class="sr-only">{strings::MAP_CAPTION}</figcaption>
            {move || {
                let position = here.get();
                let mut at: Vec<(f64, f64)> = stops.iter().map(|v| (v.visit.site.lat, v.visit.site.lon)).collect();
                if let Some(p) = position {
                    at.push((p.lat, p.lon));
                }
                let mut points = project(&at, MAP_W, MAP_H, MAP_MARGIN);
                let me = position.and(points.pop());
                let route = points.iter().map(|p| format!("{:.1},{:.1}", p.x, p.y)).collect::<Vec<_>>().join(" ");
                view! {
                    <div class="map-box">
                        <svg viewBox=format!("0 0 {MAP_W} {MAP_H}") aria-hidden="true">
                            <rect class="map-ground" x="0" y="0" width=MAP_W height=MAP_H/>
                            <polyline class="route-line" points=route/>
                            {me.map(|p| view! {
                                <circle class="me-halo" cx=p.x cy=p.y r="16"/>
                                <circle class="me" cx=p.x cy=p.y r="7" data-testid="map-me"/>
                            })}
                        </svg>
                        <ol class="map-stops">
                            {stops.iter().zip(points).map(|(v, p)| stop(v, p)).collect_view()}
                        </ol>
                    </div>
                }
            }}
            <ul class="map-legend">
                {shown.into_iter().map(|s| view! {
                    <li><span class=format!("stop-marker mini status-{}", s.as_str()) aria-hidden="true"></span>
                        {strings::status_label(s)}</li>
                }).collect_view()}
            </ul>
            <p class="muted map-note" data-testid="map-position">{move || {
                match (located.get(), here.get().is_some()) {
                    (false, _) => strings::MAP_LOCATING,
                    (true, true) => strings::MAP_HERE,
                    (true, false) => strings::MAP_NO_POSITION,
                }
            }}</p>
        </figure>
    }
}

/// One stop: its route number on a marker in its status's colour and shape, a link to the visit.
fn stop(v: &LocalVisit, p: MapPoint) -> impl IntoView {
    let visit = &v.visit;
    let status = visit.status;
    let label = format!(
        "{}. {}, {}",
        visit.route_order,
        visit.site.name,
        strings::status_label(status)
    );
    let style = format!(
        "left:{:.2}%;top:{:.2}%",
        p.x / MAP_W * 100.0,
        p.y / MAP_H * 100.0
    );
    view! {
        <li class="map-stop" style=style>
            <a href=format!("/bezoek/{}", visit.id) class=format!("stop-marker status-{}", status.as_str())
                aria-label=label.clone() title=label data-testid="map-stop" data-visit-id=visit.id.to_string()
                data-status=status.as_str()>
                {visit.route_order}
            </a>
        </li>
    }
}
