//! Evidence integrity of reports and bundles: the content hash (`case info`), the integrity
//! block printed on the report, `report verify` against the case, and tampering with the
//! case, the report's manifest and the audit log's tail.

use std::path::{Path, PathBuf};

use crate::util::{demo, digest, json, pdf_text, report_verify as verify, run_ok, tracebench};

const EPOCH: &str = "1767225600";

fn info(dir: &Path, case: &Path) -> serde_json::Value {
    json(&run_ok(
        tracebench(dir)
            .args(["case", "info", "--json", "--case"])
            .arg(case),
    ))
}

fn report(dir: &Path, case: &Path, out: &Path) -> serde_json::Value {
    json(&run_ok(
        tracebench(dir)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args(["report", "--no-labels", "--json", "--out"])
            .arg(out)
            .arg("--case")
            .arg(case),
    ))
}

/// Names of the items that did not match.
fn mismatches(v: &serde_json::Value) -> Vec<String> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["ok"] == false)
        .map(|i| i["item"].as_str().unwrap().to_string())
        .collect()
}

fn demo_case(dir: &Path) -> PathBuf {
    PathBuf::from(demo(dir)["case"].as_str().unwrap())
}

#[test]
fn exports_keep_the_content_hash_and_a_fresh_report_verifies_until_the_case_changes() {
    let dir = tempfile::tempdir().unwrap();
    let case = demo_case(dir.path());
    let before = info(dir.path(), &case);
    let hash = before["content_hash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 64, "case info prints the SHA-256 content hash");

    let first = dir.path().join("first.pdf");
    report(dir.path(), &case, &first);
    let head_before_bundle = info(dir.path(), &case)["audit_head"].clone();
    let bundle = json(&run_ok(
        tracebench(dir.path())
            .args(["case", "export", "--json", "--out"])
            .arg(dir.path().join("case.tbbundle"))
            .arg("--case")
            .arg(&case),
    ));
    assert_eq!(
        bundle["manifest"]["content_hash"], hash,
        "the bundle manifest records the content hash"
    );
    assert_eq!(
        bundle["manifest"]["audit_head"], head_before_bundle,
        "the bundle manifest records the audit head of the case it holds (its own export entry is appended after)"
    );
    let after = info(dir.path(), &case);
    assert_eq!(
        after["content_hash"], hash,
        "a report and a bundle export are logged but leave the content hash unchanged"
    );
    assert_ne!(
        after["audit_head"], before["audit_head"],
        "the exports are in the audit log"
    );
    let second = dir.path().join("second.pdf");
    report(dir.path(), &case, &second);
    assert!(
        digest(&first) == digest(&second),
        "exporting does not change what the next export reads: byte-identical reports"
    );

    let text = pdf_text(&first);
    assert!(
        text.contains(&hash),
        "the report prints the content hash in its Integrity chapter"
    );
    let log = json(&run_ok(
        tracebench(dir.path())
            .args(["case", "verify", "--json", "--case"])
            .arg(&case),
    ));
    let evidence_head = log["head"].as_str().unwrap();
    assert!(
        !text.contains(evidence_head),
        "the printed head is the newest non-export entry, not the export entries after it"
    );

    let case_bytes = digest(&case);
    let (ok, v) = verify(dir.path(), &case, &first);
    assert!(ok, "a fresh report verifies against its case: {v}");
    assert_eq!(v["ok"], true, "and says so: {v}");
    let items: Vec<&str> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["item"].as_str().unwrap())
        .collect();
    for expected in [
        "manifest hash",
        "trailer id",
        "content hash",
        "audit head",
        "audit log",
        "document id",
    ] {
        assert!(
            items.contains(&expected),
            "verify checks the {expected}: {items:?}"
        );
    }
    assert!(
        items
            .iter()
            .filter(|i| i.starts_with("transaction "))
            .count()
            > 10,
        "every transaction row is checked: {items:?}"
    );
    assert!(
        items.iter().any(|i| i.starts_with("cluster ")),
        "clusters are checked: {items:?}"
    );
    assert!(
        digest(&case) == case_bytes,
        "verifying a report does not write to the case"
    );

    // A note added behind the tool's back, and one transaction's block height changed.
    let txid: String = {
        let c = rusqlite::Connection::open(&case).unwrap();
        c.execute(
            "INSERT INTO note (target, text, created_at) VALUES ('btc:addr:x', 'planted', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        let txid: String = c
            .query_row("SELECT txid FROM tx ORDER BY txid LIMIT 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        c.execute(
            "UPDATE tx SET block_height = block_height + 1 WHERE txid = ?1",
            [&txid],
        )
        .unwrap();
        txid
    };
    assert_ne!(
        info(dir.path(), &case)["content_hash"],
        hash,
        "a changed case has another content hash"
    );
    let (ok, v) = verify(dir.path(), &case, &first);
    assert!(!ok, "a changed case fails verification (non-zero exit)");
    let bad = mismatches(&v);
    for expected in [
        "content hash",
        "document id",
        &format!("transaction {txid}"),
    ] {
        assert!(
            bad.iter().any(|b| b == expected),
            "the mismatch names the {expected}: {bad:?}"
        );
    }
    assert!(
        bad.iter().any(|b| b.starts_with("note ")),
        "the planted note is named: {bad:?}"
    );
}

#[test]
fn a_changed_manifest_byte_and_a_truncated_audit_log_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let case = demo_case(dir.path());
    let pdf = dir.path().join("exhibit.pdf");
    report(dir.path(), &case, &pdf);

    // One byte of the embedded manifest (a digit of the generation time), changed in place.
    let mut bytes = std::fs::read(&pdf).unwrap();
    let needle = format!("\"generated_unix\":{EPOCH}");
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .expect("the XMP packet holds the manifest uncompressed");
    let digit = at + needle.len() - 1;
    bytes[digit] = if bytes[digit] == b'1' { b'2' } else { b'1' };
    let tampered = dir.path().join("tampered.pdf");
    std::fs::write(&tampered, &bytes).unwrap();
    let (ok, v) = verify(dir.path(), &case, &tampered);
    assert!(!ok, "a tampered manifest fails verification");
    assert!(
        mismatches(&v).contains(&"manifest hash".to_string()),
        "the mismatch names the manifest hash: {v}"
    );

    // The head printed on the report, then the log's tail cut off behind the tool's back.
    let text = pdf_text(&pdf);
    // The Integrity chapter (the last one) prints the command with the head on one line.
    let line = text
        .lines()
        .rfind(|l| l.contains("--expect-head"))
        .expect("the report prints the case-verify command with its head");
    let head = line
        .split_whitespace()
        .skip_while(|w| *w != "--expect-head")
        .nth(1)
        .expect("the head follows --expect-head")
        .to_string();
    assert_eq!(head.len(), 64, "a SHA-256 head: {line}");
    run_ok(
        tracebench(dir.path())
            .args(["case", "verify", "--expect-head", &head, "--case"])
            .arg(&case),
    );
    {
        let c = rusqlite::Connection::open(&case).unwrap();
        let seq: i64 = c
            .query_row("SELECT seq FROM audit_log WHERE hash = ?1", [&head], |r| {
                r.get(0)
            })
            .unwrap();
        c.execute("DELETE FROM audit_log WHERE seq >= ?1", [seq])
            .unwrap();
    }
    let out = tracebench(dir.path())
        .args(["case", "verify", "--json", "--expect-head", &head, "--case"])
        .arg(&case)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "the head printed on the report catches a truncated tail"
    );
    let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        verdict["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "truncated"),
        "the finding is a truncation: {verdict}"
    );
    let (ok, v) = verify(dir.path(), &case, &pdf);
    assert!(
        !ok,
        "the report no longer verifies against the truncated case"
    );
    let bad = mismatches(&v);
    for expected in ["audit head", "audit log", "content hash"] {
        assert!(
            bad.iter().any(|b| b == expected),
            "the mismatch names the {expected}: {bad:?}"
        );
    }
}

#[test]
fn report_verify_refuses_a_file_that_is_not_a_sealed_report() {
    let dir = tempfile::tempdir().unwrap();
    // The report is read before the case is opened, so no case is needed to refuse it.
    let case = dir.path().join("any.tbcase");
    let junk = dir.path().join("junk.pdf");
    std::fs::write(&junk, b"not a pdf").unwrap();
    let out = tracebench(dir.path())
        .args(["report", "verify", "--case"])
        .arg(&case)
        .arg(&junk)
        .output()
        .unwrap();
    assert!(!out.status.success(), "junk is refused");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("junk.pdf") && err.contains("not a sealed Tracebench report"),
        "the error names the file and what is wrong: {err}"
    );
}
