//! `tracebench analyze tx` on real captures (offline, no case) and `tracebench validate`.

use std::path::PathBuf;

use crate::util::{json, run_ok, tracebench};

fn capture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/tracebench-core/tests/fixtures/esplora/mainnet-tx-captures")
        .join(name)
}

#[test]
fn analyze_tx_reads_an_esplora_file_offline() {
    let dir = tempfile::tempdir().unwrap();
    let out = json(&run_ok(
        tracebench(dir.path())
            .args(["analyze", "tx"])
            .arg(capture("whirlpool-coinjoin.json"))
            .arg("--json"),
    ));
    assert_eq!(
        out["coinjoin"]["kind"], "whirlpool",
        "T1 is a Whirlpool round: {out}"
    );
    assert_eq!(
        out["coinjoin"]["detector"], "whirlpool:structure",
        "the detector is named"
    );
    assert!(
        out["coinjoin"]["confidence"]
            .as_u64()
            .is_some_and(|c| c <= 100),
        "0-100 confidence"
    );
    assert!(out["premix"].is_null(), "a CoinJoin round is not a Tx0");

    let plain = json(&run_ok(
        tracebench(dir.path())
            .args(["analyze", "tx"])
            .arg(capture("address-reuse-change.json"))
            .arg("--json"),
    ));
    assert!(
        plain["coinjoin"].is_null(),
        "a plain payment is no CoinJoin: {plain}"
    );
    assert_eq!(
        plain["txid"], "4c18b982836006cbe54661942f632f10b9cc0072e97a32feeea77abd8c7c8c3c",
        "the txid is reported"
    );
    let reuse = plain["change"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["heuristic"] == "address_reuse")
        .expect("address_reuse is listed");
    assert_eq!(
        reuse["outputs"],
        serde_json::json!([1]),
        "change returns to the input address"
    );
    assert_eq!(
        reuse["confidence"], 100,
        "address reuse carries its confidence"
    );
}

#[test]
fn validate_reports_error_rates_and_synthetic_only_heuristics() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(tracebench(dir.path()).args(["validate", "--json"]));
    let v = json(&out);
    let any = v["coinjoin"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "any" && r["dataset"] == "mainnet-captures")
        .expect("an any-CoinJoin row for the captures");
    assert_eq!(
        (any["tp"].as_u64(), any["fp"].as_u64(), any["fn"].as_u64()),
        (Some(5), Some(0), Some(0)),
        "all 5 real CoinJoins found"
    );
    assert!(
        v["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["validated_on"] == "synthetic-only"),
        "heuristics validated only on synthetic data say so: {}",
        v["coverage"]
    );
    let again = run_ok(tracebench(dir.path()).args(["validate", "--json"]));
    assert_eq!(
        out.stdout, again.stdout,
        "validation output is byte-identical on re-run"
    );
}
