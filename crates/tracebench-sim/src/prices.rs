//! A synthetic BTC/USD price series for training cases: `tracebench-sim prices`.
//!
//! A deterministic random walk per seed, in whole cents (integer arithmetic only), with two rates
//! per UTC day: the open at 00:00:00 and the close at 23:59:59. It covers [`FIRST_DAY`] to
//! [`LAST_DAY`], which holds every sim scenario (ransomware starts 2024-05-01) and the chains
//! `tracebench-sim generate` writes (from 2024-04-20 on, 144 blocks a day). Every row's source is
//! `sim:prices:<seed> …`, so a case that imports it is marked synthetic; these are not market
//! data.

use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// First day of the series (UTC).
pub const FIRST_DAY: (i32, u32, u32) = (2024, 4, 1);
/// Last day of the series (UTC).
pub const LAST_DAY: (i32, u32, u32) = (2024, 12, 31);
/// The open of the first day, in cents.
const START_CENTS: u64 = 6_500_000;

/// The source column of every row of the series for `seed`.
pub fn price_source(seed: u64) -> String {
    format!("sim:prices:{seed} (SYNTHETIC random walk, not market data)")
}

/// The series for `seed` as CSV (`asset,time_utc,currency,rate,source`), ready for
/// `tracebench prices import`.
pub fn price_series_csv(seed: u64) -> String {
    let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 0x7072_6963_6573);
    let source = price_source(seed);
    let day =
        |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
    let (first, last) = (day(FIRST_DAY), day(LAST_DAY));
    let mut out = String::from("asset,time_utc,currency,rate,source\n");
    let mut cents = START_CENTS;
    let mut date = first;
    while date <= last {
        // A move of at most ±4 % between open and close, and a smaller gap overnight.
        let open = step(&mut rng, cents, 100);
        let close = step(&mut rng, open, 400);
        for (time, value) in [("00:00:00", open), ("23:59:59", close)] {
            out.push_str(&format!(
                "BTC,{date}T{time}Z,USD,{}.{:02},\"{source}\"\n",
                value / 100,
                value % 100
            ));
        }
        cents = close;
        date = match date.checked_add_days(Days::new(1)) {
            Some(d) => d,
            None => break,
        };
    }
    out
}

/// `cents` moved by a random amount of at most `max_bp` basis points, never below $1,000.
fn step(rng: &mut ChaCha20Rng, cents: u64, max_bp: i64) -> u64 {
    let bp = rng.random_range(-max_bp..=max_bp);
    let moved = (cents as i128 * (10_000 + bp as i128) / 10_000) as u64;
    moved.max(100_000)
}
