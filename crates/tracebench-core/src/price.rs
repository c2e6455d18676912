//! Fiat values: price series imported from CSV with provenance, and the valuation of a
//! transfer by a stated rule.
//!
//! A price file is CSV with a header naming the columns `asset`, `time_utc` (also accepted:
//! `time`, `utc_time`), `currency`, `rate` and `source`, in any order. Every line must be valid
//! or nothing is imported; errors name the line. Rates are exact decimals (digits with an
//! optional fraction, no sign, no exponent), kept as text; nothing is ever a float. The file's
//! exact bytes are stored as a raw response (source id `prices:<first 16 hex digits of its
//! SHA-256>`, endpoint `import:<file name>`), and every rate points at it and at its line. A rate
//! whose `source` starts with `sim:` is synthetic and marks the case synthetic.
//!
//! **Valuation rule** ([`DAILY_CLOSE_RULE`]): a transfer confirmed at block time T is valued at
//! the daily UTC close of its asset in the chosen currency on T's UTC calendar date D: the rate
//! whose time is the latest within D 00:00:00 – D 23:59:59 UTC. A date without a rate gives "no
//! rate": there is no interpolation and no fall-back to another day. The fiat amount is
//! amount × rate / 10^decimals(asset), rounded half-to-even to cents, computed exactly on
//! decimal digits.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::store::{sha256_hex, AuditAction, Case, CaseError, RawResponse};

/// The valuation rule every [`Valuation`] names.
pub const DAILY_CLOSE_RULE: &str = "daily UTC close: the rate with the latest time on the block's UTC date; no rate on that date means no value (never interpolated)";

/// One rate as stored in the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRate {
    /// The raw response holding the imported file.
    pub raw_id: i64,
    /// 1-based line of the file.
    pub line: usize,
    pub asset: String,
    /// RFC 3339 UTC, seconds precision (`2024-04-20T23:59:59Z`).
    pub time_utc: String,
    pub unix_time: i64,
    pub currency: String,
    /// Exact decimal, as text.
    pub rate: String,
    pub source: String,
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceImport {
    pub rows: usize,
    /// `prices:<sha256 prefix>`: the provenance source id of the stored file.
    pub source_id: String,
    pub sha256: String,
    pub synthetic: bool,
}

/// A series of the case: one (asset, currency, source), with its extent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceSeries {
    pub asset: String,
    pub currency: String,
    pub source: String,
    pub rates: usize,
    pub first_utc: String,
    pub last_utc: String,
}

/// A transfer's fiat value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Valuation {
    /// Exact decimal with two places (cents), rounded half-to-even.
    pub fiat: String,
    pub currency: String,
    /// The rate used, as imported.
    pub rate: String,
    pub rate_time_utc: String,
    pub source: String,
    /// The raw response (imported file) the rate came from.
    pub raw_id: i64,
    pub rule: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PriceError {
    #[error("{file}: {} invalid line(s), nothing imported:\n{}", lines.len(), render(lines))]
    Invalid {
        file: String,
        lines: Vec<(usize, String)>,
    },
    #[error("{file} (SHA-256 {sha256}) was already imported")]
    AlreadyImported { file: String, sha256: String },
    #[error("amount {0:?} is not a whole number of base units")]
    Amount(String),
    #[error("asset {0:?} has no known number of decimals (known: BTC, ETH, and CAIP-19 slip44:0 / slip44:60 native assets)")]
    UnknownAsset(String),
    #[error("block time {0} is out of range")]
    Time(i64),
    #[error(transparent)]
    Case(#[from] CaseError),
}

fn render(lines: &[(usize, String)]) -> String {
    lines
        .iter()
        .map(|(l, r)| format!("line {l}: {r}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Decimal places of an asset's base unit (satoshi: 8; wei: 18).
pub fn asset_decimals(asset: &str) -> Option<u32> {
    match asset {
        "BTC" => Some(8),
        "ETH" => Some(18),
        a if a.ends_with("/slip44:0") => Some(8),
        a if a.ends_with("/slip44:60") => Some(18),
        _ => None,
    }
}

/// Checks an exact decimal rate: digits, optionally `.` and digits; greater than zero. Returns
/// it without leading zeros in the integer part.
pub fn parse_rate(s: &str) -> Result<String, String> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return Err(format!(
            "rate {s:?} is not a plain decimal (digits, optionally a point and digits; no sign, exponent or separators)"
        ));
    }
    if s.bytes().all(|b| b == b'0' || b == b'.') {
        return Err(format!("rate {s:?} is zero"));
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Ok(match frac {
        Some(f) => format!("{int}.{f}"),
        None => int.to_string(),
    })
}

/// Parses an RFC 3339 time that must be UTC (`Z` or `+00:00`); returns (canonical text, unix).
fn parse_utc(s: &str) -> Result<(String, i64), String> {
    let t = DateTime::parse_from_rfc3339(s)
        .map_err(|e| format!("time {s:?} is not RFC 3339 ({e}), e.g. 2024-04-20T23:59:59Z"))?;
    if t.offset().local_minus_utc() != 0 {
        return Err(format!("time {s:?} is not UTC (use Z or +00:00)"));
    }
    if t.timestamp_subsec_nanos() != 0 {
        return Err(format!("time {s:?} has fractions of a second"));
    }
    let utc = t.with_timezone(&Utc);
    Ok((
        utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        utc.timestamp(),
    ))
}

/// Parses a price file strictly: every line valid, or the list of invalid lines.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<PriceRate>, Vec<(usize, String)>> {
    let mut invalid = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return Err(vec![(1, format!("the file is not UTF-8 text ({e})"))]),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(vec![(1, format!("header: {e}"))]),
        None => return Err(vec![(1, "the file is empty".to_string())]),
    };
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(&h.trim().to_ascii_lowercase().as_str()))
    };
    let columns = (
        find(&["asset"]),
        find(&["time_utc", "utc_time", "time"]),
        find(&["currency"]),
        find(&["rate"]),
        find(&["source"]),
    );
    let (Some(asset), Some(time), Some(currency), Some(rate), Some(source)) = columns else {
        return Err(vec![(
            1,
            format!(
                "the header must name asset, time_utc, currency, rate and source; it has {:?}",
                header.iter().collect::<Vec<_>>()
            ),
        )]);
    };
    let mut rates = Vec::new();
    let mut seen: BTreeSet<(String, String, i64)> = BTreeSet::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                invalid.push((line, format!("not CSV: {e}")));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.len() != header.len() {
            invalid.push((
                line,
                format!("{} field(s), the header has {}", rec.len(), header.len()),
            ));
            continue;
        }
        let cell = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        let check = || -> Result<PriceRate, String> {
            let asset = cell(asset);
            if asset_decimals(&asset).is_none() {
                return Err(format!(
                    "asset {asset:?} is not one Tracebench can value (BTC, ETH, or a CAIP-19 slip44:0 / slip44:60 native asset)"
                ));
            }
            let currency = cell(currency);
            if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(format!(
                    "currency {currency:?} is not an ISO 4217 code (three capital letters, e.g. USD)"
                ));
            }
            let (time_utc, unix_time) = parse_utc(&cell(time))?;
            let rate = parse_rate(&cell(rate))?;
            let source = cell(source);
            if source.is_empty() || source.chars().any(char::is_control) {
                return Err("source is empty; name where the rate comes from".to_string());
            }
            Ok(PriceRate {
                raw_id: 0,
                line,
                asset,
                time_utc,
                unix_time,
                currency,
                rate,
                source,
            })
        };
        match check() {
            Ok(r) => {
                if seen.insert((r.asset.clone(), r.currency.clone(), r.unix_time)) {
                    rates.push(r);
                } else {
                    invalid.push((
                        line,
                        format!(
                            "a second {} {} rate for {}",
                            r.asset, r.currency, r.time_utc
                        ),
                    ));
                }
            }
            Err(reason) => invalid.push((line, reason)),
        }
    }
    if rates.is_empty() && invalid.is_empty() {
        invalid.push((2, "the file holds no rates".to_string()));
    }
    if invalid.is_empty() {
        Ok(rates)
    } else {
        Err(invalid)
    }
}

/// Imports a price file into `case`: all of it, or nothing. A rate for an (asset, currency,
/// time) the case already holds is an error naming the line. The import is appended to the
/// audit log (action `prices.import`) by `user` at `now`.
pub fn import(
    case: &mut Case,
    bytes: &[u8],
    file_name: &str,
    now: DateTime<Utc>,
    user: &str,
) -> Result<PriceImport, PriceError> {
    let file = file_name.replace(char::is_control, " ");
    let sha256 = sha256_hex(bytes);
    let source_id = format!("prices:{}", &sha256[..16]);
    if case.has_raw(&source_id, &sha256)? {
        return Err(PriceError::AlreadyImported { file, sha256 });
    }
    let rates = parse_csv(bytes).map_err(|lines| PriceError::Invalid {
        file: file.clone(),
        lines,
    })?;
    let clashes: Vec<(usize, String)> = rates
        .iter()
        .filter_map(|r| {
            case.price_rate_at(&r.asset, &r.currency, r.unix_time)
                .transpose()
                .map(|found| (r, found))
        })
        .map(|(r, found)| {
            found.map(|old| {
                (
                    r.line,
                    format!(
                        "the case already holds a {} {} rate for {} (line {} of raw response {})",
                        r.asset, r.currency, r.time_utc, old.line, old.raw_id
                    ),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    if !clashes.is_empty() {
        return Err(PriceError::Invalid {
            file,
            lines: clashes,
        });
    }
    let synthetic = rates.iter().any(|r| r.source.starts_with("sim:"));
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let raw = RawResponse {
        source_id: source_id.clone(),
        endpoint: format!("import:{file}"),
        request: format!("import {file} ({} bytes)", bytes.len()),
        retrieved_at: at.clone(),
        status: 0,
        content_type: Some("text/csv".to_string()),
        body: bytes.to_vec(),
    };
    let action = AuditAction {
        at_utc: at,
        user: user.to_string(),
        action: "prices.import".to_string(),
        detail: serde_json::json!({
            "file": file,
            "sha256": sha256,
            "rates": rates.len(),
            "source_id": source_id,
        }),
    };
    case.audited(action, |c| c.add_price_rates(&raw, synthetic, &rates))?;
    Ok(PriceImport {
        rows: rates.len(),
        source_id,
        sha256,
        synthetic,
    })
}

/// Values `amount` base units of `asset` (e.g. satoshi of `BTC`) confirmed at `block_time`
/// (unix seconds) in `currency` by the daily UTC close ([`DAILY_CLOSE_RULE`]). `None`: no rate
/// on that date.
pub fn value_transfer(
    case: &Case,
    asset: &str,
    amount: &str,
    block_time: i64,
    currency: &str,
) -> Result<Option<Valuation>, PriceError> {
    if amount.is_empty() || !amount.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PriceError::Amount(amount.to_string()));
    }
    let decimals = asset_decimals(asset).ok_or_else(|| PriceError::UnknownAsset(asset.into()))?;
    let date = DateTime::<Utc>::from_timestamp(block_time, 0)
        .ok_or(PriceError::Time(block_time))?
        .date_naive();
    let Some(rate) = case.daily_close(asset, currency, date)? else {
        return Ok(None);
    };
    Ok(Some(Valuation {
        fiat: fiat_amount(amount, &rate.rate, decimals),
        currency: rate.currency,
        rate: rate.rate,
        rate_time_utc: rate.time_utc,
        source: rate.source,
        raw_id: rate.raw_id,
        rule: DAILY_CLOSE_RULE.to_string(),
    }))
}

/// The UTC day `date` as [start, end] unix seconds.
pub fn utc_day(date: NaiveDate) -> (i64, i64) {
    let start = date
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp())
        .unwrap_or_default();
    (start, start + 86_399)
}

/// amount × rate / 10^decimals, rounded half-to-even to two decimal places, exactly.
/// `amount` is a string of digits, `rate` a checked decimal ([`parse_rate`]).
pub fn fiat_amount(amount: &str, rate: &str, decimals: u32) -> String {
    let (int, frac) = rate.split_once('.').unwrap_or((rate, ""));
    let mantissa = format!("{int}{frac}");
    let scale = frac.len() as u32 + decimals;
    let product = multiply(amount, &mantissa);
    // The product has `scale` decimal places; keep two, round half-to-even on the rest.
    let mut digits: Vec<u8> = product.bytes().map(|b| b - b'0').collect();
    let keep_frac = 2u32;
    if scale < keep_frac {
        digits.extend(std::iter::repeat_n(0, (keep_frac - scale) as usize));
    } else {
        let drop = (scale - keep_frac) as usize;
        if drop > 0 {
            if digits.len() < drop + 1 {
                let pad = drop + 1 - digits.len();
                let mut padded = vec![0u8; pad];
                padded.extend(digits);
                digits = padded;
            }
            let cut = digits.len() - drop;
            let dropped = digits.split_off(cut);
            let first = dropped[0];
            let rest_nonzero = dropped[1..].iter().any(|d| *d != 0);
            let last_odd = digits.last().is_some_and(|d| d % 2 == 1);
            if first > 5 || (first == 5 && (rest_nonzero || last_odd)) {
                increment(&mut digits);
            }
        }
    }
    while digits.len() < 3 {
        digits.insert(0, 0);
    }
    let split = digits.len() - 2;
    let int: String = digits[..split]
        .iter()
        .map(|d| char::from(b'0' + d))
        .collect();
    let int = int.trim_start_matches('0');
    let frac: String = digits[split..]
        .iter()
        .map(|d| char::from(b'0' + d))
        .collect();
    format!("{}.{frac}", if int.is_empty() { "0" } else { int })
}

/// Schoolbook multiplication of two decimal digit strings.
fn multiply(a: &str, b: &str) -> String {
    let a: Vec<u32> = a.bytes().rev().map(|d| u32::from(d - b'0')).collect();
    let b: Vec<u32> = b.bytes().rev().map(|d| u32::from(d - b'0')).collect();
    let mut out = vec![0u32; a.len() + b.len()];
    for (i, x) in a.iter().enumerate() {
        let mut carry = 0;
        for (j, y) in b.iter().enumerate() {
            let v = out[i + j] + x * y + carry;
            out[i + j] = v % 10;
            carry = v / 10;
        }
        let mut k = i + b.len();
        while carry > 0 {
            let v = out[k] + carry;
            out[k] = v % 10;
            carry = v / 10;
            k += 1;
        }
    }
    let s: String = out
        .iter()
        .rev()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect();
    let s = s.trim_start_matches('0');
    if s.is_empty() {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn increment(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiat_amount_is_exact_and_rounds_half_to_even() {
        assert_eq!(
            fiat_amount("100000000", "63891.57", 8),
            "63891.57",
            "one BTC at the rate is the rate"
        );
        assert_eq!(
            fiat_amount("150000000", "0.01", 8),
            "0.02",
            "0.015 rounds to the even cent 0.02"
        );
        assert_eq!(
            fiat_amount("250000000", "0.01", 8),
            "0.02",
            "0.025 rounds to the even cent 0.02"
        );
        assert_eq!(
            fiat_amount("250000001", "0.01", 8),
            "0.03",
            "just above a half rounds up"
        );
        assert_eq!(
            fiat_amount("1", "1", 8),
            "0.00",
            "one satoshi at 1 is 0.00000001"
        );
        assert_eq!(
            fiat_amount("2100000000000000", "123456789.123456789", 8),
            "2592592571592592.57",
            "21 million BTC at a huge rate stays exact (no overflow, no float)"
        );
        assert_eq!(fiat_amount("0", "5", 8), "0.00", "nothing is worth nothing");
    }

    #[test]
    fn rates_must_be_plain_positive_decimals() {
        assert_eq!(
            parse_rate("0063891.50"),
            Ok("63891.50".to_string()),
            "leading zeros dropped"
        );
        for bad in [
            "", "-1", "1e5", "1,000.00", "1.", ".5", "0.000", "NaN", " 1",
        ] {
            assert!(parse_rate(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
