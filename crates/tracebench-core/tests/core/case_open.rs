//! Opening a case without waiting for its page check: the cheap checks refuse a foreign or
//! broken file at once, the page check (`quick_check`) runs on its own thread, and a file it
//! finds damaged is never written to.

use tracebench_core::api::{NewCase, Workbench};
use tracebench_core::store::{Case, CaseError};

use crate::util::{file_digest, t0};

fn new_case(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("case.tbcase");
    Workbench::create(
        &path,
        NewCase {
            title: "Open".into(),
            investigator: "A. Analyst".into(),
            agency: "Unit 7".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        None,
        t0(),
    )
    .unwrap();
    path
}

/// Overwrites the b-tree page header of the root page of `table` (a table that opening the case
/// does not read), so only a page check finds the damage.
fn damage_table(path: &std::path::Path, table: &str) {
    let (root, page_size) = {
        let c =
            rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap();
        let root: i64 = c
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        let page_size: i64 = c
            .pragma_query_value(None, "page_size", |r| r.get(0))
            .unwrap();
        (root as usize, page_size as usize)
    };
    assert!(root > 1, "{table} has a root page of its own");
    let mut bytes = std::fs::read(path).unwrap();
    let at = (root - 1) * page_size;
    for b in &mut bytes[at..at + 12] {
        *b = 0xA5;
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_healthy_case_opens_passes_its_page_check_and_takes_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_case(dir.path());
    let mut case = Case::open(&path).unwrap();
    assert!(
        case.integrity().is_ok(),
        "an undamaged case passes the page check: {:?}",
        case.integrity()
    );
    case.show_nodes(&["tx:ab".to_string()], false, "2026-11-22T07:00:00Z")
        .expect("a write to a case that passed its check lands");
    assert_eq!(
        case.canvas_nodes().unwrap().len(),
        1,
        "the node written after the check is on the canvas"
    );
}

#[test]
fn a_case_damaged_deep_inside_opens_for_reading_but_is_never_written_to() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_case(dir.path());
    damage_table(&path, "veto");
    let before = file_digest(&path);

    let mut case = Case::open(&path)
        .expect("the cheap checks pass: header, application id, schema and metadata are intact");
    assert_eq!(
        case.meta().investigator,
        "A. Analyst",
        "the case's metadata reads while the page check runs"
    );
    let verdict = case.integrity();
    assert!(
        matches!(verdict, Err(CaseError::Corrupt { .. })),
        "the page check finds the damaged page: {verdict:?}"
    );
    let err = case
        .show_nodes(&["tx:ab".to_string()], false, "2026-11-22T07:00:00Z")
        .unwrap_err();
    assert!(
        err.to_string().contains("is damaged") && err.to_string().contains("not modified"),
        "the refused write names the damage and says the file was left alone: {err}"
    );
    let watch = case.integrity_watch();
    drop(case);
    let seen_elsewhere = std::thread::spawn(move || watch.wait()).join().unwrap();
    assert!(
        matches!(seen_elsewhere, Err(CaseError::Corrupt { .. })),
        "a watch taken from the case gives the same verdict on another thread: {seen_elsewhere:?}"
    );
    assert_eq!(
        file_digest(&path),
        before,
        "nothing was written to the damaged file"
    );
}

#[test]
fn the_first_write_waits_for_the_page_check_instead_of_racing_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_case(dir.path());
    damage_table(&path, "veto");
    let before = file_digest(&path);
    // Write at once, before asking for the verdict: the write itself must wait for it.
    let mut case = Case::open(&path).unwrap();
    let err = case
        .set_positions(&[("tx:ab".to_string(), 1.0, 2.0)])
        .unwrap_err();
    assert!(
        matches!(err, CaseError::Corrupt { .. }),
        "a write right after opening is refused once the check fails: {err}"
    );
    drop(case);
    assert_eq!(
        file_digest(&path),
        before,
        "a write issued before the verdict was in wrote nothing"
    );
}

#[test]
fn a_damaged_case_that_opening_would_write_to_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_case(dir.path());
    // A rollback journal: opening switches the case to WAL (a write), so the pages are checked
    // before opening.
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    damage_table(&path, "veto");
    let before = file_digest(&path);
    let err = Workbench::open(&path, None).unwrap_err();
    assert_eq!(err.code(), "case_invalid", "refused as invalid: {err}");
    assert!(
        err.to_string().contains("damaged"),
        "the message says why: {err}"
    );
    assert_eq!(
        file_digest(&path),
        before,
        "the damaged file was not switched to WAL nor otherwise touched"
    );
}
