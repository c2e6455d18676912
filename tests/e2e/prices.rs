//! `tracebench-sim prices` / `generate` and `tracebench prices import|list` through the real
//! binaries.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{json, run_ok, tracebench};

/// The `tracebench-sim` binary built beside `tracebench` by `cargo test --workspace`.
fn sim_bin() -> PathBuf {
    let bin = crate::util::bin()
        .with_file_name(format!("tracebench-sim{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run the tests with `cargo test --workspace`, which builds it",
        bin.display()
    );
    bin
}

fn new_case(dir: &Path) -> PathBuf {
    let case = dir.join("op.tbcase");
    run_ok(
        tracebench(dir)
            .args(["case", "new", "--title", "Prices", "--case"])
            .arg(&case),
    );
    case
}

#[test]
fn sim_series_imports_and_lists_and_bad_files_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("btc-usd.csv");
    run_ok(
        Command::new(sim_bin())
            .args(["prices", "--seed", "1", "--out"])
            .arg(&csv),
    );
    let case = new_case(dir.path());
    let imported = json(&run_ok(
        tracebench(dir.path())
            .args(["prices", "import", "--json", "--case"])
            .arg(&case)
            .arg(&csv),
    ));
    assert_eq!(
        imported["synthetic"], true,
        "the sim series is synthetic: {imported}"
    );
    assert_eq!(
        imported["rows"], 550,
        "two rates a day from 2024-04-01 to 2024-12-31 (275 days): {imported}"
    );
    let list = || {
        json(&run_ok(
            tracebench(dir.path())
                .args(["prices", "list", "--json", "--case"])
                .arg(&case),
        ))
    };
    let before = list();
    assert_eq!(
        before[0]["first_utc"], "2024-04-01T00:00:00Z",
        "the series starts on its first day: {before}"
    );
    assert!(
        before[0]["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("sim:prices:1") && s.contains("SYNTHETIC")),
        "the source says it is synthetic: {before}"
    );

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "asset,time_utc,currency,rate,source\nBTC,2025-01-01T23:59:59Z,USD,1.5,x\nBTC,2025-01-02T23:59:59Z,USD,abc,x\n",
    )
    .unwrap();
    let out = tracebench(dir.path())
        .args(["prices", "import", "--case"])
        .arg(&case)
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success(), "a malformed file is refused");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 3") && err.contains("abc") && err.contains("nothing imported"),
        "the error names the line and the bad value: {err}"
    );
    assert_eq!(list(), before, "the refused file changed nothing");
}

#[test]
fn a_generated_case_opens_in_the_cli_and_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("gen.tbcase");
    let summary = json(&run_ok(
        Command::new(sim_bin())
            .args(["generate", "--txs", "2500", "--seed", "2", "--out"])
            .arg(&case),
    ));
    assert_eq!(summary["txs"], 2500, "exactly N transactions: {summary}");
    let info = json(&run_ok(
        tracebench(dir.path())
            .args(["case", "info", "--json", "--case"])
            .arg(&case),
    ));
    assert_eq!(
        info["case"]["synthetic"], true,
        "a generated case is marked synthetic: {info}"
    );
    let clusters = json(&run_ok(
        tracebench(dir.path())
            .args(["cluster", "--json", "--case"])
            .arg(&case),
    ));
    assert!(
        clusters["clusters"]
            .as_array()
            .is_some_and(|c| !c.is_empty()),
        "clustering finds multi-input clusters in the generated case"
    );
    assert_eq!(
        clusters["skipped_coinjoins"].as_array().map(Vec::len),
        summary["coinjoins"].as_u64().map(|n| n as usize),
        "every generated CoinJoin is detected and skipped"
    );
}
