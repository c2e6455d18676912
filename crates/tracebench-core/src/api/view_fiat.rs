//! The fiat value of each canvas edge, by the same rule and from the same imported series as the
//! CSV export and the report's narrative ([`crate::price::DAILY_CLOSE_RULE`]): the daily UTC close
//! on the block's date, never interpolated. An edge without a rate carries the reason instead of
//! a number.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dto::{EdgeView, GraphView};
use super::ApiError;
use crate::price::{asset_decimals, fiat_amount, PriceRate, DAILY_CLOSE_RULE};
use crate::store::Case;

/// A transfer's value in fiat and where the rate came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "FiatValue.ts")]
pub struct FiatValue {
    /// Exact decimal with two places (cents), rounded half-to-even: `1234.56`.
    pub value: String,
    /// `USD`.
    pub currency: String,
    /// The rate used, as imported (fiat per whole unit of the asset).
    pub rate: String,
    /// The rate's own time (the day's close), RFC 3339 UTC.
    pub rate_time_utc: String,
    /// The series' source column, as imported.
    pub source: String,
    /// The valuation rule, in words.
    pub rule: String,
}

/// The series assets that price `edge_asset`: itself, and `ETH` for Ethereum mainnet's ether.
fn series_assets(edge_asset: &str) -> Vec<&str> {
    let mut out = vec![edge_asset];
    if edge_asset == "eip155:1/slip44:60" {
        out.push("ETH");
    }
    out
}

/// Values every edge of `view` that a price series of the case covers.
pub fn attach(case: &Case, view: &mut GraphView) -> Result<(), ApiError> {
    // The first currency (sorted) the case holds a series in, per asset: as the CSV values.
    let mut currency_of: BTreeMap<String, String> = BTreeMap::new();
    for s in case.price_series()? {
        currency_of.entry(s.asset).or_insert(s.currency);
    }
    let mut closes: BTreeMap<(String, String, NaiveDate), Option<PriceRate>> = BTreeMap::new();
    for e in &mut view.edges {
        value_edge(case, &currency_of, &mut closes, e)?;
    }
    Ok(())
}

fn value_edge(
    case: &Case,
    currency_of: &BTreeMap<String, String>,
    closes: &mut BTreeMap<(String, String, NaiveDate), Option<PriceRate>>,
    e: &mut EdgeView,
) -> Result<(), ApiError> {
    let asset = if e.asset.is_empty() { "BTC" } else { &e.asset };
    let symbol = if e.symbol.is_empty() {
        asset
    } else {
        &e.symbol
    };
    let priced = series_assets(asset)
        .into_iter()
        .find_map(|a| currency_of.get(a).map(|c| (a.to_string(), c.clone())));
    let Some((series_asset, currency)) = priced else {
        e.no_rate = format!("no rate: no {symbol} price series in the case");
        return Ok(());
    };
    let Some(time) = e.time else {
        e.no_rate = "no rate: unconfirmed, no block date".to_string();
        return Ok(());
    };
    let Some(date) = DateTime::<Utc>::from_timestamp(time, 0).map(|t| t.date_naive()) else {
        e.no_rate = format!("no rate: block time {time} is out of range");
        return Ok(());
    };
    let decimals = asset_decimals(&series_asset).or(e.decimals);
    let amount = if e.amount_base.is_empty() {
        e.amount_sat.to_string()
    } else {
        e.amount_base.clone()
    };
    let (Some(decimals), true) = (decimals, amount.bytes().all(|b| b.is_ascii_digit())) else {
        e.no_rate = format!("no rate: {symbol} has no known number of decimals");
        return Ok(());
    };
    let key = (series_asset.clone(), currency.clone(), date);
    let rate = match closes.get(&key) {
        Some(r) => r.clone(),
        None => {
            let r = case.daily_close(&series_asset, &currency, date)?;
            closes.insert(key, r.clone());
            r
        }
    };
    match rate {
        Some(r) => {
            e.fiat = Some(FiatValue {
                value: fiat_amount(&amount, &r.rate, decimals),
                currency: r.currency,
                rate: r.rate,
                rate_time_utc: r.time_utc,
                source: r.source,
                rule: DAILY_CLOSE_RULE.to_string(),
            });
            e.no_rate.clear();
        }
        None => {
            e.no_rate = format!("no rate: no {currency} daily close on {date}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};

    use crate::api::view::tests::demo_case_with_source;
    use crate::price::fiat_amount;

    #[test]
    fn edges_carry_the_fiat_value_of_the_imported_series_and_the_reason_when_there_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let (wb, _seed, _chain, _server) = demo_case_with_source(dir.path());
        let before = wb.graph().unwrap();
        assert!(!before.edges.is_empty(), "the demo case has edges");
        assert!(
            before
                .edges
                .iter()
                .all(|e| e.fiat.is_none() && e.no_rate.contains("no BTC price series")),
            "without a series no edge has a value, and each says why"
        );
        let csv = tracebench_sim::price_series_csv(1);
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 13, 0, 0).unwrap();
        let path = wb.case().path().to_path_buf();
        drop(wb);
        let mut case = crate::store::Case::open(&path).unwrap();
        crate::price::import(&mut case, csv.as_bytes(), "sim-prices.csv", now, "tester").unwrap();
        drop(case);
        let g = crate::api::Workbench::open(&path, None)
            .unwrap()
            .graph()
            .unwrap();
        let rates = crate::price::parse_csv(csv.as_bytes()).unwrap();
        let dated: Vec<_> = g.edges.iter().filter(|e| e.time.is_some()).collect();
        assert!(
            !dated.is_empty(),
            "the demo's edges are confirmed transfers"
        );
        for e in dated {
            let f = e
                .fiat
                .as_ref()
                .unwrap_or_else(|| panic!("{}: the sim series covers every block date", e.id));
            let day = DateTime::from_timestamp(e.time.unwrap(), 0)
                .unwrap()
                .date_naive();
            // The day's close in the imported file: the latest rate of that UTC date.
            let close = rates
                .iter()
                .filter(|r| r.asset == "BTC" && r.time_utc.starts_with(&day.to_string()))
                .max_by_key(|r| r.unix_time)
                .unwrap();
            assert_eq!(f.rate, close.rate, "{}: the day's close is used", e.id);
            assert_eq!(
                f.value,
                fiat_amount(&e.amount_sat.to_string(), &close.rate, 8),
                "{}: amount × close, exact to the cent",
                e.id
            );
            assert!(
                f.source.starts_with("sim:prices:1") && f.currency == "USD",
                "{}: the source and currency are cited: {} {}",
                e.id,
                f.source,
                f.currency
            );
            assert!(e.no_rate.is_empty(), "a valued edge has no reason text");
        }
    }
}
