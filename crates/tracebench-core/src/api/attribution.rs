//! Exchange records: an exchange's answer to a law-enforcement request (CSV of deposits and
//! withdrawals), validated line by line and imported whole or not at all, as off-chain
//! evidence stored with the exact file.
//!
//! Header (any order, case-insensitive): `account_id,address,txid,amount,time` with `amount`
//! in BTC (up to 8 decimals, parsed exactly into satoshi) or `amount_sat` (an integer);
//! optional `direction` (`deposit` | `withdrawal`), else inferred from the case: the address
//! receives in the txid → deposit, spends in it → withdrawal. `time` is RFC 3339 or
//! `YYYY-MM-DD HH:MM:SS` (UTC). Other columns are ignored.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDateTime, Utc};

use super::dto::{ExchangeImport, ExchangeRecordView};
use super::ApiError;
use crate::address::{BtcAddress, Txid};
use crate::chain::BtcNetwork;
use crate::model::Tx;
use crate::source::rfc3339;
use crate::store::{sha256_hex, Case, ExchangeRecord, RawResponse};

/// At most 21 million BTC, in satoshi.
const MAX_SAT: u64 = 21_000_000 * 100_000_000;

/// BTC text with up to eight decimals as satoshi, exactly (no floats).
pub(crate) fn parse_btc(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (t, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || frac.is_some_and(|f| !digits(f)) {
        return Err(format!(
            "amount {t:?} is not a BTC amount (digits, optionally '.' and up to 8 decimals)"
        ));
    }
    let frac = frac.unwrap_or("");
    if frac.len() > 8 {
        return Err(format!(
            "amount {t:?} has more than 8 decimals (finer than a satoshi)"
        ));
    }
    let whole: u64 = whole
        .parse()
        .ok()
        .filter(|w| *w <= 21_000_000)
        .ok_or_else(|| format!("amount {t:?} exceeds 21 million BTC"))?;
    let frac_sat: u64 = format!("{frac:0<8}")
        .parse()
        .map_err(|_| format!("amount {t:?} is not a BTC amount"))?;
    let sat = whole * 100_000_000 + frac_sat;
    if sat > MAX_SAT {
        return Err(format!("amount {t:?} exceeds 21 million BTC"));
    }
    Ok(sat)
}

fn parse_sat(text: &str) -> Result<u64, String> {
    let t = text.trim();
    t.parse::<u64>()
        .ok()
        .filter(|s| *s <= MAX_SAT)
        .ok_or_else(|| {
            format!("amount_sat {t:?} is not a whole number of satoshi up to 21 million BTC")
        })
}

fn parse_time(text: &str) -> Result<String, String> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(rfc3339(d.with_timezone(&Utc)));
    }
    NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
        .map(|n| rfc3339(n.and_utc()))
        .map_err(|_| format!("time {t:?} is neither RFC 3339 nor 'YYYY-MM-DD HH:MM:SS' (UTC)"))
}

/// Deposit when the address receives in the transaction, withdrawal when it spends in it.
fn infer_direction(tx: Option<&Tx>, address: &str, txid: &str) -> Result<&'static str, String> {
    let Some(tx) = tx else {
        return Err(format!(
            "no direction given and transaction {txid} is not in the case to infer it from; add a direction column (deposit|withdrawal)"
        ));
    };
    let receives = tx
        .outputs
        .iter()
        .any(|o| o.address.as_deref() == Some(address));
    let spends = tx
        .inputs
        .iter()
        .any(|i| i.address.as_deref() == Some(address));
    match (receives, spends) {
        (true, false) => Ok("deposit"),
        (false, true) => Ok("withdrawal"),
        (true, true) => Err(format!(
            "no direction given and {address} both spends and receives in {txid}; add a direction column"
        )),
        (false, false) => Err(format!(
            "no direction given and {address} does not appear in transaction {txid}; add a direction column"
        )),
    }
}

/// Parses and validates every line; the records are usable only when `invalid` is empty.
fn parse(
    csv_bytes: &[u8],
    source: &str,
    network: BtcNetwork,
    txs: &BTreeMap<String, Tx>,
) -> (Vec<ExchangeRecord>, Vec<(usize, String)>) {
    let mut invalid: Vec<(usize, String)> = Vec::new();
    let mut records = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(csv_bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => return (records, vec![(1, format!("unreadable header: {e}"))]),
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let (account, address, txid, time) =
        (col("account_id"), col("address"), col("txid"), col("time"));
    let (amount, amount_sat, direction) = (col("amount"), col("amount_sat"), col("direction"));
    let mut missing: Vec<&str> = [
        ("account_id", account),
        ("address", address),
        ("txid", txid),
        ("time", time),
    ]
    .iter()
    .filter(|(_, c)| c.is_none())
    .map(|(n, _)| *n)
    .collect();
    if amount.is_none() && amount_sat.is_none() {
        missing.push("amount (or amount_sat)");
    }
    if !missing.is_empty() {
        return (
            records,
            vec![(
                1,
                format!(
                    "the header lacks {}; expected account_id,address,txid,amount,time[,direction]",
                    missing.join(", ")
                ),
            )],
        );
    }
    if amount.is_some() && amount_sat.is_some() {
        return (
            records,
            vec![(
                1,
                "the header has both amount and amount_sat; give one".to_string(),
            )],
        );
    }
    let (account, address, txid, time) = (
        account.expect("checked"),
        address.expect("checked"),
        txid.expect("checked"),
        time.expect("checked"),
    );
    let mut seen: BTreeSet<Vec<String>> = BTreeSet::new();
    for result in reader.records() {
        let rec = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                invalid.push((line, format!("unreadable CSV: {e}")));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(|c| c.is_empty()) {
            continue;
        }
        if rec.len() != header.len() {
            invalid.push((
                line,
                format!("{} field(s), the header has {}", rec.len(), header.len()),
            ));
            continue;
        }
        let cell = |i: usize| rec.get(i).unwrap_or("").to_string();
        let check = || -> Result<ExchangeRecord, String> {
            let account_id = cell(account);
            if account_id.is_empty() {
                return Err("account_id is empty".to_string());
            }
            let addr = BtcAddress::parse(&cell(address), network)
                .map_err(|e| format!("address: {e}"))?
                .as_str()
                .to_string();
            let tid = Txid::parse(&cell(txid))
                .map_err(|e| format!("txid: {e}"))?
                .as_str()
                .to_string();
            let amount_sat = match (amount, amount_sat) {
                (Some(i), _) => parse_btc(&cell(i))?,
                (None, Some(i)) => parse_sat(&cell(i))?,
                (None, None) => unreachable!("checked with the header"),
            };
            let time_utc = parse_time(&cell(time))?;
            let given = direction.map(cell).unwrap_or_default().to_ascii_lowercase();
            let dir = match given.as_str() {
                "deposit" => "deposit",
                "withdrawal" => "withdrawal",
                "" => infer_direction(txs.get(&tid), &addr, &tid)?,
                other => {
                    return Err(format!(
                        "direction {other:?} is neither deposit nor withdrawal"
                    ))
                }
            };
            Ok(ExchangeRecord {
                raw_id: 0,
                line,
                source: source.to_string(),
                account_id,
                address: addr,
                txid: tid,
                amount_sat,
                time_utc,
                direction: dir.to_string(),
            })
        };
        match check() {
            Ok(r) => {
                let key = vec![
                    r.account_id.clone(),
                    r.address.clone(),
                    r.txid.clone(),
                    r.amount_sat.to_string(),
                    r.time_utc.clone(),
                    r.direction.clone(),
                ];
                if !seen.insert(key) {
                    invalid.push((line, "repeats an earlier line".to_string()));
                } else {
                    records.push(r);
                }
            }
            Err(reason) => invalid.push((line, reason)),
        }
    }
    if records.is_empty() && invalid.is_empty() {
        invalid.push((1, "the file holds no records".to_string()));
    }
    (records, invalid)
}

pub(super) fn import(
    case: &mut Case,
    network: BtcNetwork,
    csv_bytes: &[u8],
    source: &str,
    file_name: &str,
    now: DateTime<Utc>,
) -> Result<ExchangeImport, ApiError> {
    let source = source.trim();
    if source.is_empty() || source.chars().any(char::is_control) {
        return Err(ApiError::Import(
            "name the exchange the records come from (--source NAME)".to_string(),
        ));
    }
    let source_id = format!("exchange:{source}");
    let sha256 = sha256_hex(csv_bytes);
    if case.has_raw(&source_id, &sha256)? {
        return Err(ApiError::Import(format!(
            "this file (SHA-256 {sha256}) was already imported from {source}"
        )));
    }
    let txs: BTreeMap<String, Tx> = case
        .all_txs()?
        .into_iter()
        .map(|t| (t.txid.clone(), t))
        .collect();
    let (records, invalid) = parse(csv_bytes, source, network, &txs);
    if !invalid.is_empty() {
        return Ok(ExchangeImport {
            rows: 0,
            linked: 0,
            invalid,
            source_id,
            sha256,
        });
    }
    let addresses: BTreeSet<String> = case.all_addresses()?.into_iter().collect();
    let linked = records
        .iter()
        .filter(|r| addresses.contains(&r.address) || txs.contains_key(&r.txid))
        .count();
    let raw = RawResponse {
        source_id: source_id.clone(),
        endpoint: format!("import:{}", file_name.replace(char::is_control, " ")),
        request: format!(
            "import {} ({} bytes)",
            file_name.replace(char::is_control, " "),
            csv_bytes.len()
        ),
        retrieved_at: rfc3339(now),
        status: 0,
        content_type: Some("text/csv".to_string()),
        body: csv_bytes.to_vec(),
    };
    case.add_exchange_records(&raw, &records)?;
    Ok(ExchangeImport {
        rows: records.len(),
        linked,
        invalid,
        source_id,
        sha256,
    })
}

pub(super) fn views(case: &Case) -> Result<Vec<ExchangeRecordView>, ApiError> {
    let addresses: BTreeSet<String> = case.all_addresses()?.into_iter().collect();
    let txids: BTreeSet<String> = case.all_txs()?.into_iter().map(|t| t.txid).collect();
    Ok(case
        .exchange_records()?
        .into_iter()
        .map(|r| ExchangeRecordView {
            on_chain: addresses.contains(&r.address) || txids.contains(&r.txid),
            source: r.source,
            account_id: r.account_id,
            address: r.address,
            txid: r.txid,
            amount_sat: r.amount_sat,
            time_utc: r.time_utc,
            direction: r.direction,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::parse_btc;

    #[test]
    fn btc_amounts_parse_exactly_into_satoshi() {
        assert_eq!(parse_btc("0.1"), Ok(10_000_000), "one decimal");
        assert_eq!(
            parse_btc("1.23456789"),
            Ok(123_456_789),
            "all eight decimals"
        );
        assert_eq!(
            parse_btc("0.00000001"),
            Ok(1),
            "one satoshi, no float rounding"
        );
        assert_eq!(
            parse_btc("20999999.99999999"),
            Ok(2_099_999_999_999_999),
            "large exact"
        );
        assert_eq!(parse_btc("21000000"), Ok(2_100_000_000_000_000), "the cap");
        for bad in [
            "",
            "1.",
            ".5",
            "-1",
            "1e3",
            "0.123456789",
            "21000000.00000001",
            "1,5",
        ] {
            assert!(parse_btc(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
