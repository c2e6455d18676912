//! `tracebench case export` / `case import`, and `cluster --explain` / `cluster veto` on the
//! demo case.

use crate::util::{demo, json, run_ok, tracebench};

#[test]
fn an_exported_demo_case_imports_elsewhere_and_works_offline() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap();
    let bundle = dir.path().join("demo.tbbundle");
    let exported = json(&run_ok(
        tracebench(dir.path())
            .args(["case", "export", "--json", "--case", case, "--out"])
            .arg(&bundle),
    ));
    assert_eq!(
        exported["case_id"], summary["case_id"],
        "the bundle carries the demo case"
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let imported = elsewhere.path().join("imported.tbcase");
    run_ok(
        tracebench(elsewhere.path())
            .args(["case", "import"])
            .arg(&bundle)
            .arg("--out")
            .arg(&imported),
    );
    let clusters = |c: &std::path::Path| {
        let out = run_ok(
            tracebench(dir.path())
                .args(["cluster", "--json", "--case"])
                .arg(c),
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        clusters(std::path::Path::new(case)),
        clusters(&imported),
        "cluster --json is identical on the original and the import"
    );
    let seed = summary["seed_address"].as_str().unwrap();
    let expanded = json(&run_ok(
        tracebench(elsewhere.path())
            .args(["expand", seed, "--offline", "--json", "--case"])
            .arg(&imported),
    ));
    assert!(
        expanded["nodes"].as_u64().unwrap() > 1,
        "expand --offline answers from the imported case: {expanded}"
    );

    // A second import over the same file is refused; so is a tampered bundle.
    let again = tracebench(elsewhere.path())
        .args(["case", "import"])
        .arg(&bundle)
        .arg("--out")
        .arg(&imported)
        .output()
        .unwrap();
    assert!(!again.status.success(), "import never overwrites a case");
    let mut bytes = std::fs::read(&bundle).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 0x80;
    let tampered = elsewhere.path().join("tampered.tbbundle");
    std::fs::write(&tampered, &bytes).unwrap();
    let refused = tracebench(elsewhere.path())
        .args(["case", "import"])
        .arg(&tampered)
        .arg("--out")
        .arg(elsewhere.path().join("never.tbcase"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "a tampered bundle is refused");
    assert!(
        stderr.contains("damaged in"),
        "the refusal names the damaged part: {stderr}"
    );
    assert!(
        !elsewhere.path().join("never.tbcase").exists(),
        "nothing is written from a tampered bundle"
    );
}

#[test]
fn cluster_explain_and_veto_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = summary["case"].as_str().unwrap();
    let clustering = json(&run_ok(
        tracebench(dir.path()).args(["cluster", "--json", "--case", case]),
    ));
    let cluster = &clustering["clusters"][0];
    let merge = &cluster["merges"][0];
    let (txid, a, b) = (
        merge["txid"].as_str().unwrap(),
        merge["a"].as_str().unwrap(),
        merge["b"].as_str().unwrap(),
    );
    let explained = json(&run_ok(tracebench(dir.path()).args([
        "cluster",
        "--json",
        "--case",
        case,
        "--explain",
        a,
        b,
    ])));
    assert_eq!(
        explained["cluster_id"], cluster["id"],
        "the two addresses of a merge are explained by their cluster"
    );
    assert_eq!(
        explained["merges"][0]["txid"], txid,
        "by the merge that joined them"
    );
    let unknown = tracebench(dir.path())
        .args(["cluster", "--case", case, "veto", &"ab".repeat(32), a, b])
        .output()
        .unwrap();
    assert!(
        !unknown.status.success(),
        "a veto of an unknown tx is refused"
    );
    run_ok(tracebench(dir.path()).args([
        "cluster", "--case", case, "veto", txid, a, b, "--reason", "PayJoin",
    ]));
    let vetoes = json(&run_ok(
        tracebench(dir.path()).args(["cluster", "vetoes", "--json", "--case", case]),
    ));
    assert_eq!(
        vetoes[0]["reason"], "PayJoin",
        "the veto is listed with its reason"
    );
    let text = run_ok(tracebench(dir.path()).args(["cluster", "--case", case, "--explain", a, b]));
    let text = String::from_utf8_lossy(&text.stdout);
    if cluster["txids"].as_array().unwrap().len() == 1 {
        assert!(
            text.contains("not in one cluster"),
            "a cluster only the vetoed tx held together is split: {text}"
        );
    }
    let after = json(&run_ok(
        tracebench(dir.path()).args(["cluster", "--json", "--case", case]),
    ));
    assert_eq!(
        after["vetoed"][0], txid,
        "clustering names the veto on a re-run"
    );
}

/// Where node `id` is placed in the case file at `case`, read straight from its table (`None`
/// while it was never placed: the canvas lays it out).
fn position_in(case: &std::path::Path, id: &str) -> Option<(f64, f64)> {
    let db = rusqlite::Connection::open(case).unwrap();
    db.query_row(
        "SELECT x, y FROM canvas_node WHERE node_id = ?1",
        [id],
        |r| Ok(r.get::<_, Option<f64>>(0)?.zip(r.get::<_, Option<f64>>(1)?)),
    )
    .unwrap()
}

#[test]
fn a_layout_journal_left_by_the_app_is_in_the_bundle_and_an_unreadable_one_stops_the_export() {
    // The app journals positions beside the case while a fetch holds it
    // (tracebench_core::api::layout_journal); killed then, it leaves the journal for the case's
    // next opening. An export from the command line before that must not bundle the older
    // layout and leave the analyst's last moves behind.
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = std::path::PathBuf::from(summary["case"].as_str().unwrap());
    let seed = format!("btc:addr:{}", summary["seed_address"].as_str().unwrap());
    let before = position_in(&case, &seed);
    let journal = {
        let mut name = case.clone().into_os_string();
        name.push(".layout-journal");
        std::path::PathBuf::from(name)
    };
    // The journal's own line format: one JSON change per line (two moves, the later one wins).
    let line = |x: f64, y: f64| format!(r#"{{"positions":[{{"id":"{seed}","x":{x},"y":{y}}}]}}"#);
    std::fs::write(
        &journal,
        format!("{}\n{}\n", line(11.5, -3.25), line(123.5, 456.75)),
    )
    .unwrap();
    assert_ne!(
        before,
        Some((123.5, 456.75)),
        "the journal moves the seed somewhere new"
    );

    // An unreadable line: nothing is exported, and the case and the journal are as they were.
    let good = std::fs::read(&journal).unwrap();
    std::fs::write(
        &journal,
        [&good[..], b"{\"positions\": not json\n"].concat(),
    )
    .unwrap();
    let refused_bundle = dir.path().join("refused.tbbundle");
    let refused = tracebench(dir.path())
        .args(["case", "export", "--case"])
        .arg(&case)
        .arg("--out")
        .arg(&refused_bundle)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success(),
        "an unreadable journal stops the export"
    );
    assert!(
        stderr.contains("unreadable line 3") && stderr.contains(".layout-journal"),
        "the refusal names the journal and its bad line: {stderr}"
    );
    assert!(!refused_bundle.exists(), "no bundle is written");
    assert!(journal.exists(), "the journal is kept for inspection");
    assert_eq!(position_in(&case, &seed), before, "the case is untouched");

    // The readable journal: applied in order before the export, then gone.
    std::fs::write(&journal, &good).unwrap();
    let bundle = dir.path().join("journal.tbbundle");
    let out = run_ok(
        tracebench(dir.path())
            .args(["case", "export", "--case"])
            .arg(&case)
            .arg("--out")
            .arg(&bundle),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("applied 2 layout change(s)"),
        "the export says it applied the app's journal: {stderr}"
    );
    assert!(!journal.exists(), "an applied journal is removed");
    assert_eq!(
        position_in(&case, &seed),
        Some((123.5, 456.75)),
        "the case holds the last move"
    );
    let imported = dir.path().join("imported.tbcase");
    run_ok(
        tracebench(dir.path())
            .args(["case", "import"])
            .arg(&bundle)
            .arg("--out")
            .arg(&imported),
    );
    assert_eq!(
        position_in(&imported, &seed),
        Some((123.5, 456.75)),
        "the bundle carries the layout the analyst last saw"
    );
}
