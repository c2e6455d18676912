//! The server's JSON shapes against real node responses (ethereum-etl fixtures) and against the
//! field lists of the Etherscan v2 account API.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::{etherscan_items, fixture, rpc, seed1, start};

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every key of the real object (but `skip`) is in ours with the same JSON type, and every key
/// of ours is in the real object or in `extra` (fields of newer node versions).
fn assert_shape(ours: &Value, real: &Value, skip: &[&str], extra: &[&str], what: &str) {
    let (Some(ours), Some(real)) = (ours.as_object(), real.as_object()) else {
        panic!("{what}: both must be objects: {ours} / {real}");
    };
    for (key, value) in real {
        if skip.contains(&key.as_str()) {
            continue;
        }
        let mine = ours
            .get(key)
            .unwrap_or_else(|| panic!("{what}: the real response has `{key}`, ours lacks it"));
        assert_eq!(
            kind(mine),
            kind(value),
            "{what}: `{key}` must have the real response's JSON type"
        );
    }
    for key in ours.keys() {
        assert!(
            real.contains_key(key) || extra.contains(&key.as_str()),
            "{what}: `{key}` is not a field of the real response"
        );
    }
}

fn is_hex(s: &str, digits: usize) -> bool {
    s.len() == digits + 2
        && s.starts_with("0x")
        && s[2..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_quantity(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.strip_prefix("0x").is_some_and(|d| {
            !d.is_empty()
                && (d == "0" || !d.starts_with('0'))
                && d.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        })
    })
}

#[test]
fn receipt_with_transfer_log_has_the_node_shape() {
    let chain = seed1();
    let server = start(chain.clone(), None);
    let theft = &chain.truth().roles.theft_txid;
    let receipt = rpc(&server, "eth_getTransactionReceipt", json!([theft]));
    let real = fixture("ethereum/receipt-0x04cbcb23.json")["result"].clone();
    // `root` is pre-Byzantium, `status` was null before Byzantium; `from`, `to`, `type` are
    // fields of every node since then (geth, Erigon).
    assert_shape(
        &receipt,
        &real,
        &["root", "status"],
        &["status", "from", "to", "type"],
        "receipt",
    );
    assert_eq!(
        receipt["status"], "0x1",
        "a successful transaction has status 0x1"
    );
    let real_log = &real["logs"][0];
    // `transactionLogIndex` and `type: mined` are Parity-only; geth has `removed`.
    assert_shape(
        &receipt["logs"][0],
        real_log,
        &["transactionLogIndex", "type"],
        &["removed"],
        "receipt log",
    );
    let log = &receipt["logs"][0];
    assert_eq!(
        log["topics"][0], "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
        "the theft is an ERC-20 Transfer event"
    );
    for i in 1..=2 {
        let topic = log["topics"][i].as_str().expect("topic string");
        assert!(
            is_hex(topic, 64) && topic[2..26].bytes().all(|b| b == b'0'),
            "topics 1 and 2 are addresses left-padded to 32 bytes: {topic}"
        );
    }
    assert!(
        is_hex(log["data"].as_str().expect("data"), 64),
        "the data is the 32-byte amount"
    );
    for key in ["blockNumber", "logIndex", "transactionIndex"] {
        assert!(is_quantity(&log[key]), "log `{key}` is a hex quantity");
    }
    assert_eq!(
        receipt["logsBloom"].as_str().map(str::len),
        Some(2 + 512),
        "a bloom is 256 bytes"
    );
}

#[test]
fn call_tracer_frames_have_geths_shape() {
    let chain = seed1();
    let server = start(chain.clone(), None);
    let roles = &chain.truth().roles;
    let tracer = json!({"tracer": "callTracer"});
    let swap = rpc(
        &server,
        "debug_traceTransaction",
        json!([roles.swap_txid, tracer]),
    );
    let real = fixture("ethereum/calltracer-block-0xf4240.json")["result"][0]["result"].clone();
    // `time` is a timing measurement of that node, not part of the frame.
    assert_shape(&swap, &real, &["time"], &[], "callTracer frame");
    let payout = swap["calls"]
        .as_array()
        .expect("the swap makes sub-calls")
        .iter()
        .flat_map(|c| c["calls"].as_array().cloned().unwrap_or_default())
        .next()
        .expect("the pool pays out in a nested call");
    assert_shape(&payout, &real["calls"][0], &["time"], &[], "nested frame");
    assert!(
        is_quantity(&payout["value"]),
        "frame value is a hex quantity"
    );

    let failed = rpc(
        &server,
        "debug_traceTransaction",
        json!([roles.failed_txid, tracer]),
    );
    let real_error =
        fixture("ethereum/calltracer-block-0xf45bf.json")["result"][0]["result"].clone();
    assert_shape(
        &failed,
        &real_error,
        &["time"],
        &["output", "revertReason", "calls"],
        "failed callTracer frame",
    );
    assert_eq!(
        failed["error"], "execution reverted",
        "a reverted frame says so in `error`"
    );
}

#[test]
fn parity_traces_have_the_trace_block_item_shape() {
    let chain = seed1();
    let server = start(chain.clone(), None);
    let roles = &chain.truth().roles;
    let traces = rpc(&server, "trace_transaction", json!([roles.swap_txid]));
    let items = traces.as_array().expect("a flat list");
    let real = fixture("ethereum/trace-block-0xf4240.json")["result"].clone();
    for item in items {
        assert_shape(item, &real[0], &[], &[], "trace item");
        assert_shape(
            &item["action"],
            &real[0]["action"],
            &[],
            &[],
            "trace action",
        );
        assert_shape(
            &item["result"],
            &real[0]["result"],
            &[],
            &[],
            "trace result",
        );
    }
    assert_eq!(
        items[0]["traceAddress"],
        json!([]),
        "the first item is the top-level call"
    );
    assert_eq!(
        items[0]["subtraces"].as_u64(),
        Some(
            items
                .iter()
                .filter(|i| i["traceAddress"].as_array().map(Vec::len) == Some(1))
                .count() as u64
        ),
        "subtraces counts the direct children"
    );
    let failed = rpc(&server, "trace_transaction", json!([roles.failed_txid]));
    let real_error = fixture("ethereum/trace-block-0xf45bf.json")["result"][0].clone();
    assert_shape(&failed[0], &real_error, &[], &[], "failed trace item");
    assert!(
        failed[0].get("result").is_none() && failed[0]["error"] == "Reverted",
        "a failed Parity frame has `error` and no `result`"
    );
}

#[test]
fn blocks_and_transactions_have_the_node_shape() {
    let chain = seed1();
    let server = start(chain.clone(), None);
    let roles = &chain.truth().roles;
    let tx = rpc(
        &server,
        "eth_getTransactionByHash",
        json!([roles.theft_txid]),
    );
    let number = tx["blockNumber"].clone();
    let block = rpc(&server, "eth_getBlockByNumber", json!([number, true]));
    let real = fixture("ethereum/block-0x1ac9f3-full.json")["result"].clone();
    assert_shape(
        &block,
        &real,
        &["transactions"],
        &["baseFeePerGas"],
        "block",
    );
    let eip1559 = [
        "accessList",
        "chainId",
        "maxFeePerGas",
        "maxPriorityFeePerGas",
        "yParity",
    ];
    for full in block["transactions"].as_array().expect("full transactions") {
        assert_shape(
            full,
            &real["transactions"][0],
            &[],
            &eip1559,
            "block transaction",
        );
    }
    assert_shape(&tx, &real["transactions"][0], &[], &eip1559, "transaction");
    for key in [
        "blockNumber",
        "gas",
        "gasPrice",
        "nonce",
        "value",
        "transactionIndex",
        "r",
        "s",
    ] {
        assert!(
            is_quantity(&tx[key]),
            "transaction `{key}` is a hex quantity: {}",
            tx[key]
        );
    }
    assert!(
        block["transactions"]
            .as_array()
            .expect("list")
            .iter()
            .any(|t| t["hash"] == tx["hash"]),
        "the block holds the transaction"
    );
    let hashes = rpc(&server, "eth_getBlockByNumber", json!([number, false]));
    assert!(
        hashes["transactions"]
            .as_array()
            .expect("list")
            .iter()
            .all(|h| h.as_str().is_some_and(|s| is_hex(s, 64))),
        "without full objects a block lists transaction hashes"
    );
}

fn keys(item: &Value) -> BTreeSet<String> {
    item.as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn etherscan_items_have_exactly_etherscans_string_fields() {
    let chain = seed1();
    let server = start(chain.clone(), None);
    let roles = &chain.truth().roles;
    let cases = [
        (
            "txlist",
            &roles.thief,
            set(&[
                "blockNumber",
                "timeStamp",
                "hash",
                "nonce",
                "blockHash",
                "transactionIndex",
                "from",
                "to",
                "value",
                "gas",
                "gasPrice",
                "isError",
                "txreceipt_status",
                "input",
                "contractAddress",
                "cumulativeGasUsed",
                "gasUsed",
                "confirmations",
                "methodId",
                "functionName",
            ]),
        ),
        (
            "txlistinternal",
            &roles.intermediaries[0],
            set(&[
                "blockNumber",
                "timeStamp",
                "hash",
                "from",
                "to",
                "value",
                "contractAddress",
                "input",
                "type",
                "gas",
                "gasUsed",
                "traceId",
                "isError",
                "errCode",
            ]),
        ),
        (
            "tokentx",
            &roles.thief,
            set(&[
                "blockNumber",
                "timeStamp",
                "hash",
                "nonce",
                "blockHash",
                "from",
                "contractAddress",
                "to",
                "value",
                "tokenName",
                "tokenSymbol",
                "tokenDecimal",
                "transactionIndex",
                "gas",
                "gasPrice",
                "gasUsed",
                "cumulativeGasUsed",
                "input",
                "methodId",
                "functionName",
                "confirmations",
                "logIndex",
            ]),
        ),
    ];
    for (action, address, fields) in cases {
        let items = etherscan_items(
            &server,
            &format!("chainid=1&module=account&action={action}&address={address}"),
        );
        assert!(!items.is_empty(), "{action} of {address} lists something");
        for item in &items {
            assert_eq!(
                keys(item),
                fields,
                "{action} items carry exactly Etherscan's fields"
            );
            assert!(
                item.as_object()
                    .expect("object")
                    .values()
                    .all(Value::is_string),
                "Etherscan gives every field as a string: {item}"
            );
        }
    }
}
