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
