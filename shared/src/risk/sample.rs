//! The fail-safe random sample (steekproef): low-priority sites still get visited now and then.
//!
//! The draw must be reproducible (an auditor can recompute why a site was visited) and identical
//! on the tablet (wasm32) and the server (x86_64), and must not change when a dependency is
//! upgraded. So it uses its own generator, SplitMix64 (Steele, Lea & Flood, "Fast splittable
//! pseudorandom number generators", OOPSLA 2014; constants as in Vigna's reference `splitmix64.c`),
//! which is only integer arithmetic with wrapping, defined the same on every target.
//!
//! Every candidate gets a key from (seed, date, site id) and the lowest keys are drawn. Keys do not
//! depend on the order or size of the pool, so adding or removing one site never reshuffles the
//! others.

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

/// SplitMix64: a 64-bit state advanced by the golden-ratio increment, output through a bijective
/// finaliser.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        mix64(self.state)
    }
}

/// The SplitMix64 finaliser (a variant of MurmurHash3's fmix64).
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The seed of one day's draw: the agency's seed advanced by the day number.
fn day_seed(seed: u64, date: NaiveDate) -> u64 {
    // num_days_from_ce is positive for every date we plan; the cast keeps its bits.
    let day = date.num_days_from_ce() as u64;
    SplitMix64::new(seed ^ mix64(day)).next_u64()
}

/// The draw key of one site on one date: lower keys are drawn first.
pub fn sample_key(seed: u64, date: NaiveDate, site_id: Uuid) -> u64 {
    let (hi, lo) = site_id.as_u64_pair();
    mix64(mix64(day_seed(seed, date) ^ hi) ^ lo)
}

/// Draws up to `count` distinct sites from `pool`, in draw order.
pub fn draw_sample(pool: &[Uuid], count: usize, seed: u64, date: NaiveDate) -> Vec<Uuid> {
    let day = day_seed(seed, date);
    let mut keyed: Vec<(u64, Uuid)> = pool
        .iter()
        .map(|&id| {
            let (hi, lo) = id.as_u64_pair();
            (mix64(mix64(day ^ hi) ^ lo), id)
        })
        .collect();
    keyed.sort_unstable();
    keyed.dedup_by_key(|k| k.1);
    keyed.into_iter().take(count).map(|(_, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pool(n: u128) -> Vec<Uuid> {
        (1..=n)
            .map(|i| Uuid::from_u128(i * 0x1234_5678_9abc_def1))
            .collect()
    }

    fn date(days: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(days)
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // First outputs of Vigna's splitmix64.c for seed 0 (also java.util.SplittableRandom's).
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(rng.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(rng.next_u64(), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn the_sample_ignores_the_order_of_the_pool() {
        let forward = pool(200);
        let mut backward = forward.clone();
        backward.reverse();
        assert_eq!(
            draw_sample(&forward, 10, 7, date(0)),
            draw_sample(&backward, 10, 7, date(0))
        );
    }

    #[test]
    fn the_sample_key_agrees_with_the_draw_order() {
        let sites = pool(50);
        let drawn = draw_sample(&sites, 50, 99, date(3));
        let keys: Vec<u64> = drawn
            .iter()
            .map(|&id| sample_key(99, date(3), id))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    }

    proptest! {
        #[test]
        fn the_same_seed_and_date_draw_the_same_sample(seed: u64, day in 0i64..3650, n in 1u128..300, k in 0usize..20) {
            let sites = pool(n);
            prop_assert_eq!(draw_sample(&sites, k, seed, date(day)), draw_sample(&sites, k, seed, date(day)));
        }

        #[test]
        fn another_date_draws_another_sample(seed: u64, day in 0i64..3650) {
            // From 1,000 sites, two independent draws of 10 coincide with negligible probability.
            let sites = pool(1000);
            prop_assert_ne!(draw_sample(&sites, 10, seed, date(day)), draw_sample(&sites, 10, seed, date(day + 1)));
        }

        #[test]
        fn a_sample_never_draws_a_site_twice(seed: u64, n in 0u128..200, k in 0usize..250) {
            let mut sites = pool(n);
            sites.extend(pool(n / 2));
            let drawn = draw_sample(&sites, k, seed, date(0));
            let mut unique = drawn.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), drawn.len());
            prop_assert_eq!(drawn.len(), k.min(n as usize));
        }
    }
}
