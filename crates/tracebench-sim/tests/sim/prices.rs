//! The synthetic BTC/USD series covers the sim's dates and values its transactions.

use chrono::TimeZone;
use tracebench_core::api::{NewCase, Workbench};
use tracebench_core::price;
use tracebench_core::store::Case;
use tracebench_sim::{price_series_csv, price_source};

use crate::seed1;

#[test]
fn series_is_deterministic_synthetic_and_two_rates_a_day() {
    let csv = price_series_csv(1);
    assert_eq!(
        csv,
        price_series_csv(1),
        "the same seed gives the same series"
    );
    assert_ne!(csv, price_series_csv(2), "another seed another walk");
    let rates = price::parse_csv(csv.as_bytes()).expect("the series parses strictly");
    assert_eq!(
        rates.len(),
        2 * 275,
        "2024-04-01 … 2024-12-31, open and close"
    );
    assert!(
        rates
            .iter()
            .all(|r| r.source == price_source(1) && r.source.starts_with("sim:")),
        "every row names the synthetic source"
    );
    assert!(
        rates
            .iter()
            .all(|r| r.time_utc.ends_with("T00:00:00Z") || r.time_utc.ends_with("T23:59:59Z")),
        "rates are the day's open and close"
    );
}

#[test]
fn series_values_every_ransomware_transaction_by_its_days_close() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.tbcase");
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("time");
    drop(
        Workbench::create(
            &path,
            NewCase {
                title: "p".into(),
                investigator: String::new(),
                agency: String::new(),
                network: tracebench_core::chain::BtcNetwork::Mainnet,
            },
            None,
            now,
        )
        .expect("case"),
    );
    let mut case = Case::open(&path).expect("open");
    let csv = price_series_csv(1);
    price::import(&mut case, csv.as_bytes(), "btc-usd.csv", now, "t").expect("import");
    for block in seed1().blocks() {
        let t = i64::from(block.time());
        let v = price::value_transfer(&case, "BTC", "100000000", t, "USD")
            .expect("valuation")
            .unwrap_or_else(|| panic!("block at {t} has a rate: the series covers the scenario"));
        assert!(
            v.rate_time_utc.ends_with("T23:59:59Z"),
            "the daily close is used, not the open ({})",
            v.rate_time_utc
        );
        assert_eq!(
            v.fiat, v.rate,
            "one BTC is worth exactly the rate (the series has two decimals)"
        );
    }
}
