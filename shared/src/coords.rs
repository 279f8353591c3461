//! WGS84 <-> RD New (EPSG:28992, Rijksdriehoeksstelsel) for imports from Dutch registers.
//!
//! Uses the polynomial approximation of Schreutelkamp & Strang van Hees ("Benaderingsformules voor de
//! transformatie tussen RD- en WGS84-kaartcoördinaten"): accurate to about 1 m inside the Netherlands,
//! which is plenty for routing and map pins, and pure arithmetic, so it runs the same on the tablet.
//! Parcel-level precision would need the official RDNAPTRANS grid, which is not needed here.

use serde::{Deserialize, Serialize};

/// A WGS84 position in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Wgs84 {
    pub lat: f64,
    pub lon: f64,
}

/// An RD New position in metres (x east, y north).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rd {
    pub x: f64,
    pub y: f64,
}

/// The Amersfoort origin of RD in both systems.
const X0: f64 = 155_000.0;
const Y0: f64 = 463_000.0;
const PHI0: f64 = 52.155_174_40;
const LAM0: f64 = 5.387_206_21;

/// (p, q, coefficient) terms: latitude offset in arc seconds from dX^p * dY^q, with dX, dY in 100 km.
const K: [(i32, i32, f64); 11] = [
    (0, 1, 3_235.653_89),
    (2, 0, -32.582_97),
    (0, 2, -0.247_50),
    (2, 1, -0.849_78),
    (0, 3, -0.065_50),
    (2, 2, -0.017_09),
    (1, 0, -0.007_38),
    (4, 0, 0.005_30),
    (2, 3, -0.000_39),
    (4, 1, 0.000_33),
    (1, 1, -0.000_12),
];

/// Longitude offset in arc seconds.
const L: [(i32, i32, f64); 12] = [
    (1, 0, 5_260.529_16),
    (1, 1, 105.946_84),
    (1, 2, 2.456_56),
    (3, 0, -0.818_85),
    (1, 3, 0.055_94),
    (3, 1, -0.056_07),
    (0, 1, 0.011_99),
    (3, 2, -0.002_56),
    (1, 4, 0.001_28),
    (0, 2, 0.000_22),
    (2, 0, -0.000_22),
    (5, 0, 0.000_26),
];

/// x offset in metres from dPhi^p * dLam^q, with dPhi, dLam in units of 10,000 arc seconds.
const R: [(i32, i32, f64); 9] = [
    (0, 1, 190_094.945),
    (1, 1, -11_832.228),
    (2, 1, -114.221),
    (0, 3, -32.391),
    (1, 0, -0.705),
    (3, 1, -2.340),
    (1, 3, -0.608),
    (0, 2, -0.008),
    (2, 3, 0.148),
];

/// y offset in metres.
const S: [(i32, i32, f64); 10] = [
    (1, 0, 309_056.544),
    (0, 2, 3_638.893),
    (2, 0, 73.077),
    (1, 2, -157.984),
    (3, 0, 59.788),
    (0, 1, 0.433),
    (2, 2, -6.439),
    (1, 1, -0.032),
    (0, 4, 0.092),
    (1, 4, -0.054),
];

fn poly(terms: &[(i32, i32, f64)], a: f64, b: f64) -> f64 {
    terms
        .iter()
        .map(|&(p, q, c)| c * a.powi(p) * b.powi(q))
        .sum()
}

impl Rd {
    pub fn to_wgs84(self) -> Wgs84 {
        let dx = (self.x - X0) * 1e-5;
        let dy = (self.y - Y0) * 1e-5;
        Wgs84 {
            lat: PHI0 + poly(&K, dx, dy) / 3600.0,
            lon: LAM0 + poly(&L, dx, dy) / 3600.0,
        }
    }
}

impl Wgs84 {
    pub fn to_rd(self) -> Rd {
        let dphi = 0.36 * (self.lat - PHI0);
        let dlam = 0.36 * (self.lon - LAM0);
        Rd {
            x: X0 + poly(&R, dphi, dlam),
            y: Y0 + poly(&S, dphi, dlam),
        }
    }

    /// Great-circle distance in metres (Haversine, mean Earth radius), as the planner measures routes.
    pub fn distance_m(self, other: Wgs84) -> f64 {
        use geo::{Distance, Haversine, Point};
        Haversine.distance(
            Point::new(self.lon, self.lat),
            Point::new(other.lon, other.lat),
        )
    }
}

/// The on-site radius an agency uses unless it sets its own: a position within this many metres of
/// the site (plus the position's reported accuracy, see [`on_site`]) counts as on site. 250 m covers
/// the yard of a large farm or plant measured from its address point.
pub const DEFAULT_ON_SITE_RADIUS_M: u32 = 250;

/// The most a reported GPS accuracy widens the radius: a fix worse than this says little.
pub const MAX_ACCURACY_ALLOWANCE_M: f64 = 750.0;

crate::wire_enum! {
    /// Where the device was, relative to the site, when something was recorded.
    pub enum OnSite {
        /// Within the radius (widened by the reported accuracy).
        Near = "near",
        /// Further away than that.
        Far = "far",
        /// No (usable) position.
        Unknown = "unknown",
    }
}

/// The on-site verdict and the distance it rests on, for a device position with its reported
/// accuracy. One rule for the tablet (what the inspector sees) and the server (what it records).
pub fn on_site(
    site: Wgs84,
    position: Option<(Wgs84, Option<f64>)>,
    radius_m: u32,
) -> (OnSite, Option<f64>) {
    let Some((at, accuracy)) = position else {
        return (OnSite::Unknown, None);
    };
    let valid = |v: f64, limit: f64| v.is_finite() && v.abs() <= limit;
    if !(valid(at.lat, 90.0) && valid(at.lon, 180.0)) {
        return (OnSite::Unknown, None);
    }
    let distance = at.distance_m(site);
    let allowance = accuracy
        .filter(|a| a.is_finite())
        .unwrap_or(0.0)
        .clamp(0.0, MAX_ACCURACY_ALLOWANCE_M);
    let verdict = if distance <= f64::from(radius_m) + allowance {
        OnSite::Near
    } else {
        OnSite::Far
    };
    (verdict, Some(distance))
}

/// A point of a drawn map (the team lead's day board, the tablet's route map): a position projected
/// onto a `width` x `height` box that holds every point with a margin, north up, with the east-west scale corrected for the
/// latitude so distances look right (an equirectangular projection; enough for one region).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapPoint {
    pub x: f64,
    pub y: f64,
}

/// Projects `(lat, lon)` pairs into the box; an empty input gives an empty output, a single point
/// lands in the middle.
pub fn project(points: &[(f64, f64)], width: f64, height: f64, margin: f64) -> Vec<MapPoint> {
    if points.is_empty() {
        return Vec::new();
    }
    let (mut lat_min, mut lat_max) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut lon_min, mut lon_max) = (f64::INFINITY, f64::NEG_INFINITY);
    for &(lat, lon) in points {
        lat_min = lat_min.min(lat);
        lat_max = lat_max.max(lat);
        lon_min = lon_min.min(lon);
        lon_max = lon_max.max(lon);
    }
    let cos = ((lat_min + lat_max) / 2.0).to_radians().cos();
    // A region of one point (or one line) still gets a box, with the points in its middle.
    let (real_x, real_y) = ((lon_max - lon_min) * cos, lat_max - lat_min);
    let span_x = real_x.max(1e-9);
    let span_y = real_y.max(1e-9);
    let (pad_x, pad_y) = ((span_x - real_x) / 2.0, (span_y - real_y) / 2.0);
    let inner_w = (width - 2.0 * margin).max(0.0);
    let inner_h = (height - 2.0 * margin).max(0.0);
    let scale = (inner_w / span_x).min(inner_h / span_y);
    // Centre the drawing in the box.
    let off_x = margin + (inner_w - span_x * scale) / 2.0;
    let off_y = margin + (inner_h - span_y * scale) / 2.0;
    points
        .iter()
        .map(|&(lat, lon)| MapPoint {
            x: off_x + ((lon - lon_min) * cos + pad_x) * scale,
            y: off_y + (lat_max - lat + pad_y) * scale,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Distance in metres between two nearby WGS84 positions, good to millimetres at these scales.
    fn metres_apart(a: Wgs84, b: Wgs84) -> f64 {
        a.distance_m(b)
    }

    fn rd_apart(a: Rd, b: Rd) -> f64 {
        (a.x - b.x).hypot(a.y - b.y)
    }

    /// Validation points of the Kadaster's RDNAPTRANS™2018 self-test (ETRS89, which at 1 m
    /// accuracy is the same as WGS84): (name, RD x, RD y, latitude, longitude). The polynomials
    /// land 0.2-0.45 m from each of them.
    const REFERENCE: [(&str, f64, f64, f64, f64); 5] = [
        (
            "Texel",
            117_380.12,
            575_040.34,
            53.160_753_042,
            4.824_761_912,
        ),
        (
            "Noord-Groningen",
            247_380.56,
            604_580.78,
            53.419_482_050,
            6.776_726_674,
        ),
        (
            "Amersfoort",
            155_000.0,
            463_000.0,
            52.155_172_897,
            5.387_203_657,
        ),
        (
            "Zeeuws-Vlaanderen",
            16_460.91,
            377_380.23,
            51.368_607_152,
            3.397_588_595,
        ),
        (
            "Zuid-Limburg",
            182_260.45,
            311_480.67,
            50.792_584_916,
            5.773_795_548,
        ),
    ];

    #[test]
    fn the_amersfoort_origin_maps_exactly_onto_its_defined_coordinates() {
        let wgs = Rd {
            x: 155_000.0,
            y: 463_000.0,
        }
        .to_wgs84();
        assert_eq!(
            wgs,
            Wgs84 {
                lat: 52.155_174_40,
                lon: 5.387_206_21
            }
        );
        let rd = Wgs84 {
            lat: 52.155_174_40,
            lon: 5.387_206_21,
        }
        .to_rd();
        assert!(
            rd_apart(
                rd,
                Rd {
                    x: 155_000.0,
                    y: 463_000.0
                }
            ) < 1e-6
        );
    }

    #[test]
    fn reference_points_convert_from_rd_to_wgs84_within_about_a_metre() {
        for (name, x, y, lat, lon) in REFERENCE {
            let err = metres_apart(Rd { x, y }.to_wgs84(), Wgs84 { lat, lon });
            assert!(err < 1.0, "{name}: {err:.2} m off");
        }
    }

    #[test]
    fn reference_points_convert_from_wgs84_to_rd_within_about_a_metre() {
        for (name, x, y, lat, lon) in REFERENCE {
            let err = rd_apart(Wgs84 { lat, lon }.to_rd(), Rd { x, y });
            assert!(err < 1.0, "{name}: {err:.2} m off");
        }
    }

    #[test]
    fn haversine_distance_agrees_with_rd_grid_distance_within_two_per_mille() {
        let amersfoort = Wgs84 {
            lat: 52.155_172_897,
            lon: 5.387_203_657,
        };
        let texel = Wgs84 {
            lat: 53.160_753_042,
            lon: 4.824_761_912,
        };
        let km = amersfoort.distance_m(texel) / 1000.0;
        let rd_km = rd_apart(amersfoort.to_rd(), texel.to_rd()) / 1000.0;
        // RD's scale error stays below 0.1% in the Netherlands; the sphere adds a little more.
        assert!((km - rd_km).abs() / rd_km < 0.002, "{km} vs {rd_km}");
        assert!((117.5..118.5).contains(&km), "{km}");
    }

    proptest! {
        #[test]
        fn a_round_trip_wgs84_to_rd_and_back_stays_within_a_metre(
            lat in 50.70_f64..53.60, lon in 3.30_f64..7.25,
        ) {
            let start = Wgs84 { lat, lon };
            let back = start.to_rd().to_wgs84();
            prop_assert!(metres_apart(start, back) < 1.0, "{:?} -> {:?}", start, back);
        }
    }

    #[test]
    fn the_on_site_verdict_widens_the_radius_by_the_accuracy_within_a_cap() {
        let site = Wgs84 {
            lat: 51.9650,
            lon: 6.2870,
        };
        // About 600 m north of the site.
        let away = Wgs84 {
            lat: 51.9650 + 600.0 / 111_195.0,
            lon: 6.2870,
        };
        let (verdict, distance) = on_site(site, Some((away, Some(10.0))), DEFAULT_ON_SITE_RADIUS_M);
        assert_eq!(verdict, OnSite::Far);
        assert!((distance.unwrap() - 600.0).abs() < 1.0, "{distance:?}");
        assert_eq!(
            on_site(site, Some((away, Some(400.0))), 250).0,
            OnSite::Near
        );
        // A wildly inaccurate fix widens by at most the cap.
        let far = Wgs84 {
            lat: 51.9650 + 1_100.0 / 111_195.0,
            lon: 6.2870,
        };
        assert_eq!(
            on_site(site, Some((far, Some(5_000.0))), 250).0,
            OnSite::Far
        );
        assert_eq!(on_site(site, Some((site, None)), 250).0, OnSite::Near);
        assert_eq!(on_site(site, None, 250), (OnSite::Unknown, None));
        let nonsense = Wgs84 {
            lat: f64::NAN,
            lon: 6.0,
        };
        assert_eq!(
            on_site(site, Some((nonsense, None)), 250).0,
            OnSite::Unknown
        );
        let nonsense = Wgs84 {
            lat: 95.0,
            lon: 6.0,
        };
        assert_eq!(
            on_site(site, Some((nonsense, None)), 250).0,
            OnSite::Unknown
        );
    }

    #[test]
    fn the_map_keeps_north_up_inside_the_box_and_true_to_scale() {
        // Two sites 0.1 degree apart north-south and east-west at 52 degrees north.
        let points = project(&[(52.0, 6.0), (52.1, 6.1)], 400.0, 400.0, 20.0);
        let (sw, ne) = (points[0], points[1]);
        assert!(ne.y < sw.y, "north is up");
        assert!(ne.x > sw.x, "east is right");
        for p in &points {
            assert!(
                (20.0..=380.0).contains(&p.x) && (20.0..=380.0).contains(&p.y),
                "{p:?}"
            );
        }
        // East-west is shorter than north-south by cos(52.05 degrees).
        let ratio = (ne.x - sw.x) / (sw.y - ne.y);
        assert!(
            (ratio - 52.05f64.to_radians().cos()).abs() < 1e-9,
            "{ratio}"
        );
        // One site: the middle. None: nothing.
        assert_eq!(
            project(&[(52.0, 6.0)], 100.0, 50.0, 5.0),
            vec![MapPoint { x: 50.0, y: 25.0 }]
        );
        assert!(project(&[], 100.0, 100.0, 5.0).is_empty());
    }
}
