//! Bitcoin Core JSON-RPC as a source, against a loopback node replaying real RPC answers.

use std::time::Duration;

use tracebench_core::api::{SourceSpec, Workbench};
use tracebench_core::chain::BtcNetwork;
use tracebench_core::model::Tx;
use tracebench_core::source::core_rpc::{CoreRpc, RpcAuth};
use tracebench_core::source::esplora::parse_tx;
use tracebench_core::source::policy::{Gate, Policy};
use tracebench_core::source::{Clock, Connection, SourceError};

use crate::core_node::{self, basic, NodeOptions};
use crate::util::{current_rt, file_digest, fixtures, sourceless_case, t0};

const MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";
const TX_100000: &str = "6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4";
const SPENT_BY_IT: &str = "cf4e2978d0611ce46592e02d7e7daf8627a316ab69759a9f3df109a7f2bf3ec3";
const BLOCK_100000: &str = "000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506";

fn quick() -> Policy {
    Policy {
        rate: None,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        timeout: Duration::from_secs(5),
        ..Policy::default()
    }
}

fn node_source(url: &str, auth: Option<RpcAuth>) -> CoreRpc {
    let spec = SourceSpec {
        id: format!("core:{url}"),
        base_url: url.to_string(),
    };
    let gate = Gate::new(&spec.id, quick(), Clock::fixed(t0()));
    CoreRpc::new(
        reqwest::Client::new(),
        spec,
        BtcNetwork::Mainnet,
        Clock::fixed(t0()),
        auth,
        gate,
    )
}

fn core_connection(url: &str, auth: Option<RpcAuth>) -> Connection {
    Connection {
        rpc_auth: auth,
        policy: quick(),
        ..Connection::new(SourceSpec {
            id: format!("core:{url}"),
            base_url: url.to_string(),
        })
    }
}

#[test]
fn the_same_transaction_from_core_and_from_esplora_gives_identical_rows() {
    let node = core_node::start(NodeOptions::default());
    let core = node_source(&node.url, None);
    let rt = current_rt();
    let (_, hash) = rt.block_on(core.block_hash(1)).unwrap();
    assert_eq!(
        hash, "00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048",
        "getblockhash 1 is block 1's hash, from the real node answer"
    );
    let (raws, txs) = rt.block_on(core.block(&hash)).unwrap();
    assert_eq!(
        raws.len(),
        2,
        "a coinbase-only block needs no spent transactions: the block, and the node's \
         getblockchaininfo answer (the chain check of the connection's first fetch)"
    );
    let derived: Vec<serde_json::Value> = serde_json::from_slice(
        &std::fs::read(fixtures().join("esplora/derived/blocks_0-255_txs.json")).unwrap(),
    )
    .unwrap();
    let esplora: Tx = parse_tx(MAINNET, &serde_json::to_vec(&derived[1]).unwrap()).unwrap();
    assert_eq!(
        txs,
        vec![esplora],
        "block 1's coinbase from Core's getblock equals Esplora's /tx row for row: P2PK output \
         without an address, script type p2pk, size 134, weight 536, fee 0, height and time"
    );
}

#[test]
fn a_transaction_from_an_old_node_gets_its_input_values_from_the_spent_transaction() {
    let node = core_node::start(NodeOptions::default());
    let core = node_source(&node.url, None);
    let f = current_rt().block_on(core.tx(TX_100000)).unwrap();
    let tx = &f.tx;
    assert_eq!(tx.chain, MAINNET);
    assert_eq!(
        tx.confirmation.block_height,
        Some(100_000),
        "the height comes from the block header"
    );
    assert_eq!(tx.confirmation.block_hash.as_deref(), Some(BLOCK_100000));
    assert_eq!(
        tx.confirmation.block_time,
        Some(1_293_623_863),
        "the block time the fixture names"
    );
    let outs: Vec<(Option<&str>, u64)> = tx
        .outputs
        .iter()
        .map(|o| (o.address.as_deref(), o.value))
        .collect();
    assert_eq!(
        outs,
        [
            (Some("1H8ANdafjpqYntniT3Ddxh4xPBMCSz33pj"), 1_000_000),
            (Some("1Am9UTGfdnxabvcywYG2hvzr6qK8T3oUZT"), 299_000_000)
        ],
        "0.01 and 2.99 BTC to the addresses the node named, in satoshi"
    );
    let input = &tx.inputs[0];
    assert_eq!(
        (input.prev_txid.as_deref(), input.prev_vout),
        (Some(SPENT_BY_IT), Some(1)),
        "the outpoint from the transaction bytes"
    );
    assert_eq!(
        (input.address.as_deref(), input.value),
        (Some("15vScfMHNrXN4QvWe54q5hwfVoYwG79CS1"), 300_000_000),
        "cf4e2978…:1 paid 3.0 BTC to 15vScf…: read from the spent transaction"
    );
    assert_eq!(tx.fee, Some(0), "3.0 in, 0.01 + 2.99 out");
    let endpoints: Vec<&str> = std::iter::once(&f.raw)
        .chain(&f.supporting)
        .map(|r| r.endpoint.as_str())
        .collect();
    assert_eq!(
        endpoints,
        [
            format!("getrawtransaction [\"{TX_100000}\",2]"),
            format!("getblockheader [\"{BLOCK_100000}\"]"),
            format!("getrawtransaction [\"{SPENT_BY_IT}\",1]"),
            "getblockchaininfo []".to_string(),
        ],
        "every figure rests on a stored answer: the transaction, its block header, the spent tx"
    );
}

#[test]
fn block_50001_input_values_match_bitcoin_etl_export() {
    let node = core_node::start(NodeOptions::default());
    let core = node_source(&node.url, None);
    let rt = current_rt();
    let (_, hash) = rt.block_on(core.block_hash(50_001)).unwrap();
    let (raws, txs) = rt.block_on(core.block(&hash)).unwrap();
    assert_eq!(
        raws.len(),
        5,
        "the block, the three spent transactions (old node: no prevouts in getblock) and the \
         chain check"
    );
    let expected: Vec<serde_json::Value> = std::fs::read_to_string(
        fixtures().join("core-rpc/bitcoin-etl/expected_transactions_50001_50002.json"),
    )
    .unwrap()
    .lines()
    .map(|l| serde_json::from_str(l).unwrap())
    .filter(|t: &serde_json::Value| t["block_number"] == 50_001)
    .collect();
    assert_eq!(txs.len(), expected.len(), "every transaction of the block");
    for (tx, want) in txs.iter().zip(&expected) {
        assert_eq!(tx.txid, want["hash"].as_str().unwrap(), "block order kept");
        let ins: Vec<(String, u64, u64)> = tx
            .inputs
            .iter()
            // bitcoin-etl lists no input for a coinbase.
            .filter(|i| !i.is_coinbase)
            .map(|i| {
                (
                    i.prev_txid.clone().unwrap(),
                    u64::from(i.prev_vout.unwrap()),
                    i.value,
                )
            })
            .collect();
        let want_ins: Vec<(String, u64, u64)> = want["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["spent_transaction_hash"].as_str().unwrap().to_string(),
                    i["spent_output_index"].as_u64().unwrap(),
                    i["value"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            ins, want_ins,
            "{}: inputs as bitcoin-etl resolved them",
            tx.txid
        );
        let outs: Vec<u64> = tx.outputs.iter().map(|o| o.value).collect();
        let want_outs: Vec<u64> = want["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["value"].as_u64().unwrap())
            .collect();
        assert_eq!(outs, want_outs, "{}: output values", tx.txid);
        assert_eq!(tx.fee, want["fee"].as_u64(), "{}: fee", tx.txid);
        assert_eq!(tx.confirmation.block_height, Some(50_001));
    }
}

fn new_case(dir: &std::path::Path) -> (std::path::PathBuf, Workbench) {
    sourceless_case(dir, "core.tbcase", "Core")
}

#[test]
fn a_case_built_from_core_stores_every_answer_and_never_the_password() {
    const PASSWORD: &str = "n0de-Pa55word-7f3a9c";
    let node = core_node::start(NodeOptions {
        authorization: Some(basic("analyst", PASSWORD)),
        ..NodeOptions::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let (path, mut wb) = new_case(dir.path());
    wb.connect_source(Some(core_connection(
        &node.url,
        Some(RpcAuth::UserPass {
            user: "analyst".into(),
            password: PASSWORD.into(),
        }),
    )));
    let rt = current_rt();
    let added = rt.block_on(wb.add(TX_100000, t0())).unwrap();
    assert_eq!(added.node_id, format!("btc:tx:{TX_100000}"));
    let stored = wb.case().tx(MAINNET, TX_100000).unwrap().unwrap();
    assert_eq!(stored.input_sum(), 300_000_000, "input value stored");
    assert_eq!(stored.confirmation.block_height, Some(100_000));
    let raws = wb.case().raw_responses().unwrap();
    assert_eq!(
        raws.len(),
        4,
        "the tx, its block header, the spent tx and the node's chain: {raws:?}"
    );
    for r in &raws {
        assert_eq!(
            r.source_id,
            format!("core:{}", node.url),
            "provenance names the node"
        );
        assert!(
            r.request.contains("Authorization: ***"),
            "the request says a credential was sent without giving it: {}",
            r.request
        );
    }
    let sources = wb.case().sources().unwrap();
    assert_eq!(sources.len(), 1, "one source recorded");
    drop(wb);
    let bytes = std::fs::read(&path).unwrap();
    for secret in [PASSWORD.to_string(), basic("analyst", PASSWORD)] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "the case file must not hold {secret:?}"
        );
    }
    let seen = node.requests();
    assert!(
        seen.iter()
            .all(|r| r.header("authorization") == Some(basic("analyst", PASSWORD).as_str())),
        "every request authenticated"
    );
}

#[test]
fn expanding_an_address_from_core_says_there_is_no_address_index_and_changes_nothing() {
    let node = core_node::start(NodeOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let (path, mut wb) = new_case(dir.path());
    wb.connect_source(Some(core_connection(&node.url, None)));
    let rt = current_rt();
    rt.block_on(wb.add(TX_100000, t0())).unwrap();
    drop(wb);
    let before = file_digest(&path);
    let mut wb = Workbench::open(&path, None).unwrap();
    wb.connect_source(Some(core_connection(&node.url, None)));
    let e = rt
        .block_on(wb.add("1H8ANdafjpqYntniT3Ddxh4xPBMCSz33pj", t0()))
        .unwrap_err();
    assert!(
        e.to_string().contains("no address index"),
        "the user learns why: {e}"
    );
    assert!(
        e.to_string().contains("Esplora"),
        "and what to use instead: {e}"
    );
    drop(wb);
    assert_eq!(
        file_digest(&path),
        before,
        "the refused request left the case as it was"
    );
}

#[test]
fn a_node_without_txindex_is_named_with_the_fix_and_not_retried() {
    let node = core_node::start(NodeOptions {
        no_txindex: true,
        ..NodeOptions::default()
    });
    let core = node_source(&node.url, None);
    let e = current_rt().block_on(core.tx(TX_100000)).unwrap_err();
    assert!(
        matches!(e, SourceError::Unsupported { .. }),
        "no txindex is a limitation of the node, not a failure: {e:?}"
    );
    assert!(
        e.to_string().contains("-txindex=1"),
        "says how to fix it: {e}"
    );
    assert_eq!(
        node.count(),
        2,
        "the chain check, then one getrawtransaction: an RPC error sent with HTTP 500 is the \
         node's final word, no retries"
    );
}

#[test]
fn cookie_authentication_reads_the_cookie_file_and_a_missing_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let cookie = dir.path().join(".cookie");
    std::fs::write(&cookie, "__cookie__:5f0e1c9b2a7d\n").unwrap();
    let node = core_node::start(NodeOptions {
        authorization: Some(basic("__cookie__", "5f0e1c9b2a7d")),
        ..NodeOptions::default()
    });
    let rt = current_rt();
    let ok = rt
        .block_on(node_source(&node.url, Some(RpcAuth::Cookie(cookie.clone()))).tx(TX_100000))
        .unwrap();
    assert_eq!(ok.tx.txid, TX_100000, "the cookie authenticates");
    let gone = dir.path().join("missing/.cookie");
    let e = rt
        .block_on(node_source(&node.url, Some(RpcAuth::Cookie(gone))).tx(TX_100000))
        .unwrap_err();
    assert!(
        e.to_string().contains("missing/.cookie"),
        "names the cookie file it could not read: {e}"
    );
    let e = rt
        .block_on(
            node_source(
                &node.url,
                Some(RpcAuth::UserPass {
                    user: "analyst".into(),
                    password: "wrong".into(),
                }),
            )
            .tx(TX_100000),
        )
        .unwrap_err();
    assert!(
        matches!(e, SourceError::Credentials { .. }) && e.to_string().contains("refused"),
        "wrong credentials are named as such: {e}"
    );
    assert!(
        !e.to_string().contains("wrong"),
        "without echoing the password: {e}"
    );
}
