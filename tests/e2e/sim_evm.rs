//! `tracebench sim serve --scenario evm-usdt`: Etherscan v2 and JSON-RPC on loopback, announced
//! on the first line, with an optional required API key.

use std::io::{Read, Write};
use std::net::TcpStream;

use crate::util::{sim_serve, tracebench};

/// A plain HTTP/1.1 exchange on loopback; returns the body.
fn http(url: &str, request: &str) -> String {
    let host = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("the sim listens");
    stream.write_all(request.as_bytes()).expect("request sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response read");
    response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default()
}

#[test]
fn evm_sim_serves_etherscan_and_json_rpc_and_checks_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, announced) = sim_serve(
        dir.path(),
        &[
            "--scenario",
            "evm-usdt",
            "--seed",
            "2",
            "--api-key",
            "k-123",
        ],
    );
    let url = announced["url"].as_str().unwrap().to_string();
    assert_eq!(
        announced["source_id"], "sim:evm-usdt:2",
        "names scenario and seed"
    );
    assert_eq!(
        announced["etherscan_url"].as_str(),
        Some(format!("{url}/v2/api").as_str()),
        "announces where the Etherscan API lives"
    );
    let seed = announced["seed_address"].as_str().unwrap();
    let get = |query: &str| {
        let body = http(
            &url,
            &format!("GET /v2/api?{query} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        );
        serde_json::from_str::<serde_json::Value>(&body).expect("JSON")
    };
    let query = format!("chainid=1&module=account&action=tokentx&address={seed}");
    assert_eq!(
        get(&query)["result"],
        "Invalid API Key",
        "without the key Etherscan's refusal"
    );
    let answer = get(&format!("{query}&apikey=k-123"));
    assert_eq!(
        answer["status"], "1",
        "with the key the victim's token history: {answer}"
    );
    let rpc = r#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}"#;
    let body = http(
        &url,
        &format!(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{rpc}",
            rpc.len()
        ),
    );
    let answer: serde_json::Value = serde_json::from_str(&body).expect("JSON-RPC answer");
    assert_eq!(
        answer["result"], "0x1",
        "JSON-RPC at POST / answers as chain id 1"
    );
}

#[test]
fn api_key_is_refused_for_the_bitcoin_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let out = tracebench(dir.path())
        .args(["sim", "serve", "--scenario", "ransomware", "--api-key", "k"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "an Esplora sim takes no key");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--api-key applies to --scenario evm-usdt only"),
        "the error says why: {err}"
    );
}
