use rusqlite::Connection;
use tracebench_labels::{parse, Builtin, Format, LabelError, LabelStore, SourceFile};

use crate::empty_store;

fn snapshot(path: &std::path::Path) -> Vec<(String, String)> {
    let c = Connection::open(path).unwrap();
    let mut out = Vec::new();
    for q in [
        "SELECT pack_id || ' ' || version FROM pack ORDER BY 1",
        "SELECT match_key || ' ' || label || ' ' || source FROM label ORDER BY 1",
    ] {
        let mut s = c.prepare(q).unwrap();
        for r in s.query_map([], |r| r.get::<_, String>(0)).unwrap() {
            out.push((q.to_string(), r.unwrap()));
        }
    }
    out
}

#[test]
fn an_import_that_fails_midway_leaves_the_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = empty_store(dir.path());
    let path = store.path().to_path_buf();
    let first = "address,label,category,source,confidence\n\
                 123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX,Hydra,darknet_market,case 1,80\n";
    store
        .import(
            parse(
                Format::Csv,
                &SourceFile::new("a.csv", first.into(), "2026-01-01"),
            )
            .unwrap(),
        )
        .unwrap();
    let before = snapshot(&path);
    // Make the database itself fail on the third row of the next file.
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER fail_midway BEFORE INSERT ON label
             WHEN NEW.address = '13AM4VW2dhxYgXeQepoHkHSQuy6NgaEb94'
             BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;",
        )
        .unwrap();
    let second = "address,label,category,source,confidence\n\
                  1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,Genesis,other,case 2,10\n\
                  12J1ppRbkRa3fpmJpBCsn2B6jc7T7u1wkg,Someone,exchange,case 2,40\n\
                  13AM4VW2dhxYgXeQepoHkHSQuy6NgaEb94,WannaCry,ransomware,case 2,90\n\
                  bc1qkd9hm2qwvck3mvlul035kl6v4nz04s6dmryeq5,Other,service,case 2,40\n";
    let err = store
        .import(
            parse(
                Format::Csv,
                &SourceFile::new("b.csv", second.into(), "2026-01-02"),
            )
            .unwrap(),
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("disk trouble"),
        "the failure surfaces: {err}"
    );
    assert_eq!(
        snapshot(&path),
        before,
        "the two rows written before the failure were rolled back with the pack"
    );
}

#[test]
fn a_foreign_or_non_sqlite_file_is_refused_and_not_modified() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("case.sqlite");
    {
        let c = Connection::open(&foreign).unwrap();
        c.pragma_update(None, "application_id", 0x5442_4331)
            .unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let bytes = std::fs::read(&foreign).unwrap();
    let err = LabelStore::open(&foreign, Builtin::Install).unwrap_err();
    assert!(
        matches!(err, LabelError::Foreign { .. }),
        "another application's SQLite file: {err}"
    );
    assert_eq!(
        std::fs::read(&foreign).unwrap(),
        bytes,
        "not one byte changed"
    );

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "addresses I like\n").unwrap();
    let err = LabelStore::open(&text, Builtin::Install).unwrap_err();
    assert!(
        matches!(err, LabelError::NotSqlite { .. }),
        "a text file: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "addresses I like\n",
        "untouched"
    );
}

#[test]
fn analyst_labels_are_kept_apart_and_screened() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = empty_store(dir.path());
    store
        .add_analyst_label(&tracebench_labels::AnalystLabel {
            address: "bc1qkd9hm2qwvck3mvlul035kl6v4nz04s6dmryeq5".into(),
            chain: "BTC".into(),
            label: "suspect's deposit wallet".into(),
            category: tracebench_labels::Category::Exchange,
            analyst: "J. Doe".into(),
            confidence: 70,
            notes: "from subpoena return".into(),
        })
        .unwrap();
    assert_eq!(
        store.counts().unwrap(),
        (0, 1),
        "an analyst label is not an imported one"
    );
    let hits = store
        .screen(&["BC1QKD9HM2QWVCK3MVLUL035KL6V4NZ04S6DMRYEQ5"])
        .unwrap();
    assert_eq!(hits.len(), 1, "bech32 in upper case still matches");
    assert_eq!(
        hits[0].source, "analyst: J. Doe",
        "the analyst is the source"
    );
}
