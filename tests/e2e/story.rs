//! `tracebench story …`: story steps built from the command line, refused when the path is
//! wrong (nothing changes), reordered, and drawn in the report as numbered figures.

use std::path::Path;

use crate::util::{demo, json, pdf_text, run_ok, tracebench};

/// A transaction of the demo canvas with an input address and an output address that are on
/// the canvas too: (input address, txid, output address).
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

fn content_hash(dir: &Path, case: &Path) -> String {
    let info = json(&run_ok(
        tracebench(dir)
            .args(["case", "info", "--json", "--case"])
            .arg(case),
    ));
    info["content_hash"].as_str().unwrap().to_string()
}

fn story(dir: &Path, case: &Path, args: &[&str]) -> std::process::Output {
    tracebench(dir)
        .args(["story"])
        .args(args)
        .arg("--case")
        .arg(case)
        .output()
        .expect("run tracebench story")
}

#[test]
fn story_steps_from_the_cli_are_ordered_refused_when_wrong_and_drawn_as_numbered_figures() {
    let dir = tempfile::tempdir().unwrap();
    let summary = demo(dir.path());
    let case = dir.path().join(summary["case"].as_str().unwrap());
    let (from, txid, to) = canvas_hop(&case);

    // Bare address and txid are resolved on the canvas; only nodes: the edge between them.
    let first = json(&run_ok(tracebench(dir.path()).args([
        "story",
        "add",
        "--json",
        "--title",
        "Ransom paid in",
        "--caption",
        "The operator's address receives the ransom.",
        "--path",
        &format!("{from},{txid}"),
        "--case",
        case.to_str().unwrap(),
    ])));
    assert_eq!(first["position"], 1, "the first step is step 1: {first}");
    let edges = first["edges"].as_array().unwrap();
    assert!(
        !edges.is_empty(),
        "the canvas edges between the nodes make the path: {first}"
    );
    for e in edges {
        let e = e.as_str().unwrap();
        assert!(
            e.contains(&from) && e.contains(&txid),
            "every edge of the path joins the two selected nodes: {e}"
        );
    }
    let second = json(&run_ok(tracebench(dir.path()).args([
        "story",
        "add",
        "--json",
        "--title",
        "Paid out",
        "--path",
        &format!("btc:tx:{txid},btc:addr:{to}"),
        "--case",
        case.to_str().unwrap(),
    ])));
    assert_eq!(second["position"], 2, "a new step goes last: {second}");

    let before = content_hash(dir.path(), &case);
    let out = story(
        dir.path(),
        &case,
        &[
            "add",
            "--title",
            "X",
            "--path",
            "btc:addr:1NoSuchAddressOnTheCanvas",
        ],
    );
    assert!(!out.status.success(), "an unknown node is refused");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("btc:addr:1NoSuchAddressOnTheCanvas"),
        "the error names the unknown node: {err}"
    );
    let out = story(
        dir.path(),
        &case,
        &["add", "--title", "X", "--path", &format!("{from},{to}")],
    );
    assert!(
        !out.status.success(),
        "two addresses without an edge are refused"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not connected"), "the error says why: {err}");
    let out = story(dir.path(), &case, &["move", "999", "--to", "1"]);
    assert!(!out.status.success(), "an unknown step cannot be moved");
    assert_eq!(
        content_hash(dir.path(), &case),
        before,
        "refused story commands leave the case file as it was"
    );

    let id = second["id"].as_i64().unwrap().to_string();
    run_ok(
        tracebench(dir.path())
            .args(["story", "move", &id, "--to", "1", "--case"])
            .arg(&case),
    );
    let list = json(&run_ok(
        tracebench(dir.path())
            .args(["story", "list", "--json", "--case"])
            .arg(&case),
    ));
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Paid out", "Ransom paid in"],
        "the moved step comes first"
    );

    let pdf = dir.path().join("story.pdf");
    run_ok(
        tracebench(dir.path())
            .args(["report", "--case"])
            .arg(&case)
            .arg("--out")
            .arg(&pdf),
    );
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Storyboard"),
        "the report has a storyboard chapter"
    );
    let number = |title: &str| -> u32 {
        let at = text
            .find(&format!(" — {title}"))
            .unwrap_or_else(|| panic!("the report has a figure titled {title}"));
        let head = &text[..at];
        let digits: String = head
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        assert!(
            head[..head.len() - digits.len()].ends_with("Figure "),
            "the title follows 'Figure N'"
        );
        digits.parse().unwrap()
    };
    assert_eq!(
        number("Ransom paid in"),
        number("Paid out") + 1,
        "story steps are consecutive numbered figures in story order"
    );
    assert!(
        text.contains("The operator's address receives the ransom."),
        "the caption is printed"
    );
    assert!(
        text.contains(&format!("tx {txid}")),
        "the step's legend cites its transaction"
    );
}
