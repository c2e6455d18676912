//! Integration tests of the `evm-usdt` scenario and its Etherscan v2 / JSON-RPC server.

mod core_client;
mod etherscan;
mod rpc;
mod shapes;
mod truth;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use serde_json::{json, Value};
use tracebench_sim::evm::{generate_evm, serve_evm, EvmChain, EvmServeOptions};
use tracebench_sim::SimServer;

/// The seed-1 chain, generated once per test binary.
pub fn seed1() -> Arc<EvmChain> {
    static CHAIN: OnceLock<Arc<EvmChain>> = OnceLock::new();
    CHAIN.get_or_init(|| Arc::new(generate_evm(1))).clone()
}

/// A server over `chain` on a free loopback port.
pub fn start(chain: Arc<EvmChain>, api_key: Option<&str>) -> SimServer {
    serve_evm(
        chain,
        "127.0.0.1:0".parse().expect("loopback address"),
        EvmServeOptions {
            api_key: api_key.map(str::to_string),
        },
    )
    .expect("the EVM server starts on loopback")
}

pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::new()
}

/// `GET <url>/v2/api?<query>` → (raw bytes, JSON).
pub fn etherscan_raw(server: &SimServer, query: &str) -> Vec<u8> {
    let response = client()
        .get(format!("{}/v2/api?{query}", server.url()))
        .send()
        .expect("the server answers");
    assert_eq!(
        response.status().as_u16(),
        200,
        "Etherscan answers 200 even for errors"
    );
    response.bytes().expect("a body").to_vec()
}

pub fn etherscan(server: &SimServer, query: &str) -> Value {
    serde_json::from_slice(&etherscan_raw(server, query)).expect("Etherscan answers JSON")
}

/// The `result` array of a successful Etherscan answer.
pub fn etherscan_items(server: &SimServer, query: &str) -> Vec<Value> {
    let answer = etherscan(server, query);
    match answer["result"].as_array() {
        Some(items) => items.clone(),
        None => panic!("{query} gave no result list: {answer}"),
    }
}

/// One JSON-RPC call at `POST <url>/`; returns the whole response object.
pub fn rpc_call(server: &SimServer, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    client()
        .post(server.url())
        .json(&body)
        .send()
        .expect("the server answers")
        .json()
        .expect("JSON-RPC answers JSON")
}

/// The `result` of a successful call.
pub fn rpc(server: &SimServer, method: &str, params: Value) -> Value {
    let response = rpc_call(server, method, params);
    assert!(
        response.get("error").is_none(),
        "{method} must succeed: {response}"
    );
    response["result"].clone()
}

/// A fixture in tests/fixtures, parsed.
pub fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("fixtures are JSON")
}

/// Parses a decimal amount string exactly.
pub fn amount(value: &Value) -> u128 {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{value} is not a decimal amount string"))
}

/// Parses a `0x…` quantity exactly.
pub fn quantity(value: &Value) -> u128 {
    value
        .as_str()
        .and_then(|s| s.strip_prefix("0x"))
        .and_then(|s| u128::from_str_radix(s, 16).ok())
        .unwrap_or_else(|| panic!("{value} is not a hex quantity"))
}
