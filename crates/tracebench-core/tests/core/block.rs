//! `Workbench::import_block`: a whole block from a loopback Core node replaying the real
//! bitcoin-etl fixtures (verbosity 3 derived from the spent transactions, see
//! fixtures/core-rpc/SOURCE.md).

use tracebench_core::api::{ApiError, BlockError, SourceSpec, Workbench};
use tracebench_core::source::Connection;

use crate::core_node::{self, NodeOptions};
use crate::util::{current_rt, file_digest, fixtures, sourceless_case, t0};

const MAINNET: &str = "bip122:000000000019d6689c085ae165831e93";
const BLOCK_50001: &str = "000000001c920d495e1eeef2452b6d1c6c229a919b28196c103ecffebabee141";
const BLOCK_1: &str = "00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048";

fn case_on_node(dir: &std::path::Path, url: &str) -> (std::path::PathBuf, Workbench) {
    let (path, mut wb) = sourceless_case(dir, "block.tbcase", "Block");
    wb.connect_source(Some(Connection::new(SourceSpec {
        id: format!("core:{url}"),
        base_url: url.to_string(),
    })));
    (path, wb)
}

fn methods(node: &crate::loopback::Loopback) -> Vec<String> {
    node.requests()
        .iter()
        .map(|r| r.json()["method"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn block_50001_by_height_stores_every_transaction_from_one_getblock_answer() {
    let node = core_node::start(NodeOptions {
        verbosity3: true,
        ..NodeOptions::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = case_on_node(dir.path(), &node.url);
    let out = current_rt()
        .block_on(wb.import_block("50001", t0()))
        .unwrap();
    assert_eq!(
        (out.block_hash.as_str(), out.height, out.txs, out.added),
        (BLOCK_50001, 50_001, 3, 3),
        "the height resolves to the real block 50,001 and its three transactions are new"
    );
    assert_eq!(
        methods(&node),
        ["getblockchaininfo", "getblockhash", "getblock"],
        "the prevouts of verbosity 3 give the input values: no transaction is fetched"
    );
    let expected: Vec<serde_json::Value> = std::fs::read_to_string(
        fixtures().join("core-rpc/bitcoin-etl/expected_transactions_50001_50002.json"),
    )
    .unwrap()
    .lines()
    .map(|l| serde_json::from_str(l).unwrap())
    .filter(|t: &serde_json::Value| t["block_number"] == 50_001)
    .collect();
    for want in &expected {
        let txid = want["hash"].as_str().unwrap();
        let tx = wb.case().tx(MAINNET, txid).unwrap().unwrap();
        let values: Vec<u64> = tx
            .inputs
            .iter()
            .filter(|i| !i.is_coinbase)
            .map(|i| i.value)
            .collect();
        let want_values: Vec<u64> = want["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["value"].as_u64().unwrap())
            .collect();
        assert_eq!(
            values, want_values,
            "{txid}: input values as bitcoin-etl resolved them"
        );
        assert_eq!(tx.fee, want["fee"].as_u64(), "{txid}: the fee");
        assert_eq!(
            tx.confirmation.block_height,
            Some(50_001),
            "{txid}: its block"
        );
        if want["is_coinbase"] == true {
            assert!(
                tx.inputs.iter().all(|i| i.is_coinbase && i.value == 0),
                "{txid}: the coinbase spends nothing"
            );
        }
    }
    let raws = wb.case().raw_responses().unwrap();
    let endpoints: Vec<&str> = raws.iter().map(|r| r.endpoint.as_str()).collect();
    assert_eq!(
        endpoints,
        [
            "getblockhash [50001]",
            &format!("getblock [\"{BLOCK_50001}\",3]"),
            "getblockchaininfo []",
        ],
        "the block is one stored answer, beside the hash look-up and the chain check"
    );
    assert!(
        raws.iter()
            .all(|r| r.source_id == format!("core:{}", node.url)),
        "every answer names the node"
    );
    assert!(
        wb.case().canvas_nodes().unwrap().is_empty(),
        "a block's transactions join the case, not the canvas"
    );
    let last = wb.audit_log().unwrap().pop().unwrap();
    assert_eq!(
        last.action, "add.block",
        "the import is audited like an add"
    );
    let detail: serde_json::Value = serde_json::from_str(&last.detail).unwrap();
    assert_eq!(
        (detail["block_hash"].as_str(), detail["height"].as_u64()),
        (Some(BLOCK_50001), Some(50_001)),
        "the audit entry names the block"
    );
    assert_eq!(
        detail["raw_responses"].as_array().unwrap().len(),
        3,
        "and the answers it rests on"
    );
}

#[test]
fn a_block_by_hash_with_only_a_coinbase_is_stored() {
    let node = core_node::start(NodeOptions {
        verbosity3: true,
        ..NodeOptions::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = case_on_node(dir.path(), &node.url);
    let out = current_rt()
        .block_on(wb.import_block(BLOCK_1, t0()))
        .unwrap();
    assert_eq!(
        (out.height, out.txs),
        (1, 1),
        "block 1 by its hash: the coinbase only"
    );
    assert!(
        !methods(&node).contains(&"getblockhash".to_string()),
        "a hash needs no height look-up"
    );
}

#[test]
fn a_block_the_node_cannot_give_is_refused_and_the_case_is_unchanged() {
    let pruned = core_node::start(NodeOptions {
        verbosity3: true,
        pruned_below: Some(60_000),
        ..NodeOptions::default()
    });
    let full = core_node::start(NodeOptions {
        verbosity3: true,
        ..NodeOptions::default()
    });
    let unknown = "00000000000000000000000000000000000000000000000000000000deadbeef";
    for (url, block, want) in [
        (
            &full.url,
            "999999",
            "block height 999999 is above the node's tip",
        ),
        (&full.url, unknown, "the node does not have block"),
        (
            &pruned.url,
            "50001",
            "the node has pruned block at height 50001",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (path, wb) = case_on_node(dir.path(), url);
        drop(wb);
        let before = file_digest(&path);
        let mut wb = Workbench::open(&path, None).unwrap();
        wb.connect_source(Some(Connection::new(SourceSpec {
            id: format!("core:{url}"),
            base_url: url.to_string(),
        })));
        let e = current_rt()
            .block_on(wb.import_block(block, t0()))
            .unwrap_err();
        assert!(
            matches!(e, ApiError::Block(_)) && e.to_string().contains(want),
            "{block}: {e}"
        );
        assert_eq!(e.code(), "not_found", "{block}: the UI can branch on it");
        drop(wb);
        assert_eq!(
            file_digest(&path),
            before,
            "{block}: the case is byte-identical"
        );
    }
}

#[test]
fn a_block_needs_a_core_source() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = sourceless_case(dir.path(), "none.tbcase", "No source");
    let e = current_rt()
        .block_on(wb.import_block("1", t0()))
        .unwrap_err();
    assert!(
        matches!(e, ApiError::Block(BlockError::NeedsCore(_))),
        "without a node the user is told to give one: {e}"
    );
    let e = current_rt()
        .block_on(wb.import_block("block-one", t0()))
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("'block-one' is not a block height or block hash"),
        "junk is named: {e}"
    );
}
