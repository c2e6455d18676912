//! The case file: creation, checks before writing, and refusal of files that are not ours.

use sha2::{Digest, Sha256};
use tracebench_core::api::{NewCase, Workbench};
use tracebench_core::store::{Case, CaseError};

use crate::util::{file_digest, t0};

fn new_case(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("case.tbcase");
    Workbench::create(
        &path,
        NewCase {
            title: "Test".into(),
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

#[test]
fn a_new_case_reopens_with_its_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_case(dir.path());
    let wb = Workbench::open(&path, None).unwrap();
    let info = wb.info();
    assert!(
        info.case_id.starts_with("TB-20261121-"),
        "case ids carry the creation date: {}",
        info.case_id
    );
    assert_eq!(info.investigator, "A. Analyst");
    assert_eq!(info.created_utc, "2026-11-21T12:00:00Z");
    assert_eq!(
        info.chain, "bip122:000000000019d6689c085ae165831e93",
        "Bitcoin mainnet by CAIP-2"
    );
    assert!(!info.synthetic, "no sim data yet");
    let again = Workbench::create(
        &path,
        NewCase {
            title: "x".into(),
            investigator: "y".into(),
            agency: "z".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        None,
        t0(),
    );
    assert!(
        again.is_err(),
        "an existing case is never overwritten by `create`"
    );
}

#[test]
fn foreign_corrupt_and_non_sqlite_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    // A SQLite database of another application.
    let foreign = dir.path().join("foreign.tbcase");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    // Plain text with a .tbcase name.
    let text = dir.path().join("notes.tbcase");
    std::fs::write(&text, "just some notes\n").unwrap();
    // An empty file.
    let empty = dir.path().join("empty.tbcase");
    std::fs::write(&empty, "").unwrap();
    // A real case with a damaged page in the middle.
    let damaged = new_case(dir.path());
    {
        let wb = Workbench::open(&damaged, None).unwrap();
        drop(wb);
        let mut bytes = std::fs::read(&damaged).unwrap();
        assert!(bytes.len() > 8192, "a case spans several pages");
        // Overwrite the b-tree header of every page after the first.
        for page in 1..bytes.len() / 4096 {
            for b in &mut bytes[page * 4096..page * 4096 + 12] {
                *b = 0xA5;
            }
        }
        std::fs::write(&damaged, bytes).unwrap();
    }
    // A case from a newer Tracebench.
    let newer_dir = tempfile::tempdir().unwrap();
    let newer = new_case(newer_dir.path());
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    for (path, expect) in [
        (&foreign, "not a Tracebench case"),
        (&text, "not a SQLite database"),
        (&empty, "empty"),
        (&damaged, "damaged"),
        (&newer, "newer Tracebench"),
    ] {
        let before = file_digest(path);
        let err = Workbench::open(path, None).unwrap_err();
        assert_eq!(err.code(), "case_invalid", "{}: {err}", path.display());
        assert!(
            err.to_string().contains(expect),
            "{}: the message says why: {err}",
            path.display()
        );
        assert_eq!(
            file_digest(path),
            before,
            "{} must not be modified, not even its header",
            path.display()
        );
    }
    assert!(matches!(
        Case::open(&dir.path().join("missing.tbcase")),
        Err(CaseError::NotFound { .. })
    ));
}

#[test]
fn stored_provenance_hash_is_the_sha256_of_the_stored_bytes() {
    let sim = crate::util::Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.tbcase");
    let mut wb = Workbench::create(
        &path,
        NewCase {
            title: "P".into(),
            investigator: "I".into(),
            agency: "A".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        Some(sim.spec()),
        t0(),
    )
    .unwrap();
    sim.rt
        .block_on(wb.add(sim.chain.seed_address(), t0()))
        .unwrap();
    let raws = wb.case().raw_responses().unwrap();
    assert!(
        !raws.is_empty(),
        "adding an address stores its history page"
    );
    for r in raws {
        let body = wb.case().raw_body(r.id).unwrap();
        assert_eq!(
            r.sha256,
            hex::encode(Sha256::digest(&body)),
            "raw {} hash covers the exact stored bytes",
            r.id
        );
        assert_eq!(
            r.source_id, "sim:ransomware:1",
            "sim data is attributed to the scenario, not the URL"
        );
        assert!(
            r.endpoint.starts_with("/address/") || r.endpoint == "/block-height/0",
            "the endpoint is recorded (the history page, or the connection's network check): {}",
            r.endpoint
        );
    }
}

#[test]
fn a_secret_in_the_source_url_is_stored_as_stars() {
    let sim = crate::util::Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.tbcase");
    let url = sim
        .server
        .url()
        .replace("http://", "http://analyst:Sup3rSecretPw@");
    let spec = tracebench_core::api::SourceSpec {
        id: "esplora:self-hosted".into(),
        base_url: url,
    };
    let mut wb = Workbench::create(
        &path,
        NewCase {
            title: "S".into(),
            investigator: "I".into(),
            agency: "A".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        Some(spec),
        t0(),
    )
    .unwrap();
    sim.rt
        .block_on(wb.add(sim.chain.seed_address(), t0()))
        .unwrap();
    let raws = wb.case().raw_responses().unwrap();
    assert!(
        raws.iter().all(|r| r.request.contains("analyst:***@")),
        "the password is masked in every stored request"
    );
    drop(wb);
    for suffix in ["", "-wal"] {
        let p = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if let Ok(bytes) = std::fs::read(&p) {
            assert!(
                !bytes
                    .windows(b"Sup3rSecretPw".len())
                    .any(|w| w == b"Sup3rSecretPw"),
                "the secret appears nowhere in {}",
                p.display()
            );
        }
    }
}
