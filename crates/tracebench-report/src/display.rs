//! Formatting at the edge: satoshi to BTC text, times to UTC text, short node labels, and
//! making outside text safe to typeset.

use chrono::{DateTime, SecondsFormat, Utc};

/// Satoshi as BTC with exactly eight decimals, from integers only.
pub fn btc(sat: u64) -> String {
    format!("{}.{:08}", sat / 100_000_000, sat % 100_000_000)
}

/// A point in time as "2024-05-01 12:00:00 UTC".
pub fn utc(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// Unix seconds as "2024-05-01 12:00:00 UTC"; out-of-range values are shown raw.
pub fn utc_from_unix(seconds: i64) -> String {
    DateTime::<Utc>::from_timestamp(seconds, 0)
        .map_or_else(|| format!("unix {seconds}"), |t| utc(&t))
}

/// An RFC 3339 string normalised to "2024-05-01 12:00:00 UTC" (sub-seconds kept); a string
/// that does not parse is shown as given, so nothing is silently lost.
pub fn utc_from_rfc3339(text: &str) -> String {
    match DateTime::parse_from_rfc3339(text.trim()) {
        Ok(t) => {
            let t = t.with_timezone(&Utc);
            if t.timestamp_subsec_nanos() == 0 {
                utc(&t)
            } else {
                let full = t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
                format!("{} UTC", full.trim_end_matches('Z').replacen('T', " ", 1))
            }
        }
        Err(_) => text.to_string(),
    }
}

/// The id part of a node id ("btc:addr:<address>" → address), shortened to the first 8 and
/// last 4 characters: "bc1qxy2k…0wlh".
pub fn short_id(node_id: &str) -> String {
    let part = node_id.rsplit(':').next().unwrap_or(node_id);
    let chars: Vec<char> = part.chars().collect();
    if chars.len() <= 13 {
        return part.to_string();
    }
    let head: String = chars[..8].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// Outside text as plain printable text on one line: control characters (including line
/// breaks) become spaces. Text is never interpreted, only shown.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn btc_has_exactly_eight_decimals() {
        assert_eq!(btc(0), "0.00000000", "zero keeps all eight decimals");
        assert_eq!(btc(1), "0.00000001", "one satoshi is the eighth decimal");
        assert_eq!(
            btc(123_456_789),
            "1.23456789",
            "whole and fractional parts split at 1e8"
        );
        assert_eq!(
            btc(2_100_000_000_000_000),
            "21000000.00000000",
            "the supply cap formats without float rounding"
        );
    }

    #[test]
    fn times_are_utc_text() {
        assert_eq!(
            utc_from_unix(1_714_564_800),
            "2024-05-01 12:00:00 UTC",
            "unix seconds"
        );
        assert_eq!(
            utc_from_rfc3339("2024-05-01T14:00:00+02:00"),
            "2024-05-01 12:00:00 UTC",
            "offsets are converted to UTC"
        );
        assert_eq!(
            utc_from_rfc3339("2024-05-01T12:00:00.250Z"),
            "2024-05-01 12:00:00.250 UTC",
            "sub-seconds are kept"
        );
        assert_eq!(
            utc_from_rfc3339("yesterday"),
            "yesterday",
            "unparseable text is shown as given"
        );
    }

    #[test]
    fn short_ids_keep_head_and_tail() {
        assert_eq!(
            short_id("btc:addr:bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"),
            "bc1qxy2k…0wlh",
            "first 8 + … + last 4 of the address"
        );
        assert_eq!(short_id("btc:tx:abc"), "abc", "short ids are not shortened");
    }
}
