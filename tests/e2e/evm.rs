//! `tracebench add <0x…>` against a loopback server replaying recorded Ethereum mainnet data in
//! the Etherscan v2 and JSON-RPC shapes (fixtures of tracebench-core, see their SOURCE.md).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::util::{
    json as stdout_json, reply_json, run_ok, sim_truth, tracebench, write_config_toml,
};

const PAIR: &str = "0x0d4a11d5eeaac28ec3f61d100daf4d40471f1852";
const PAYMENT: &str = "0x463d53f0ad57677a3b430a007c1c31d15d62c37fab5eee598551697c297c235c";
const KEY: &str = "PLANTEDE2EKEY7c41d09";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/tracebench-core/tests/fixtures/evm")
}

fn read(rel: &str) -> Value {
    serde_json::from_slice(&std::fs::read(fixtures().join(rel)).unwrap()).unwrap()
}

/// Serves the pair's Etherscan lists (key required), the payment's JSON-RPC answers (no trace
/// methods, like a public node) and an HTTP 500 under `/fault/`.
fn serve() -> String {
    let tokens = read(&format!("etherscan/tokentx_{PAIR}.json"));
    let block = read("rpc/web3_response.eth_getBlockByNumber_0x76250_true.json");
    let receipt = read(&format!(
        "rpc/web3_response.eth_getTransactionReceipt_{PAYMENT}.json"
    ));
    let tx = block["result"]["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["hash"] == PAYMENT)
        .cloned()
        .unwrap();
    let mut rpc = BTreeMap::new();
    rpc.insert(
        "eth_getTransactionByHash",
        json!({"jsonrpc": "2.0", "id": 1, "result": tx}),
    );
    rpc.insert("eth_getTransactionReceipt", receipt);
    rpc.insert("eth_getBlockByNumber", block);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut reader = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let mut length = 0;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, out) = if target.starts_with("/fault/") {
                (
                    "500 Internal Server Error",
                    json!({"error": "upstream exploded"}),
                )
            } else if target.starts_with("/v2/api") {
                let list = if !target.contains(&format!("apikey={KEY}")) {
                    json!({"status": "0", "message": "NOTOK", "result": "Invalid API Key"})
                } else if target.contains("action=tokentx") && target.contains("page=1&") {
                    json!({"status": "1", "message": "OK", "result": tokens})
                } else {
                    json!({"status": "0", "message": "No transactions found", "result": []})
                };
                ("200 OK", list)
            } else {
                let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                let method = req["method"].as_str().unwrap_or("");
                let answer = rpc.get(method).cloned().unwrap_or_else(|| {
                    json!({"jsonrpc": "2.0", "id": 1,
                        "error": {"code": -32601, "message": format!("the method {method} does not exist/is not available")}})
                });
                ("200 OK", answer)
            };
            reply_json(&mut s, status, &out.to_string());
        }
    });
    url
}

fn case_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    if let Ok(wal) = std::fs::read(path.with_extension("tbcase-wal")) {
        bytes.extend(wal);
    }
    bytes
}

#[test]
fn evm_address_and_transaction_are_added_through_the_cli_without_leaking_the_key() {
    let url = serve();
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("usdt.tbcase");
    run_ok(
        tracebench(dir.path())
            .args(["case", "new", "--title", "USDT", "--case"])
            .arg(&case),
    );

    // The key from the secrets file (mode 0600) under the source id etherscan:1.
    let secrets = write_config_toml(
        dir.path(),
        &format!("[source.\"etherscan:1\"]\napi_key = \"{KEY}\"\n"),
        0o600,
    );
    let out = run_ok(
        tracebench(dir.path())
            .env_remove("TRACEBENCH_ETHERSCAN_KEY")
            .arg("--case")
            .arg(&case)
            .args(["--json", "add", PAIR, "--source"])
            .arg(format!("etherscan:1={url}")),
    );
    let v = stdout_json(&out);
    assert_eq!(
        v["transfers_added"], 10,
        "the pair's 10 USDT/WETH transfers are stored: {v}"
    );
    assert_eq!(
        v["address"], "0x0d4a11d5EEaaC28EC3F61d100daF4d40471f1852",
        "the address is shown in its EIP-55 form"
    );

    let out = run_ok(
        tracebench(dir.path())
            .arg("--case")
            .arg(&case)
            .args(["--json", "add", PAYMENT, "--source"])
            .arg(format!("evm-rpc:1={url}/rpc")),
    );
    let v = stdout_json(&out);
    assert_eq!(
        (v["txs_added"].as_u64(), v["transfers_added"].as_u64()),
        (Some(1), Some(1)),
        "the ether payment is one transaction and one native transfer: {v}"
    );

    let conn = rusqlite::Connection::open(&case).unwrap();
    let amount: String = conn
        .query_row(
            "SELECT amount FROM account_transfer WHERE txid = ?1 AND kind = 'native'",
            [PAYMENT],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        amount, "11000440000000000",
        "wei exact, as in the ETL export"
    );
    let audit: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'evm.add'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audit, 2, "each add is in the audit log");
    drop(conn);

    // Bad input and a failing source: clear errors, the case untouched.
    let before = case_bytes(&case);
    let out = tracebench(dir.path())
        .arg("--case")
        .arg(&case)
        .args([
            "add",
            "0x0d4A11d5EEaaC28EC3F61d100daF4d40471f1852",
            "--source",
        ])
        .arg(format!("etherscan:1={url}"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("EIP-55"),
        "a mistyped checksummed address is refused by name: {err}"
    );
    let out = tracebench(dir.path())
        .env("TRACEBENCH_ETHERSCAN_KEY", KEY)
        .arg("--case")
        .arg(&case)
        .args(["add", PAIR, "--source"])
        .arg(format!("etherscan:1={url}/fault"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("HTTP 500"),
        "a failing source is named with its status: {err}"
    );
    assert!(!err.contains(KEY), "the key is not in the error: {err}");
    std::fs::remove_file(&secrets).unwrap();
    let out = tracebench(dir.path())
        .env_remove("TRACEBENCH_ETHERSCAN_KEY")
        .arg("--case")
        .arg(&case)
        .args(["add", PAIR, "--source"])
        .arg(format!("etherscan:1={url}"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("refused the API key"),
        "without a key the server's refusal is named: {err}"
    );
    assert_eq!(
        case_bytes(&case),
        before,
        "failed adds leave the case file as it was"
    );
    assert!(
        !before.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
        "the planted API key appears nowhere in the case file"
    );
}

#[test]
fn an_evm_case_from_the_sim_is_marked_synthetic_and_answers_offline() {
    let dir = tempfile::tempdir().unwrap();
    let truth = sim_truth(dir.path(), "evm-usdt");
    let thief = truth["roles"]["thief"].as_str().unwrap().to_string();
    let theft = truth["roles"]["theft_txid"].as_str().unwrap().to_string();
    let deposit = truth["roles"]["exchange_deposit"]
        .as_str()
        .unwrap()
        .to_string();
    let case = dir.path().join("sim-evm.tbcase");
    run_ok(
        tracebench(dir.path())
            .args(["case", "new", "--title", "USDT drill", "--case"])
            .arg(&case),
    );
    // The simulator runs inside the command: no URL, no network.
    let v = stdout_json(&run_ok(
        tracebench(dir.path()).arg("--case").arg(&case).args([
            "--json",
            "add",
            &thief,
            "--source",
            "sim:evm-usdt:1",
        ]),
    ));
    assert_eq!(
        v["source_id"], "sim:evm-usdt:1",
        "provenance names the simulator, not Etherscan: {v}"
    );
    assert!(
        v["transfers_added"].as_u64().unwrap() > 0,
        "the thief's history lands in the case: {v}"
    );
    let info = stdout_json(&run_ok(
        tracebench(dir.path())
            .arg("--case")
            .arg(&case)
            .args(["--json", "case", "info"]),
    ));
    assert_eq!(
        info["case"]["synthetic"], true,
        "a case holding sim data is marked synthetic: {info}"
    );
    let text = run_ok(
        tracebench(dir.path())
            .arg("--case")
            .arg(&case)
            .args(["case", "info"]),
    );
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("SYNTHETIC – TRAINING DATA"),
        "case info says so in words"
    );
    let conn = rusqlite::Connection::open(&case).unwrap();
    let sources: Vec<(String, bool)> = conn
        .prepare("SELECT source_id, synthetic FROM source ORDER BY source_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(conn);
    assert_eq!(
        sources,
        vec![("sim:evm-usdt:1".to_string(), true)],
        "the one source is the simulator, flagged synthetic"
    );

    // Offline: the case answers alone and lists what it lacks; it is not changed.
    let before = case_bytes(&case);
    let v = stdout_json(&run_ok(
        tracebench(dir.path()).arg("--case").arg(&case).args([
            "--json",
            "--offline",
            "add",
            &thief,
        ]),
    ));
    assert_eq!(
        v["chains"],
        json!(["eip155:1"]),
        "the stored chain is found without a source: {v}"
    );
    let stored = v["transfers"].as_array().unwrap();
    assert!(
        !stored.is_empty()
            && stored
                .iter()
                .all(|t| t["from"] == thief.as_str() || t["to"] == thief.as_str()),
        "every stored transfer of the thief, and only those: {v}"
    );
    assert_eq!(
        v["missing"],
        json!([]),
        "the fetched history is complete: {v}"
    );
    let v = stdout_json(&run_ok(
        tracebench(dir.path()).arg("--case").arg(&case).args([
            "--json",
            "--offline",
            "add",
            &theft,
        ]),
    ));
    assert_eq!(
        v["txs"],
        json!([theft]),
        "the theft is stored (the thief is in it): {v}"
    );
    assert_eq!(v["missing"], json!([]), "nothing missing for it: {v}");
    let v = stdout_json(&run_ok(
        tracebench(dir.path()).arg("--case").arg(&case).args([
            "--json",
            "--offline",
            "add",
            &deposit,
            "--source",
            "sim:evm-usdt:1",
        ]),
    ));
    let missing = v["missing"].as_array().unwrap();
    assert_eq!(
        missing.len(),
        1,
        "the exchange deposit's history was never fetched: {v}"
    );
    assert!(
        missing[0]
            .as_str()
            .unwrap()
            .starts_with("history of address 0x"),
        "the missing history is named: {v}"
    );
    let unknown = format!("0x{}", "ab".repeat(32));
    let out = run_ok(tracebench(dir.path()).arg("--case").arg(&case).args([
        "--offline",
        "add",
        &unknown,
    ]));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("missing (offline): transaction {unknown}")),
        "an unknown transaction is listed as missing, as Bitcoin's offline expand does: {text}"
    );
    assert_eq!(
        case_bytes(&case),
        before,
        "offline answers never change the case"
    );
    let out = tracebench(dir.path())
        .arg("--case")
        .arg(&case)
        .args(["add", &thief, "--source", "sim:ransomware:1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("evm-usdt"),
        "a Bitcoin scenario cannot serve an EVM address, and the error says which can: {err}"
    );
    assert_eq!(
        case_bytes(&case),
        before,
        "the refused source changes nothing"
    );
}
