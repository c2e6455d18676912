//! The Etherscan v2 account API (`GET /v2/api?chainid=…&module=account&action=…`): `txlist`,
//! `txlistinternal` and `tokentx`, with Etherscan's string-valued fields, status/message
//! envelope, block-range filters, paging limits and error texts.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::abi;
use super::chain::{EvmChain, EvmTx};
use super::hash::{hex_address, hex_hash, parse_address, parse_hash, Address};

/// Largest `offset` and `page × offset` Etherscan serves.
pub const RESULT_WINDOW: u64 = 10_000;

const INVALID_API_KEY: &str = "Invalid API Key";
const UNSUPPORTED_CHAIN: &str = "Missing or unsupported chainid parameter (required for v2 api), please see https://api.etherscan.io/v2/chainlist for the list of supported chainids";
const WINDOW_TOO_LARGE: &str =
    "Result window is too large, PageNo x Offset size must be less than or equal to 10000";

fn notok(result: &str) -> Value {
    json!({"status": "0", "message": "NOTOK", "result": result})
}

/// Decodes `a=b&c=d` (percent-escapes and `+` included); the last value of a name wins.
pub fn parse_query(query: &str) -> BTreeMap<String, String> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let pair = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                    match u8::from_str_radix(pair, 16) {
                        Ok(b) => {
                            out.push(b);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// One listed item with its sort key `(block, tx index, log index or trace position)`.
type Item = ((u64, u32, u32), Value);

/// Answers one query. `api_key`: the key the server requires, if any.
pub fn answer(chain: &EvmChain, query: &BTreeMap<String, String>, api_key: Option<&str>) -> Value {
    if let Some(required) = api_key {
        if query.get("apikey").map(String::as_str) != Some(required) {
            return notok(INVALID_API_KEY);
        }
    }
    if query.get("chainid").and_then(|c| c.parse::<u64>().ok()) != Some(chain.chain_id()) {
        return notok(UNSUPPORTED_CHAIN);
    }
    if query.get("module").map(String::as_str) != Some("account") {
        return notok("Error! Missing Or invalid Module name");
    }
    let action = query.get("action").map(String::as_str).unwrap_or_default();
    if !matches!(action, "txlist" | "txlistinternal" | "tokentx") {
        return notok("Error! Missing Or invalid Action name");
    }
    let address = match query.get("address") {
        Some(a) => match parse_address(&a.to_ascii_lowercase()) {
            Some(a) => Some(a),
            None => return notok("Error! Invalid address format"),
        },
        None => None,
    };
    let number = |name: &str, default: u64| -> Result<u64, Value> {
        match query.get(name).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v
                .parse::<u64>()
                .map_err(|_| notok(&format!("Error! Invalid {name}"))),
        }
    };
    let limits = (|| -> Result<(u64, u64, u64, u64), Value> {
        Ok((
            number("startblock", 0)?,
            number("endblock", 99_999_999)?,
            number("page", 1)?,
            number("offset", RESULT_WINDOW)?,
        ))
    })();
    let (start, end, page, offset) = match limits {
        Ok(l) => l,
        Err(e) => return e,
    };
    if page == 0 || offset == 0 {
        return notok("Error! Invalid page or offset");
    }
    if offset > RESULT_WINDOW || page.saturating_mul(offset) > RESULT_WINDOW {
        return notok(WINDOW_TOO_LARGE);
    }
    let descending = match query.get("sort").map(String::as_str) {
        None | Some("") | Some("asc") => false,
        Some("desc") => true,
        Some(_) => return notok("Error! Invalid sort order"),
    };
    let in_range = |tx: &EvmTx| tx.block_number >= start && tx.block_number <= end;
    let mut items: Vec<Item> = match action {
        "txlist" => {
            let Some(address) = address else {
                return notok("Error! Invalid address format");
            };
            chain
                .transactions()
                .iter()
                .filter(|tx| in_range(tx) && (tx.from == address || tx.to == address))
                .map(|tx| ((tx.block_number, tx.index, 0), tx_item(chain, tx)))
                .collect()
        }
        "txlistinternal" => {
            let txhash = match query.get("txhash") {
                Some(h) => match parse_hash(&h.to_ascii_lowercase()) {
                    Some(h) => Some(h),
                    None => return notok("Error! Invalid transaction hash"),
                },
                None => None,
            };
            if address.is_none() && txhash.is_none() {
                return notok("Error! Invalid address format");
            }
            internal_items(chain, address, txhash, &in_range)
        }
        _ => {
            let contract = match query.get("contractaddress") {
                Some(c) => match parse_address(&c.to_ascii_lowercase()) {
                    Some(c) => Some(c),
                    None => return notok("Error! Invalid contract address format"),
                },
                None => None,
            };
            if address.is_none() && contract.is_none() {
                return notok("Error! Invalid address format");
            }
            token_items(chain, address, contract, &in_range)
        }
    };
    items.sort_by_key(|(key, _)| *key);
    if descending {
        items.reverse();
    }
    let skip = usize::try_from((page - 1) * offset).unwrap_or(usize::MAX);
    let take = usize::try_from(offset).unwrap_or(usize::MAX);
    let result: Vec<Value> = items
        .into_iter()
        .skip(skip)
        .take(take)
        .map(|(_, v)| v)
        .collect();
    if result.is_empty() {
        return json!({"status": "0", "message": "No transactions found", "result": []});
    }
    json!({"status": "1", "message": "OK", "result": result})
}

fn timestamp(chain: &EvmChain, tx: &EvmTx) -> String {
    chain
        .block(tx.block_number)
        .map(|b| b.timestamp.to_string())
        .unwrap_or_default()
}

fn block_hash(chain: &EvmChain, tx: &EvmTx) -> String {
    chain
        .block(tx.block_number)
        .map(|b| hex_hash(&b.hash))
        .unwrap_or_default()
}

fn confirmations(chain: &EvmChain, tx: &EvmTx) -> String {
    (chain.tip() - tx.block_number + 1).to_string()
}

fn method(tx: &EvmTx) -> (String, String) {
    match tx.input.get(..4) {
        None => ("0x".into(), String::new()),
        Some(head) => (
            format!("0x{}", hex::encode(head)),
            abi::function_of(&tx.input)
                .map(|f| f.etherscan_name.to_string())
                .unwrap_or_default(),
        ),
    }
}

fn tx_item(chain: &EvmChain, tx: &EvmTx) -> Value {
    let (method_id, function_name) = method(tx);
    json!({
        "blockNumber": tx.block_number.to_string(),
        "timeStamp": timestamp(chain, tx),
        "hash": hex_hash(&tx.hash),
        "nonce": tx.nonce.to_string(),
        "blockHash": block_hash(chain, tx),
        "transactionIndex": tx.index.to_string(),
        "from": hex_address(&tx.from),
        "to": hex_address(&tx.to),
        "value": tx.value.to_string(),
        "gas": tx.gas.to_string(),
        "gasPrice": tx.effective_gas_price.to_string(),
        "isError": if tx.success { "0" } else { "1" },
        "txreceipt_status": if tx.success { "1" } else { "0" },
        "input": format!("0x{}", hex::encode(&tx.input)),
        "contractAddress": "",
        "cumulativeGasUsed": tx.cumulative_gas_used.to_string(),
        "gasUsed": tx.gas_used.to_string(),
        "confirmations": confirmations(chain, tx),
        "methodId": method_id,
        "functionName": function_name,
    })
}

/// Value-moving internal calls (depth ≥ 1) of successful transactions; `traceId` is `0_` and
/// the frame's trace address joined by `_`.
fn internal_items(
    chain: &EvmChain,
    address: Option<Address>,
    txhash: Option<[u8; 32]>,
    in_range: &dyn Fn(&EvmTx) -> bool,
) -> Vec<Item> {
    let mut items = Vec::new();
    for tx in chain.transactions() {
        if !tx.success || !in_range(tx) || txhash.is_some_and(|h| h != tx.hash) {
            continue;
        }
        for (position, (path, frame)) in tx.trace.flatten().into_iter().enumerate() {
            if path.is_empty() || frame.value == 0 || frame.error.is_some() {
                continue;
            }
            if address.is_some_and(|a| a != frame.from && a != frame.to) {
                continue;
            }
            let trace_id = std::iter::once("0".to_string())
                .chain(path.iter().map(usize::to_string))
                .collect::<Vec<_>>()
                .join("_");
            items.push((
                (tx.block_number, tx.index, position as u32),
                json!({
                    "blockNumber": tx.block_number.to_string(),
                    "timeStamp": timestamp(chain, tx),
                    "hash": hex_hash(&tx.hash),
                    "from": hex_address(&frame.from),
                    "to": hex_address(&frame.to),
                    "value": frame.value.to_string(),
                    "contractAddress": "",
                    "input": "",
                    "type": "call",
                    "gas": frame.gas.to_string(),
                    "gasUsed": frame.gas_used.to_string(),
                    "traceId": trace_id,
                    "isError": "0",
                    "errCode": "",
                }),
            ));
        }
    }
    items
}

/// ERC-20 `Transfer` logs of the scenario's token.
fn token_items(
    chain: &EvmChain,
    address: Option<Address>,
    contract: Option<Address>,
    in_range: &dyn Fn(&EvmTx) -> bool,
) -> Vec<Item> {
    let token = chain.token();
    let topic = super::hash::event_topic("Transfer(address,address,uint256)");
    let mut items = Vec::new();
    for tx in chain.transactions() {
        if !in_range(tx) {
            continue;
        }
        for log in &tx.logs {
            if log.address != token.contract || log.topics.len() != 3 || log.topics[0] != topic {
                continue;
            }
            if contract.is_some_and(|c| c != log.address) {
                continue;
            }
            let mut from = [0u8; 20];
            from.copy_from_slice(&log.topics[1][12..]);
            let mut to = [0u8; 20];
            to.copy_from_slice(&log.topics[2][12..]);
            if address.is_some_and(|a| a != from && a != to) {
                continue;
            }
            let mut amount = [0u8; 16];
            amount.copy_from_slice(&log.data[16..32]);
            let (method_id, function_name) = method(tx);
            items.push((
                (tx.block_number, tx.index, log.log_index),
                json!({
                    "blockNumber": tx.block_number.to_string(),
                    "timeStamp": timestamp(chain, tx),
                    "hash": hex_hash(&tx.hash),
                    "nonce": tx.nonce.to_string(),
                    "blockHash": block_hash(chain, tx),
                    "from": hex_address(&from),
                    "contractAddress": hex_address(&log.address),
                    "to": hex_address(&to),
                    "value": u128::from_be_bytes(amount).to_string(),
                    "tokenName": token.name,
                    "tokenSymbol": token.symbol,
                    "tokenDecimal": token.decimals.to_string(),
                    "transactionIndex": tx.index.to_string(),
                    "gas": tx.gas.to_string(),
                    "gasPrice": tx.effective_gas_price.to_string(),
                    "gasUsed": tx.gas_used.to_string(),
                    "cumulativeGasUsed": tx.cumulative_gas_used.to_string(),
                    "input": "deprecated",
                    "methodId": method_id,
                    "functionName": function_name,
                    "confirmations": confirmations(chain, tx),
                    "logIndex": log.log_index.to_string(),
                }),
            ));
        }
    }
    items
}
