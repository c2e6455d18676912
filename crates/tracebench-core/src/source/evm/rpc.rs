//! A node's JSON-RPC (geth, Erigon, Nethermind, Reth, a provider): one transaction by hash.
//!
//! Calls: `eth_getTransactionByHash`, `eth_getTransactionReceipt` (ERC-20 `Transfer` logs are
//! decoded from it), `eth_getBlockByNumber` (block time) and, for internal value transfers,
//! `debug_traceTransaction` with geth's `callTracer`, else Parity-style `trace_transaction`.
//! Only successful frames count: a frame with an error, or inside one, moved nothing. A
//! transaction whose receipt status is 0x0 moved no value at all.

use serde_json::{json, Value};

use super::amount::{hex_to_decimal, hex_to_u64};
use super::{EvmSourceError, Wire};
use crate::address::{EvmAddress, EvmTxHash};
use crate::chain::EvmChain;
use crate::model::{AccountTransfer, AccountTransferKind};
use crate::source::policy::Gate;
use crate::source::Clock;
use crate::store::{EvmFetch, EvmToken, EvmTx, RawResponse, SkippedLog};

/// topic0 of `Transfer(address,address,uint256)`.
pub const TRANSFER_TOPIC: &str =
    "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/// A connected JSON-RPC endpoint for one chain.
#[derive(Debug, Clone)]
pub struct EvmRpc {
    wire: Wire,
    url: String,
    chain: EvmChain,
}

/// A frame that moved native value inside a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalValue {
    /// Position of the frame in the trace (depth-first; 0 is the top-level call).
    pub trace_index: u32,
    pub from: String,
    pub to: String,
    /// Wei, decimal text.
    pub amount: String,
}

/// What a trace says about a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceValues {
    /// Whether the top-level call failed (then nothing moved).
    pub top_failed: bool,
    /// Successful value-moving frames below the top level.
    pub internal: Vec<InternalValue>,
}

fn field<'a>(v: &'a Value, name: &str) -> Result<&'a str, String> {
    v.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("field {name:?} is missing or not a string"))
}

fn address_of(v: &Value, name: &str) -> Result<String, String> {
    let text = field(v, name)?;
    EvmAddress::parse(text)
        .map(|a| a.as_str().to_string())
        .map_err(|e| format!("{name}: {e}"))
}

/// Frame types that move native value to a different account.
fn moves_value(kind: &str) -> bool {
    matches!(
        kind.to_ascii_uppercase().as_str(),
        "CALL" | "CREATE" | "CREATE2" | "SELFDESTRUCT" | "SUICIDE"
    )
}

/// Internal value from a geth `callTracer` frame (the `result` of `debug_traceTransaction`).
pub fn call_tracer_values(frame: &Value) -> Result<TraceValues, String> {
    fn walk(
        frame: &Value,
        depth: u32,
        next: &mut u32,
        failed_above: bool,
        out: &mut Vec<InternalValue>,
    ) -> Result<(), String> {
        let index = *next;
        *next += 1;
        let failed = failed_above || frame.get("error").is_some_and(|e| !e.is_null());
        let kind = field(frame, "type")?;
        if depth > 0 && !failed && moves_value(kind) {
            let value = frame.get("value").and_then(Value::as_str).unwrap_or("0x0");
            let amount = hex_to_decimal(value)?;
            if amount != "0" {
                out.push(InternalValue {
                    trace_index: index,
                    from: address_of(frame, "from")?,
                    to: address_of(frame, "to")?,
                    amount,
                });
            }
        }
        if let Some(calls) = frame.get("calls").and_then(Value::as_array) {
            for c in calls {
                walk(c, depth + 1, next, failed, out)?;
            }
        }
        Ok(())
    }
    let mut internal = Vec::new();
    let mut next = 0;
    walk(frame, 0, &mut next, false, &mut internal)?;
    Ok(TraceValues {
        top_failed: frame.get("error").is_some_and(|e| !e.is_null()),
        internal,
    })
}

/// Internal value from Parity-style traces (`trace_transaction`: a list in depth-first order).
pub fn parity_trace_values(traces: &[Value]) -> Result<TraceValues, String> {
    let mut failed_paths: Vec<Vec<u64>> = Vec::new();
    let mut internal = Vec::new();
    let mut top_failed = false;
    for (i, t) in traces.iter().enumerate() {
        let path: Vec<u64> = t
            .get("traceAddress")
            .and_then(Value::as_array)
            .ok_or("a trace has no traceAddress")?
            .iter()
            .map(|p| p.as_u64().ok_or("traceAddress holds a non-number"))
            .collect::<Result<_, _>>()?;
        let errored = t.get("error").is_some_and(|e| !e.is_null());
        if errored {
            if path.is_empty() {
                top_failed = true;
            }
            failed_paths.push(path.clone());
        }
        let inside_failed = failed_paths.iter().any(|f| path.starts_with(f));
        if path.is_empty() || inside_failed {
            continue;
        }
        let kind = field(t, "type")?;
        let action = t.get("action").ok_or("a trace has no action")?;
        let (from, to, value) = match kind {
            "call" => {
                let call_type = action
                    .get("callType")
                    .and_then(Value::as_str)
                    .unwrap_or("call");
                if !moves_value(call_type) {
                    continue;
                }
                (
                    address_of(action, "from")?,
                    address_of(action, "to")?,
                    field(action, "value")?,
                )
            }
            "create" => {
                let result = t.get("result").ok_or("a create trace has no result")?;
                (
                    address_of(action, "from")?,
                    address_of(result, "address")?,
                    field(action, "value")?,
                )
            }
            "suicide" => (
                address_of(action, "address")?,
                address_of(action, "refundAddress")?,
                field(action, "balance")?,
            ),
            _ => continue,
        };
        let amount = hex_to_decimal(value)?;
        if amount != "0" {
            internal.push(InternalValue {
                trace_index: i as u32,
                from,
                to,
                amount,
            });
        }
    }
    Ok(TraceValues {
        top_failed,
        internal,
    })
}

/// An ERC-20 `Transfer` decoded from a receipt log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenLog {
    pub log_index: u32,
    /// The emitting contract (the token), lower-case.
    pub contract: String,
    pub from: String,
    pub to: String,
    /// Token base units, decimal text.
    pub amount: String,
}

/// A decoded receipt log: an ERC-20 transfer, or the reason it is not one. `None` for logs
/// that are not `Transfer` events at all.
pub fn decode_transfer_log(log: &Value) -> Option<Result<TokenLog, (u32, String)>> {
    let topics = log.get("topics").and_then(Value::as_array)?;
    let topic0 = topics.first().and_then(Value::as_str)?;
    if !topic0.eq_ignore_ascii_case(TRANSFER_TOPIC) {
        return None;
    }
    let index = match log.get("logIndex").and_then(Value::as_str).map(hex_to_u64) {
        Some(Ok(i)) => i as u32,
        _ => return Some(Err((0, "the log has no logIndex".to_string()))),
    };
    let fail = |reason: String| Some(Err((index, reason)));
    if log.get("removed").and_then(Value::as_bool) == Some(true) {
        return fail("the log was removed by a chain reorganisation".to_string());
    }
    if topics.len() != 3 {
        return fail(format!(
            "{} topics; an ERC-20 Transfer has 3 (4 is ERC-721, whose token id is indexed)",
            topics.len()
        ));
    }
    let word_address = |t: &Value| -> Result<String, String> {
        let text = t.as_str().ok_or("a topic is not a string")?;
        let body = text
            .strip_prefix("0x")
            .ok_or("a topic is not 0x-prefixed")?;
        if body.len() != 64 || !body[..24].chars().all(|c| c == '0') {
            return Err(format!("topic {text} is not a 32-byte address word"));
        }
        EvmAddress::parse(&format!("0x{}", &body[24..]))
            .map(|a| a.as_str().to_string())
            .map_err(|e| e.to_string())
    };
    let from = match word_address(&topics[1]) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let to = match word_address(&topics[2]) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let data = log.get("data").and_then(Value::as_str).unwrap_or("");
    let body = data.strip_prefix("0x").unwrap_or("");
    if body.len() != 64 {
        return fail(format!(
            "data has {} bytes; an ERC-20 Transfer amount is one 32-byte word",
            body.len() / 2
        ));
    }
    let amount = match hex_to_decimal(data) {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let contract = match address_of(log, "address") {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    Some(Ok(TokenLog {
        log_index: index,
        contract,
        from,
        to,
        amount,
    }))
}

/// A 5xx answer carrying a JSON-RPC `error` object is the node's final word (it is reported,
/// not retried); a 429 is always retried.
fn rpc_error_is_final(status: u16, body: &[u8]) -> bool {
    status != 429
        && serde_json::from_slice::<Value>(body)
            .ok()
            .is_some_and(|v| v.get("error").is_some_and(|e| !e.is_null()))
}

impl EvmRpc {
    /// `url` is the node's JSON-RPC URL (it may carry a key; it is redacted in provenance).
    /// The source id is `evm-rpc:<chainid>`.
    pub fn new(client: reqwest::Client, url: &str, chain: EvmChain, clock: Clock) -> EvmRpc {
        EvmRpc {
            wire: Wire::new(client, format!("evm-rpc:{}", chain.chain_id()), clock),
            url: url.to_string(),
            chain,
        }
    }

    /// Records provenance under `source_id` instead of `evm-rpc:<chainid>` (a `sim:` id marks
    /// the data synthetic). Resets the gate to a fresh one with the same policy.
    pub fn with_source_id(mut self, source_id: &str) -> EvmRpc {
        self.wire = self.wire.renamed(source_id);
        self
    }

    /// Sends every request through `gate` (rate limit, retries, timeout, cancel, progress).
    pub fn with_gate(mut self, gate: Gate) -> EvmRpc {
        self.wire.gate = gate;
        self
    }

    pub fn gate(&self) -> &Gate {
        &self.wire.gate
    }

    pub fn source_id(&self) -> &str {
        &self.wire.source_id
    }

    fn malformed(&self, endpoint: &str, detail: String) -> EvmSourceError {
        EvmSourceError::Malformed {
            source_id: self.wire.source_id.clone(),
            api: "JSON-RPC",
            endpoint: endpoint.to_string(),
            detail,
        }
    }

    /// One call: the raw response and its `result` (an `error` object is an error).
    pub async fn call(
        &self,
        method: &str,
        params: Value,
    ) -> Result<(RawResponse, Value), EvmSourceError> {
        let request = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let text = request.to_string();
        let endpoint = format!("{method} {params}");
        let raw = self
            .wire
            .send(
                || {
                    self.wire
                        .client
                        .post(&self.url)
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(text.clone())
                },
                rpc_error_is_final,
                "POST",
                &self.url,
                endpoint.clone(),
                Some(&text),
            )
            .await?;
        let v: Value = serde_json::from_slice(&raw.body)
            .map_err(|e| self.malformed(&endpoint, e.to_string()))?;
        if let Some(err) = v.get("error").filter(|e| !e.is_null()) {
            return Err(EvmSourceError::Rpc {
                source_id: self.wire.source_id.clone(),
                method: method.to_string(),
                code: err.get("code").and_then(Value::as_i64).unwrap_or(0),
                message: err
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("(no message)")
                    .to_string(),
            });
        }
        let result = v
            .get("result")
            .cloned()
            .ok_or_else(|| self.malformed(&endpoint, "no result and no error".to_string()))?;
        Ok((raw, result))
    }

    /// The trace of a transaction: callTracer first, then `trace_transaction`; `None` when the
    /// node offers neither (the transaction is then stored as not traced).
    async fn trace(
        &self,
        hash: &str,
    ) -> Result<Option<(RawResponse, TraceValues)>, EvmSourceError> {
        match self
            .call(
                "debug_traceTransaction",
                json!([hash, {"tracer": "callTracer"}]),
            )
            .await
        {
            Ok((raw, frame)) => {
                let values =
                    call_tracer_values(&frame).map_err(|e| self.malformed(&raw.endpoint, e))?;
                return Ok(Some((raw, values)));
            }
            Err(EvmSourceError::Rpc { .. }) => {}
            Err(e) => return Err(e),
        }
        match self.call("trace_transaction", json!([hash])).await {
            Ok((raw, list)) => {
                let list = list
                    .as_array()
                    .ok_or_else(|| self.malformed(&raw.endpoint, "result is not a list".into()))?;
                let values =
                    parity_trace_values(list).map_err(|e| self.malformed(&raw.endpoint, e))?;
                Ok(Some((raw, values)))
            }
            Err(EvmSourceError::Rpc { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A transaction with its receipt, block time and trace, normalised.
    pub async fn transaction(&self, hash: &EvmTxHash) -> Result<EvmFetch, EvmSourceError> {
        let h = hash.as_str();
        let chain = self.chain.caip2();
        let mut fetch = EvmFetch {
            source_kind: "evm-rpc".to_string(),
            ..EvmFetch::default()
        };
        let (raw, tx) = self.call("eth_getTransactionByHash", json!([h])).await?;
        let tx_endpoint = raw.endpoint.clone();
        fetch.raws.push(raw);
        if tx.is_null() {
            return Err(EvmSourceError::NotFound {
                source_id: self.wire.source_id.clone(),
                what: format!("transaction {h}"),
            });
        }
        let bad = |e: String| self.malformed(&tx_endpoint, e);
        if tx.get("blockNumber").is_none_or(Value::is_null) {
            return Err(bad(format!("{h} is not mined yet (no block number)")));
        }
        let got = field(&tx, "hash").map_err(bad)?.to_ascii_lowercase();
        if got != h {
            return Err(bad(format!("asked for {h} but got {got}")));
        }
        let block_hex = field(&tx, "blockNumber").map_err(bad)?.to_string();
        let block_height = hex_to_u64(&block_hex).map_err(bad)?;
        let tx_index =
            hex_to_u64(field(&tx, "transactionIndex").map_err(bad)?).map_err(bad)? as u32;
        let from = address_of(&tx, "from").map_err(bad)?;
        let to = match tx.get("to") {
            Some(Value::String(_)) => Some(address_of(&tx, "to").map_err(bad)?),
            _ => None,
        };
        let value = hex_to_decimal(field(&tx, "value").map_err(bad)?).map_err(bad)?;

        let (raw, receipt) = self.call("eth_getTransactionReceipt", json!([h])).await?;
        let receipt_endpoint = raw.endpoint.clone();
        fetch.raws.push(raw);
        let bad_receipt = |e: String| self.malformed(&receipt_endpoint, e);
        if receipt.is_null() {
            return Err(bad_receipt(format!("the node has no receipt for {h}")));
        }
        let status = match receipt.get("status") {
            Some(Value::String(s)) => Some(hex_to_u64(s).map_err(bad_receipt)? == 1),
            _ => None,
        };
        let to = match (&to, receipt.get("contractAddress")) {
            (None, Some(Value::String(_))) => {
                Some(address_of(&receipt, "contractAddress").map_err(bad_receipt)?)
            }
            _ => to,
        };
        let gas_used = receipt
            .get("gasUsed")
            .and_then(Value::as_str)
            .map(hex_to_u64)
            .transpose()
            .map_err(bad_receipt)?;
        let gas_price = receipt
            .get("effectiveGasPrice")
            .or_else(|| tx.get("gasPrice"))
            .and_then(Value::as_str)
            .map(hex_to_decimal)
            .transpose()
            .map_err(bad_receipt)?;

        let (raw, block) = self
            .call("eth_getBlockByNumber", json!([block_hex, false]))
            .await?;
        let block_endpoint = raw.endpoint.clone();
        fetch.raws.push(raw);
        if block.is_null() {
            return Err(self.malformed(
                &block_endpoint,
                format!("the node has no block {block_hex}"),
            ));
        }
        let block_time =
            hex_to_u64(field(&block, "timestamp").map_err(|e| self.malformed(&block_endpoint, e))?)
                .map_err(|e| self.malformed(&block_endpoint, e))? as i64;

        let trace = self.trace(h).await?;
        let (status, traced) = match (&trace, status) {
            (Some((_, t)), None) => (Some(!t.top_failed), true),
            (Some(_), s) => (s, true),
            (None, s) => (s, false),
        };
        let succeeded = status != Some(false);
        let base = AccountTransfer {
            chain: chain.clone(),
            txid: h.to_string(),
            block_height,
            block_time,
            tx_index,
            log_index: None,
            trace_index: 0,
            kind: AccountTransferKind::Native,
            from: from.clone(),
            to: to.clone().unwrap_or_default(),
            asset: self.chain.native_asset(),
            amount: value.clone(),
        };
        if succeeded && value != "0" && to.is_some() {
            fetch.transfers.push((0, base.clone()));
        }
        if let Some((raw, values)) = trace {
            fetch.raws.push(raw);
            let r = fetch.raws.len() - 1;
            if succeeded {
                for v in values.internal {
                    fetch.transfers.push((
                        r,
                        AccountTransfer {
                            kind: AccountTransferKind::Internal,
                            trace_index: v.trace_index,
                            from: v.from,
                            to: v.to,
                            amount: v.amount,
                            ..base.clone()
                        },
                    ));
                }
            }
        }
        if succeeded {
            let logs = receipt
                .get("logs")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for log in &logs {
                match decode_transfer_log(log) {
                    None => {}
                    Some(Ok(TokenLog {
                        log_index,
                        contract,
                        from,
                        to,
                        amount,
                    })) => {
                        fetch.tokens.push((
                            1,
                            EvmToken {
                                chain: chain.clone(),
                                contract: contract.clone(),
                                symbol: None,
                                name: None,
                                decimals: None,
                            },
                        ));
                        fetch.transfers.push((
                            1,
                            AccountTransfer {
                                kind: AccountTransferKind::Token,
                                log_index: Some(log_index),
                                trace_index: 0,
                                from,
                                to,
                                asset: self.chain.token_asset(&contract),
                                amount,
                                ..base.clone()
                            },
                        ));
                    }
                    Some(Err((log_index, reason))) => fetch.skipped.push((
                        1,
                        SkippedLog {
                            chain: chain.clone(),
                            txid: h.to_string(),
                            log_index,
                            reason,
                        },
                    )),
                }
            }
        }
        fetch.tokens.sort_by(|a, b| a.1.contract.cmp(&b.1.contract));
        fetch.tokens.dedup_by(|a, b| a.1.contract == b.1.contract);
        fetch.txs.push((
            0,
            EvmTx {
                chain,
                txid: h.to_string(),
                block_height,
                block_time,
                tx_index,
                from,
                to,
                value,
                status,
                gas_used,
                gas_price,
                traced,
            },
        ));
        Ok(fetch)
    }
}
