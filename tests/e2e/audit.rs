//! `tracebench case verify`: the audit log and the raw evidence of the demo case, intact and
//! tampered with.

use crate::util::{demo, digest, json, run_ok, tracebench};

#[test]
fn verify_passes_a_clean_case_and_names_a_tampered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = std::path::PathBuf::from(summary["case"].as_str().unwrap());
    let clean = json(&run_ok(
        tracebench(dir.path())
            .args(["case", "verify", "--json", "--case"])
            .arg(&case),
    ));
    assert_eq!(clean["ok"], true, "the demo case verifies: {clean}");
    assert!(
        clean["entries"].as_u64().unwrap() >= 4,
        "create, add, expand and the report export are logged: {clean}"
    );
    let head = clean["head"].as_str().unwrap().to_string();
    let before = digest(&case);
    run_ok(
        tracebench(dir.path())
            .args(["case", "verify", "--expect-head", &head, "--case"])
            .arg(&case),
    );
    assert_eq!(
        digest(&case),
        before,
        "verifying does not write to the case"
    );

    // An analyst's note rewritten behind the tool's back.
    {
        let c = rusqlite::Connection::open(&case).unwrap();
        let n = c
            .execute(
                "UPDATE audit_log SET detail = replace(detail, 'btc', 'xtc') WHERE seq = 2",
                [],
            )
            .unwrap();
        assert_eq!(n, 1, "entry 2 exists");
    }
    let out = tracebench(dir.path())
        .args(["case", "verify", "--json", "--case"])
        .arg(&case)
        .output()
        .unwrap();
    assert!(!out.status.success(), "a changed entry fails verification");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["seq"] == 2 && f["kind"] == "changed"),
        "the finding names entry 2 as changed: {report}"
    );
}
