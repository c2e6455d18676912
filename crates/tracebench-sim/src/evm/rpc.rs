//! Ethereum JSON-RPC 2.0 over the chain, in the shapes geth and Erigon answer: blocks,
//! transactions, receipts with logs, `debug_traceTransaction` (callTracer) and Parity-style
//! `trace_transaction`, plus `eth_call` for the token's metadata. Batches are answered in order.

use serde_json::{json, Value};

use super::abi;
use super::builder::intrinsic_gas;
use super::chain::{CallFrame, EvmBlock, EvmChain, EvmTx};
use super::hash::{hex_address, hex_hash, parse_address, parse_hash, selector};

fn qty(n: impl Into<u128>) -> String {
    format!("{:#x}", n.into())
}

/// A 256-bit quantity: `0x` and hex digits without leading zeros.
fn qty_bytes(word: &[u8; 32]) -> String {
    let digits = hex::encode(word);
    let trimmed = digits.trim_start_matches('0');
    format!("0x{}", if trimmed.is_empty() { "0" } else { trimmed })
}

fn data(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// A JSON-RPC error object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
}

impl RpcError {
    fn invalid_params(message: impl Into<String>) -> RpcError {
        RpcError {
            code: -32602,
            message: message.into(),
        }
    }
}

/// Answers a request body: one call or a batch. `None` when nothing is to be sent back (a batch
/// of notifications only).
pub fn answer(chain: &EvmChain, body: &[u8]) -> Value {
    let request: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return error_response(Value::Null, -32700, "parse error"),
    };
    match request {
        Value::Array(calls) if calls.is_empty() => {
            error_response(Value::Null, -32600, "empty batch")
        }
        Value::Array(calls) => Value::Array(calls.iter().map(|c| answer_one(chain, c)).collect()),
        call => answer_one(chain, &call),
    }
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn answer_one(chain: &EvmChain, call: &Value) -> Value {
    let id = call.get("id").cloned().unwrap_or(Value::Null);
    let Some(method) = call.get("method").and_then(Value::as_str) else {
        return error_response(id, -32600, "invalid request");
    };
    if call.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return error_response(id, -32600, "invalid request");
    }
    let params = match call.get("params") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(p)) => p.clone(),
        Some(_) => return error_response(id, -32602, "non-array args"),
    };
    match dispatch(chain, method, &params) {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err(e) => error_response(id, e.code, &e.message),
    }
}

fn dispatch(chain: &EvmChain, method: &str, params: &[Value]) -> Result<Value, RpcError> {
    match method {
        "eth_chainId" => Ok(json!(qty(chain.chain_id()))),
        "net_version" => Ok(json!(chain.chain_id().to_string())),
        "eth_blockNumber" => Ok(json!(qty(chain.tip()))),
        "eth_getBlockByNumber" => {
            let number = block_number(chain, params.first())?;
            let full = full_flag(params.get(1))?;
            Ok(chain
                .block(number)
                .map_or(Value::Null, |b| block_json(chain, b, full)))
        }
        "eth_getBlockByHash" => {
            let hash = hash_param(params.first())?;
            let full = full_flag(params.get(1))?;
            Ok(chain
                .block_by_hash(&hash)
                .map_or(Value::Null, |b| block_json(chain, b, full)))
        }
        "eth_getTransactionByHash" => {
            let hash = hash_param(params.first())?;
            Ok(chain.tx(&hash).map_or(Value::Null, |t| tx_json(chain, t)))
        }
        "eth_getTransactionReceipt" => {
            let hash = hash_param(params.first())?;
            Ok(chain
                .tx(&hash)
                .map_or(Value::Null, |t| receipt_json(chain, t)))
        }
        "debug_traceTransaction" => {
            let hash = hash_param(params.first())?;
            let tracer = params
                .get(1)
                .and_then(|o| o.get("tracer"))
                .and_then(Value::as_str);
            if tracer != Some("callTracer") {
                return Err(RpcError::invalid_params(
                    "the simulator traces with {\"tracer\":\"callTracer\"} only",
                ));
            }
            let tx = chain.tx(&hash).ok_or_else(|| RpcError {
                code: -32000,
                message: "transaction not found".into(),
            })?;
            Ok(call_tracer_json(&tx.trace))
        }
        "trace_transaction" => {
            let hash = hash_param(params.first())?;
            Ok(chain
                .tx(&hash)
                .map_or(Value::Null, |t| parity_traces_json(chain, t)))
        }
        "eth_call" => eth_call(chain, params),
        other => Err(RpcError {
            code: -32601,
            message: format!("the method {other} does not exist/is not available"),
        }),
    }
}

fn block_number(chain: &EvmChain, param: Option<&Value>) -> Result<u64, RpcError> {
    let s = param
        .and_then(Value::as_str)
        .ok_or_else(|| RpcError::invalid_params("missing value for required argument 0"))?;
    match s {
        "latest" | "safe" | "finalized" | "pending" => Ok(chain.tip()),
        "earliest" => Ok(chain.blocks().first().map_or(0, |b| b.number)),
        hex => hex
            .strip_prefix("0x")
            .filter(|d| !d.is_empty() && (d.len() == 1 || !d.starts_with('0')))
            .and_then(|d| u64::from_str_radix(d, 16).ok())
            .ok_or_else(|| {
                RpcError::invalid_params(format!(
                    "invalid argument 0: hex number with leading zero digits or not a hex number: {hex}"
                ))
            }),
    }
}

fn full_flag(param: Option<&Value>) -> Result<bool, RpcError> {
    param
        .and_then(Value::as_bool)
        .ok_or_else(|| RpcError::invalid_params("missing value for required argument 1"))
}

fn hash_param(param: Option<&Value>) -> Result<[u8; 32], RpcError> {
    let s = param
        .and_then(Value::as_str)
        .ok_or_else(|| RpcError::invalid_params("missing value for required argument 0"))?;
    parse_hash(s).ok_or_else(|| {
        RpcError::invalid_params(format!(
            "invalid argument 0: hex string has length {}, want 64 for common.Hash",
            s.trim_start_matches("0x").len()
        ))
    })
}

/// `eth_call` on the token: `name()`, `symbol()`, `decimals()`, `totalSupply()`.
fn eth_call(chain: &EvmChain, params: &[Value]) -> Result<Value, RpcError> {
    let call = params
        .first()
        .ok_or_else(|| RpcError::invalid_params("missing value for required argument 0"))?;
    let to = call
        .get("to")
        .and_then(Value::as_str)
        .and_then(parse_address);
    let input = call
        .get("data")
        .or_else(|| call.get("input"))
        .and_then(Value::as_str)
        .and_then(|s| s.strip_prefix("0x"))
        .and_then(|s| hex::decode(s).ok())
        .unwrap_or_default();
    let token = chain.token();
    if to != Some(token.contract) {
        return Ok(json!("0x"));
    }
    let head = input.get(..4).unwrap_or(&[]);
    let out = if head == selector("name()") {
        abi::string_return(&token.name)
    } else if head == selector("symbol()") {
        abi::string_return(&token.symbol)
    } else if head == selector("decimals()") {
        abi::words(&[abi::Word::Amount(u128::from(token.decimals))])
    } else if head == selector("totalSupply()") {
        let supply: u128 = chain
            .transactions()
            .iter()
            .flat_map(|t| &t.logs)
            .filter(|l| l.address == token.contract && l.topics[1] == [0u8; 32])
            .map(|l| {
                let mut b = [0u8; 16];
                b.copy_from_slice(&l.data[16..32]);
                u128::from_be_bytes(b)
            })
            .sum();
        abi::words(&[abi::Word::Amount(supply)])
    } else {
        return Err(RpcError {
            code: 3,
            message: "execution reverted".into(),
        });
    };
    Ok(json!(data(&out)))
}

/// `eth_getBlockByNumber` / `eth_getBlockByHash`.
pub fn block_json(chain: &EvmChain, block: &EvmBlock, full: bool) -> Value {
    let transactions: Vec<Value> = block
        .txs
        .iter()
        .map(|i| {
            let tx = &chain.transactions()[*i];
            if full {
                tx_json(chain, tx)
            } else {
                json!(hex_hash(&tx.hash))
            }
        })
        .collect();
    json!({
        "baseFeePerGas": qty(block.base_fee),
        "difficulty": "0x0",
        "extraData": data(b"tracebench-sim (synthetic)"),
        "gasLimit": qty(block.gas_limit),
        "gasUsed": qty(block.gas_used),
        "hash": hex_hash(&block.hash),
        "logsBloom": block.bloom.hex(),
        "miner": hex_address(&block.miner),
        "mixHash": hex_hash(&block.mix_hash),
        "nonce": "0x0000000000000000",
        "number": qty(block.number),
        "parentHash": hex_hash(&block.parent_hash),
        "receiptsRoot": hex_hash(&block.receipts_root),
        "sha3Uncles": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
        "size": qty(block.size),
        "stateRoot": hex_hash(&block.state_root),
        "timestamp": qty(block.timestamp),
        "totalDifficulty": "0xc70d815d562d3cfa955",
        "transactions": transactions,
        "transactionsRoot": hex_hash(&block.transactions_root),
        "uncles": [],
    })
}

fn block_hash_of(chain: &EvmChain, tx: &EvmTx) -> String {
    chain
        .block(tx.block_number)
        .map(|b| hex_hash(&b.hash))
        .unwrap_or_default()
}

/// `eth_getTransactionByHash` (an EIP-1559 transaction).
pub fn tx_json(chain: &EvmChain, tx: &EvmTx) -> Value {
    json!({
        "accessList": [],
        "blockHash": block_hash_of(chain, tx),
        "blockNumber": qty(tx.block_number),
        "chainId": qty(chain.chain_id()),
        "from": hex_address(&tx.from),
        "gas": qty(tx.gas),
        "gasPrice": qty(tx.effective_gas_price),
        "hash": hex_hash(&tx.hash),
        "input": data(&tx.input),
        "maxFeePerGas": qty(tx.max_fee_per_gas),
        "maxPriorityFeePerGas": qty(tx.max_priority_fee_per_gas),
        "nonce": qty(tx.nonce),
        "r": qty_bytes(&tx.r),
        "s": qty_bytes(&tx.s),
        "to": hex_address(&tx.to),
        "transactionIndex": qty(tx.index),
        "type": "0x2",
        "v": qty(tx.y_parity),
        "value": qty(tx.value),
        "yParity": qty(tx.y_parity),
    })
}

/// `eth_getTransactionReceipt`.
pub fn receipt_json(chain: &EvmChain, tx: &EvmTx) -> Value {
    let block_hash = block_hash_of(chain, tx);
    let logs: Vec<Value> = tx
        .logs
        .iter()
        .map(|log| {
            json!({
                "address": hex_address(&log.address),
                "topics": log.topics.iter().map(hex_hash).collect::<Vec<_>>(),
                "data": data(&log.data),
                "blockNumber": qty(tx.block_number),
                "transactionHash": hex_hash(&tx.hash),
                "transactionIndex": qty(tx.index),
                "blockHash": block_hash,
                "logIndex": qty(log.log_index),
                "removed": false,
            })
        })
        .collect();
    json!({
        "blockHash": block_hash,
        "blockNumber": qty(tx.block_number),
        "contractAddress": null,
        "cumulativeGasUsed": qty(tx.cumulative_gas_used),
        "effectiveGasPrice": qty(tx.effective_gas_price),
        "from": hex_address(&tx.from),
        "gasUsed": qty(tx.gas_used),
        "logs": logs,
        "logsBloom": tx.bloom.hex(),
        "status": if tx.success { "0x1" } else { "0x0" },
        "to": hex_address(&tx.to),
        "transactionHash": hex_hash(&tx.hash),
        "transactionIndex": qty(tx.index),
        "type": "0x2",
    })
}

/// geth's callTracer frame (nested `calls`).
pub fn call_tracer_json(frame: &CallFrame) -> Value {
    let mut out = json!({
        "from": hex_address(&frame.from),
        "gas": qty(frame.gas),
        "gasUsed": qty(frame.gas_used),
        "to": hex_address(&frame.to),
        "input": data(&frame.input),
        "type": frame.kind.geth_name(),
    });
    if frame.kind == super::chain::CallKind::Call {
        out["value"] = json!(qty(frame.value));
    }
    // geth prints `output` for every successful frame (`0x` when empty), and for a failed
    // one only when it returned revert data.
    if frame.error.is_none() || !frame.output.is_empty() {
        out["output"] = json!(data(&frame.output));
    }
    if let Some(error) = &frame.error {
        out["error"] = json!(error);
    }
    if let Some(reason) = &frame.revert_reason {
        out["revertReason"] = json!(reason);
    }
    if !frame.calls.is_empty() {
        out["calls"] = Value::Array(frame.calls.iter().map(call_tracer_json).collect());
    }
    out
}

/// Parity/OpenEthereum `trace_transaction`: the frames flattened in pre-order with their
/// `traceAddress`. A failed frame has `error` and no `result`.
pub fn parity_traces_json(chain: &EvmChain, tx: &EvmTx) -> Value {
    let block_hash = block_hash_of(chain, tx);
    let frames = tx.trace.flatten();
    Value::Array(
        frames
            .iter()
            .map(|(path, frame)| {
                let (gas, gas_used) = if path.is_empty() {
                    let intrinsic = intrinsic_gas(&tx.input);
                    (
                        frame.gas.saturating_sub(intrinsic),
                        frame.gas_used.saturating_sub(intrinsic),
                    )
                } else {
                    (frame.gas, frame.gas_used)
                };
                let mut item = json!({
                    "action": {
                        "callType": frame.kind.parity_name(),
                        "from": hex_address(&frame.from),
                        "gas": qty(gas),
                        "input": data(&frame.input),
                        "to": hex_address(&frame.to),
                        "value": qty(frame.value),
                    },
                    "blockHash": block_hash,
                    "blockNumber": tx.block_number,
                    "subtraces": frame.calls.len(),
                    "traceAddress": path,
                    "transactionHash": hex_hash(&tx.hash),
                    "transactionPosition": tx.index,
                    "type": "call",
                });
                match &frame.error {
                    Some(_) => item["error"] = json!("Reverted"),
                    None => {
                        item["result"] = json!({
                            "gasUsed": qty(gas_used),
                            "output": data(&frame.output),
                        })
                    }
                }
                item
            })
            .collect(),
    )
}
