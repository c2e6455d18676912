//! The canvas's visible transfers as CSV (`api::transfers_csv`): exact decimal amounts, UTC
//! times, fiat by the daily close, only the visible nodes' transfers, bad ids refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tracebench_core::api::{
    canvas_heights, open_demo, transfers_csv, ApiError, GraphView, Workbench, TRANSFERS_CSV_HEADER,
};
use tracebench_core::price;
use tracebench_core::store::Case;

use crate::util::{file_digest, fixtures, t0, Sim};

/// A BTC/USD close on the day of the demo's transfers (2024-05-01).
const RATES: &str = "asset,time_utc,currency,rate,source
BTC,2024-05-01T23:59:59Z,USD,60321.50,Test daily close
";

/// The demo case (ransomware, seed 1: seed address added and expanded one hop) with `rates`
/// imported when given; returns its path and its canvas graph.
fn demo_case(dir: &Path, rates: Option<&str>) -> (PathBuf, GraphView) {
    let sim = Sim::start();
    let path = dir.join("demo.tbcase");
    let graph = sim.rt.block_on(async {
        let wb = open_demo(&path, sim.spec(), sim.chain.seed_address(), "tester", t0())
            .await
            .expect("the demo case opens against the sim on loopback");
        wb.graph().expect("graph")
    });
    if let Some(rates) = rates {
        let mut case = Case::open(&path).expect("open case");
        price::import(&mut case, rates.as_bytes(), "rates.csv", t0(), "tester")
            .expect("the rates import");
    }
    (path, graph)
}

fn ids(graph: &GraphView) -> Vec<String> {
    graph.nodes.iter().map(|n| n.id.clone()).collect()
}

fn rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("a well-formed CSV row");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn visible_transfers_match_the_canvas_and_the_snapshot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, graph) = demo_case(dir.path(), Some(RATES));
    let case = Case::open(&path).expect("open case");
    let out = transfers_csv(&case, &ids(&graph)).expect("CSV of every canvas node");

    assert_eq!(
        out.rows,
        graph.edges.len(),
        "one row per transfer drawn on the canvas"
    );
    let parsed = rows(&out.text);
    assert_eq!(parsed.len(), out.rows, "the row count matches the text");
    assert!(
        out.text.starts_with(&TRANSFERS_CSV_HEADER.join(",")),
        "the header names the columns"
    );
    // Every drawn edge appears with its exact amount (the canvas shows "<amount> BTC").
    let mut drawn: Vec<String> = graph
        .edges
        .iter()
        .map(|e| e.amount.trim_end_matches(" BTC").to_string())
        .collect();
    let mut written: Vec<String> = parsed.iter().map(|r| r["amount"].clone()).collect();
    drawn.sort();
    written.sort();
    assert_eq!(written, drawn, "amounts are the canvas's exact decimal BTC");
    for r in &parsed {
        assert!(
            r["time_utc"].ends_with('Z') && r["time_utc"].len() == 20,
            "times are ISO 8601 UTC with Z: {:?}",
            r["time_utc"]
        );
        if r["time_utc"].starts_with("2024-05-01") {
            assert_eq!(
                (r["fiat_currency"].as_str(), r["rate"].as_str()),
                ("USD", "60321.50"),
                "a transfer on the rate's day is valued by it"
            );
            assert!(
                r["rate_source"].starts_with("Test daily close"),
                "the rate names its source: {:?}",
                r["rate_source"]
            );
        } else {
            assert_eq!(
                r["fiat_value"], "no rate",
                "a day without a close says so, never interpolates"
            );
        }
    }

    assert_eq!(
        out.text.matches("\r\n").count(),
        out.rows + 1,
        "every record ends with CRLF (RFC 4180)"
    );
    // The snapshot is stored with LF line ends, so git's line-end handling cannot break it.
    let snapshot = fixtures().join("view-csv/demo-canvas.csv");
    let expected = std::fs::read_to_string(&snapshot).expect("the snapshot file");
    assert_eq!(
        out.text.replace("\r\n", "\n"),
        expected,
        "the CSV of the demo canvas is byte-stable (snapshot {})",
        snapshot.display()
    );
}

#[test]
fn only_transfers_between_the_given_nodes_are_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, graph) = demo_case(dir.path(), Some(RATES));
    let case = Case::open(&path).expect("open case");
    let edge = graph.edges.first().expect("the demo has transfers");
    let pair = vec![edge.source.clone(), edge.target.clone()];
    let out = transfers_csv(&case, &pair).expect("CSV of two nodes");
    let between = graph
        .edges
        .iter()
        .filter(|e| pair.contains(&e.source) && pair.contains(&e.target))
        .count();
    assert_eq!(
        out.rows, between,
        "a node left out (hidden or filtered) takes its transfers with it"
    );
    assert!(
        out.rows < graph.edges.len(),
        "the subset is smaller than the whole canvas"
    );
    let empty = transfers_csv(&case, &[]).expect("CSV of nothing");
    assert_eq!(
        (empty.rows, empty.text.lines().count()),
        (0, 1),
        "no visible node: the header only"
    );
}

#[test]
fn ids_not_on_the_canvas_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, graph) = demo_case(dir.path(), Some(RATES));
    let before = file_digest(&path);
    let case = Case::open(&path).expect("open case");
    let audit = case.audit_log().expect("audit").len();
    let mut list = ids(&graph);
    list.push("btc:addr:1NotOnTheCanvasXXXXXXXXXXXXXXXXXX".to_string());
    match transfers_csv(&case, &list) {
        Err(ApiError::NotFound { id, .. }) => assert_eq!(
            id, "btc:addr:1NotOnTheCanvasXXXXXXXXXXXXXXXXXX",
            "the error names the id"
        ),
        other => panic!("an id off the canvas must be refused, got {other:?}"),
    }
    let err = transfers_csv(&case, &["garbage".to_string()]).expect_err("not an id");
    assert!(
        err.to_string().contains("'garbage'"),
        "the error quotes the bad text: {err}"
    );
    assert_eq!(
        case.audit_log().expect("audit").len(),
        audit,
        "a refused export writes no audit entry"
    );
    drop(case);
    assert_eq!(file_digest(&path), before, "the case file is untouched");
    // The workbench opens the same case afterwards: nothing was left half-written.
    Workbench::open(&path, None).expect("the case still opens");
}

#[test]
fn without_a_rate_the_fiat_column_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, graph) = demo_case(dir.path(), None);
    let case = Case::open(&path).expect("open case");
    let out = transfers_csv(&case, &ids(&graph)).expect("CSV without prices");
    let parsed = rows(&out.text);
    assert!(!parsed.is_empty(), "the demo has transfers");
    assert!(
        parsed.iter().all(|r| r["fiat_value"] == "no rate"
            && r["rate_source"] == "no price series in the case"
            && r["fiat_currency"].is_empty()),
        "a case without a price series values nothing and says why"
    );
    drop(case);

    // A close on another day only: the transfers' day has no rate, and none is interpolated.
    let mut case = Case::open(&path).expect("open case");
    let other_day = "asset,time_utc,currency,rate,source\nBTC,2024-04-30T23:59:59Z,USD,59000,Test daily close\n";
    price::import(&mut case, other_day.as_bytes(), "rates.csv", t0(), "tester")
        .expect("the rate imports");
    let out = transfers_csv(&case, &ids(&graph)).expect("CSV with a rate of another day");
    for r in rows(&out.text) {
        assert_eq!(
            (r["fiat_value"].as_str(), r["rate_source"].as_str()),
            ("no rate", "no USD daily close on 2024-05-01"),
            "a day without a close is named, never valued from another day"
        );
    }
}

#[test]
fn canvas_heights_are_the_blocks_of_the_canvas_transactions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, graph) = demo_case(dir.path(), None);
    let case = Case::open(&path).expect("open case");
    let heights = canvas_heights(&case).expect("heights");
    let txs: Vec<&str> = graph
        .nodes
        .iter()
        .filter(|n| n.id.starts_with("btc:tx:"))
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(
        heights.keys().map(String::as_str).collect::<Vec<_>>(),
        {
            let mut t = txs.clone();
            t.sort();
            t
        },
        "every confirmed transaction on the canvas has a height, and nothing else"
    );
    // The CSV and the heights read the same blocks.
    let out = transfers_csv(&case, &ids(&graph)).expect("CSV");
    for r in rows(&out.text) {
        let id = format!("btc:tx:{}", r["txid"]);
        assert_eq!(
            r["block_height"],
            heights[&id].to_string(),
            "the CSV's block height of {id} is the block's"
        );
    }
    assert_eq!(
        heights.get("btc:tx:4a57734753b83753e132db0c8efbbfbd97991fda2dba64cc6e2b5ddf31f332d4"),
        Some(&840_114),
        "the first ransom hop of the demo is in block 840114 (the sim's chain, seed 1)"
    );
}
