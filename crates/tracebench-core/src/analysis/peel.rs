//! Peel chains (heuristics.md §3): detection after BlockSci and an automatic follower.
//!
//! Detection: a transaction *looks like* a peel when it has exactly one input and two outputs
//! (BlockSci `looksLikePeelingChain`); it *is* one when it looks like one and the parent of its
//! input or a spender of one of its outputs looks like one too (`isPeelingChain`).
//!
//! Following: from a peel transaction, continue along the continuing output. BlockSci names the
//! output "unspent or spent by a peeling-chain transaction"; in a case, unspent and spent outside
//! the case cannot be told apart, so the follower prefers the positive evidence: the unique
//! output spent (in the case) by a transaction that looks like a peel. When no output is spent
//! that way, the unique output not spent in the case is the continuing output and the chain ends
//! there. Stops: none or several continuing outputs, the next transaction a CoinJoin, the
//! continuing output paying a labelled service (a stop address), or the depth limit. Every other
//! output of a followed transaction is recorded as a peeled payment.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::analysis::coinjoin;
use crate::model::Tx;

/// BlockSci `looksLikePeelingChain`: one (non-coinbase) input, two outputs.
pub fn looks_like_peeling_chain(tx: &Tx) -> bool {
    tx.inputs.len() == 1 && tx.outputs.len() == 2 && !tx.is_coinbase()
}

/// The case's transactions with their spends, for peel detection and following.
#[derive(Debug)]
pub struct PeelIndex<'a> {
    by_id: BTreeMap<&'a str, &'a Tx>,
    /// `(txid, vout)` → the case transaction spending it.
    spender: BTreeMap<(&'a str, u32), &'a Tx>,
}

impl<'a> PeelIndex<'a> {
    pub fn new(txs: &'a [Tx]) -> PeelIndex<'a> {
        let mut by_id = BTreeMap::new();
        let mut spender = BTreeMap::new();
        for t in txs {
            by_id.insert(t.txid.as_str(), t);
            for i in &t.inputs {
                if let (Some(p), Some(v)) = (&i.prev_txid, i.prev_vout) {
                    spender.insert((p.as_str(), v), t);
                }
            }
        }
        PeelIndex { by_id, spender }
    }

    pub fn tx(&self, txid: &str) -> Option<&'a Tx> {
        self.by_id.get(txid).copied()
    }

    pub fn spender(&self, txid: &str, vout: u32) -> Option<&'a Tx> {
        self.spender.get(&(txid, vout)).copied()
    }

    /// BlockSci `isPeelingChain`: looks like one, and so does the parent of its input or a
    /// spender of one of its outputs (as far as the case knows them).
    pub fn is_peeling_chain(&self, tx: &Tx) -> bool {
        if !looks_like_peeling_chain(tx) {
            return false;
        }
        let parent = tx.inputs[0]
            .prev_txid
            .as_deref()
            .and_then(|p| self.tx(p))
            .is_some_and(looks_like_peeling_chain);
        parent
            || tx.outputs.iter().any(|o| {
                self.spender(&tx.txid, o.index)
                    .is_some_and(looks_like_peeling_chain)
            })
    }

    /// Every peeling-chain transaction of the case, by txid.
    pub fn peeling_txs(&self) -> Vec<String> {
        self.by_id
            .values()
            .filter(|t| self.is_peeling_chain(t))
            .map(|t| t.txid.clone())
            .collect()
    }
}

/// Why the follower stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeelStop {
    /// The continuing output is not spent in the case: the chain ends there (for now).
    Unspent,
    /// No output continues the chain.
    NoContinuation,
    /// Two or more outputs could continue it.
    SeveralContinue,
    /// The next transaction is a CoinJoin.
    CoinJoin,
    /// The continuing output pays a labelled service (a stop address).
    Service,
    /// The depth limit was reached.
    DepthLimit,
}

/// One transaction of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeelStep {
    pub txid: String,
    /// 1 for the start transaction.
    pub hop: u32,
    /// The continuing output's vout, when one was found.
    pub continuing: Option<u32>,
    pub continuing_address: Option<String>,
    pub continuing_value: Option<u64>,
}

/// An output peeled off the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeelPayment {
    pub txid: String,
    pub vout: u32,
    pub address: Option<String>,
    pub amount: u64,
    pub hop: u32,
}

/// A followed peel chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeelChain {
    pub start: String,
    pub steps: Vec<PeelStep>,
    /// Peeled payments in chain order (hop, vout).
    pub payments: Vec<PeelPayment>,
    /// Outputs of the last transaction when no continuing output could be told from a payment.
    pub undetermined: Vec<PeelPayment>,
    pub stop: PeelStop,
    /// Why, in words (the txid or address concerned).
    pub stop_reason: String,
    pub max_depth: u32,
}

impl PeelChain {
    pub fn txids(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.txid.as_str()).collect()
    }

    pub fn total_peeled(&self) -> u64 {
        self.payments.iter().map(|p| p.amount).sum()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PeelError {
    #[error("the case holds no transaction {0}")]
    UnknownTx(String),
    #[error("{0} is not a peeling-chain transaction (one input, two outputs, and a peel-like parent or child)")]
    NotAPeel(String),
    #[error("no peeling-chain transaction in the case spends from {0}")]
    NoPeelFrom(String),
}

/// The earliest (block height, then txid) peeling-chain transaction spending from `address`.
pub fn start_for_address(index: &PeelIndex<'_>, address: &str) -> Result<String, PeelError> {
    index
        .by_id
        .values()
        .filter(|t| {
            t.inputs
                .iter()
                .any(|i| i.address.as_deref() == Some(address))
        })
        .filter(|t| index.is_peeling_chain(t))
        .min_by_key(|t| {
            (
                t.confirmation.block_height.unwrap_or(u64::MAX),
                t.txid.clone(),
            )
        })
        .map(|t| t.txid.clone())
        .ok_or_else(|| PeelError::NoPeelFrom(address.to_string()))
}

fn payment(tx: &Tx, vout: u32, hop: u32) -> PeelPayment {
    let o = &tx.outputs[vout as usize];
    PeelPayment {
        txid: tx.txid.clone(),
        vout: o.index,
        address: o.address.clone(),
        amount: o.value,
        hop,
    }
}

/// Follows the peel chain from `start` (a peeling-chain transaction) for at most `max_depth`
/// transactions, stopping at a continuing output that pays one of `stop_addresses`.
pub fn follow(
    index: &PeelIndex<'_>,
    start: &str,
    max_depth: u32,
    stop_addresses: &BTreeSet<String>,
) -> Result<PeelChain, PeelError> {
    let first = index
        .tx(start)
        .ok_or_else(|| PeelError::UnknownTx(start.to_string()))?;
    if !index.is_peeling_chain(first) {
        return Err(PeelError::NotAPeel(start.to_string()));
    }
    let mut chain = PeelChain {
        start: start.to_string(),
        steps: Vec::new(),
        payments: Vec::new(),
        undetermined: Vec::new(),
        stop: PeelStop::NoContinuation,
        stop_reason: String::new(),
        max_depth,
    };
    let mut tx = first;
    let mut visited: BTreeSet<&str> = BTreeSet::new();
    loop {
        visited.insert(tx.txid.as_str());
        let hop = chain.steps.len() as u32 + 1;
        // Positions (not vouts) of the outputs, by how they are spent in the case.
        let spenders: Vec<Option<&Tx>> = tx
            .outputs
            .iter()
            .map(|o| index.spender(&tx.txid, o.index))
            .collect();
        let by_peel: Vec<usize> = (0..tx.outputs.len())
            .filter(|k| spenders[*k].is_some_and(looks_like_peeling_chain))
            .collect();
        let into_coinjoin: Vec<usize> = (0..tx.outputs.len())
            .filter(|k| spenders[*k].is_some_and(|s| coinjoin::detect_all(s).is_some()))
            .collect();
        let unspent: Vec<usize> = (0..tx.outputs.len())
            .filter(|k| spenders[*k].is_none())
            .collect();
        let (continuing, stop): (Option<usize>, Option<(PeelStop, String)>) = match by_peel[..] {
            [k] => (Some(k), None),
            [_, _, ..] => (
                None,
                Some((
                    PeelStop::SeveralContinue,
                    format!(
                        "{} outputs of {} are spent by peel-like transactions",
                        by_peel.len(),
                        tx.txid
                    ),
                )),
            ),
            [] => match (into_coinjoin.first(), unspent[..].len()) {
                (Some(k), _) => (
                    None,
                    Some((
                        PeelStop::CoinJoin,
                        format!(
                            "output {}:{} enters the CoinJoin {}",
                            tx.txid,
                            tx.outputs[*k].index,
                            spenders[*k].map(|s| s.txid.as_str()).unwrap_or_default()
                        ),
                    )),
                ),
                (None, 1) => (
                    Some(unspent[0]),
                    Some((
                        PeelStop::Unspent,
                        format!(
                            "the continuing output {}:{} is not spent in the case",
                            tx.txid, tx.outputs[unspent[0]].index
                        ),
                    )),
                ),
                (None, 0) => (
                    None,
                    Some((
                        PeelStop::NoContinuation,
                        format!(
                            "every output of {} is spent by a non-peel transaction",
                            tx.txid
                        ),
                    )),
                ),
                (None, n) => (
                    None,
                    Some((
                        PeelStop::SeveralContinue,
                        format!("{n} outputs of {} are unspent in the case", tx.txid),
                    )),
                ),
            },
        };
        let cont_out = continuing.map(|k| &tx.outputs[k]);
        chain.steps.push(PeelStep {
            txid: tx.txid.clone(),
            hop,
            continuing: cont_out.map(|o| o.index),
            continuing_address: cont_out.and_then(|o| o.address.clone()),
            continuing_value: cont_out.map(|o| o.value),
        });
        for k in 0..tx.outputs.len() {
            let p = payment(tx, k as u32, hop);
            match continuing {
                Some(c) if c == k => {}
                Some(_) => chain.payments.push(p),
                None => chain.undetermined.push(p),
            }
        }
        if let Some((stop, reason)) = stop {
            chain.stop = stop;
            chain.stop_reason = reason;
            return Ok(chain);
        }
        let c = continuing.expect("a continuing output when there is no stop");
        let out = &tx.outputs[c];
        if let Some(a) = out.address.as_ref().filter(|a| stop_addresses.contains(*a)) {
            chain.stop = PeelStop::Service;
            chain.stop_reason = format!("the continuing output pays the labelled address {a}");
            return Ok(chain);
        }
        let next = spenders[c].expect("a continuing output spent by a peel-like transaction");
        if hop >= max_depth {
            chain.stop = PeelStop::DepthLimit;
            chain.stop_reason = format!("depth limit {max_depth} reached before {}", next.txid);
            return Ok(chain);
        }
        if !visited.insert(next.txid.as_str()) {
            chain.stop = PeelStop::NoContinuation;
            chain.stop_reason = format!("{} was already followed", next.txid);
            return Ok(chain);
        }
        tx = next;
    }
}
