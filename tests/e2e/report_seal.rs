//! The compact seal (manifest format 2): `report verify` names a changed transaction amount by
//! its txid and a changed story step by its number and title, and a short exhibit seals only
//! the rows it prints.

use std::path::{Path, PathBuf};

use crate::util::{
    demo, json, report_verify as verify, run_ok, tracebench, verdict_items as names,
};

const EPOCH: &str = "1767225600";

fn demo_case(dir: &Path) -> PathBuf {
    dir.join(demo(dir)["case"].as_str().unwrap())
}

fn report(dir: &Path, case: &Path, out: &Path, extra: &[&str]) {
    run_ok(
        tracebench(dir)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .args(["report", "--no-labels", "--json", "--out"])
            .arg(out)
            .args(extra)
            .arg("--case")
            .arg(case),
    );
}

/// A transaction of the demo canvas with an input and an output address on the canvas too.
fn canvas_hop(case: &Path) -> (String, String, String) {
    let c = rusqlite::Connection::open(case).unwrap();
    c.query_row(
        "SELECT i.address, i.txid, o.address FROM tx_input i JOIN tx_output o ON o.txid = i.txid
         WHERE 'btc:addr:' || i.address IN (SELECT node_id FROM canvas_node)
           AND 'btc:tx:' || i.txid IN (SELECT node_id FROM canvas_node)
           AND 'btc:addr:' || o.address IN (SELECT node_id FROM canvas_node)
           AND i.address <> o.address
         ORDER BY i.txid, i.idx, o.idx LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .expect("the demo canvas shows a transaction with its input and output addresses")
}

fn add_step(dir: &Path, case: &Path, title: &str, path: &str) {
    run_ok(
        tracebench(dir)
            .args(["story", "add", "--title", title, "--path", path, "--case"])
            .arg(case),
    );
}

#[test]
fn verify_names_a_changed_story_step_and_a_changed_amount_by_its_txid() {
    let dir = tempfile::tempdir().unwrap();
    let case = demo_case(dir.path());
    let (from, txid, to) = canvas_hop(&case);
    add_step(
        dir.path(),
        &case,
        "Ransom paid in",
        &format!("btc:addr:{from},btc:tx:{txid}"),
    );
    add_step(
        dir.path(),
        &case,
        "Paid out",
        &format!("btc:tx:{txid},btc:addr:{to}"),
    );
    let pdf = dir.path().join("exhibit.pdf");
    report(dir.path(), &case, &pdf, &[]);

    let (ok, v) = verify(dir.path(), &case, &pdf);
    assert!(ok, "an unchanged case verifies: {v}");
    let checked = names(&v, true);
    for expected in [
        "story step 1: Ransom paid in",
        "story step 2: Paid out",
        &format!("narrative hop {txid}"),
        &format!("transaction {txid}"),
    ] {
        assert!(
            checked.iter().any(|c| c == expected),
            "verify re-derives {expected}: {checked:?}"
        );
    }

    // The first step's caption changed behind the tool's back, and the amount the first
    // step's input address spends in the transaction raised by one satoshi.
    {
        let c = rusqlite::Connection::open(&case).unwrap();
        let n = c
            .execute(
                "UPDATE story_step SET caption = 'edited after the export'
                 WHERE title = 'Ransom paid in'",
                [],
            )
            .unwrap();
        assert_eq!(n, 1, "the step to change exists");
        let n = c
            .execute(
                "UPDATE tx_input SET value = value + 1 WHERE txid = ?1 AND address = ?2",
                [&txid, &from],
            )
            .unwrap();
        assert!(n >= 1, "the input to change exists");
    }
    let (ok, v) = verify(dir.path(), &case, &pdf);
    assert!(!ok, "a changed case fails verification (non-zero exit)");
    let bad = names(&v, false);
    for expected in [
        "story step 1: Ransom paid in",
        &format!("transaction {txid}"),
        &format!("narrative hop {txid}"),
    ] {
        assert!(
            bad.iter().any(|b| b == expected),
            "the mismatch names {expected}: {bad:?}"
        );
    }
    assert!(
        !bad.iter().any(|b| b == "story step 2: Paid out"),
        "the unchanged step (an output edge) still matches: {bad:?}"
    );
    let stated_changed = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == format!("transaction {txid}"))
        .unwrap();
    assert!(
        stated_changed["derived"]
            .as_str()
            .unwrap()
            .contains("\"input_sat\""),
        "the mismatch shows the row as the case gives it now: {stated_changed}"
    );

    // Reordering the steps after the export is named too: step 1 is now another step.
    let steps = json(&run_ok(
        tracebench(dir.path())
            .args(["story", "list", "--json", "--case"])
            .arg(&case),
    ));
    let second = steps.as_array().unwrap()[1]["id"].as_i64().unwrap();
    run_ok(
        tracebench(dir.path())
            .args(["story", "move", &second.to_string(), "--to", "1", "--case"])
            .arg(&case),
    );
    let (ok, v) = verify(dir.path(), &case, &pdf);
    assert!(!ok, "reordered steps fail verification");
    let bad = names(&v, false);
    assert!(
        bad.iter().any(|b| b == "story step 1: Paid out"),
        "the step now first is named (not in the report at that place): {bad:?}"
    );
}

#[test]
fn a_short_exhibit_seals_only_what_it_prints_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let case = demo_case(dir.path());
    let full = dir.path().join("full.pdf");
    report(dir.path(), &case, &full, &[]);
    let short = dir.path().join("short.pdf");
    report(
        dir.path(),
        &case,
        &short,
        &[
            "--omit",
            "transactions",
            "--omit",
            "clusters",
            "--omit",
            "narrative",
            "--omit",
            "figures",
        ],
    );
    // A transaction of the case: the short exhibit prints no transaction row, hop or figure.
    let txid: String = {
        let c = rusqlite::Connection::open(&case).unwrap();
        c.query_row("SELECT txid FROM tx ORDER BY txid LIMIT 1", [], |r| {
            r.get(0)
        })
        .expect("the demo case holds transactions")
    };
    let manifest = |pdf: &Path| -> String {
        let text = String::from_utf8_lossy(&std::fs::read(pdf).unwrap()).into_owned();
        text.split("<tbr:manifest>")
            .nth(1)
            .and_then(|rest| rest.split("</tbr:manifest>").next())
            .expect("the XMP packet holds the manifest")
            .to_string()
    };
    let (full_manifest, short_manifest) = (manifest(&full), manifest(&short));
    assert!(
        full_manifest.contains(&txid),
        "the full exhibit's manifest seals the transaction's row under its txid"
    );
    assert!(
        !short_manifest.contains(&txid),
        "the short exhibit's manifest holds no txid of a row it does not print"
    );
    assert!(
        short_manifest.len() < full_manifest.len(),
        "a short exhibit has a shorter manifest ({} against {} bytes)",
        short_manifest.len(),
        full_manifest.len()
    );
    let (ok, v) = verify(dir.path(), &case, &short);
    assert!(ok, "the short exhibit verifies against its case: {v}");
    assert!(
        !names(&v, true)
            .iter()
            .any(|n| n.starts_with("transaction ")),
        "verify derives the same chapters: no transaction rows for an exhibit without them"
    );
}
