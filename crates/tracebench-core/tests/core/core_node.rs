//! A loopback Bitcoin Core node that replays the real RPC fixtures in tests/fixtures/core-rpc.

use std::collections::BTreeMap;

use crate::loopback::{Loopback, Reply, Request};
use crate::util::fixtures;

/// How the replayed node behaves.
#[derive(Debug, Clone, Default)]
pub struct NodeOptions {
    /// `Authorization` header value the node requires (None: any).
    pub authorization: Option<String>,
    /// The node runs without `-txindex`.
    pub no_txindex: bool,
    /// The chain `getblockchaininfo` names (None: "main", the fixtures' chain).
    pub chain: Option<String>,
    /// The node is pruned below this height: older blocks answer "Block not available (pruned
    /// data)", as Core does.
    pub pruned_below: Option<u64>,
    /// The node is Core ≥ 23: `getblock <hash> 3` gives each input's `prevout` (from
    /// fixtures/core-rpc/derived); otherwise it answers as verbosity 2, as older nodes do.
    pub verbosity3: bool,
}

/// Every fixture result, keyed by (method, first parameter).
fn results() -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    let dir = fixtures().join("core-rpc");
    for sub in ["bitcoin-etl", "bitcoingraph"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let Some(stem) = name.strip_suffix(".json") else {
                continue;
            };
            let body = std::fs::read_to_string(entry.path()).unwrap();
            let key = if let Some(rest) = stem.strip_prefix("rpc_response_getrawtransaction_") {
                ("getrawtransaction", rest.to_string())
            } else if let Some(rest) = stem.strip_prefix("rpc_response_getblockhash_") {
                ("getblockhash", rest.to_string())
            } else if let Some(rest) = stem.strip_prefix("rpc_response_getblock_") {
                ("getblock", rest.split('_').next().unwrap().to_string())
            } else if let Some(rest) = stem.strip_prefix("tx_") {
                ("getrawtransaction", rest.to_string())
            } else if stem.starts_with("block_") {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                ("getblock", v["hash"].as_str().unwrap().to_string())
            } else {
                continue;
            };
            out.insert((key.0.to_string(), key.1), body);
        }
    }
    for entry in std::fs::read_dir(dir.join("derived")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(hash) = name
            .strip_prefix("getblock_")
            .and_then(|n| n.strip_suffix("_3.json"))
        {
            let body = std::fs::read_to_string(entry.path()).unwrap();
            out.insert(("getblock/3".to_string(), hash.to_string()), body);
        }
    }
    out
}

/// Core's answer to `getblockheader`: the block's own fields without its transactions and sizes.
fn header_of(block: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(block).unwrap();
    let o = v.as_object_mut().unwrap();
    for k in ["tx", "size", "strippedsize", "weight"] {
        o.remove(k);
    }
    serde_json::to_string_pretty(&v).unwrap()
}

fn envelope(result: &str, id: &serde_json::Value) -> Vec<u8> {
    format!("{{\"result\":{result},\"error\":null,\"id\":{id}}}").into_bytes()
}

fn rpc_error(code: i64, message: &str, id: &serde_json::Value) -> Reply {
    // Core answers JSON-RPC 1.0 errors with HTTP 500 (404 for an unknown method).
    let status = if code == -32601 { 404 } else { 500 };
    Reply::json(
        status,
        serde_json::json!({"result": null, "error": {"code": code, "message": message}, "id": id})
            .to_string(),
    )
}

/// Answers one JSON-RPC request from the fixtures.
pub fn answer(
    results: &BTreeMap<(String, String), String>,
    opts: &NodeOptions,
    r: &Request,
) -> Reply {
    if let Some(want) = &opts.authorization {
        if r.header("authorization") != Some(want.as_str()) {
            return Reply::text(401, "");
        }
    }
    if r.method != "POST" {
        // bitcoind answers JSON-RPC on POST only.
        return Reply::text(405, "JSONRPC server handles only POST requests");
    }
    let call = r.json();
    let id = call["id"].clone();
    let method = call["method"].as_str().unwrap_or_default().to_string();
    let first = match &call["params"][0] {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if method == "getblockchaininfo" {
        // The fields of Core's answer a client reads; no fixture of it exists in shared/data.
        let chain = opts.chain.as_deref().unwrap_or("main");
        let tip = results
            .keys()
            .filter(|(m, _)| m == "getblockhash")
            .filter_map(|(_, h)| h.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        let info = serde_json::json!({"chain": chain, "blocks": tip, "headers": tip,
            "pruned": opts.pruned_below.is_some()});
        return Reply::json(200, envelope(&info.to_string(), &id));
    }
    if let (Some(below), "getblock") = (opts.pruned_below, method.as_str()) {
        let height = results
            .get(&("getblock".to_string(), first.clone()))
            .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
            .and_then(|b| b["height"].as_u64());
        if height.is_some_and(|h| h < below) {
            return rpc_error(-1, "Block not available (pruned data)", &id);
        }
    }
    if method == "getrawtransaction" && opts.no_txindex {
        return rpc_error(-5, "No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries. Use gettransaction for wallet transactions.", &id);
    }
    let verbosity3 = opts.verbosity3 && method == "getblock" && call["params"][1] == 3;
    let found = if verbosity3 {
        results
            .get(&("getblock/3".to_string(), first.clone()))
            .or_else(|| results.get(&("getblock".to_string(), first.clone())))
            .cloned()
    } else if method == "getblockheader" {
        results
            .get(&("getblock".to_string(), first.clone()))
            .map(|b| header_of(b))
    } else {
        results.get(&(method.clone(), first.clone())).cloned()
    };
    match found {
        Some(result) => Reply::json(200, envelope(&result, &id)),
        None if method == "getrawtransaction" => rpc_error(
            -5,
            "No such mempool or blockchain transaction. Use gettransaction for wallet transactions.",
            &id,
        ),
        None if method == "getblockhash" => rpc_error(-8, "Block height out of range", &id),
        None if ["getblock", "getblockheader"].contains(&method.as_str()) => {
            rpc_error(-5, "Block not found", &id)
        }
        None => rpc_error(-32601, "Method not found", &id),
    }
}

/// A replaying node on 127.0.0.1.
pub fn start(opts: NodeOptions) -> Loopback {
    let results = results();
    Loopback::serve(move |r| answer(&results, &opts, r))
}

/// `Basic <base64(user:password)>`, as an HTTP client sends it.
pub fn basic(user: &str, password: &str) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{user}:{password}").into_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    format!("Basic {out}")
}
