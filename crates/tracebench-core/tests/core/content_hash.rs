//! The case's content hash: the documented encoding, export entries left out, and any
//! changed or removed row of any table moving it.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tracebench_core::api::Workbench;
use tracebench_core::store::content_hash::{content_hash, CONTENT_HASH_FORMAT};
use tracebench_core::store::Case;

use crate::util::{alices_seed_case, t0, Sim};

/// A case built by add, expand and a note, by analyst "alice".
fn built_case(dir: &Path) -> PathBuf {
    let sim = Sim::start();
    let path = dir.join("content.tbcase");
    alices_seed_case(&sim, &path, "Content");
    path
}

fn hash_of(path: &Path) -> String {
    Case::open(path).unwrap().content_hash().unwrap().sha256
}

fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

#[test]
fn the_encoding_is_the_documented_one() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE zeta (k TEXT PRIMARY KEY, v BLOB) STRICT;
         CREATE TABLE alpha (id INTEGER PRIMARY KEY, n INTEGER, r REAL, s TEXT) STRICT;
         INSERT INTO alpha VALUES (2, -5, 1.5, NULL), (1, 7, NULL, 'é');
         INSERT INTO zeta VALUES ('b', x'00ff'), ('a', NULL);",
    )
    .unwrap();
    let mut h = Sha256::new();
    field(&mut h, CONTENT_HASH_FORMAT.as_bytes());
    // alpha: 4 columns, rows in primary-key order (1 then 2).
    field(&mut h, b"T");
    field(&mut h, b"alpha");
    h.update(4u64.to_be_bytes());
    for c in ["id", "n", "r", "s"] {
        field(&mut h, c.as_bytes());
    }
    field(&mut h, b"R");
    h.update(b"I");
    h.update(1i64.to_be_bytes());
    h.update(b"I");
    h.update(7i64.to_be_bytes());
    h.update(b"N");
    h.update(b"S");
    field(&mut h, "é".as_bytes());
    field(&mut h, b"R");
    h.update(b"I");
    h.update(2i64.to_be_bytes());
    h.update(b"I");
    h.update((-5i64).to_be_bytes());
    h.update(b"F");
    h.update(1.5f64.to_bits().to_be_bytes());
    h.update(b"N");
    field(&mut h, b"E");
    h.update(2u64.to_be_bytes());
    // zeta: ordered by its text key ('a' then 'b').
    field(&mut h, b"T");
    field(&mut h, b"zeta");
    h.update(2u64.to_be_bytes());
    field(&mut h, b"k");
    field(&mut h, b"v");
    field(&mut h, b"R");
    h.update(b"S");
    field(&mut h, b"a");
    h.update(b"N");
    field(&mut h, b"R");
    h.update(b"S");
    field(&mut h, b"b");
    h.update(b"B");
    field(&mut h, &[0x00, 0xff]);
    field(&mut h, b"E");
    h.update(2u64.to_be_bytes());
    let got = content_hash(&conn).unwrap();
    assert_eq!(
        got.sha256,
        hex::encode(h.finalize()),
        "the hash must follow the encoding documented in store::content_hash"
    );
    assert_eq!(got.rows["alpha"], 2, "rows counted per table");
}

#[test]
fn exports_leave_the_hash_and_the_evidence_head_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = built_case(dir.path());
    let before = hash_of(&path);
    assert_eq!(
        before,
        hash_of(&path),
        "the same case hashes the same twice"
    );
    let (head_before, integrity_before) = {
        let wb = Workbench::open(&path, None).unwrap();
        (
            wb.audit_head().unwrap(),
            wb.case().report_integrity().unwrap(),
        )
    };
    {
        let mut wb = Workbench::open(&path, None).unwrap();
        wb.record_export("report", &"ab".repeat(32), t0()).unwrap();
        wb.record_export("bundle", &"cd".repeat(32), t0()).unwrap();
        assert_ne!(
            wb.audit_head().unwrap(),
            head_before,
            "the exports are logged (the head moves)"
        );
        assert_eq!(
            wb.case().report_integrity().unwrap(),
            integrity_before,
            "but the head a report prints is the newest non-export entry"
        );
    }
    assert_eq!(
        hash_of(&path),
        before,
        "export entries are left out of the content hash"
    );
    {
        let mut wb = Workbench::open(&path, None).unwrap();
        let node = wb.graph().unwrap().nodes[0].id.clone();
        wb.add_note(&node, "a second note", t0()).unwrap();
    }
    assert_ne!(
        hash_of(&path),
        before,
        "an analyst action after the export changes the hash"
    );
}

/// Applies `sql` to a fresh copy of the case and returns the copy's content hash.
fn hash_after(original: &Path, dir: &Path, n: usize, sql: &str) -> String {
    let copy = dir.join(format!("copy{n}.tbcase"));
    std::fs::copy(original, &copy).unwrap();
    let conn = rusqlite::Connection::open(&copy).unwrap();
    // Tampering behind the tool's back does not respect foreign keys.
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
    let changed = conn.execute(sql, []).unwrap();
    assert_eq!(changed, 1, "{sql} changes exactly one row");
    // Hashed over the raw connection: a copy without case metadata no longer opens as a case.
    content_hash(&conn).unwrap().sha256
}

#[test]
fn any_changed_or_removed_row_of_any_table_changes_the_hash() {
    let dir = tempfile::tempdir().unwrap();
    let path = built_case(dir.path());
    let base = Case::open(&path).unwrap().content_hash().unwrap();
    assert_eq!(
        hash_after(
            &path,
            dir.path(),
            0,
            "UPDATE note SET text = text WHERE id = 1"
        ),
        base.sha256,
        "a copy hashed over a plain connection gives the case's hash (no-op update)"
    );
    let mut n = 0;
    for (table, rows) in &base.rows {
        if *rows == 0 {
            continue;
        }
        n += 1;
        let sql = format!("DELETE FROM {table} WHERE rowid = (SELECT min(rowid) FROM {table})");
        assert_ne!(
            hash_after(&path, dir.path(), n, &sql),
            base.sha256,
            "removing a row of {table} must change the content hash"
        );
    }
    assert!(n >= 10, "the built case fills most tables: {:?}", base.rows);
    let updates = [
        "UPDATE tx SET block_height = block_height + 1 WHERE rowid = (SELECT min(rowid) FROM tx)",
        "UPDATE tx_output SET value = value + 1 WHERE rowid = (SELECT min(rowid) FROM tx_output)",
        "UPDATE tx_input SET address = 'bc1qforged' WHERE rowid = (SELECT min(rowid) FROM tx_input)",
        "UPDATE transfer SET amount = amount || '0' WHERE rowid = (SELECT min(rowid) FROM transfer)",
        "UPDATE raw_response SET body = CAST(body || x'20' AS BLOB) WHERE id = (SELECT min(id) FROM raw_response)",
        "UPDATE note SET text = text || '.' WHERE id = (SELECT min(id) FROM note)",
        "UPDATE canvas_node SET x = 1.25 WHERE rowid = (SELECT min(rowid) FROM canvas_node)",
        "UPDATE audit_log SET user = 'mallory' WHERE seq = 1",
        "UPDATE case_meta SET title = title || ' ' WHERE singleton = 1",
    ];
    for sql in updates {
        n += 1;
        assert_ne!(
            hash_after(&path, dir.path(), n, sql),
            base.sha256,
            "{sql} must change the content hash"
        );
    }
}

#[test]
fn a_bundle_round_trip_keeps_the_hash_and_records_the_head() {
    let dir = tempfile::tempdir().unwrap();
    let path = built_case(dir.path());
    let wb = Workbench::open(&path, None).unwrap();
    let bundle = dir.path().join("case.tbbundle");
    let summary = wb.export_bundle(&bundle, t0()).unwrap();
    assert_eq!(
        summary.manifest.content_hash.as_deref(),
        Some(hash_of(&path).as_str()),
        "the manifest records the case's content hash"
    );
    assert_eq!(
        summary.manifest.audit_head,
        wb.audit_head().unwrap(),
        "the manifest records the audit head"
    );
    assert_eq!(
        summary.manifest.audit_entries as usize,
        wb.audit_log().unwrap().len(),
        "and the number of entries"
    );
    let copy = dir.path().join("imported.tbcase");
    Workbench::import_bundle(&bundle, &copy).unwrap();
    assert_eq!(
        hash_of(&copy),
        hash_of(&path),
        "the imported copy has the same content (a VACUUM copy is the same rows)"
    );
}
