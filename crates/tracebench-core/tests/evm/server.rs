//! A loopback server replaying the recorded EVM fixtures in the exact Etherscan v2 and
//! JSON-RPC shapes, with fault injection by path prefix (`/fault/<kind>/…`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/evm")
}

pub fn read_json(rel: &str) -> Value {
    let path = fixtures().join(rel);
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}")))
        .unwrap()
}

/// What the server knows: Etherscan lists by (action, address) and JSON-RPC answers by
/// (method, first parameter).
#[derive(Default)]
pub struct Replay {
    pub lists: BTreeMap<(String, String), Vec<Value>>,
    pub rpc: BTreeMap<(String, String), Value>,
    /// When set, Etherscan requests must carry this `apikey`.
    pub api_key: Option<String>,
    /// Faults answered so far per `/flaky/<kind>/<n>/` prefix (the first `n` requests fail).
    pub flaky: Mutex<BTreeMap<String, u32>>,
}

impl Replay {
    /// The Etherscan lists of the fixture addresses and the JSON-RPC answers of block 483,920.
    pub fn recorded() -> Replay {
        let mut r = Replay::default();
        for entry in std::fs::read_dir(fixtures().join("etherscan")).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            let (action, rest) = name.split_once('_').unwrap();
            let address = rest.trim_end_matches(".json").to_string();
            let list = read_json(&format!("etherscan/{name}"));
            r.lists.insert(
                (action.to_string(), address),
                list.as_array().unwrap().clone(),
            );
        }
        let block = read_json("rpc/web3_response.eth_getBlockByNumber_0x76250_true.json");
        for t in block["result"]["transactions"].as_array().unwrap() {
            let hash = t["hash"].as_str().unwrap().to_string();
            r.rpc.insert(
                ("eth_getTransactionByHash".into(), hash.clone()),
                json!({"jsonrpc": "2.0", "id": 1, "result": t}),
            );
            let receipt = read_json(&format!(
                "rpc/web3_response.eth_getTransactionReceipt_{hash}.json"
            ));
            r.rpc
                .insert(("eth_getTransactionReceipt".into(), hash), receipt);
        }
        r.rpc
            .insert(("eth_getBlockByNumber".into(), "0x76250".into()), block);
        r
    }
}

pub struct Server {
    pub url: String,
    /// Every request line received (with its query), in order.
    pub requests: Arc<Mutex<Vec<String>>>,
}

pub fn start(replay: Replay) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    let replay = Arc::new(replay);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let replay = replay.clone();
            let seen = seen.clone();
            std::thread::spawn(move || handle(stream, &replay, &seen));
        }
    });
    Server { url, requests }
}

fn query(target: &str) -> BTreeMap<String, String> {
    target
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn respond(s: &mut TcpStream, status: &str, extra: &str, content_type: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(body);
}

fn handle(mut s: TcpStream, replay: &Replay, seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut length = 0usize;
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
    seen.lock().unwrap().push(line.trim().to_string());
    let mut target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    // `/flaky/<kind>/<n>/rest`: the first n requests get the fault, later ones are served `/rest`.
    if let Some(rest) = target.clone().strip_prefix("/flaky/") {
        let mut parts = rest.splitn(3, '/');
        let kind = parts.next().unwrap_or("").to_string();
        let n: u32 = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let tail = parts.next().unwrap_or("");
        let failed = {
            let mut counts = replay.flaky.lock().unwrap();
            let c = counts.entry(format!("{kind}/{n}")).or_insert(0);
            *c += 1;
            *c <= n
        };
        if failed {
            return fault(&mut s, &kind);
        }
        target = format!("/{tail}");
    }
    let path = target.as_str();
    if let Some(rest) = path.strip_prefix("/fault/") {
        let (kind, _) = rest.split_once('/').unwrap_or((rest, ""));
        return fault(&mut s, kind);
    }
    if path.starts_with("/v2/api") {
        let (ct, out) = etherscan(replay, &query(&target));
        return respond(&mut s, "200 OK", "", ct, out.to_string().as_bytes());
    }
    let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let method = req["method"].as_str().unwrap_or("").to_string();
    let first = req["params"][0].as_str().unwrap_or("").to_string();
    let out = match replay.rpc.get(&(method.clone(), first)) {
        Some(v) => v.clone(),
        None if method.starts_with("debug_") || method.starts_with("trace_") => json!({
            "jsonrpc": "2.0", "id": 1,
            "error": {"code": -32601, "message": format!("the method {method} does not exist/is not available")}
        }),
        None => json!({"jsonrpc": "2.0", "id": 1, "result": null}),
    };
    respond(
        &mut s,
        "200 OK",
        "",
        "application/json",
        out.to_string().as_bytes(),
    );
}

fn etherscan(replay: &Replay, q: &BTreeMap<String, String>) -> (&'static str, Value) {
    if let Some(k) = &replay.api_key {
        if q.get("apikey") != Some(k) {
            return (
                "application/json",
                json!({"status": "0", "message": "NOTOK", "result": "Invalid API Key (#err2)|ETH1"}),
            );
        }
    }
    let action = q.get("action").cloned().unwrap_or_default();
    let address = q
        .get("address")
        .cloned()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let start: u64 = q
        .get("startblock")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let page: usize = q.get("page").and_then(|v| v.parse().ok()).unwrap_or(1);
    let offset: usize = q
        .get("offset")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let rows: Vec<Value> = replay
        .lists
        .get(&(action, address))
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r["blockNumber"].as_str().unwrap().parse::<u64>().unwrap() >= start)
        .collect();
    let rows: Vec<Value> = rows
        .into_iter()
        .skip((page - 1) * offset)
        .take(offset)
        .collect();
    if rows.is_empty() {
        (
            "application/json",
            json!({"status": "0", "message": "No transactions found", "result": []}),
        )
    } else {
        (
            "application/json",
            json!({"status": "1", "message": "OK", "result": rows}),
        )
    }
}

fn fault(s: &mut TcpStream, kind: &str) {
    match kind {
        "429" => respond(s, "429 Too Many Requests", "", "application/json", b"{}"),
        "429ra1" => respond(
            s,
            "429 Too Many Requests",
            "Retry-After: 1\r\n",
            "application/json",
            b"{}",
        ),
        "503" => respond(s, "503 Service Unavailable", "", "text/plain", b"try again"),
        "429ra" => respond(
            s,
            "429 Too Many Requests",
            "Retry-After: 7\r\n",
            "application/json",
            b"{}",
        ),
        "500" => respond(
            s,
            "500 Internal Server Error",
            "",
            "text/plain",
            b"upstream exploded",
        ),
        "badjson" => respond(
            s,
            "200 OK",
            "",
            "application/json",
            br#"{"status":"1","message":"OK","result":[{"blockNumber":"#,
        ),
        "html" => respond(
            s,
            "200 OK",
            "",
            "text/html",
            b"<html><body>Just a moment...</body></html>",
        ),
        "ratelimit" => respond(
            s,
            "200 OK",
            "",
            "application/json",
            br#"{"status":"0","message":"NOTOK","result":"Max rate limit reached"}"#,
        ),
        "rpcerror" => respond(
            s,
            "200 OK",
            "",
            "application/json",
            br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"header not found"}}"#,
        ),
        "truncated" => {
            let _ = s.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\nConnection: close\r\n\r\n{\"status\":\"1\",\"result\":[",
            );
        }
        "timeout" => {
            std::thread::sleep(std::time::Duration::from_secs(4));
            respond(s, "200 OK", "", "application/json", b"{}");
        }
        other => respond(s, "404 Not Found", "", "text/plain", other.as_bytes()),
    }
}
