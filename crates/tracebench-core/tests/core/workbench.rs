//! The workbench façade against the sim over real HTTP: add, expand, offline, failures.

use tracebench_core::api::{NewCase, SourceSpec, Workbench};

use crate::util::{file_digest, t0, Sim};

fn create(dir: &std::path::Path, spec: Option<SourceSpec>) -> (std::path::PathBuf, Workbench) {
    let path = dir.join("w.tbcase");
    let wb = Workbench::create(
        &path,
        NewCase {
            title: "W".into(),
            investigator: "I".into(),
            agency: "A".into(),
            network: tracebench_core::chain::BtcNetwork::Mainnet,
        },
        spec,
        t0(),
    )
    .unwrap();
    (path, wb)
}

#[test]
fn add_and_expand_fetch_once_and_grow_the_graph() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = create(dir.path(), Some(sim.spec()));
    let seed = sim.chain.seed_address().to_string();
    let added = sim.rt.block_on(wb.add(&seed, t0())).unwrap();
    assert_eq!(added.node_id, format!("btc:addr:{seed}"));
    assert_eq!(added.graph.nodes.len(), 1, "adding shows just the node");
    assert!(
        added.graph.case.synthetic,
        "sim data marks the case synthetic"
    );
    let expanded = sim.rt.block_on(wb.expand(&added.node_id, 1, t0())).unwrap();
    assert!(
        expanded.graph.nodes.len() > 2,
        "one hop shows the seed's txs and counterparties"
    );
    assert!(
        !expanded.graph.edges.is_empty(),
        "edges join the shown nodes"
    );
    assert!(expanded.missing.is_empty());
    for e in &expanded.graph.edges {
        assert!(
            e.amount.ends_with(" BTC") && e.amount.split('.').nth(1).unwrap().len() == 12,
            "8 decimals + ' BTC': {}",
            e.amount
        );
    }
    let raws_before = wb.case().raw_responses().unwrap().len();
    sim.rt.block_on(wb.expand(&added.node_id, 1, t0())).unwrap();
    assert_eq!(
        wb.case().raw_responses().unwrap().len(),
        raws_before,
        "cache-first: a second expansion fetches nothing"
    );
    let all = sim
        .rt
        .block_on(wb.expand(&added.node_id, 30, t0()))
        .unwrap();
    assert_eq!(
        all.graph
            .nodes
            .iter()
            .filter(|n| n.kind == tracebench_core::api::NodeKind::Transaction)
            .count(),
        sim.chain.tx_count(),
        "expanding far enough reaches every tx of the closed-world scenario"
    );
    let paged = wb
        .case()
        .raw_responses()
        .unwrap()
        .iter()
        .filter(|r| r.endpoint.contains("/txs/chain/"))
        .count();
    assert!(
        paged > 0,
        "the busy hot wallet was read past its first page"
    );
}

#[test]
fn bad_input_and_failing_sources_leave_the_case_unchanged() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut wb) = create(dir.path(), Some(sim.spec()));
    let seed = sim.chain.seed_address().to_string();
    sim.rt.block_on(wb.add(&seed, t0())).unwrap();
    let before = serde_json::to_string(&wb.graph().unwrap()).unwrap();
    let raws = wb.case().raw_responses().unwrap().len();
    // Invalid address (one character changed), testnet address, unknown txid (HTTP 404).
    let mut bad = seed.clone().into_bytes();
    let last = bad.len() - 2;
    bad[last] = if bad[last] == b'q' { b'p' } else { b'q' };
    let bad = String::from_utf8(bad).unwrap();
    for (q, code) in [
        (bad.as_str(), "invalid_input"),
        (
            "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
            "invalid_input",
        ),
        (&"ab".repeat(32), "source_error"),
    ] {
        let e = sim.rt.block_on(wb.add(q, t0())).unwrap_err();
        assert_eq!(e.code(), code, "{q}: {e}");
    }
    assert_eq!(
        serde_json::to_string(&wb.graph().unwrap()).unwrap(),
        before,
        "the canvas is unchanged"
    );
    assert_eq!(
        wb.case().raw_responses().unwrap().len(),
        raws,
        "no evidence row was added by a failure"
    );
    drop(wb);
    // An unreachable source: reopen pointing at a closed port.
    let dead = SourceSpec {
        id: "esplora:dead".into(),
        base_url: "http://127.0.0.1:9".into(),
    };
    let mut wb = Workbench::open(&path, Some(dead)).unwrap();
    let e = sim
        .rt
        .block_on(wb.expand(&format!("btc:addr:{seed}"), 1, t0()));
    // The seed's history is cached, but its txs' counterparties are not needed for one hop:
    // the expansion succeeds from the case; a fresh address needs the network and fails.
    assert!(e.is_ok(), "cached data is usable with a dead source: {e:?}");
    let digest_before = wb.case().raw_responses().unwrap().len();
    let other = sim
        .chain
        .addresses()
        .find(|a| {
            *a != seed
                && wb
                    .case()
                    .address_history("bip122:000000000019d6689c085ae165831e93", a)
                    .unwrap()
                    .is_none()
        })
        .unwrap()
        .to_string();
    let e = sim.rt.block_on(wb.add(&other, t0())).unwrap_err();
    assert_eq!(e.code(), "source_unavailable", "{e}");
    assert!(
        e.to_string().contains("127.0.0.1:9"),
        "the message names where it tried: {e}"
    );
    assert_eq!(wb.case().raw_responses().unwrap().len(), digest_before);
    let _ = file_digest(&path);
}

#[test]
fn offline_answers_from_the_case_and_names_what_is_missing() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut wb) = create(dir.path(), Some(sim.spec()));
    let seed = sim.chain.seed_address().to_string();
    let node = sim.rt.block_on(wb.add(&seed, t0())).unwrap().node_id;
    sim.rt.block_on(wb.expand(&node, 1, t0())).unwrap();
    let online = wb.graph().unwrap();
    drop(wb);
    let mut offline = Workbench::open(&path, None).unwrap();
    let g = offline.graph().unwrap();
    assert_eq!(
        g.nodes.len(),
        online.nodes.len(),
        "the case reopens offline with the same graph"
    );
    assert_eq!(g.edges, online.edges, "and the same edges");
    assert_eq!(g.case.source, None, "no source is connected");
    let out = sim.rt.block_on(offline.expand(&node, 2, t0())).unwrap();
    assert!(
        !out.missing.is_empty(),
        "a second hop needs histories the case lacks"
    );
    assert!(
        out.missing
            .iter()
            .all(|m| m.starts_with("history of address ") || m.starts_with("transaction ")),
        "{:?}",
        out.missing
    );
    let e = sim
        .rt
        .block_on(offline.add(&"cd".repeat(32), t0()))
        .unwrap_err();
    assert_eq!(e.code(), "offline", "{e}");
    assert!(
        e.to_string().contains(&"cd".repeat(32)),
        "names the missing tx: {e}"
    );
}

#[test]
fn notes_and_positions_persist_and_unknown_nodes_are_refused() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut wb) = create(dir.path(), Some(sim.spec()));
    let node = sim
        .rt
        .block_on(wb.add(sim.chain.seed_address(), t0()))
        .unwrap()
        .node_id;
    let text = "<img src=x onerror=alert(1)> paid the ransom";
    wb.add_note(&node, text, t0()).unwrap();
    wb.set_positions(&[tracebench_core::api::NodePosition {
        id: node.clone(),
        x: 12.5,
        y: -40.0,
    }])
    .unwrap();
    assert!(wb
        .set_positions(&[tracebench_core::api::NodePosition {
            id: "btc:addr:nope".into(),
            x: 0.0,
            y: 0.0
        }])
        .is_err());
    assert!(
        wb.add_note("btc:tx:nope", "x", t0()).is_err(),
        "notes attach to canvas nodes only"
    );
    drop(wb);
    let wb = Workbench::open(&path, None).unwrap();
    let g = wb.graph().unwrap();
    let n = g.nodes.iter().find(|n| n.id == node).unwrap();
    assert_eq!(
        (n.x, n.y, n.pinned),
        (12.5, -40.0, true),
        "the saved position wins over the layout"
    );
    assert_eq!(
        n.notes[0].text, text,
        "the note is stored verbatim; the UI shows it as text"
    );
}

/// A loopback server that answers every request with the same status and body, for testing
/// what the workbench does with a broken source.
fn broken_source(status: &'static str, content_type: &'static str, body: &'static [u8]) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(16) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(body);
        }
    });
    url
}

#[test]
fn malformed_and_failing_api_responses_are_clear_errors_and_change_nothing() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let (path, mut wb) = create(dir.path(), Some(sim.spec()));
    let seed = sim.chain.seed_address().to_string();
    sim.rt.block_on(wb.add(&seed, t0())).unwrap();
    let shown = |wb: &Workbench| {
        let g = wb.graph().unwrap();
        serde_json::to_string(&(g.nodes, g.edges)).unwrap()
    };
    let graph = shown(&wb);
    let raws = wb.case().raw_responses().unwrap().len();
    drop(wb);
    let other = sim
        .chain
        .addresses()
        .find(|a| *a != seed)
        .unwrap()
        .to_string();
    let cases: [(&str, &str, &[u8], &str, &str); 5] = [
        (
            "200 OK",
            "text/html",
            b"<html>rate limited</html>",
            "source_error",
            "not valid Esplora data",
        ),
        (
            "200 OK",
            "application/json",
            b"[{\"txid\": \"ab",
            "source_error",
            "not valid Esplora data",
        ),
        (
            "200 OK",
            "application/json",
            b"{\"not\": \"a list\"}",
            "source_error",
            "not valid Esplora data",
        ),
        (
            "500 Internal Server Error",
            "text/plain",
            b"database locked",
            "source_error",
            "HTTP 500",
        ),
        (
            "429 Too Many Requests",
            "text/plain",
            b"slow down",
            "source_error",
            "HTTP 429",
        ),
    ];
    for (status, ctype, body, code, says) in cases {
        let spec = SourceSpec {
            id: "esplora:broken".into(),
            base_url: broken_source(status, ctype, body),
        };
        let mut wb = Workbench::open(&path, Some(spec)).unwrap();
        let e = sim.rt.block_on(wb.add(&other, t0())).unwrap_err();
        assert_eq!(e.code(), code, "{status} {body:?}: {e}");
        assert!(
            e.to_string().contains(says),
            "{status}: the message says what was wrong: {e}"
        );
        assert!(
            e.to_string().contains("esplora:broken"),
            "and names the source: {e}"
        );
        assert_eq!(shown(&wb), graph, "{status}: the canvas is as it was");
        assert_eq!(
            wb.case().raw_responses().unwrap().len(),
            raws,
            "{status}: no evidence row was added"
        );
    }
}
