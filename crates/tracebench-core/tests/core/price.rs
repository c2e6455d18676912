//! Fiat price series: strict import with provenance, and the daily-close valuation rule.

use tracebench_core::api::{NewCase, Workbench};
use tracebench_core::price::{self, PriceError, DAILY_CLOSE_RULE};
use tracebench_core::store::{sha256_hex, Case};

use crate::util::t0;

const CSV: &str = "asset,time_utc,currency,rate,source
BTC,2024-05-01T00:00:00Z,USD,60000.00,Example Index daily
BTC,2024-05-01T23:59:59Z,USD,58123.45,Example Index daily
BTC,2024-05-02T00:00:00Z,USD,58200.10,Example Index daily
BTC,2024-05-02T12:00:00Z,EUR,54000.5,Example Index daily
BTC,2024-05-04T23:59:59Z,USD,63000,Example Index daily
";

/// 2024-05-01 00:00:00 UTC.
const MAY_1: i64 = 1_714_521_600;

fn new_case(dir: &tempfile::TempDir) -> Case {
    let path = dir.path().join("prices.tbcase");
    let wb = Workbench::create(
        &path,
        NewCase {
            title: "prices".into(),
            investigator: String::new(),
            agency: String::new(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        None,
        t0(),
    )
    .expect("create case");
    drop(wb);
    Case::open(&path).expect("open case")
}

fn import(case: &mut Case, csv: &str) -> Result<price::PriceImport, PriceError> {
    price::import(case, csv.as_bytes(), "rates.csv", t0(), "tester")
}

/// Everything an import could change, to compare before and after a refused one.
fn snapshot(case: &Case) -> (Vec<price::PriceRate>, usize, usize, Vec<(String, bool)>) {
    (
        case.price_rates().expect("rates"),
        case.raw_responses().expect("raws").len(),
        case.audit_log().expect("audit").len(),
        case.sources().expect("sources"),
    )
}

#[test]
fn import_round_trips_with_provenance() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut case = new_case(&dir);
    let audit_before = case.audit_log().expect("audit").len();
    let r = import(&mut case, CSV).expect("a valid file imports");
    assert_eq!(r.rows, 5, "every line is a rate");
    assert!(!r.synthetic, "a non-sim source is not synthetic");
    assert_eq!(
        r.sha256,
        sha256_hex(CSV.as_bytes()),
        "the file's hash is reported"
    );

    let rates = case.price_rates().expect("rates");
    assert_eq!(rates.len(), 5, "all rates are stored");
    let eur = rates
        .iter()
        .find(|r| r.currency == "EUR")
        .expect("the EUR rate");
    assert_eq!(
        (eur.rate.as_str(), eur.time_utc.as_str(), eur.line),
        ("54000.5", "2024-05-02T12:00:00Z", 5),
        "a rate keeps its exact decimal text, its UTC time and its file line"
    );
    let raw = case
        .raw_responses()
        .expect("raws")
        .into_iter()
        .find(|x| x.id == eur.raw_id)
        .expect("the rate points at a raw response");
    assert_eq!(
        case.raw_body(raw.id).expect("body"),
        CSV.as_bytes(),
        "the raw response holds the file's exact bytes"
    );
    assert_eq!(raw.sha256, r.sha256, "and their SHA-256");
    assert_eq!(
        raw.endpoint, "import:rates.csv",
        "the endpoint names the file"
    );
    let log = case.audit_log().expect("audit");
    assert_eq!(log.len(), audit_before + 1, "the import is one audit entry");
    assert_eq!(
        log.last().map(|e| e.action.as_str()),
        Some("prices.import"),
        "named as such"
    );

    let series = case.price_series().expect("series");
    assert_eq!(series.len(), 2, "one series per (asset, currency, source)");
    assert_eq!(
        (
            series[1].currency.as_str(),
            series[1].rates,
            series[1].first_utc.as_str(),
            series[1].last_utc.as_str()
        ),
        ("USD", 4, "2024-05-01T00:00:00Z", "2024-05-04T23:59:59Z"),
        "the USD series' extent"
    );

    let v = price::value_transfer(&case, "BTC", "150000000", MAY_1 + 3_600, "USD")
        .expect("valuation")
        .expect("May 1 has rates");
    assert_eq!(
        (
            v.fiat.as_str(),
            v.rate.as_str(),
            v.rate_time_utc.as_str(),
            v.source.as_str()
        ),
        (
            "87185.18",
            "58123.45",
            "2024-05-01T23:59:59Z",
            "Example Index daily"
        ),
        "1.5 BTC at May 1's close 58123.45 is 87185.175, rounded half-to-even to 87185.18"
    );
    assert_eq!(v.rule, DAILY_CLOSE_RULE, "the valuation names its rule");
    assert_eq!(v.raw_id, eur.raw_id, "and the file the rate came from");

    let again = import(&mut case, CSV).expect_err("the same file twice");
    assert!(
        matches!(again, PriceError::AlreadyImported { .. }),
        "a second import of the same bytes is refused: {again}"
    );
}

#[test]
fn daily_close_boundary_and_missing_rates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut case = new_case(&dir);
    import(&mut case, CSV).expect("import");
    let value = |t: i64, currency: &str| {
        price::value_transfer(&case, "BTC", "100000000", t, currency).expect("valuation")
    };
    let last_second = MAY_1 + 86_399;
    assert_eq!(
        value(last_second, "USD").map(|v| v.rate_time_utc),
        Some("2024-05-01T23:59:59Z".to_string()),
        "a block at 23:59:59 belongs to that day: its close"
    );
    assert_eq!(
        value(MAY_1, "USD").map(|v| v.rate),
        Some("58123.45".to_string()),
        "a block at 00:00:00 takes the day's close (23:59:59), not the open of 00:00:00"
    );
    assert_eq!(
        value(last_second + 1, "USD").map(|v| (v.rate, v.rate_time_utc)),
        Some(("58200.10".to_string(), "2024-05-02T00:00:00Z".to_string())),
        "one second later is the next day: its only (and so last) rate, at 00:00:00"
    );
    assert_eq!(
        value(MAY_1 + 2 * 86_400 + 7_200, "USD"),
        None,
        "May 3 has no rate: no value, never interpolated between May 2 and May 4"
    );
    assert_eq!(
        value(MAY_1 + 86_400 * 3 + 10, "USD").map(|v| v.fiat),
        Some("63000.00".to_string()),
        "May 4's close is used from its first second"
    );
    assert_eq!(value(MAY_1, "EUR"), None, "no EUR rate on May 1");
    assert_eq!(value(MAY_1, "GBP"), None, "no GBP series at all");
    assert!(
        price::value_transfer(&case, "BTC", "1.5", MAY_1, "USD").is_err(),
        "amounts are whole base units"
    );
}

#[test]
fn malformed_or_conflicting_files_change_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut case = new_case(&dir);
    import(&mut case, CSV).expect("import");
    let before = snapshot(&case);
    let bad = "asset,time_utc,currency,rate,source
BTC,2024-06-01T23:59:59Z,USD,61000.00,Index
BTC,2024-06-02T23:59:59Z,USD,6.1e4,Index
BTC,2024-06-03 23:59:59,USD,61000.00,Index
BTC,2024-06-04T23:59:59+02:00,USD,61000.00,Index
DOGE,2024-06-05T23:59:59Z,USD,0.15,Index
BTC,2024-06-06T23:59:59Z,usd,61000.00,Index
BTC,2024-06-07T23:59:59Z,USD,-5,Index
BTC,2024-06-08T23:59:59Z,USD,61000.00,
BTC,2024-06-09T23:59:59Z,USD,61000.00
BTC,2024-06-01T23:59:59Z,USD,62000.00,Index
";
    let err = import(&mut case, bad).expect_err("invalid lines refuse the file");
    let PriceError::Invalid { lines, .. } = &err else {
        panic!("expected line errors, got {err}");
    };
    let numbers: Vec<usize> = lines.iter().map(|(l, _)| *l).collect();
    assert_eq!(
        numbers,
        vec![3, 4, 5, 6, 7, 8, 9, 10, 11],
        "every bad line is named, the good line 2 is not: {err}"
    );
    assert!(
        lines[0].1.contains("6.1e4") && lines[3].1.contains("DOGE"),
        "each reason names what was wrong: {err}"
    );
    assert_eq!(
        snapshot(&case),
        before,
        "a refused file changes nothing in the case"
    );

    let clash = "asset,time_utc,currency,rate,source\nBTC,2024-05-01T23:59:59Z,USD,1.00,Other\n";
    let err = import(&mut case, clash).expect_err("a rate the case already holds");
    assert!(
        err.to_string().contains("line 2") && err.to_string().contains("already holds"),
        "the clash names the line: {err}"
    );
    assert_eq!(
        snapshot(&case),
        before,
        "a clashing file changes nothing in the case"
    );

    for (text, why) in [
        ("", "an empty file"),
        (
            "asset,time,currency,rate\nBTC,2024-05-01T00:00:00Z,USD,1,x\n",
            "a missing source column",
        ),
        (
            "asset,time_utc,currency,rate,source\n",
            "a header without rates",
        ),
    ] {
        assert!(import(&mut case, text).is_err(), "{why} is refused");
        assert_eq!(snapshot(&case), before, "{why} changes nothing");
    }
}

#[test]
fn a_sim_series_marks_the_case_synthetic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut case = new_case(&dir);
    assert!(
        !case.is_synthetic().expect("synthetic?"),
        "a new case is not synthetic"
    );
    let csv = "asset,time_utc,currency,rate,source\nBTC,2024-05-01T23:59:59Z,USD,60000.00,sim:prices:1 (SYNTHETIC)\n";
    let r = import(&mut case, csv).expect("import");
    assert!(r.synthetic, "a sim: source is synthetic");
    assert!(
        case.is_synthetic().expect("synthetic?"),
        "and marks the case synthetic"
    );
}
