//! Bitcoin Core JSON-RPC: an investigator's own node.
//!
//! Calls used: `getblockchaininfo` (once per connection: its `chain` must be the case's
//! network; the answer is stored with the first fetch), `getrawtransaction <txid> 2` (needs `-txindex`; Core ≥ 25 adds each input's
//! `prevout`, older nodes answer as verbosity 1), `getblockheader <hash>` (height and time of
//! the block a transaction is in), `getblock <hash> 3` (Core ≥ 23 adds prevouts; older nodes
//! answer as verbosity 2) and `getblockhash <height>`. Where a node gives no `prevout`, the
//! spent transaction is fetched (`getrawtransaction <prev> 1`) and its output read.
//!
//! Normalisation matches [`super::esplora`] exactly: values, sizes, weights, outpoints and
//! sequences come from the consensus bytes in `hex` (whose txid is checked), addresses and
//! script types from the output scripts as Esplora derives them (P2PK, bare multisig and
//! OP_RETURN have no address), so the same transaction from either source gives the same rows.
//! Core has no address index: address histories are not offered.
//!
//! Authentication: the node's `.cookie` file (read at every request, so a node restart is
//! followed) or a user and password. The `Authorization` header is never stored: the stored
//! request names it `***`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bitcoin::consensus::encode::deserialize_hex;
use serde::Deserialize;

use super::policy::Gate;
use super::{body_excerpt, describe_request, redact_url, Clock, SourceError, SourceSpec, TxFetch};
use crate::chain::BtcNetwork;
use crate::model::{Confirmation, Tx, TxInput, TxOutput};
use crate::store::RawResponse;

/// How Tracebench authenticates to the node.
#[derive(Clone, PartialEq, Eq)]
pub enum RpcAuth {
    /// The node's cookie file (`<datadir>/.cookie`, `__cookie__:<hex>`).
    Cookie(PathBuf),
    /// `rpcuser`/`rpcpassword` (or an `rpcauth` entry's user and password).
    UserPass { user: String, password: String },
}

impl std::fmt::Debug for RpcAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RpcAuth::Cookie(p) => write!(f, "Cookie({})", p.display()),
            RpcAuth::UserPass { user, .. } => write!(f, "UserPass({user}, ***)"),
        }
    }
}

/// A connected Bitcoin Core node.
#[derive(Debug, Clone)]
pub struct CoreRpc {
    client: reqwest::Client,
    spec: SourceSpec,
    network: BtcNetwork,
    clock: Clock,
    auth: Option<RpcAuth>,
    gate: Gate,
    /// Block headers already fetched, by hash.
    headers: Arc<Mutex<BTreeMap<String, Header>>>,
    /// Set once `getblockchaininfo` named the case's network.
    chain_checked: Arc<tokio::sync::OnceCell<()>>,
    /// That answer, until the first successful fetch stores it beside its own.
    chain_answer: Arc<Mutex<Option<RawResponse>>>,
}

/// A block header as fetched: the answer, and the height and time read from it.
type Header = (RawResponse, u64, i64);

#[derive(Debug, Deserialize)]
struct Envelope {
    result: Option<serde_json::Value>,
    error: Option<RpcErrorBody>,
}

#[derive(Debug, Deserialize)]
struct RpcErrorBody {
    code: i64,
    message: String,
}

#[derive(Debug, Deserialize)]
struct CoreTx {
    txid: String,
    hex: String,
    vin: Vec<CoreVin>,
    blockhash: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CoreVin {
    coinbase: Option<String>,
    prevout: Option<CorePrevout>,
}

#[derive(Debug, Deserialize)]
struct CorePrevout {
    value: serde_json::Number,
    #[serde(rename = "scriptPubKey")]
    script_pub_key: CoreScript,
}

#[derive(Debug, Deserialize)]
struct CoreScript {
    hex: String,
}

#[derive(Debug, Deserialize)]
struct CoreHeader {
    hash: String,
    height: u64,
    time: i64,
}

#[derive(Debug, Deserialize)]
struct CoreBlock {
    hash: String,
    height: u64,
    time: i64,
    tx: Vec<CoreTx>,
}

/// A spent output as the normaliser needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Prevout {
    value: u64,
    script: bitcoin::ScriptBuf,
}

impl CoreRpc {
    pub fn new(
        client: reqwest::Client,
        spec: SourceSpec,
        network: BtcNetwork,
        clock: Clock,
        auth: Option<RpcAuth>,
        gate: Gate,
    ) -> CoreRpc {
        CoreRpc {
            client,
            spec,
            network,
            clock,
            auth,
            gate,
            headers: Arc::new(Mutex::new(BTreeMap::new())),
            chain_checked: Arc::new(tokio::sync::OnceCell::new()),
            chain_answer: Arc::new(Mutex::new(None)),
        }
    }

    /// Asks the node which chain it follows (`getblockchaininfo`, once per connection) and
    /// refuses a node on another network than the case's, naming both.
    pub async fn check_chain(&self) -> Result<(), SourceError> {
        self.chain_checked
            .get_or_try_init(|| async {
                let (raw, result) = self
                    .call("getblockchaininfo", serde_json::json!([]))
                    .await?;
                let chain = result
                    .get("chain")
                    .and_then(|c| c.as_str())
                    .ok_or_else(|| {
                        self.malformed(&raw.endpoint, "the answer names no chain".to_string())
                    })?;
                let wrong = |node: String| SourceError::Unsupported {
                    source_id: self.spec.id.clone(),
                    what: format!("serve this case on Bitcoin {}", self.network.name()),
                    why: format!(
                        "the node is on {node} (getblockchaininfo says chain \"{chain}\"); connect a Bitcoin {} node",
                        self.network.name()
                    ),
                };
                match BtcNetwork::from_core_chain(chain) {
                    Ok(n) if n == self.network => {}
                    Ok(n) => return Err(wrong(format!("Bitcoin {}", n.name()))),
                    Err(_) => return Err(wrong(format!("the chain \"{chain}\""))),
                }
                *self
                    .chain_answer
                    .lock()
                    .expect("the chain answer slot is never poisoned") = Some(raw);
                Ok(())
            })
            .await
            .map(|_| ())
    }

    /// The stored `getblockchaininfo` answer, handed to the first fetch that succeeds.
    fn take_chain_answer(&self, raws: &mut Vec<RawResponse>) {
        if let Some(raw) = self
            .chain_answer
            .lock()
            .expect("the chain answer slot is never poisoned")
            .take()
        {
            raws.push(raw);
        }
    }

    pub fn spec(&self) -> &SourceSpec {
        &self.spec
    }

    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    fn credentials(&self) -> Result<Option<(String, String)>, SourceError> {
        match &self.auth {
            None => Ok(None),
            Some(RpcAuth::UserPass { user, password }) => {
                Ok(Some((user.clone(), password.clone())))
            }
            Some(RpcAuth::Cookie(path)) => {
                let text =
                    std::fs::read_to_string(path).map_err(|e| SourceError::Credentials {
                        source_id: self.spec.id.clone(),
                        detail: format!(
                            "cannot read the node's cookie file {}: {e} (is bitcoind running, and is this its data directory?)",
                            path.display()
                        ),
                    })?;
                let line = text.lines().next().unwrap_or_default().trim();
                let Some((user, password)) = line.split_once(':') else {
                    return Err(SourceError::Credentials {
                        source_id: self.spec.id.clone(),
                        detail: format!(
                            "the cookie file {} does not hold user:password",
                            path.display()
                        ),
                    });
                };
                Ok(Some((user.to_string(), password.to_string())))
            }
        }
    }

    /// One JSON-RPC call; the raw response is the node's exact bytes, the value its `result`.
    async fn call(
        &self,
        method: &str,
        params: serde_json::Value,
    ) -> Result<(RawResponse, serde_json::Value), SourceError> {
        let url = redact_url(&self.spec.base_url);
        let credentials = self.credentials()?;
        let body = serde_json::json!({
            "jsonrpc": "1.0", "id": "tracebench", "method": method, "params": params,
        });
        let endpoint = format!("{method} {params}");
        let retrieved_at = self.clock.now_rfc3339();
        let answer = self
            .gate
            .send(
                &url,
                || {
                    let mut r = self.client.post(&self.spec.base_url).json(&body);
                    if let Some((user, password)) = &credentials {
                        r = r.basic_auth(user, Some(password));
                    }
                    r
                },
                // A JSON-RPC error (Core sends 500 with it) is the node's final word.
                |_, body| serde_json::from_slice::<Envelope>(body).is_ok_and(|e| e.error.is_some()),
            )
            .await?;
        if answer.status == 401 || answer.status == 403 {
            return Err(SourceError::Credentials {
                source_id: self.spec.id.clone(),
                detail: format!(
                    "the node at {url} refused the RPC credentials (HTTP {}): check rpc_user/rpc_password in config.toml or the cookie file",
                    answer.status
                ),
            });
        }
        let envelope: Envelope = serde_json::from_slice(&answer.body).map_err(|e| {
            if (200..300).contains(&answer.status) {
                self.malformed(&endpoint, format!("not a JSON-RPC answer: {e}"))
            } else {
                SourceError::Http {
                    source_id: self.spec.id.clone(),
                    url: url.clone(),
                    status: answer.status,
                    body: body_excerpt(&answer.body),
                }
            }
        })?;
        if let Some(err) = envelope.error {
            return Err(self.rpc_error(method, err));
        }
        let Some(result) = envelope.result else {
            return Err(self.malformed(&endpoint, "the answer has no result".to_string()));
        };
        let raw = RawResponse {
            source_id: self.spec.id.clone(),
            endpoint,
            request: format!(
                "{}\n\n{method} {params}",
                describe_request(
                    "POST",
                    &self.spec.base_url,
                    &[
                        ("Content-Type", "application/json"),
                        (
                            "Authorization",
                            if credentials.is_some() { "Basic" } else { "" }
                        ),
                    ]
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .collect::<Vec<_>>(),
                )
            ),
            retrieved_at,
            status: answer.status,
            content_type: answer.content_type,
            body: answer.body,
        };
        Ok((raw, result))
    }

    fn rpc_error(&self, method: &str, err: RpcErrorBody) -> SourceError {
        if err.message.contains("-txindex") {
            return SourceError::Unsupported {
                source_id: self.spec.id.clone(),
                what: "look up a transaction by txid".to_string(),
                why: format!(
                    "the node keeps no transaction index; restart bitcoind with -txindex=1 (node said: {})",
                    err.message
                ),
            };
        }
        SourceError::Rpc {
            source_id: self.spec.id.clone(),
            method: method.to_string(),
            code: err.code,
            message: err.message,
        }
    }

    fn malformed(&self, endpoint: &str, detail: String) -> SourceError {
        SourceError::Malformed {
            source_id: self.spec.id.clone(),
            endpoint: endpoint.to_string(),
            detail,
        }
    }

    /// `getrawtransaction <txid> 2`, with the header of its block and, on nodes that give no
    /// prevouts, the transactions it spends.
    pub async fn tx(&self, txid: &str) -> Result<TxFetch, SourceError> {
        self.check_chain().await?;
        let (raw, result) = self
            .call("getrawtransaction", serde_json::json!([txid, 2]))
            .await?;
        let core: CoreTx = serde_json::from_value(result)
            .map_err(|e| self.malformed(&raw.endpoint, e.to_string()))?;
        let mut supporting = Vec::new();
        let confirmation = match &core.blockhash {
            Some(hash) => {
                let (header_raw, height, time) = self.header(hash).await?;
                supporting.push(header_raw);
                Confirmation {
                    block_height: Some(height),
                    block_hash: Some(hash.clone()),
                    block_time: Some(time),
                }
            }
            None => Confirmation::default(),
        };
        let tx = self
            .normalise(&raw.endpoint, core, confirmation, &mut supporting)
            .await?;
        if tx.txid != txid {
            return Err(self.malformed(
                &raw.endpoint,
                format!("asked for {txid} but got {}", tx.txid),
            ));
        }
        self.take_chain_answer(&mut supporting);
        Ok(TxFetch {
            raw,
            supporting,
            tx,
        })
    }

    /// `getblockheader <hash>` (remembered for the life of this source).
    async fn header(&self, hash: &str) -> Result<Header, SourceError> {
        if let Some(h) = self
            .headers
            .lock()
            .expect("the header memo is never poisoned")
            .get(hash)
        {
            return Ok(h.clone());
        }
        let (raw, result) = self
            .call("getblockheader", serde_json::json!([hash]))
            .await?;
        let h: CoreHeader = serde_json::from_value(result)
            .map_err(|e| self.malformed(&raw.endpoint, e.to_string()))?;
        if h.hash != hash {
            return Err(self.malformed(
                &raw.endpoint,
                format!("asked for block {hash} but got {}", h.hash),
            ));
        }
        let entry = (raw, h.height, h.time);
        self.headers
            .lock()
            .expect("the header memo is never poisoned")
            .insert(hash.to_string(), entry.clone());
        Ok(entry)
    }

    /// `getblockhash <height>`.
    pub async fn block_hash(&self, height: u64) -> Result<(RawResponse, String), SourceError> {
        self.check_chain().await?;
        let (raw, result) = self
            .call("getblockhash", serde_json::json!([height]))
            .await?;
        let hash = result
            .as_str()
            .filter(|h| crate::address::Txid::parse(h).is_ok())
            .ok_or_else(|| self.malformed(&raw.endpoint, format!("not a block hash: {result}")))?
            .to_string();
        Ok((raw, hash))
    }

    /// `getblock <hash> 3`: every transaction of the block, in block order. The first raw
    /// response is the block; any after it are spent transactions fetched for their values
    /// (nodes older than Core 23 give no prevouts) and, on a connection's first fetch, the
    /// `getblockchaininfo` answer.
    pub async fn block(&self, hash: &str) -> Result<(Vec<RawResponse>, Vec<Tx>), SourceError> {
        self.check_chain().await?;
        let (raw, result) = self.call("getblock", serde_json::json!([hash, 3])).await?;
        let block: CoreBlock = serde_json::from_value(result)
            .map_err(|e| self.malformed(&raw.endpoint, e.to_string()))?;
        if block.hash != hash {
            return Err(self.malformed(
                &raw.endpoint,
                format!("asked for block {hash} but got {}", block.hash),
            ));
        }
        let confirmation = Confirmation {
            block_height: Some(block.height),
            block_hash: Some(block.hash.clone()),
            block_time: Some(block.time),
        };
        let endpoint = raw.endpoint.clone();
        let mut raws = vec![raw];
        let mut txs = Vec::with_capacity(block.tx.len());
        for core in block.tx {
            txs.push(
                self.normalise(&endpoint, core, confirmation.clone(), &mut raws)
                    .await?,
            );
        }
        self.take_chain_answer(&mut raws);
        Ok((raws, txs))
    }

    /// A transaction from Core's JSON, as Esplora would give it.
    async fn normalise(
        &self,
        endpoint: &str,
        core: CoreTx,
        confirmation: Confirmation,
        supporting: &mut Vec<RawResponse>,
    ) -> Result<Tx, SourceError> {
        let decoded = decode(&core.hex).map_err(|e| self.malformed(endpoint, e))?;
        let txid = decoded.compute_txid().to_string();
        if txid != core.txid.to_ascii_lowercase() {
            return Err(self.malformed(
                endpoint,
                format!(
                    "the transaction bytes hash to {txid}, not to the txid {} the node named",
                    core.txid
                ),
            ));
        }
        if core.vin.len() != decoded.input.len() {
            return Err(self.malformed(
                endpoint,
                format!("{txid}: vin does not match the transaction bytes"),
            ));
        }
        let mut inputs = Vec::with_capacity(decoded.input.len());
        for (i, (txin, vin)) in decoded.input.iter().zip(&core.vin).enumerate() {
            let is_coinbase = vin.coinbase.is_some() && decoded.is_coinbase();
            let prev = if is_coinbase {
                None
            } else {
                Some(match &vin.prevout {
                    Some(p) => Prevout {
                        value: btc_to_sat(&p.value).map_err(|e| {
                            self.malformed(endpoint, format!("{txid} input {i}: {e}"))
                        })?,
                        script: bitcoin::ScriptBuf::from_hex(&p.script_pub_key.hex).map_err(
                            |e| self.malformed(endpoint, format!("{txid} input {i}: {e}")),
                        )?,
                    },
                    None => self.spent_output(&txin.previous_output, supporting).await?,
                })
            };
            inputs.push(TxInput {
                index: i as u32,
                prev_txid: (!is_coinbase).then(|| txin.previous_output.txid.to_string()),
                prev_vout: (!is_coinbase).then_some(txin.previous_output.vout),
                address: prev.as_ref().and_then(|p| self.address(&p.script)),
                value: prev.as_ref().map(|p| p.value).unwrap_or(0),
                is_coinbase,
                sequence: Some(txin.sequence.0),
            });
        }
        let outputs: Vec<TxOutput> = decoded
            .output
            .iter()
            .enumerate()
            .map(|(i, o)| TxOutput {
                index: i as u32,
                address: self.address(&o.script_pubkey),
                value: o.value.to_sat(),
                script_type: script_type(&o.script_pubkey).to_string(),
            })
            .collect();
        let in_sum: u64 = inputs.iter().map(|i| i.value).sum();
        let out_sum: u64 = outputs.iter().map(|o| o.value).sum();
        let fee = if decoded.is_coinbase() {
            0
        } else {
            in_sum.checked_sub(out_sum).ok_or_else(|| {
                self.malformed(
                    endpoint,
                    format!("{txid} spends {in_sum} sat but pays out {out_sum} sat"),
                )
            })?
        };
        Ok(Tx {
            chain: self.network.caip2().to_string(),
            txid,
            version: i64::from(decoded.version.0),
            locktime: i64::from(decoded.lock_time.to_consensus_u32()),
            size: Some(decoded.total_size() as u64),
            weight: Some(decoded.weight().to_wu()),
            fee: Some(fee),
            confirmation,
            inputs,
            outputs,
        })
    }

    /// The output an input spends, from the spent transaction (`getrawtransaction <prev> 1`).
    async fn spent_output(
        &self,
        outpoint: &bitcoin::OutPoint,
        supporting: &mut Vec<RawResponse>,
    ) -> Result<Prevout, SourceError> {
        let prev = outpoint.txid.to_string();
        let (raw, result) = self
            .call("getrawtransaction", serde_json::json!([prev, 1]))
            .await?;
        let hex = result
            .get("hex")
            .and_then(|h| h.as_str())
            .ok_or_else(|| self.malformed(&raw.endpoint, "no hex in the answer".to_string()))?;
        let tx = decode(hex).map_err(|e| self.malformed(&raw.endpoint, e))?;
        if tx.compute_txid() != outpoint.txid {
            return Err(self.malformed(
                &raw.endpoint,
                format!("asked for {prev} but got {}", tx.compute_txid()),
            ));
        }
        let out = tx.output.get(outpoint.vout as usize).ok_or_else(|| {
            self.malformed(
                &raw.endpoint,
                format!("{prev} has no output {}", outpoint.vout),
            )
        })?;
        let found = Prevout {
            value: out.value.to_sat(),
            script: out.script_pubkey.clone(),
        };
        supporting.push(raw);
        Ok(found)
    }

    fn address(&self, script: &bitcoin::Script) -> Option<String> {
        if script.is_p2pk() || script.is_op_return() || script.is_multisig() {
            return None;
        }
        bitcoin::Address::from_script(script, self.network.to_bitcoin())
            .ok()
            .map(|a| a.to_string())
    }

    /// Core has no address index: an address's history cannot be asked of it.
    pub fn address_history_unsupported(&self, address: &str) -> SourceError {
        SourceError::Unsupported {
            source_id: self.spec.id.clone(),
            what: format!("list the transactions of address {address}"),
            why: "Bitcoin Core keeps no address index; add the address's transactions by txid, or use an Esplora source (your own electrs or esplora, or a public one) for address histories".to_string(),
        }
    }
}

fn decode(hex: &str) -> Result<bitcoin::Transaction, String> {
    deserialize_hex::<bitcoin::Transaction>(hex)
        .map_err(|e| format!("the transaction hex does not decode: {e}"))
}

/// Esplora's name for an output script's type.
pub fn script_type(script: &bitcoin::Script) -> &'static str {
    if script.is_empty() {
        "empty"
    } else if script.is_op_return() {
        "op_return"
    } else if script.is_p2pk() {
        "p2pk"
    } else if script.is_p2pkh() {
        "p2pkh"
    } else if script.is_p2sh() {
        "p2sh"
    } else if script.is_p2wpkh() {
        "v0_p2wpkh"
    } else if script.is_p2wsh() {
        "v0_p2wsh"
    } else if script.is_p2tr() {
        "v1_p2tr"
    } else if script.is_multisig() {
        "multisig"
    } else {
        "unknown"
    }
}

/// A BTC amount as Core writes it (a JSON number with at most 8 decimals) in satoshi, exactly.
///
/// serde_json reads the number as the nearest f64 and writes it back in its shortest form that
/// reads back to the same f64. Two amounts of at most 8 decimals below 21 million BTC are
/// 10⁻⁸ apart, more than twice the f64 spacing there (2⁻²⁸ ≈ 3.7·10⁻⁹), so that shortest form is
/// the decimal the node sent; it is then read as an integer, digit by digit, without floats.
pub fn btc_to_sat(n: &serde_json::Number) -> Result<u64, String> {
    let sat = sat_of(n)?;
    if sat > MAX_SAT {
        return Err(format!("the amount {n} BTC is more than will ever exist"));
    }
    Ok(sat)
}

/// 21 million BTC in satoshi.
const MAX_SAT: u64 = 21_000_000 * 100_000_000;

fn sat_of(n: &serde_json::Number) -> Result<u64, String> {
    if let Some(whole) = n.as_u64() {
        return whole
            .checked_mul(100_000_000)
            .ok_or_else(|| format!("the amount {n} BTC is out of range"));
    }
    let text = n.to_string();
    let bad = || format!("the amount {text} is not a BTC amount with at most 8 decimals");
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().map_err(|_| bad())?),
        None => (text.as_str(), 0),
    };
    if mantissa.starts_with('-') {
        return Err(format!("the amount {text} is negative"));
    }
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let digits = format!("{int}{frac}");
    // value = digits · 10^(exp − frac.len()); in satoshi: digits · 10^(exp − frac.len() + 8).
    let scale = exp - frac.len() as i32 + 8;
    let digits = digits.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let (keep, dropped) = if scale >= 0 {
        (format!("{digits}{}", "0".repeat(scale as usize)), "")
    } else {
        let cut = digits.len().saturating_sub((-scale) as usize);
        let (k, d) = digits.split_at(cut);
        (
            if k.is_empty() {
                "0".to_string()
            } else {
                k.to_string()
            },
            d,
        )
    };
    if dropped.chars().any(|c| c != '0') {
        return Err(bad());
    }
    keep.parse().map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::btc_to_sat;

    fn sat(json: &str) -> Result<u64, String> {
        btc_to_sat(&serde_json::from_str::<serde_json::Number>(json).unwrap())
    }

    #[test]
    fn btc_amounts_become_exact_satoshi() {
        assert_eq!(sat("50.00000000"), Ok(5_000_000_000), "a block reward");
        assert_eq!(
            sat("0.1"),
            Ok(10_000_000),
            "0.1 is not exact in binary, but is here"
        );
        assert_eq!(
            sat("0.00000001"),
            Ok(1),
            "one satoshi (written 1e-8 by the f64 printer)"
        );
        assert_eq!(sat("0.00000546"), Ok(546), "the dust limit");
        assert_eq!(sat("2.99"), Ok(299_000_000), "a real fixture value");
        assert_eq!(
            sat("20999999.97690000"),
            Ok(2_099_999_997_690_000),
            "the whole supply, to the satoshi"
        );
        assert_eq!(sat("0"), Ok(0), "zero");
        assert!(
            sat("0.000000001").is_err(),
            "a ninth decimal is not a satoshi amount"
        );
        assert!(sat("-1.5").is_err(), "negative amounts are refused");
        assert!(sat("21000001").is_err(), "more than the supply is refused");
    }

    #[test]
    fn every_satoshi_amount_survives_the_json_number() {
        // A deterministic sweep over the whole range, plus the small amounts around 1e-8.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut amounts: Vec<u64> = (0..2000).collect();
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            amounts.push(x % (21_000_000 * 100_000_000 + 1));
        }
        for a in amounts {
            let text = format!("{}.{:08}", a / 100_000_000, a % 100_000_000);
            assert_eq!(sat(&text), Ok(a), "{text} BTC is {a} sat");
        }
    }
}
