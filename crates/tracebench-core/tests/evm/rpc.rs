use serde_json::Value;
use tracebench_core::address::EvmTxHash;
use tracebench_core::chain::EvmChain;
use tracebench_core::model::AccountTransferKind;
use tracebench_core::source::evm::rpc::{
    call_tracer_values, decode_transfer_log, parity_trace_values, TokenLog,
};
use tracebench_core::source::evm::{EvmRpc, EvmSourceError};

use super::server::{self, read_json, Replay};
use super::{client, clock, digest, fast_gate, new_case, runtime};

fn rpc(url: &str) -> EvmRpc {
    EvmRpc::new(client(), url, EvmChain::ETHEREUM, clock()).with_gate(fast_gate("evm-rpc:1"))
}

#[test]
fn an_ether_payment_is_read_from_the_node_exactly() {
    let srv = server::start(Replay::recorded());
    let dir = tempfile::tempdir().unwrap();
    let (_, mut case) = new_case(dir.path());
    let hash =
        EvmTxHash::parse("0x463d53f0ad57677a3b430a007c1c31d15d62c37fab5eee598551697c297c235c")
            .unwrap();
    let fetch = runtime()
        .block_on(rpc(&format!("{}/rpc", srv.url)).transaction(&hash))
        .expect("the recorded transaction replays");
    case.ingest_evm(&fetch, "2026-11-21T12:00:00Z").unwrap();
    let t = case
        .evm_tx("eip155:1", hash.as_str())
        .unwrap()
        .expect("the transaction is stored");
    assert_eq!(
        (t.block_height, t.block_time, t.tx_index),
        (483_920, 1_446_561_880, 2),
        "block 0x76250, timestamp 0x5638c858, index 0x2 from the recorded responses"
    );
    assert_eq!(
        t.status, None,
        "a pre-Byzantium receipt has no status and no trace was offered: unknown, not success"
    );
    assert!(
        !t.traced,
        "the node offered no trace method, and the row says so"
    );
    assert_eq!(
        t.gas_used,
        Some(21_000),
        "gasUsed 0x5208 as in expected_receipts.csv"
    );
    let transfers = case.account_transfers("eip155:1").unwrap();
    assert_eq!(transfers.len(), 1, "one native movement");
    assert_eq!(
        (
            transfers[0].kind,
            transfers[0].amount.as_str(),
            transfers[0].asset.as_str()
        ),
        (
            AccountTransferKind::Native,
            "11000440000000000",
            "eip155:1/slip44:60"
        ),
        "value 0x2714d78692b000 wei, exactly as in expected_transactions.csv"
    );
    let raws = case.raw_responses().unwrap();
    assert_eq!(
        raws.len(),
        3,
        "transaction, receipt and block are kept as evidence"
    );
    assert!(
        raws[0].request.starts_with("POST http://127.0.0.1")
            && raws[0].request.contains("eth_getTransactionByHash"),
        "the stored request names the method: {}",
        raws[0].request
    );
}

#[test]
fn an_erc20_transfer_log_is_decoded_from_the_receipt() {
    let srv = server::start(Replay::recorded());
    let dir = tempfile::tempdir().unwrap();
    let (_, mut case) = new_case(dir.path());
    let hash =
        EvmTxHash::parse("0x04cbcb236043d8fb7839e07bbc7f5eed692fb2ca55d897f1101eac3e3ad4fab8")
            .unwrap();
    let fetch = runtime()
        .block_on(rpc(&format!("{}/rpc", srv.url)).transaction(&hash))
        .unwrap();
    case.ingest_evm(&fetch, "2026-11-21T12:00:00Z").unwrap();
    let transfers = case.account_transfers("eip155:1").unwrap();
    assert_eq!(transfers.len(), 1, "no ether moved; one token log");
    let t = &transfers[0];
    // expected_logs.csv: log 0 of this tx, contract 0xf4eced…, data 0x…186a0.
    assert_eq!(
        (
            t.kind,
            t.log_index,
            t.from.as_str(),
            t.to.as_str(),
            t.amount.as_str()
        ),
        (
            AccountTransferKind::Token,
            Some(0),
            "0x1b63142628311395ceafeea5667e7c9026c862ca",
            "0xac4df82fe37ea2187bc8c011a23d743b4f39019a",
            "100000"
        ),
        "topics 1 and 2 are sender and receiver, the data word the amount"
    );
    assert_eq!(
        t.asset, "eip155:1/erc20:0xf4eced2f682ce333f96f2d8966c613ded8fc95dd",
        "the emitting contract is the token"
    );
    let tokens = case.evm_tokens("eip155:1").unwrap();
    assert_eq!(tokens.len(), 1, "the token contract is recorded");
}

#[test]
fn transfer_topic_logs_that_are_not_erc20_are_skipped_with_a_reason() {
    let logs = read_json("rpc/transfer_topic_logs.json");
    let logs = logs.as_array().unwrap();
    let usdt = decode_transfer_log(&logs[0])
        .expect("a Transfer log")
        .expect("valid ERC-20");
    assert_eq!(
        usdt,
        TokenLog {
            log_index: 0x31,
            contract: "0xdac17f958d2ee523a2206206994597c13d831ec7".to_string(),
            from: "0xe10510a359ff2334314052196780c5216e2a39f8".to_string(),
            to: "0x1f87bc6687c52200aad234b7055568e92c943c46".to_string(),
            amount: "30000000".to_string(),
        },
        "30 USDT (data 0x1c9c380), as in the ETL token_transfers export"
    );
    let nft = decode_transfer_log(&logs[1]).expect("a Transfer log");
    let (index, reason) = nft.expect_err("4 topics is ERC-721");
    assert_eq!(index, 0x69, "the skipped log is named by its index");
    assert!(
        reason.contains("4 topics"),
        "the reason is recorded: {reason}"
    );
    assert!(
        decode_transfer_log(&logs[2]).is_none(),
        "a log with another topic is not a transfer at all"
    );
}

fn csv_rows(name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(server::fixtures().join(name)).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn per_tx(block: &Value, hash: &str) -> Vec<Value> {
    block["result"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["transactionHash"] == hash)
        .cloned()
        .collect()
}

#[test]
fn internal_value_counts_only_successful_value_moving_frames() {
    // Parity: a self-destruct sends 0.05 ETH (expected_traces_0xf7105.csv, trace_address 0).
    let block = read_json("rpc/web3_response.trace_block_0xf7105.json");
    let expected = csv_rows("rpc/expected_traces_0xf7105.csv");
    let suicide = expected.iter().find(|r| r[8] == "suicide").unwrap();
    let v = parity_trace_values(&per_tx(&block, &suicide[1])).unwrap();
    assert_eq!(v.internal.len(), 1, "one internal movement");
    assert_eq!(
        (
            v.internal[0].from.as_str(),
            v.internal[0].to.as_str(),
            v.internal[0].amount.as_str()
        ),
        (
            suicide[3].as_str(),
            suicide[4].as_str(),
            suicide[5].as_str()
        ),
        "from, to and value as ethereum-etl exported them"
    );

    // Parity and geth: block 1,000,000's first tx runs a CALLCODE, which keeps the value in
    // the calling contract: no internal movement.
    let block = read_json("rpc/web3_response.trace_block_0xf4240.json");
    let hash = "0xea1093d492a1dcb1bef708f771a99a96ff05dcab81ca76c31940300177fcf49f";
    let v = parity_trace_values(&per_tx(&block, hash)).unwrap();
    assert!(
        v.internal.is_empty() && !v.top_failed,
        "CALLCODE moves no value between accounts"
    );
    let geth =
        read_json("rpc/web3_response.debug_traceBlockByNumber_0xf4240_tracer_calltracer.json");
    let v = call_tracer_values(&geth["result"][0]["result"]).unwrap();
    assert!(
        v.internal.is_empty() && !v.top_failed,
        "geth agrees with Parity"
    );

    // A failed call ("out of gas" / "Out of gas"): nothing moved (status 0 in the export).
    let geth =
        read_json("rpc/web3_response.debug_traceBlockByNumber_0xf45bf_tracer_calltracer.json");
    let v = call_tracer_values(&geth["result"][0]["result"]).unwrap();
    assert!(v.top_failed, "callTracer's error marks the call failed");
    let block = read_json("rpc/web3_response.trace_block_0xf45bf.json");
    let expected = csv_rows("rpc/expected_traces_0xf45bf.csv");
    let failed_hash = &expected[0][1];
    assert_eq!(expected[0][16], "0", "the export marks it failed");
    let v = parity_trace_values(&per_tx(&block, failed_hash)).unwrap();
    assert!(v.top_failed, "Parity's error marks the call failed");
}

#[test]
fn node_faults_are_clear_errors_and_leave_the_case_as_it_was() {
    let srv = server::start(Replay::recorded());
    let dir = tempfile::tempdir().unwrap();
    let (path, _case) = new_case(dir.path());
    let before = digest(&path);
    let hash =
        EvmTxHash::parse("0x463d53f0ad57677a3b430a007c1c31d15d62c37fab5eee598551697c297c235c")
            .unwrap();
    let rt = runtime();
    for (kind, text) in [
        ("rpcerror", "JSON-RPC error -32000"),
        ("badjson", "not valid JSON-RPC data"),
        ("html", "not JSON"),
        ("500", "HTTP 500"),
        ("429", "rate limiting"),
        ("truncated", "cut off"),
    ] {
        let err = rt
            .block_on(rpc(&format!("{}/fault/{kind}", srv.url)).transaction(&hash))
            .unwrap_err();
        assert!(err.to_string().contains(text), "fault {kind}: {err}");
        assert_eq!(digest(&path), before, "fault {kind} changes nothing");
    }
    let unknown =
        EvmTxHash::parse("0x1111111111111111111111111111111111111111111111111111111111111111")
            .unwrap();
    let err = rt
        .block_on(rpc(&format!("{}/rpc", srv.url)).transaction(&unknown))
        .unwrap_err();
    assert!(
        matches!(err, EvmSourceError::NotFound { .. })
            && err.to_string().contains(unknown.as_str()),
        "an unknown hash is named: {err}"
    );
}

#[test]
fn value_inside_a_failed_frame_does_not_count() {
    // Block 1,000,000's first transaction (geth callTracer), with its inner CALLCODE read as a
    // CALL so that it moves 100 ETH to another account.
    let geth =
        read_json("rpc/web3_response.debug_traceBlockByNumber_0xf4240_tracer_calltracer.json");
    let mut frame = geth["result"][0]["result"].clone();
    frame["calls"][0]["type"] = Value::from("CALL");
    let v = call_tracer_values(&frame).unwrap();
    assert_eq!(
        v.internal.len(),
        1,
        "a successful inner CALL with value is an internal movement"
    );
    assert_eq!(
        (v.internal[0].trace_index, v.internal[0].amount.as_str()),
        (1, "100000000000000000000"),
        "the first frame below the top is trace index 1; 0x56bc75e2d63100000 wei is 100 ETH"
    );
    let mut reverted = frame.clone();
    reverted["error"] = Value::from("execution reverted");
    let v = call_tracer_values(&reverted).unwrap();
    assert!(
        v.top_failed && v.internal.is_empty(),
        "inside a reverted parent nothing moved, even though the inner frame has no error"
    );
    let mut inner_failed = frame;
    inner_failed["calls"][0]["error"] = Value::from("out of gas");
    let v = call_tracer_values(&inner_failed).unwrap();
    assert!(
        !v.top_failed && v.internal.is_empty(),
        "a failed inner frame moved nothing while the transaction itself succeeded"
    );
}
