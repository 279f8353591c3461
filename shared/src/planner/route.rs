//! Route order for one inspector-day: nearest neighbour from the start location, improved by 2-opt.
//!
//! Routes are closed tours (start -> visits -> back to the start), because the day's capacity
//! includes the drive home or back to the office. A day has a handful of stops, so a full distance
//! matrix and exhaustive 2-opt are cheap.

use crate::coords::Wgs84;

/// Visit indices (into the given stops) in driving order, with tour lengths in metres.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteOrder {
    pub order: Vec<usize>,
    pub length_m: f64,
    /// Length of the plain nearest-neighbour tour the order started from.
    pub nearest_neighbour_m: f64,
}

/// Symmetric Haversine distances; index 0 is the start, stop `i` is index `i + 1`.
struct Distances {
    size: usize,
    metres: Vec<f64>,
}

impl Distances {
    fn new(start: Wgs84, stops: &[Wgs84]) -> Distances {
        let points: Vec<Wgs84> = std::iter::once(start)
            .chain(stops.iter().copied())
            .collect();
        let size = points.len();
        let mut metres = vec![0.0; size * size];
        for i in 0..size {
            for j in i + 1..size {
                let d = points[i].distance_m(points[j]);
                metres[i * size + j] = d;
                metres[j * size + i] = d;
            }
        }
        Distances { size, metres }
    }

    fn get(&self, a: usize, b: usize) -> f64 {
        self.metres[a * self.size + b]
    }

    /// Length of the closed tour 0 -> seq... -> 0, where `seq` holds matrix indices.
    fn closed(&self, seq: &[usize]) -> f64 {
        let mut at = 0;
        let mut total = 0.0;
        for &next in seq.iter().chain([&0]) {
            total += self.get(at, next);
            at = next;
        }
        total
    }
}

/// Length in metres of the closed tour start -> stops in `order` -> start.
pub fn closed_tour_m(start: Wgs84, stops: &[Wgs84], order: &[usize]) -> f64 {
    let mut at = start;
    let mut total = 0.0;
    for next in order.iter().map(|&i| stops[i]).chain([start]) {
        total += at.distance_m(next);
        at = next;
    }
    total
}

fn nearest_neighbour(d: &Distances) -> Vec<usize> {
    let mut unvisited: Vec<usize> = (1..d.size).collect();
    let mut seq = Vec::with_capacity(unvisited.len());
    let mut at = 0;
    while !unvisited.is_empty() {
        // Ties go to the lower index, so the tour is the same on every platform.
        let (pos, _) = unvisited
            .iter()
            .enumerate()
            .fold((0, f64::INFINITY), |best, (pos, &j)| {
                let dist = d.get(at, j);
                if dist < best.1 {
                    (pos, dist)
                } else {
                    best
                }
            });
        at = unvisited.remove(pos);
        seq.push(at);
    }
    seq
}

/// Reverses segments while that shortens the tour; only strict improvements are applied, so the
/// result is never longer than the input.
fn two_opt(d: &Distances, seq: &mut [usize]) {
    let n = seq.len();
    let node = |seq: &[usize], i: usize| if i == 0 || i > n { 0 } else { seq[i - 1] };
    let mut improved = true;
    while improved {
        improved = false;
        for i in 1..n {
            for j in i + 1..=n {
                let (a, b) = (node(seq, i - 1), node(seq, i));
                let (c, e) = (node(seq, j), node(seq, j + 1));
                let delta = d.get(a, c) + d.get(b, e) - d.get(a, b) - d.get(c, e);
                if delta < -1e-6 {
                    seq[i - 1..j].reverse();
                    improved = true;
                }
            }
        }
    }
}

/// The driving order of `stops` from and back to `start`.
pub fn order_route(start: Wgs84, stops: &[Wgs84]) -> RouteOrder {
    let d = Distances::new(start, stops);
    let mut seq = nearest_neighbour(&d);
    let nearest_neighbour_m = d.closed(&seq);
    two_opt(&d, &mut seq);
    let length_m = d.closed(&seq);
    debug_assert!(
        length_m <= nearest_neighbour_m + 1e-6,
        "2-opt lengthened the route: {length_m} > {nearest_neighbour_m}"
    );
    RouteOrder {
        order: seq.into_iter().map(|i| i - 1).collect(),
        length_m,
        nearest_neighbour_m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(lat: f64, lon: f64) -> Wgs84 {
        Wgs84 { lat, lon }
    }

    #[test]
    fn an_empty_day_has_an_empty_route() {
        let route = order_route(p(52.0, 5.0), &[]);
        assert!(route.order.is_empty());
        assert_eq!(route.length_m, 0.0);
    }

    #[test]
    fn two_opt_untangles_a_crossing_route() {
        // A square visited corner to corner crosses itself; 2-opt must walk round it instead.
        let start = p(52.0, 5.0);
        let stops = [p(52.0, 5.1), p(52.1, 5.1), p(52.1, 5.0)];
        let crossed = closed_tour_m(start, &stops, &[1, 0, 2]);
        let route = order_route(start, &stops);
        assert!(route.length_m < crossed);
        assert!((route.length_m - closed_tour_m(start, &stops, &route.order)).abs() < 1e-6);
    }

    proptest! {
        #[test]
        fn the_improved_route_is_never_longer_than_nearest_neighbour(
            start in (50.8f64..53.5, 3.4f64..7.2),
            stops in prop::collection::vec((50.8f64..53.5, 3.4f64..7.2), 0..25),
        ) {
            let start = p(start.0, start.1);
            let stops: Vec<Wgs84> = stops.into_iter().map(|(a, b)| p(a, b)).collect();
            let route = order_route(start, &stops);
            prop_assert!(route.length_m <= route.nearest_neighbour_m + 1e-6);
            prop_assert!(route.length_m <= 1.5 * route.nearest_neighbour_m + 1e-6);
            let mut seen = route.order.clone();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..stops.len()).collect::<Vec<_>>());
            prop_assert!((route.length_m - closed_tour_m(start, &stops, &route.order)).abs() < 1e-3);
        }
    }
}
