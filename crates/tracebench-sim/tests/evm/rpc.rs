//! JSON-RPC behaviour: batches, errors, unknown hashes, content type, token metadata.

use serde_json::{json, Value};

use crate::{client, quantity, rpc, rpc_call, seed1, start};

#[test]
fn batches_answer_every_call_in_order() {
    let chain = seed1();
    let server = start(chain.clone(), None);
    let batch = json!([
        {"jsonrpc": "2.0", "id": 7, "method": "eth_chainId", "params": []},
        {"jsonrpc": "2.0", "id": 8, "method": "eth_blockNumber", "params": []},
        {"jsonrpc": "2.0", "id": 9, "method": "eth_getTransactionReceipt", "params": [chain.truth().roles.failed_txid]},
    ]);
    let answer: Value = client()
        .post(format!("{}/rpc", server.url()))
        .json(&batch)
        .send()
        .expect("answers")
        .json()
        .expect("JSON");
    let answers = answer.as_array().expect("a batch gets a list");
    assert_eq!(answers.len(), 3, "one answer per call");
    assert_eq!(
        answers[0],
        json!({"jsonrpc": "2.0", "id": 7, "result": "0x1"}),
        "chain id 1"
    );
    assert_eq!(
        quantity(&answers[1]["result"]),
        u128::from(chain.tip()),
        "eth_blockNumber is the last block"
    );
    let receipt = &answers[2]["result"];
    assert_eq!(receipt["status"], "0x0", "the reverted swap has status 0x0");
    assert_eq!(
        receipt["logs"],
        json!([]),
        "a reverted transaction emits no logs"
    );
}

#[test]
fn unknown_methods_and_hashes() {
    let server = start(seed1(), None);
    let answer = rpc_call(&server, "eth_sendRawTransaction", json!(["0x00"]));
    assert_eq!(
        answer["error"],
        json!({"code": -32601, "message": "the method eth_sendRawTransaction does not exist/is not available"}),
        "geth's error for an unknown method"
    );
    let unknown = format!("0x{}", "ab".repeat(32));
    for method in [
        "eth_getTransactionByHash",
        "eth_getTransactionReceipt",
        "trace_transaction",
    ] {
        assert_eq!(
            rpc(&server, method, json!([unknown])),
            Value::Null,
            "{method} of an unknown hash is null"
        );
    }
    let answer = rpc_call(
        &server,
        "debug_traceTransaction",
        json!([unknown, {"tracer": "callTracer"}]),
    );
    assert_eq!(
        answer["error"]["message"], "transaction not found",
        "geth refuses to trace an unknown transaction"
    );
    assert_eq!(
        rpc(&server, "eth_getBlockByNumber", json!(["0x1", false])),
        Value::Null,
        "a block outside the chain is null"
    );
    let answer = rpc_call(&server, "eth_getTransactionReceipt", json!(["0x12"]));
    assert_eq!(
        answer["error"]["code"], -32602,
        "a malformed hash is an invalid parameter"
    );
}

#[test]
fn malformed_requests_get_clear_errors() {
    let server = start(seed1(), None);
    let answer: Value = client()
        .post(server.url())
        .header("content-type", "application/json")
        .body("{\"jsonrpc\":\"2.0\",")
        .send()
        .expect("answers")
        .json()
        .expect("JSON");
    assert_eq!(
        answer["error"]["code"], -32700,
        "truncated JSON is a parse error"
    );
    let response = client()
        .post(server.url())
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .expect("answers");
    assert_eq!(
        response.status().as_u16(),
        415,
        "geth wants application/json"
    );
    assert_eq!(
        response.text().expect("text"),
        "invalid content type, only application/json is supported",
        "with geth's text"
    );
}

fn abi_string(hex: &str) -> String {
    let bytes = ::hex::decode(hex.trim_start_matches("0x")).expect("hex");
    let len = usize::try_from(u128::from_be_bytes(
        bytes[48..64].try_into().expect("16 bytes"),
    ))
    .expect("small");
    String::from_utf8(bytes[64..64 + len].to_vec()).expect("UTF-8")
}

#[test]
fn token_metadata_answers_eth_call() {
    let chain = seed1();
    let server = start(chain.clone(), None);
    let token = chain.truth().token.contract.clone();
    let call = |data: &str| {
        rpc(
            &server,
            "eth_call",
            json!([{"to": token, "data": data}, "latest"]),
        )
    };
    assert_eq!(
        quantity(&call("0x313ce567")),
        6,
        "decimals() is 6, like USDT"
    );
    assert_eq!(
        abi_string(call("0x95d89b41").as_str().expect("hex")),
        "USDT",
        "symbol()"
    );
    assert!(
        abi_string(call("0x06fdde03").as_str().expect("hex")).contains("synthetic"),
        "name() says the token is synthetic"
    );
    let supply = u128::from_str_radix(
        call("0x18160ddd")
            .as_str()
            .expect("hex")
            .trim_start_matches("0x"),
        16,
    )
    .expect("uint");
    let holders: u128 = chain
        .truth()
        .token_end_holders
        .values()
        .map(|v| v.parse::<u128>().expect("decimal"))
        .sum();
    assert_eq!(
        supply, holders,
        "totalSupply() equals what the end holders hold"
    );
}
