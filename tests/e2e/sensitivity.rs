//! `tracebench sensitivity cluster|trace` on the demo case (the ransomware sim): what each
//! heuristic changes, deterministic, and bad input refused without touching the case.

use crate::util::{demo, digest, json, run_ok, sim_truth, tracebench};

#[test]
fn sensitivity_reports_what_each_heuristic_changes_and_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap().to_string();
    let truth = sim_truth(dir.path(), "ransomware");
    let consolidation = truth["roles"]["consolidation_txid"].as_str().unwrap();
    let run = |args: &[&str]| {
        run_ok(
            tracebench(dir.path())
                .args(args)
                .args(["--json", "--case", &case]),
        )
        .stdout
    };

    let first = run(&["sensitivity", "cluster", "--profile", "all"]);
    assert_eq!(
        first,
        run(&["sensitivity", "cluster", "--profile", "all"]),
        "the same case gives byte-identical JSON"
    );
    let c: serde_json::Value = serde_json::from_slice(&first).unwrap();
    assert_eq!(c["profile"], "all", "the profile used is recorded");
    let variants = c["variants"].as_array().unwrap();
    assert_eq!(
        variants.len(),
        1 + 5 + 9,
        "multi-input, five CoinJoin detectors, nine change heuristics"
    );
    let off = variants
        .iter()
        .find(|v| v["toggle"]["heuristic"] == "multi_input")
        .unwrap();
    assert_eq!(
        off["toggle"]["enabled"], false,
        "`all` has multi-input on: the toggle turns it off"
    );
    assert_eq!(
        off["changed"], true,
        "the demo case's clusters rest on multi-input: {off}"
    );
    assert!(
        !off["splits"].as_array().unwrap().is_empty(),
        "without multi-input some cluster splits"
    );

    let start = format!("{consolidation}:0");
    let t = json(&run_ok(tracebench(dir.path()).args([
        "sensitivity",
        "trace",
        &start,
        "--model",
        "haircut",
        "--hops",
        "12",
        "--json",
        "--case",
        &case,
    ])));
    let plain = json(&run_ok(tracebench(dir.path()).args([
        "trace", &start, "--model", "haircut", "--hops", "12", "--json", "--case", &case,
    ])));
    assert_eq!(
        t["conservation"], plain["conservation"],
        "the baseline is exactly what `tracebench trace` computes"
    );
    let at_rest: u64 = t["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["tainted"].as_u64().unwrap())
        .sum();
    let c = &t["conservation"];
    assert_eq!(
        at_rest,
        c["seeded"].as_u64().unwrap() - c["fees"].as_u64().unwrap(),
        "haircut conserves: every seeded satoshi not paid as a fee rests at a destination"
    );
    let fifo = t["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["toggle"]["heuristic"] == "model:fifo")
        .unwrap();
    assert_eq!(
        fifo["changed"], true,
        "FIFO moves taint between destinations"
    );

    let text = run_ok(tracebench(dir.path()).args([
        "sensitivity",
        "trace",
        &start,
        "--model",
        "haircut",
        "--hops",
        "12",
        "--case",
        &case,
    ]));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("baseline: haircut trace") && text.contains("model:fifo: changed"),
        "the text output names the baseline and each variant: {text}"
    );
}

#[test]
fn sensitivity_refuses_bad_input_and_leaves_the_case_alone() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = std::path::PathBuf::from(summary["case"].as_str().unwrap());
    let before = digest(&case);
    let missing = dir.path().join("no-such-profile.toml");
    let out = tracebench(dir.path())
        .args(["sensitivity", "cluster", "--profile"])
        .arg(&missing)
        .arg("--case")
        .arg(&case)
        .output()
        .unwrap();
    assert!(!out.status.success(), "a missing profile file is an error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no-such-profile.toml"),
        "the error names the profile file: {err}"
    );
    let bad = format!("{}:99", "ab".repeat(32));
    let out = tracebench(dir.path())
        .args(["sensitivity", "trace", &bad, "--case"])
        .arg(&case)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "an output not in the case is an error"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&bad),
        "the error names the missing output: {err}"
    );
    assert_eq!(
        digest(&case),
        before,
        "refused sensitivity runs leave the case byte-for-byte as it was"
    );
}
