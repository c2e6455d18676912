//! Bad input through the CLI: a clear error naming the problem, and nothing the user has lost.

use crate::util::{demo, digest, json, run_ok, tracebench};

#[test]
fn invalid_addresses_and_txids_are_refused_and_the_case_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap();
    let info = |d: &std::path::Path| {
        json(&run_ok(
            tracebench(d).args(["case", "info", "--json", "--case", case]),
        ))
    };
    let before = info(dir.path());
    let seed = summary["seed_address"].as_str().unwrap();
    let mut typo: Vec<char> = seed.chars().collect();
    let i = typo.len() - 3;
    typo[i] = if typo[i] == 'q' { 'p' } else { 'q' };
    let typo: String = typo.into_iter().collect();
    for (input, says) in [
        (typo.as_str(), "checksum"),
        ("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "testnet"),
        ("not-an-address", "not a Bitcoin address"),
        ("abcd", "not a Bitcoin address"),
    ] {
        let out = tracebench(dir.path())
            .args(["add", input, "--case", case])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{input} must be refused");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(says),
            "the error for {input} says {says:?}: {err}"
        );
    }
    assert_eq!(info(dir.path()), before, "the case is exactly as it was");
}

#[test]
fn foreign_and_damaged_case_files_are_refused_without_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.tbcase");
    std::fs::write(&junk, b"PK\x03\x04 this is a zip, not a case").unwrap();
    let before = digest(&junk);
    for args in [
        vec!["case", "info"],
        vec!["add", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"],
        vec!["report", "--out", "r.pdf"],
    ] {
        let out = tracebench(dir.path())
            .args(&args)
            .arg("--case")
            .arg(&junk)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} on a non-case must fail");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("not a SQLite database"),
            "{args:?}: names the problem"
        );
    }
    assert_eq!(digest(&junk), before, "the file is byte-for-byte untouched");
    assert!(
        !dir.path().join("r.pdf").exists(),
        "no report from a non-case"
    );
}

#[test]
fn an_unreachable_source_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("c.tbcase");
    run_ok(
        tracebench(dir.path())
            .args(["case", "new", "--title", "T", "--case"])
            .arg(&case),
    );
    let out = tracebench(dir.path())
        .args([
            "add",
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            "--source",
            "http://127.0.0.1:9",
            "--case",
        ])
        .arg(&case)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unreachable") && err.contains("127.0.0.1:9"),
        "names the source and the failure: {err}"
    );
    let info = json(&run_ok(
        tracebench(dir.path())
            .args(["case", "info", "--json", "--case"])
            .arg(&case),
    ));
    assert_eq!(info["nodes"], 0, "nothing was added");
    assert_eq!(info["raw_responses"], 0, "and nothing stored");
}

#[test]
fn data_and_config_dirs_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let paths = json(&run_ok(tracebench(dir.path()).args(["paths", "--json"])));
    assert_eq!(
        paths["data_dir"],
        dir.path().join("data").display().to_string(),
        "TRACEBENCH_DATA_DIR wins"
    );
    assert_eq!(
        paths["config_dir"],
        dir.path().join("config").display().to_string(),
        "TRACEBENCH_CONFIG_DIR wins"
    );
    let created = json(&run_ok(tracebench(dir.path()).args([
        "case",
        "new",
        "--title",
        "Op. Peel 7",
        "--json",
    ])));
    assert_eq!(
        created["path"],
        dir.path()
            .join("data/cases/op-peel-7.tbcase")
            .display()
            .to_string(),
        "a case without --case lands in the data dir"
    );
}
