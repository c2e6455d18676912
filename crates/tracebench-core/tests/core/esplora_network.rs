//! An Esplora server whose URL names no network (loopback, self-hosted) is asked for its
//! genesis block (`/block-height/0`) once per connection: a server on another network than the
//! case's is refused before any other request, naming both, and the case is left as it was; the
//! answer of a server on the case's network is stored once, with its provenance.

use tracebench_core::api::{NewCase, SourceSpec, Workbench};
use tracebench_core::chain::BtcNetwork;
use tracebench_core::source::esplora::{GENESIS_ENDPOINT, NETWORK_NOT_CHECKED};
use tracebench_core::source::Connection;

use crate::loopback::{Loopback, Reply};
use crate::util::{file_digest, rt, t0, tx_captures, Sim};

fn new_case(path: &std::path::Path, network: BtcNetwork) -> Workbench {
    Workbench::create(
        path,
        NewCase {
            title: "network check".into(),
            investigator: "I".into(),
            agency: "A".into(),
            network,
        },
        None,
        t0(),
    )
    .unwrap()
}

/// A new mainnet case in `dir`, connected to the loopback Esplora `server` as source `id`.
fn mainnet_case_on(dir: &std::path::Path, id: &str, server: &Loopback) -> Workbench {
    let mut wb = new_case(&dir.join("c.tbcase"), BtcNetwork::Mainnet);
    wb.connect_source(Some(Connection::new(SourceSpec {
        id: id.into(),
        base_url: server.url.clone(),
    })));
    wb
}

fn genesis_answers(wb: &Workbench) -> Vec<(String, u16, String)> {
    wb.case()
        .raw_responses()
        .unwrap()
        .into_iter()
        .filter(|r| r.endpoint == GENESIS_ENDPOINT)
        .map(|r| (r.source_id, r.status, r.request))
        .collect()
}

/// A mainnet transaction capture and its txid.
fn mainnet_capture() -> (String, Vec<u8>) {
    let (_, body) = tx_captures().into_iter().next().expect("a capture");
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    (v["txid"].as_str().unwrap().to_string(), body)
}

/// A loopback Esplora answering `/block-height/0` with `genesis` (404 when `None`) and
/// `/tx/<txid>` with the capture.
fn loopback_esplora(genesis: Option<&'static str>) -> (Loopback, String) {
    let (txid, body) = mainnet_capture();
    let tx_path = format!("/tx/{txid}");
    let server = Loopback::serve(move |r| {
        if r.path == GENESIS_ENDPOINT {
            match genesis {
                Some(hash) => Reply::text(200, hash),
                None => Reply::text(404, "Not Found"),
            }
        } else if r.path == tx_path {
            Reply::json(200, body.clone())
        } else {
            Reply::text(404, "Not Found")
        }
    });
    (server, txid)
}

#[test]
fn a_mainnet_case_refuses_the_sim_served_as_testnet_naming_both_and_is_unchanged() {
    let sim = Sim::on(BtcNetwork::Testnet);
    let chain = &sim.chain;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mainnet.tbcase");
    drop(new_case(&path, BtcNetwork::Mainnet));
    let before = file_digest(&path);
    let mut wb = Workbench::open(&path, Some(sim.spec())).unwrap();
    // A txid is the same on every network, so only the server's answer can tell.
    let txid = chain
        .transactions()
        .next()
        .unwrap()
        .compute_txid()
        .to_string();
    let e = rt().block_on(wb.add(&txid, t0())).unwrap_err().to_string();
    assert!(
        e.contains("the server is on Bitcoin testnet")
            && e.contains("serve this case on Bitcoin mainnet")
            && e.contains(BtcNetwork::Testnet.genesis_hash()),
        "the refusal names the server's network, its genesis block and the case's network: {e}"
    );
    drop(wb);
    assert_eq!(
        file_digest(&path),
        before,
        "a refused source leaves the case byte-identical"
    );
}

#[test]
fn a_server_on_another_network_is_asked_nothing_after_its_genesis_block() {
    let (server, txid) = loopback_esplora(Some(BtcNetwork::Signet.genesis_hash()));
    let dir = tempfile::tempdir().unwrap();
    let mut wb = mainnet_case_on(dir.path(), "esplora:self-hosted", &server);
    let e = rt().block_on(wb.add(&txid, t0())).unwrap_err().to_string();
    assert!(
        e.contains("Bitcoin signet") && e.contains("Bitcoin mainnet"),
        "both networks are named: {e}"
    );
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [GENESIS_ENDPOINT],
        "no transaction or address is asked of a server on the wrong network"
    );
    assert!(
        genesis_answers(&wb).is_empty(),
        "nothing of the refused server is stored"
    );
}

#[test]
fn a_testnet4_server_and_an_unknown_chain_are_refused() {
    for (genesis, expected) in [
        (
            "00000000da84f2bafbbc53dee25a72ae507ff4914b867c565be350b0da8bf043",
            "Bitcoin testnet4, a chain no case is on",
        ),
        (
            "1111111111111111111111111111111111111111111111111111111111111111",
            "a chain Tracebench does not know",
        ),
        ("<html>welcome</html>", "expected a block hash"),
    ] {
        let (server, txid) = loopback_esplora(Some(genesis));
        let dir = tempfile::tempdir().unwrap();
        let mut wb = mainnet_case_on(dir.path(), "esplora:self-hosted", &server);
        let e = rt().block_on(wb.add(&txid, t0())).unwrap_err().to_string();
        assert!(
            e.contains(expected),
            "{genesis} is refused as {expected}: {e}"
        );
        assert_eq!(server.count(), 1, "only block 0 was asked for ({genesis})");
    }
}

#[test]
fn a_server_on_the_cases_network_is_checked_once_per_connection_and_the_answer_kept() {
    let sim = Sim::on(BtcNetwork::Testnet);
    let chain = &sim.chain;
    let dir = tempfile::tempdir().unwrap();
    let mut wb = new_case(&dir.path().join("testnet.tbcase"), BtcNetwork::Testnet);
    wb.connect_source(Some(Connection::new(sim.spec())));
    let rt = &sim.rt;
    let added = rt.block_on(wb.add(chain.seed_address(), t0())).unwrap();
    rt.block_on(wb.expand(&added.node_id, 1, t0())).unwrap();
    assert_eq!(
        genesis_answers(&wb),
        [(
            chain.source_id(),
            200,
            format!("GET {}{GENESIS_ENDPOINT}", sim.server.url())
        )],
        "the server's genesis block is stored once for the connection, with its provenance"
    );
    let stored = wb
        .case()
        .raw_responses()
        .unwrap()
        .into_iter()
        .find(|r| r.endpoint == GENESIS_ENDPOINT)
        .unwrap();
    assert_eq!(
        wb.case().raw_body(stored.id).unwrap(),
        BtcNetwork::Testnet.genesis_hash().as_bytes(),
        "the stored answer is the testnet genesis hash the check compared"
    );
    // A new connection checks again and keeps its own answer.
    wb.connect_source(Some(Connection::new(sim.spec())));
    let txid = chain
        .transactions()
        .last()
        .unwrap()
        .compute_txid()
        .to_string();
    rt.block_on(wb.add(&txid, t0())).unwrap();
    assert_eq!(
        genesis_answers(&wb).len(),
        2,
        "each connection's check is kept once"
    );
}

#[test]
fn the_genesis_block_is_asked_once_however_many_requests_follow() {
    let (server, txid) = loopback_esplora(Some(BtcNetwork::Mainnet.genesis_hash()));
    let dir = tempfile::tempdir().unwrap();
    let mut wb = mainnet_case_on(dir.path(), "esplora:self-hosted", &server);
    let rt = rt();
    rt.block_on(wb.add(&txid, t0())).unwrap();
    let node = format!("btc:tx:{txid}");
    // Expanding asks for spent transactions the loopback does not have: those fail, the
    // check is not repeated.
    let _ = rt.block_on(wb.expand(&node, 1, t0()));
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths.first().map(String::as_str),
        Some(GENESIS_ENDPOINT),
        "block 0 is the first thing asked: {paths:?}"
    );
    assert_eq!(
        paths.iter().filter(|p| *p == GENESIS_ENDPOINT).count(),
        1,
        "and it is asked once: {paths:?}"
    );
    assert!(paths.len() > 1, "other requests followed: {paths:?}");
}

#[test]
fn a_server_without_the_route_is_accepted_and_the_stored_answer_says_the_network_was_not_checked() {
    let (server, txid) = loopback_esplora(None);
    let dir = tempfile::tempdir().unwrap();
    let mut wb = mainnet_case_on(dir.path(), "esplora:old", &server);
    rt().block_on(wb.add(&txid, t0())).unwrap();
    let answers = genesis_answers(&wb);
    assert_eq!(answers.len(), 1, "the 404 is kept as evidence: {answers:?}");
    let (source, status, request) = &answers[0];
    assert_eq!(
        (source.as_str(), *status),
        ("esplora:old", 404),
        "the server's own answer, under its source id"
    );
    assert!(
        request.ends_with(NETWORK_NOT_CHECKED),
        "the stored request states that the network was not checked: {request}"
    );
}

#[test]
fn offline_nothing_is_asked_not_even_the_genesis_block() {
    let (server, txid) = loopback_esplora(Some(BtcNetwork::Mainnet.genesis_hash()));
    let dir = tempfile::tempdir().unwrap();
    let mut wb = mainnet_case_on(dir.path(), "esplora:self-hosted", &server);
    wb.set_offline(true);
    let out = rt().block_on(wb.add(&txid, t0()));
    assert!(
        out.is_err(),
        "offline, a transaction the case lacks cannot be had: {out:?}"
    );
    assert_eq!(
        server.count(),
        0,
        "cache-only mode sends no request, not even the network check"
    );
}
