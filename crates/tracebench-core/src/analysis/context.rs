//! What the dynamic heuristics may know beyond one transaction: the other transactions of the
//! case, indexed by outpoint (who spends an output) and by address (where it appears), and how
//! far that knowledge is complete. Answers are three-valued so that a heuristic says "unknown"
//! when the case lacks the data instead of guessing.
//!
//! The indexes are built lazily, each on its first question: multi-input clustering under the
//! conservative profile only asks who spends a Tx0 candidate's outputs, and never needs the
//! address index, so a large case does not pay for indexes nobody reads.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::model::Tx;

/// Whether an output was spent, as far as the context knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spend<'a> {
    Spent(&'a Tx),
    Unspent,
    Unknown,
}

/// Whether an address appears for the first time in a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    Fresh,
    Reused,
    Unknown,
}

/// The transactions available for analysis.
#[derive(Debug, Clone, Default)]
pub struct ChainContext<'a> {
    source: &'a [Tx],
    /// txid → tx (the last of duplicates wins).
    txs: OnceLock<FxHashMap<&'a str, &'a Tx>>,
    /// (txid, vout) → spending tx (the last of several spenders wins).
    spenders: OnceLock<FxHashMap<(&'a str, u32), &'a Tx>>,
    /// address → txids that touch it (as input or output).
    touches: OnceLock<FxHashMap<&'a str, Vec<&'a str>>>,
    /// txid → position in chain order, when the order is known exactly.
    position: FxHashMap<&'a str, usize>,
    /// Every transaction of the chain is present (a closed synthetic world).
    closed: bool,
    /// Addresses whose full history is in the context.
    complete: BTreeSet<String>,
}

impl<'a> ChainContext<'a> {
    /// An empty context: every dynamic question is unknown.
    pub fn empty() -> ChainContext<'a> {
        ChainContext::default()
    }

    /// A context over `txs`; `complete` names addresses whose history was fetched completely.
    pub fn new(txs: &'a [Tx], complete: BTreeSet<String>) -> ChainContext<'a> {
        ChainContext {
            source: txs,
            complete,
            ..ChainContext::default()
        }
    }

    /// A closed world: `txs` is every transaction of the chain, in chain order (the sim).
    pub fn closed_world(txs: &'a [Tx]) -> ChainContext<'a> {
        let mut c = ChainContext::new(txs, BTreeSet::new());
        c.closed = true;
        c.position = txs
            .iter()
            .enumerate()
            .map(|(i, t)| (t.txid.as_str(), i))
            .collect();
        c
    }

    fn by_txid(&self) -> &FxHashMap<&'a str, &'a Tx> {
        self.txs.get_or_init(|| {
            let source: &'a [Tx] = self.source;
            source.iter().map(|t| (t.txid.as_str(), t)).collect()
        })
    }

    fn spenders(&self) -> &FxHashMap<(&'a str, u32), &'a Tx> {
        self.spenders.get_or_init(|| {
            let source: &'a [Tx] = self.source;
            let mut spenders = FxHashMap::default();
            for t in source {
                for i in &t.inputs {
                    if let (Some(p), Some(v)) = (i.prev_txid.as_deref(), i.prev_vout) {
                        spenders.insert((p, v), t);
                    }
                }
            }
            spenders
        })
    }

    fn touches(&self) -> &FxHashMap<&'a str, Vec<&'a str>> {
        self.touches.get_or_init(|| {
            let source: &'a [Tx] = self.source;
            let mut touches: FxHashMap<&'a str, Vec<&'a str>> = FxHashMap::default();
            for t in source {
                let addresses = t
                    .inputs
                    .iter()
                    .filter_map(|i| i.address.as_deref())
                    .chain(t.outputs.iter().filter_map(|o| o.address.as_deref()));
                for a in addresses {
                    let seen = touches.entry(a).or_default();
                    if seen.last() != Some(&t.txid.as_str()) {
                        seen.push(t.txid.as_str());
                    }
                }
            }
            touches
        })
    }

    pub fn tx(&self, txid: &str) -> Option<&'a Tx> {
        self.by_txid().get(txid).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.source.is_empty()
    }

    fn knows_all_of(&self, address: &str) -> bool {
        self.closed || self.complete.contains(address)
    }

    /// Who spends output `vout` of `txid`.
    pub fn spend(&self, txid: &str, vout: u32, address: Option<&str>) -> Spend<'a> {
        if let Some(t) = self.spenders().get(&(txid, vout)) {
            return Spend::Spent(t);
        }
        if address.is_some_and(|a| self.knows_all_of(a)) || self.closed {
            Spend::Unspent
        } else {
            Spend::Unknown
        }
    }

    /// Whether `tx` is the first transaction in which `address` appears.
    pub fn freshness(&self, tx: &Tx, address: &str) -> Freshness {
        let others: Vec<&str> = self
            .touches()
            .get(address)
            .map(|s| s.iter().copied().filter(|t| *t != tx.txid).collect())
            .unwrap_or_default();
        let mut undecided = false;
        for other in others {
            match self.earlier(other, tx) {
                Some(true) => return Freshness::Reused,
                Some(false) => {}
                None => undecided = true,
            }
        }
        if undecided || !self.knows_all_of(address) {
            Freshness::Unknown
        } else {
            Freshness::Fresh
        }
    }

    /// Whether transaction `other` came before `tx`; `None` when the context cannot order them.
    fn earlier(&self, other: &str, tx: &Tx) -> Option<bool> {
        if let (Some(a), Some(b)) = (
            self.position.get(other),
            self.position.get(tx.txid.as_str()),
        ) {
            return Some(a < b);
        }
        let o = self.by_txid().get(other)?;
        if tx
            .inputs
            .iter()
            .any(|i| i.prev_txid.as_deref() == Some(other))
        {
            return Some(true);
        }
        if o.inputs
            .iter()
            .any(|i| i.prev_txid.as_deref() == Some(tx.txid.as_str()))
        {
            return Some(false);
        }
        match (o.confirmation.block_height, tx.confirmation.block_height) {
            (Some(a), Some(b)) if a != b => Some(a < b),
            (Some(_), None) => Some(true),
            (None, Some(_)) => Some(false),
            _ => None,
        }
    }
}
