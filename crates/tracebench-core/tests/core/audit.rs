//! The tamper-evident audit log: actions append chained entries in their own transaction, and
//! `verify` names every kind of tampering without writing to the case.

use std::path::{Path, PathBuf};

use tracebench_core::api::{NodePosition, Workbench};
use tracebench_core::store::{audit::GENESIS_HASH, FindingKind};

use crate::util::{alices_seed_case, file_digest, t0, Sim};

/// A case built by add, expand, note, positions and an export, by analyst "alice".
fn logged_case(dir: &Path) -> PathBuf {
    let sim = Sim::start();
    let path = dir.join("audit.tbcase");
    let (mut wb, seed) = alices_seed_case(&sim, &path, "Audit");
    wb.set_positions(&[NodePosition {
        id: seed,
        x: 1.0,
        y: 2.0,
    }])
    .unwrap();
    wb.record_export("report", &"ab".repeat(32), t0()).unwrap();
    path
}

fn sql(path: &Path, statement: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(statement).unwrap();
}

fn kinds_at(path: &Path, expect_head: Option<&str>) -> Vec<(FindingKind, Option<i64>)> {
    let v = Workbench::verify(path, expect_head).unwrap();
    assert!(!v.ok, "tampering must fail verification");
    v.findings
        .iter()
        .map(|f| (f.kind, f.seq.or(f.raw_id)))
        .collect()
}

#[test]
fn actions_append_chained_entries_and_a_clean_case_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged_case(dir.path());
    let wb = Workbench::open(&path, None).unwrap();
    let log = wb.audit_log().unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "case.create",
            "add",
            "expand",
            "note",
            "positions",
            "export"
        ],
        "one entry per analyst action, in order"
    );
    assert_eq!(log[0].prev_hash, GENESIS_HASH, "the chain starts at zeros");
    for pair in log.windows(2) {
        assert_eq!(
            pair[1].prev_hash, pair[0].hash,
            "each entry chains to the one before"
        );
    }
    assert!(
        log.iter().all(|e| e.user == "alice"),
        "the user set at creation is named"
    );
    let head = wb.audit_head().unwrap();
    drop(wb);
    let v = Workbench::verify(&path, head.as_deref()).unwrap();
    assert!(v.ok, "an untouched case verifies: {:?}", v.findings);
    assert_eq!(v.entries, 6, "every entry is checked");
    assert!(v.raw_responses > 0, "raw responses are re-hashed");
}

#[test]
fn verify_does_not_write_to_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged_case(dir.path());
    let before = file_digest(&path);
    Workbench::verify(&path, None).unwrap();
    assert_eq!(
        file_digest(&path),
        before,
        "verification opens the case read-only"
    );
}

#[test]
fn an_edited_detail_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged_case(dir.path());
    sql(
        &path,
        "UPDATE audit_log SET detail = '{\"target\":\"x\",\"text\":\"forged\"}' WHERE seq = 4",
    );
    assert_eq!(
        kinds_at(&path, None),
        [(FindingKind::Changed, Some(4))],
        "the edited note entry is named as changed"
    );
}

#[test]
fn a_removed_middle_entry_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged_case(dir.path());
    sql(&path, "DELETE FROM audit_log WHERE seq = 3");
    let found = kinds_at(&path, None);
    assert!(
        found.contains(&(FindingKind::Removed, Some(3))),
        "the gap names entry 3: {found:?}"
    );
}

#[test]
fn swapped_entries_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged_case(dir.path());
    sql(
        &path,
        "UPDATE audit_log SET seq = 100 WHERE seq = 2;
         UPDATE audit_log SET seq = 2 WHERE seq = 3;
         UPDATE audit_log SET seq = 3 WHERE seq = 100;",
    );
    let found = kinds_at(&path, None);
    assert!(
        found.contains(&(FindingKind::Reordered, Some(2)))
            && found.contains(&(FindingKind::Reordered, Some(3))),
        "both swapped entries are named as out of order: {found:?}"
    );
}

#[test]
fn a_truncated_tail_is_found_against_the_old_head() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged_case(dir.path());
    let head = Workbench::verify(&path, None).unwrap().head.unwrap();
    sql(&path, "DELETE FROM audit_log WHERE seq >= 5");
    assert!(
        Workbench::verify(&path, None).unwrap().ok,
        "without the old head a clean truncation is undetectable, which is why heads are printed"
    );
    assert_eq!(
        kinds_at(&path, Some(&head)),
        [(FindingKind::Truncated, Some(5))],
        "the old head is missing: entries from 5 on were removed"
    );
}

#[test]
fn a_changed_raw_response_byte_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged_case(dir.path());
    sql(
        &path,
        "UPDATE raw_response SET body = CAST(substr(body, 1, 10) || '#' || substr(body, 12) AS BLOB) WHERE id = 1",
    );
    assert_eq!(
        kinds_at(&path, None),
        [(FindingKind::RawMismatch, Some(1))],
        "the raw response whose bytes changed is named"
    );
}

#[test]
fn a_deleted_raw_response_that_rows_still_cite_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged_case(dir.path());
    let raw_id: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT raw_id FROM tx ORDER BY txid LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    // The sqlite3 shell has foreign keys off by default: the delete succeeds there.
    sql(
        &path,
        &format!("PRAGMA foreign_keys = OFF; DELETE FROM raw_response WHERE id = {raw_id}"),
    );
    let v = Workbench::verify(&path, None).unwrap();
    assert!(
        !v.ok,
        "a transaction whose raw response is gone has lost its provenance: verification fails"
    );
    assert!(
        v.findings
            .iter()
            .all(|f| f.kind == FindingKind::DanglingReference && f.raw_id == Some(raw_id)),
        "every finding names the missing raw response {raw_id}: {:?}",
        v.findings
    );
    assert!(
        v.findings
            .iter()
            .any(|f| f.message.contains(" row(s) of tx cite a raw_response row")),
        "the transaction table is named with its row count: {:?}",
        v.findings
    );
}

#[test]
fn a_failed_action_logs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged_case(dir.path());
    let mut wb = Workbench::open(&path, None).unwrap();
    let before = wb.audit_log().unwrap().len();
    let sim = Sim::start();
    assert!(
        sim.rt.block_on(wb.add("not-an-address", t0())).is_err(),
        "an invalid address is refused"
    );
    assert!(
        wb.set_positions(&[NodePosition {
            id: "btc:addr:nowhere".into(),
            x: 0.0,
            y: 0.0,
        }])
        .is_err(),
        "positions of a node not on the canvas are refused"
    );
    wb.record_export("report", &"cd".repeat(32), t0()).unwrap();
    let log = wb.audit_log().unwrap();
    assert_eq!(
        log.len(),
        before + 1,
        "the refused actions logged nothing; the export after them did"
    );
    assert_eq!(
        log.last().unwrap().action,
        "export",
        "the staged actions did not leak"
    );
}
