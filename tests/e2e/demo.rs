//! `tracebench demo`: the whole flow headless, checked against the sim's ground truth.

use crate::util::{demo, json, pdf_text, run_ok, sim_truth, tracebench};

#[test]
fn demo_writes_a_case_and_a_court_report_that_cites_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case_id = summary["case_id"].as_str().unwrap();
    let pdf = std::path::PathBuf::from(summary["report"]["path"].as_str().unwrap());
    assert!(pdf.exists(), "the PDF is left in the output dir");
    assert!(
        std::path::Path::new(summary["case"].as_str().unwrap()).exists(),
        "and the .tbcase"
    );
    let text = pdf_text(&pdf);
    assert!(text.contains(case_id), "the report names its case id");
    assert!(
        text.contains("Data provenance"),
        "the provenance appendix is there"
    );
    assert!(
        text.contains("SYNTHETIC – TRAINING DATA"),
        "sim data is marked as synthetic"
    );
    let truth = sim_truth(dir.path(), "ransomware");
    let consolidation = truth["roles"]["consolidation_txid"]
        .as_str()
        .expect("truth names the consolidation tx");
    assert!(
        text.contains(consolidation),
        "the report lists the scenario's consolidation txid {consolidation}"
    );
    let pages = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&pages.stdout);
    let n: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|v| v.trim().parse().unwrap())
        .unwrap();
    assert!(n > 1, "a multi-page report");
    assert!(
        text.contains(&format!("Page {n} of {n}")),
        "every page is numbered 'Page x of y'"
    );
}

#[test]
fn demo_clusters_equal_the_ground_truth() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap();
    let clusters = json(&run_ok(
        tracebench(dir.path()).args(["cluster", "--json", "--case", case]),
    ));
    let found: Vec<Vec<String>> = clusters["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| serde_json::from_value(c["addresses"].clone()).unwrap())
        .collect();
    let truth = json(&run_ok(
        tracebench(dir.path()).args(["sim", "truth", "--json"]),
    ));
    let expected: Vec<Vec<String>> =
        serde_json::from_value(truth["expected"]["multi_input_clusters"].clone()).unwrap();
    assert!(
        !expected.is_empty(),
        "the scenario has multi-input clusters to find"
    );
    assert_eq!(
        found, expected,
        "multi-input clustering of the demo case finds exactly the truth"
    );
}

#[test]
fn the_report_is_byte_identical_under_source_date_epoch_and_works_offline() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap();
    let mut bytes = Vec::new();
    for name in ["a.pdf", "b.pdf"] {
        let out = dir.path().join(name);
        run_ok(
            tracebench(dir.path())
                .env("SOURCE_DATE_EPOCH", "1767225600")
                .args(["report", "--offline", "--case", case, "--out"])
                .arg(&out),
        );
        bytes.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(
        bytes[0], bytes[1],
        "same case + same SOURCE_DATE_EPOCH = the same bytes"
    );
    assert!(
        pdf_text(&dir.path().join("a.pdf")).contains("2026-01-01 00:00:00 UTC"),
        "the generation time is SOURCE_DATE_EPOCH"
    );
    let seed = summary["seed_address"].as_str().unwrap();
    let out = json(&run_ok(tracebench(dir.path()).args([
        "expand",
        seed,
        "--hops",
        "2",
        "--offline",
        "--json",
        "--case",
        case,
    ])));
    assert_eq!(
        out["missing"].as_array().unwrap().len(),
        0,
        "the demo case holds everything within two hops"
    );
}
