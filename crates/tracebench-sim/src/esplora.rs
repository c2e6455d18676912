//! Esplora REST JSON, shaped and ordered exactly as Blockstream's electrs (`rest.rs`) writes it,
//! rendered once per chain so that serving is a lookup.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use bitcoin::blockdata::constants::genesis_block;
use bitcoin::consensus::encode::serialize;
use bitcoin::script::Instruction;
use bitcoin::{BlockHash, OutPoint, Script, ScriptBuf, Transaction, TxOut, Txid};
use serde::Serialize;

use crate::chain::{address_on, SimBlock, SimChain};

/// Confirmed transactions per page of `/address/:address/txs/chain` (electrs: 25).
pub const CHAIN_TXS_PER_PAGE: usize = 25;

#[derive(Serialize)]
struct TxValue {
    txid: String,
    version: i32,
    locktime: u32,
    vin: Vec<TxInValue>,
    vout: Vec<TxOutValue>,
    size: usize,
    weight: u64,
    fee: u64,
    status: TxStatus,
}

#[derive(Serialize)]
struct TxInValue {
    txid: String,
    vout: u32,
    prevout: Option<TxOutValue>,
    scriptsig: String,
    scriptsig_asm: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    witness: Option<Vec<String>>,
    is_coinbase: bool,
    sequence: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    inner_redeemscript_asm: Option<String>,
}

#[derive(Serialize)]
struct TxOutValue {
    scriptpubkey: String,
    scriptpubkey_asm: String,
    scriptpubkey_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    scriptpubkey_address: Option<String>,
    value: u64,
}

#[derive(Serialize, Clone)]
struct TxStatus {
    confirmed: bool,
    block_height: u32,
    block_hash: String,
    block_time: u32,
}

#[derive(Serialize)]
struct SpendingValue {
    spent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    txid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vin: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<TxStatus>,
}

#[derive(Serialize)]
struct BlockValue {
    id: String,
    height: u32,
    version: u32,
    timestamp: u32,
    tx_count: usize,
    size: usize,
    weight: u64,
    merkle_root: String,
    previousblockhash: String,
    mediantime: u32,
    nonce: u32,
    bits: u32,
    difficulty: f64,
}

#[derive(Serialize)]
struct BlockStatus {
    in_best_chain: bool,
    height: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_best: Option<String>,
}

#[derive(Serialize, Default)]
struct TxoStats {
    funded_txo_count: u64,
    funded_txo_sum: u64,
    spent_txo_count: u64,
    spent_txo_sum: u64,
    tx_count: u64,
}

#[derive(Serialize)]
struct AddressStats {
    address: String,
    chain_stats: TxoStats,
    mempool_stats: TxoStats,
}

#[derive(Serialize)]
struct Utxo {
    txid: String,
    vout: u32,
    status: TxStatus,
    value: u64,
}

/// Pre-rendered responses of one transaction.
pub(crate) struct TxResponses {
    pub(crate) json: Bytes,
    pub(crate) hex: Bytes,
    pub(crate) raw: Bytes,
    pub(crate) status: Bytes,
    pub(crate) outspends: Bytes,
}

/// Pre-rendered responses of one address.
pub(crate) struct AddressResponses {
    /// Confirmed history, newest first.
    pub(crate) history: Vec<Txid>,
    pub(crate) stats: Bytes,
    pub(crate) utxo: Bytes,
}

/// Pre-rendered responses of one block.
pub(crate) struct BlockResponses {
    pub(crate) json: Bytes,
    pub(crate) txids: Bytes,
    pub(crate) status: Bytes,
}

/// Every response the server can give for a chain.
pub(crate) struct Responses {
    pub(crate) txs: BTreeMap<Txid, TxResponses>,
    pub(crate) addresses: BTreeMap<String, AddressResponses>,
    pub(crate) blocks: BTreeMap<BlockHash, BlockResponses>,
    pub(crate) heights: BTreeMap<u32, BlockHash>,
    pub(crate) tip_height: u32,
    pub(crate) tip_hash: String,
    /// The network the addresses are encoded for; addresses of another are refused.
    pub(crate) network: bitcoin::Network,
}

impl Responses {
    /// Renders every response of `chain`.
    pub(crate) fn render(chain: &SimChain) -> Responses {
        let mut txs = BTreeMap::new();
        for tx in chain.transactions() {
            let txid = tx.compute_txid();
            let status = tx_status(chain, &txid);
            let outspends: Vec<SpendingValue> = (0..tx.output.len() as u32)
                .map(|vout| spending(chain, OutPoint::new(txid, vout)))
                .collect();
            let raw = serialize(tx);
            txs.insert(
                txid,
                TxResponses {
                    json: json(&tx_value(chain, tx)),
                    hex: Bytes::from(hex::encode(&raw)),
                    raw: Bytes::from(raw),
                    status: json(&status),
                    outspends: json(&outspends),
                },
            );
        }
        let mut addresses = BTreeMap::new();
        for address in chain.addresses() {
            addresses.insert(address.to_owned(), address_responses(chain, address));
        }
        let mut blocks = BTreeMap::new();
        let mut heights = BTreeMap::new();
        for (i, block) in chain.blocks().iter().enumerate() {
            let next = chain.blocks().get(i + 1).map(|b| b.hash().to_string());
            let txids: Vec<String> = block
                .block()
                .txdata
                .iter()
                .map(|t| t.compute_txid().to_string())
                .collect();
            blocks.insert(
                block.hash(),
                BlockResponses {
                    json: json(&block_value(block)),
                    txids: json(&txids),
                    status: json(&BlockStatus {
                        in_best_chain: true,
                        height: block.height(),
                        next_best: next,
                    }),
                },
            );
            heights.insert(block.height(), block.hash());
        }
        // `/block-height/0` names the network served, as a real server's genesis block does
        // (the generated chains start far above it).
        heights
            .entry(0)
            .or_insert_with(|| genesis_block(chain.network_code()).block_hash());
        let tip_hash = chain
            .blocks()
            .last()
            .map(|b| b.hash().to_string())
            .unwrap_or_default();
        Responses {
            txs,
            addresses,
            blocks,
            heights,
            tip_height: chain.tip_height(),
            tip_hash,
            network: chain.network_code(),
        }
    }

    /// Renders several independent chains side by side, for load tests that need more
    /// addresses than one scenario has: transactions, addresses and blocks of all of them are
    /// served; `/block-height/:h` answers with the first chain that has a block at `h`, and the
    /// tip is the highest. Fails naming the first txid or address two chains share.
    pub(crate) fn render_many(chains: &[Arc<SimChain>]) -> Result<Responses, String> {
        let mut merged = Responses {
            txs: BTreeMap::new(),
            addresses: BTreeMap::new(),
            blocks: BTreeMap::new(),
            heights: BTreeMap::new(),
            tip_height: 0,
            tip_hash: String::new(),
            network: chains
                .first()
                .map_or(bitcoin::Network::Bitcoin, |c| c.network_code()),
        };
        for chain in chains {
            if chain.network_code() != merged.network {
                return Err(format!(
                    "the chains are on different networks ({} and {})",
                    chain.network_code(),
                    merged.network
                ));
            }
            let one = Responses::render(chain);
            for (txid, r) in one.txs {
                if merged.txs.insert(txid, r).is_some() {
                    return Err(format!("transaction {txid} is in two of the chains"));
                }
            }
            for (address, r) in one.addresses {
                if merged.addresses.contains_key(&address) {
                    return Err(format!("address {address} is in two of the chains"));
                }
                merged.addresses.insert(address, r);
            }
            merged.blocks.extend(one.blocks);
            for (height, hash) in one.heights {
                merged.heights.entry(height).or_insert(hash);
            }
            if merged.tip_hash.is_empty() || one.tip_height > merged.tip_height {
                merged.tip_height = one.tip_height;
                merged.tip_hash = one.tip_hash;
            }
        }
        Ok(merged)
    }

    /// A JSON array of the given transactions, in the given order.
    pub(crate) fn tx_list<'a>(&self, txids: impl Iterator<Item = &'a Txid>) -> Bytes {
        let mut out = Vec::with_capacity(16 * 1024);
        out.push(b'[');
        for (i, txid) in txids.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            if let Some(tx) = self.txs.get(txid) {
                out.extend_from_slice(&tx.json);
            }
        }
        out.push(b']');
        Bytes::from(out)
    }
}

fn json<T: Serialize>(value: &T) -> Bytes {
    Bytes::from(
        serde_json::to_vec(value)
            .unwrap_or_else(|e| unreachable!("plain structs always serialise: {e}")),
    )
}

fn tx_status(chain: &SimChain, txid: &Txid) -> TxStatus {
    match chain.tx_block(txid) {
        Some(block) => TxStatus {
            confirmed: true,
            block_height: block.height(),
            block_hash: block.hash().to_string(),
            block_time: block.time(),
        },
        None => unreachable!("every transaction of a sim chain is confirmed"),
    }
}

fn spending(chain: &SimChain, outpoint: OutPoint) -> SpendingValue {
    match chain.spender(&outpoint) {
        Some((txid, vin)) => SpendingValue {
            spent: true,
            txid: Some(txid.to_string()),
            vin: Some(vin),
            status: Some(tx_status(chain, &txid)),
        },
        None => SpendingValue {
            spent: false,
            txid: None,
            vin: None,
            status: None,
        },
    }
}

fn tx_value(chain: &SimChain, tx: &Transaction) -> TxValue {
    let txid = tx.compute_txid();
    let vin = tx
        .input
        .iter()
        .map(|input| {
            let is_coinbase = input.previous_output.is_null();
            let prevout = if is_coinbase {
                None
            } else {
                chain.prevout(&input.previous_output)
            };
            let inner_redeemscript_asm = prevout
                .filter(|out| out.script_pubkey.is_p2sh())
                .and_then(|_| last_push(&input.script_sig))
                .map(|redeem| redeem.to_asm_string());
            TxInValue {
                txid: input.previous_output.txid.to_string(),
                vout: input.previous_output.vout,
                prevout: prevout.map(|o| txout_value(o, chain.network_code())),
                scriptsig: hex::encode(input.script_sig.as_bytes()),
                scriptsig_asm: input.script_sig.to_asm_string(),
                witness: (!input.witness.is_empty())
                    .then(|| input.witness.iter().map(hex::encode).collect()),
                is_coinbase,
                sequence: input.sequence.to_consensus_u32(),
                inner_redeemscript_asm,
            }
        })
        .collect();
    TxValue {
        txid: txid.to_string(),
        version: tx.version.0,
        locktime: tx.lock_time.to_consensus_u32(),
        vin,
        vout: tx
            .output
            .iter()
            .map(|o| txout_value(o, chain.network_code()))
            .collect(),
        size: tx.total_size(),
        weight: tx.weight().to_wu(),
        fee: chain.fee(&txid).unwrap_or(0),
        status: tx_status(chain, &txid),
    }
}

/// The last data push of a scriptSig (the redeem script of a P2SH spend).
fn last_push(script_sig: &Script) -> Option<ScriptBuf> {
    script_sig
        .instructions()
        .filter_map(Result::ok)
        .last()
        .and_then(|ins| match ins {
            Instruction::PushBytes(bytes) => Some(ScriptBuf::from_bytes(bytes.as_bytes().to_vec())),
            Instruction::Op(_) => None,
        })
}

fn txout_value(out: &TxOut, network: bitcoin::Network) -> TxOutValue {
    TxOutValue {
        scriptpubkey: hex::encode(out.script_pubkey.as_bytes()),
        scriptpubkey_asm: out.script_pubkey.to_asm_string(),
        scriptpubkey_type: script_type(&out.script_pubkey),
        scriptpubkey_address: address_on(&out.script_pubkey, network),
        value: out.value.to_sat(),
    }
}

/// Esplora's name of a script type: the core's rule, so the sim and the Core RPC source agree.
pub(crate) fn script_type(script: &Script) -> &'static str {
    tracebench_core::source::core_rpc::script_type(script)
}

fn block_value(block: &SimBlock) -> BlockValue {
    let header = &block.block().header;
    BlockValue {
        id: block.hash().to_string(),
        height: block.height(),
        version: header.version.to_consensus() as u32,
        timestamp: header.time,
        tx_count: block.block().txdata.len(),
        size: block.block().total_size(),
        weight: block.block().weight().to_wu(),
        merkle_root: header.merkle_root.to_string(),
        previousblockhash: header.prev_blockhash.to_string(),
        mediantime: block.median_time(),
        nonce: header.nonce,
        bits: header.bits.to_consensus(),
        difficulty: header.difficulty_float(),
    }
}

fn address_responses(chain: &SimChain, address: &str) -> AddressResponses {
    let history: Vec<Txid> = chain.address_txids(address).iter().rev().copied().collect();
    let mut stats = TxoStats {
        tx_count: history.len() as u64,
        ..TxoStats::default()
    };
    let mut utxos = Vec::new();
    for txid in &history {
        let Some(tx) = chain.tx(txid) else { continue };
        for (vout, out) in tx.output.iter().enumerate() {
            if chain.address_of(&out.script_pubkey).as_deref() != Some(address) {
                continue;
            }
            stats.funded_txo_count += 1;
            stats.funded_txo_sum += out.value.to_sat();
            let outpoint = OutPoint::new(*txid, vout as u32);
            if chain.spender(&outpoint).is_some() {
                stats.spent_txo_count += 1;
                stats.spent_txo_sum += out.value.to_sat();
            } else {
                utxos.push(Utxo {
                    txid: txid.to_string(),
                    vout: vout as u32,
                    status: tx_status(chain, txid),
                    value: out.value.to_sat(),
                });
            }
        }
    }
    AddressResponses {
        history,
        stats: json(&AddressStats {
            address: address.to_owned(),
            chain_stats: stats,
            mempool_stats: TxoStats::default(),
        }),
        utxo: json(&utxos),
    }
}
