//! The Esplora REST API (mempool.space, Blockstream, self-hosted electrs/esplora, tracebench-sim).
//!
//! Routes used: `/tx/:txid`, `/tx/:txid/outspends`, `/address/:address/txs`,
//! `/address/:address/txs/chain/:last_seen_txid` (25 confirmed transactions a page, newest first)
//! and `/address/:address` (the transaction count a history's progress is measured against).
//!
//! Before its first request a connection asks `/block-height/0` (the hash of the server's
//! genesis block) and refuses a server on another network than the case's, naming both, before
//! any address or transaction is asked for: a loopback or self-hosted URL names no network, so
//! the answer is the only way to know. The answer is kept as evidence (handed to the first
//! commit by [`Esplora::take_network_answer`]). A server that has no such route (HTTP 404) is
//! accepted; the stored answer is its 404, the request noting that the network was not checked.

use std::sync::{Arc, Mutex};

use serde::Deserialize;

use super::policy::{Gate, Policy};
use super::{body_excerpt, redact_url, Clock, SourceError, SourceSpec};
use crate::chain::{BtcNetwork, NetworkError};
use crate::model::{Confirmation, Tx, TxInput, TxOutput};
use crate::store::RawResponse;

/// Confirmed transactions per page of `/address/:a/txs/chain`.
pub const PAGE_SIZE: usize = 25;

#[derive(Debug, Deserialize)]
struct EsploraTx {
    txid: String,
    version: i64,
    locktime: i64,
    vin: Vec<EsploraVin>,
    vout: Vec<EsploraVout>,
    size: Option<u64>,
    weight: Option<u64>,
    fee: Option<u64>,
    status: Option<EsploraStatus>,
}

#[derive(Debug, Deserialize)]
struct EsploraVin {
    txid: String,
    vout: u32,
    prevout: Option<EsploraVout>,
    #[serde(default)]
    is_coinbase: bool,
    sequence: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct EsploraVout {
    scriptpubkey_type: Option<String>,
    scriptpubkey_address: Option<String>,
    value: u64,
}

#[derive(Debug, Deserialize)]
struct EsploraStatus {
    confirmed: bool,
    block_height: Option<u64>,
    block_hash: Option<String>,
    block_time: Option<i64>,
}

/// An output's spending status from `/tx/:txid/outspends`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Outspend {
    pub spent: bool,
    pub txid: Option<String>,
    pub vin: Option<u32>,
}

fn normalise(chain: &str, t: EsploraTx) -> Result<Tx, String> {
    crate::address::Txid::parse(&t.txid).map_err(|e| e.to_string())?;
    let inputs = t
        .vin
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let prev = v.prevout;
            if !v.is_coinbase && prev.is_none() {
                return Err(format!("input {i} of {} has no prevout", t.txid));
            }
            Ok(TxInput {
                index: i as u32,
                prev_txid: (!v.is_coinbase).then(|| v.txid.clone()),
                prev_vout: (!v.is_coinbase).then_some(v.vout),
                address: prev.as_ref().and_then(|p| p.scriptpubkey_address.clone()),
                value: prev.as_ref().map(|p| p.value).unwrap_or(0),
                is_coinbase: v.is_coinbase,
                sequence: v.sequence,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let outputs = t
        .vout
        .into_iter()
        .enumerate()
        .map(|(i, o)| TxOutput {
            index: i as u32,
            address: o.scriptpubkey_address,
            value: o.value,
            script_type: o.scriptpubkey_type.unwrap_or_else(|| "unknown".to_string()),
        })
        .collect();
    let confirmation = match t.status {
        Some(s) if s.confirmed => Confirmation {
            block_height: s.block_height,
            block_hash: s.block_hash,
            block_time: s.block_time,
        },
        _ => Confirmation::default(),
    };
    Ok(Tx {
        chain: chain.to_string(),
        txid: t.txid.to_ascii_lowercase(),
        version: t.version,
        locktime: t.locktime,
        size: t.size,
        weight: t.weight,
        fee: t.fee,
        confirmation,
        inputs,
        outputs,
    })
}

/// Parses an Esplora `/tx/:txid` body.
pub fn parse_tx(chain: &str, body: &[u8]) -> Result<Tx, String> {
    let t: EsploraTx = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    normalise(chain, t)
}

/// Parses an Esplora `/address/:a/txs` (or `/txs/chain/…`) body.
pub fn parse_tx_list(chain: &str, body: &[u8]) -> Result<Vec<Tx>, String> {
    let list: Vec<EsploraTx> = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    list.into_iter().map(|t| normalise(chain, t)).collect()
}

#[derive(Debug, Deserialize)]
struct EsploraAddressStats {
    chain_stats: EsploraTxCount,
    mempool_stats: EsploraTxCount,
}

#[derive(Debug, Deserialize)]
struct EsploraTxCount {
    tx_count: u64,
}

/// Parses an Esplora `/address/:a` body into its transaction counts: (confirmed, in the mempool).
pub fn parse_address_tx_count(body: &[u8]) -> Result<(u64, u64), String> {
    let s: EsploraAddressStats = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    Ok((s.chain_stats.tx_count, s.mempool_stats.tx_count))
}

/// Parses an Esplora `/tx/:txid/outspends` body.
pub fn parse_outspends(body: &[u8]) -> Result<Vec<Outspend>, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

/// The route whose answer names the server's network: the hash of block 0.
pub const GENESIS_ENDPOINT: &str = "/block-height/0";

/// The note a stored `/block-height/0` request carries when the server had no such route.
pub const NETWORK_NOT_CHECKED: &str =
    "network not checked: the server has no /block-height/0 route (HTTP 404)";

/// A connected Esplora API.
#[derive(Debug, Clone)]
pub struct Esplora {
    client: reqwest::Client,
    spec: SourceSpec,
    chain: String,
    clock: Clock,
    gate: Gate,
    /// Set once `/block-height/0` named the case's network (or the server had no such route).
    network_checked: Arc<tokio::sync::OnceCell<()>>,
    /// That answer, until the first commit stores it.
    network_answer: Arc<Mutex<Option<RawResponse>>>,
}

impl Esplora {
    /// An Esplora source under the default [`Policy`].
    pub fn new(client: reqwest::Client, spec: SourceSpec, chain: &str, clock: Clock) -> Esplora {
        let gate = Gate::new(&spec.id, Policy::default(), clock.clone());
        Esplora::with_gate(client, spec, chain, clock, gate)
    }

    /// An Esplora source whose requests go through `gate` (rate, retries, cancel, progress).
    pub fn with_gate(
        client: reqwest::Client,
        spec: SourceSpec,
        chain: &str,
        clock: Clock,
        gate: Gate,
    ) -> Esplora {
        let spec = spec.without_trailing_slash();
        Esplora {
            client,
            spec,
            chain: chain.to_string(),
            clock,
            gate,
            network_checked: Arc::new(tokio::sync::OnceCell::new()),
            network_answer: Arc::new(Mutex::new(None)),
        }
    }

    /// Asks the server for its genesis block (`/block-height/0`, once per connection) and
    /// refuses a server on another network than the case's, naming both. A server without the
    /// route (HTTP 404) is accepted, its answer stored with a "network not checked" note.
    pub async fn check_network(&self) -> Result<(), SourceError> {
        // A chain id that names no Bitcoin network (an Esplora-shaped service for another
        // chain) has nothing to compare with.
        let Some(case) = BtcNetwork::from_caip2(&self.chain) else {
            return Ok(());
        };
        self.network_checked
            .get_or_try_init(|| async {
                let (mut raw, ok) = self.answer(GENESIS_ENDPOINT).await?;
                if !ok {
                    raw.request = format!("{}\n\n{NETWORK_NOT_CHECKED}", raw.request);
                } else {
                    let hash = String::from_utf8_lossy(&raw.body).trim().to_string();
                    let wrong = |server: String| SourceError::Unsupported {
                        source_id: self.spec.id.clone(),
                        what: format!("serve this case on Bitcoin {}", case.name()),
                        why: format!(
                            "the server is on {server} (GET {GENESIS_ENDPOINT} gives genesis block {hash}); connect an Esplora server for Bitcoin {}",
                            case.name()
                        ),
                    };
                    match BtcNetwork::from_genesis_hash(&hash) {
                        Ok(n) if n == case => {}
                        Ok(n) => return Err(wrong(format!("Bitcoin {}", n.name()))),
                        Err(NetworkError::Testnet4Genesis) => {
                            return Err(wrong("Bitcoin testnet4, a chain no case is on".into()))
                        }
                        Err(_) if crate::address::Txid::parse(&hash).is_ok() => {
                            return Err(wrong("a chain Tracebench does not know".into()))
                        }
                        Err(_) => {
                            return Err(self.malformed(
                                GENESIS_ENDPOINT,
                                format!(
                                    "expected a block hash, got \"{}\"",
                                    body_excerpt(&raw.body)
                                ),
                            ))
                        }
                    }
                }
                *self
                    .network_answer
                    .lock()
                    .expect("the network answer slot is never poisoned") = Some(raw);
                Ok(())
            })
            .await
            .map(|_| ())
    }

    /// The stored `/block-height/0` answer, once: the commit that takes it stores it.
    pub fn take_network_answer(&self) -> Option<RawResponse> {
        self.network_answer
            .lock()
            .expect("the network answer slot is never poisoned")
            .take()
    }

    pub fn spec(&self) -> &SourceSpec {
        &self.spec
    }

    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    /// `GET endpoint` after the connection's network check.
    async fn get(&self, endpoint: &str) -> Result<RawResponse, SourceError> {
        self.check_network().await?;
        match self.answer(endpoint).await? {
            (raw, true) => Ok(raw),
            (raw, false) => Err(SourceError::Http {
                source_id: self.spec.id.clone(),
                url: redact_url(&format!("{}{}", self.spec.base_url, endpoint)),
                status: raw.status,
                body: body_excerpt(&raw.body),
            }),
        }
    }

    /// `GET endpoint`: the answer, and whether it was a success; a 404 is an answer too, any
    /// other failure an error.
    async fn answer(&self, endpoint: &str) -> Result<(RawResponse, bool), SourceError> {
        let url = format!("{}{}", self.spec.base_url, endpoint);
        let redacted = redact_url(&url);
        let retrieved_at = self.clock.now_rfc3339();
        let answer = self
            .gate
            .send(&redacted, || self.client.get(&url), |_, _| false)
            .await?;
        let status = answer.status;
        let body = answer.body;
        let ok = (200..300).contains(&status);
        if !ok && status != 404 {
            return Err(SourceError::Http {
                source_id: self.spec.id.clone(),
                url: redacted,
                status,
                body: body_excerpt(&body),
            });
        }
        Ok((
            RawResponse {
                source_id: self.spec.id.clone(),
                endpoint: endpoint.to_string(),
                request: format!("GET {redacted}"),
                retrieved_at,
                status,
                content_type: answer.content_type,
                body,
            },
            ok,
        ))
    }

    fn malformed(&self, endpoint: &str, detail: String) -> SourceError {
        SourceError::Malformed {
            source_id: self.spec.id.clone(),
            endpoint: endpoint.to_string(),
            detail,
        }
    }

    /// `GET /tx/:txid`.
    pub async fn tx(&self, txid: &str) -> Result<(RawResponse, Tx), SourceError> {
        let endpoint = format!("/tx/{txid}");
        let raw = self.get(&endpoint).await?;
        let tx = parse_tx(&self.chain, &raw.body).map_err(|e| self.malformed(&endpoint, e))?;
        if tx.txid != txid {
            return Err(self.malformed(&endpoint, format!("asked for {txid} but got {}", tx.txid)));
        }
        Ok((raw, tx))
    }

    /// One page of an address's confirmed history, newest first: the first page when
    /// `last_seen` is `None`, else the page after that txid.
    pub async fn address_txs(
        &self,
        address: &str,
        last_seen: Option<&str>,
    ) -> Result<(RawResponse, Vec<Tx>), SourceError> {
        let endpoint = match last_seen {
            None => format!("/address/{address}/txs"),
            Some(t) => format!("/address/{address}/txs/chain/{t}"),
        };
        let raw = self.get(&endpoint).await?;
        let txs =
            parse_tx_list(&self.chain, &raw.body).map_err(|e| self.malformed(&endpoint, e))?;
        Ok((raw, txs))
    }

    /// `GET /address/:address`: how many transactions the address has, (confirmed, in the
    /// mempool), known before its history is paged. Used for progress only; not stored.
    pub async fn address_tx_count(&self, address: &str) -> Result<(u64, u64), SourceError> {
        let endpoint = format!("/address/{address}");
        let raw = self.get(&endpoint).await?;
        parse_address_tx_count(&raw.body).map_err(|e| self.malformed(&endpoint, e))
    }

    /// `GET /tx/:txid/outspends`.
    pub async fn outspends(&self, txid: &str) -> Result<(RawResponse, Vec<Outspend>), SourceError> {
        let endpoint = format!("/tx/{txid}/outspends");
        let raw = self.get(&endpoint).await?;
        let out = parse_outspends(&raw.body).map_err(|e| self.malformed(&endpoint, e))?;
        Ok((raw, out))
    }
}
