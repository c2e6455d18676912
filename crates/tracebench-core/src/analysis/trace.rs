//! Taint tracing over the case's UTXO transactions (heuristics.md §4): poison, haircut and FIFO,
//! forward (where did the money go) and backward (which outputs funded it), up to N hops, where
//! a hop is one transaction.
//!
//! The walk reads only the given transactions (the case). Transactions are visited in
//! topological order (a spender after the transaction that created the coin; ties by block
//! height, then txid); backward, in the reverse order. A transaction with any tainted input is
//! one hop further than the nearest of them and is processed only within the hop limit.
//!
//! Backward tracing runs the same per-transaction rules on the reversed transaction: its
//! outputs (in vout order) followed by the fee are the "inputs", its inputs (in vin order) the
//! "outputs". So backward FIFO maps an output's slice of the value stream onto the inputs that
//! filled it, and backward haircut splits it pro rata over the inputs.
//!
//! All amounts are integers (u64 satoshi, u128 intermediate products). Haircut shares are
//! floored per source; each source's rounding remainder goes to the largest output (ties: the
//! lowest vout), never past an output's value, then to the fee. Conservation is checked on every
//! trace: no output carries more taint than its value, and for haircut and FIFO the seeded amount
//! equals fees + taint held at the hop limit + unresolved (+ coinbase, backward). Poison
//! over-taints by definition, so its sum is reported, not required to balance.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hasher;

use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};

use crate::model::Tx;

/// How taint passes through a transaction (heuristics.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaintModel {
    /// Any tainted input taints every output and the fee entirely.
    Poison,
    /// Tainted value is spread pro rata over the outputs and the fee.
    Haircut,
    /// First in, first out (Clayton's case): outputs take value from the front of the inputs.
    Fifo,
}

impl TaintModel {
    pub fn as_str(self) -> &'static str {
        match self {
            TaintModel::Poison => "poison",
            TaintModel::Haircut => "haircut",
            TaintModel::Fifo => "fifo",
        }
    }

    pub fn parse(s: &str) -> Option<TaintModel> {
        match s {
            "poison" => Some(TaintModel::Poison),
            "haircut" => Some(TaintModel::Haircut),
            "fifo" => Some(TaintModel::Fifo),
            _ => None,
        }
    }
}

/// Which way the trace walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TraceDirection {
    /// From the seeds to where their value went.
    Forward,
    /// From the seeds to the outputs that funded them.
    Backward,
}

/// Where a trace starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceStart {
    /// Chosen outputs, `(txid, vout)`.
    Outputs(Vec<(String, u32)>),
    /// Every output the address received in the case.
    Address(String),
    /// Every output any member of an entity (e.g. a cluster) received in the case, named by
    /// the entity's id for messages.
    Entity { id: String, members: Vec<String> },
    /// An account-model token transfer `eip155:<chainid>:<txhash>:<logIndex>` (traced by
    /// [`super::account_trace`]); `chain` is the CAIP-2 id `eip155:<chainid>`.
    Transfer {
        chain: String,
        txid: String,
        log_index: u32,
    },
}

impl TraceStart {
    /// `<txid>:<vout>` (64 hex digits, a decimal index), `eip155:<chainid>:<txhash>:<logIndex>`
    /// (a decimal chain id, `0x` and 64 hex digits, a decimal log index), or else an address.
    pub fn parse(s: &str) -> TraceStart {
        let parts: Vec<&str> = s.split(':').collect();
        if let ["eip155", chain, txid, log] = parts.as_slice() {
            let hash = txid.strip_prefix("0x").unwrap_or("");
            if !chain.is_empty()
                && chain.bytes().all(|b| b.is_ascii_digit())
                && hash.len() == 64
                && hash.chars().all(|c| c.is_ascii_hexdigit())
            {
                if let Ok(log_index) = log.parse::<u32>() {
                    return TraceStart::Transfer {
                        chain: format!("eip155:{chain}"),
                        txid: txid.to_ascii_lowercase(),
                        log_index,
                    };
                }
            }
        }
        if let Some((txid, vout)) = s.rsplit_once(':') {
            if txid.len() == 64 && txid.chars().all(|c| c.is_ascii_hexdigit()) {
                if let Ok(v) = vout.parse::<u32>() {
                    return TraceStart::Outputs(vec![(txid.to_ascii_lowercase(), v)]);
                }
            }
        }
        TraceStart::Address(s.to_string())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TraceError {
    #[error("the case holds no output {0}")]
    UnknownOutput(String),
    #[error("the case holds no output paying {0}")]
    UnknownAddress(String),
    #[error("nothing to trace: no start output given")]
    NoStart,
    #[error("taint conservation violated: {0}")]
    Conservation(String),
    #[error("{0} is an account-model transfer: trace it over the case's account transfers")]
    AccountStart(String),
}

/// One seed: a chosen output, 100 % tainted, and the source label its taint carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceSource {
    /// `<txid>:<vout>`.
    pub outpoint: String,
    pub address: Option<String>,
    pub value: u64,
}

/// What became of a tainted output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputStatus {
    /// Its taint moved on through a transaction of the trace.
    Passed,
    /// The next transaction is in the case but beyond the hop limit.
    HopLimit,
    /// Forward: its spending is not in the case (unspent, or spent outside the case).
    /// Backward: the transaction that created it is not in the case.
    Unresolved,
    /// Backward only: newly minted coins (a coinbase input), the end of every backward trail.
    Coinbase,
    /// It pays an address the trace was told to stop at ([`trace_until`], e.g. a service), or
    /// its next transaction is one the trace was told not to pass through ([`trace_with`], e.g.
    /// a CoinJoin): its taint is counted there and not followed further.
    Stopped,
}

/// A source's share of a traced output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceShare {
    /// `<txid>:<vout>` of the seed.
    pub source: String,
    /// Satoshi of this output attributed to the seed (poison: the whole output).
    pub amount: u64,
}

/// An output the trace reached, with its taint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TracedOutput {
    /// `<txid>:<vout>`, or `coinbase:<txid>:<vin>` for a coinbase input (backward).
    pub outpoint: String,
    pub txid: String,
    pub vout: Option<u32>,
    pub address: Option<String>,
    pub value: u64,
    /// Tainted satoshi (≤ value).
    pub tainted: u64,
    /// Transactions between the seed and this output (0 for a seed).
    pub hop: u32,
    pub status: OutputStatus,
    pub sources: Vec<SourceShare>,
}

/// Tainted value received per address, summed over its reached outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TracedAddress {
    pub address: String,
    pub tainted: u64,
    pub outputs: usize,
    /// The nearest hop at which the address was reached.
    pub hop: u32,
}

/// A transaction the trace passed through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TracedTx {
    pub txid: String,
    pub hop: u32,
    /// Tainted satoshi entering the transaction (in the walk's direction).
    pub tainted_in: u64,
    /// Tainted satoshi that went to the miner (forward only).
    pub fee_tainted: u64,
}

/// The conservation account of a trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conservation {
    /// Σ seed values.
    pub seeded: u64,
    pub fees: u64,
    /// Taint at outputs whose next transaction lies beyond the hop limit.
    pub held_at_hop_limit: u64,
    pub unresolved: u64,
    /// Outputs counted as `unresolved`.
    pub unresolved_outputs: usize,
    pub coinbase: u64,
    /// Taint at outputs paying a stop address ([`trace_until`]) or waiting before a stop
    /// transaction ([`trace_with`]); 0 for [`trace`].
    #[serde(default)]
    pub stopped: u64,
    /// seeded = fees + held_at_hop_limit + unresolved + coinbase + stopped (required for haircut
    /// and FIFO; poison taints whole outputs and so usually exceeds the seed).
    pub balanced: bool,
}

/// The result of a trace, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    pub model: TaintModel,
    pub direction: TraceDirection,
    pub max_hops: u32,
    /// The trace reads only the case (no fetching).
    pub offline: bool,
    pub sources: Vec<TraceSource>,
    /// Ordered by (hop, outpoint).
    pub outputs: Vec<TracedOutput>,
    /// Ordered by address.
    pub addresses: Vec<TracedAddress>,
    /// Ordered by (hop, txid).
    pub txs: Vec<TracedTx>,
    pub conservation: Conservation,
}

impl Trace {
    /// The traced output `txid:vout`, if the trace reached it.
    pub fn output(&self, outpoint: &str) -> Option<&TracedOutput> {
        self.outputs.iter().find(|o| o.outpoint == outpoint)
    }

    /// The tainted value an address received, if the trace reached it.
    pub fn address(&self, address: &str) -> Option<&TracedAddress> {
        self.addresses.iter().find(|a| a.address == address)
    }
}

/// A coin the walk can hold taint on.
#[derive(Debug, Clone)]
struct Slot {
    id: String,
    txid: String,
    vout: Option<u32>,
    address: Option<String>,
    value: u64,
    /// False for the fee slot of a reversed transaction, which never carries taint in.
    tracked: bool,
}

/// One transaction in the walk's direction.
#[derive(Debug)]
struct Step {
    txid: String,
    ins: Vec<Slot>,
    outs: Vec<Slot>,
    fee: u64,
}

/// Taint on one coin: per-source amounts, and for FIFO the ordered segments (None = clean).
#[derive(Debug, Clone, Default)]
struct Taint {
    by_source: BTreeMap<u32, u64>,
    segments: Vec<(Option<u32>, u64)>,
}

impl Taint {
    fn amount(&self, model: TaintModel, value: u64) -> u64 {
        match model {
            TaintModel::Poison if !self.by_source.is_empty() => value,
            TaintModel::Poison => 0,
            _ => self.by_source.values().sum(),
        }
    }

    fn seed(model: TaintModel, source: u32, value: u64) -> Taint {
        Taint {
            by_source: BTreeMap::from([(source, value)]),
            segments: if model == TaintModel::Fifo {
                vec![(Some(source), value)]
            } else {
                Vec::new()
            },
        }
    }
}

/// Per-source taint amounts, by source index.
type Shares = BTreeMap<u32, u64>;
/// FIFO segments in order: `(source, amount)`, `None` for clean value.
type Segments = Vec<(Option<u32>, u64)>;

fn outpoint(txid: &str, vout: u32) -> String {
    format!("{txid}:{vout}")
}

/// Kahn's algorithm over `by_id`: the creator of a coin before its spender; among the ready ones,
/// by (block height, unconfirmed last; txid). Fewer transactions come out than `by_id` holds when
/// they contain a cycle (impossible in valid data).
fn kahn<'t>(by_id: &BTreeMap<&'t str, &'t Tx>) -> Vec<&'t Tx> {
    let mut indegree: BTreeMap<&str, usize> = by_id.keys().map(|k| (*k, 0)).collect();
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in by_id.values() {
        let parents: BTreeSet<&str> = t
            .inputs
            .iter()
            .filter_map(|i| i.prev_txid.as_deref())
            .filter(|p| by_id.contains_key(p) && *p != t.txid)
            .collect();
        for p in parents {
            *indegree.entry(t.txid.as_str()).or_default() += 1;
            children.entry(p).or_default().push(t.txid.as_str());
        }
    }
    let mut ready: BTreeSet<((u64, String), &str)> = indegree
        .iter()
        .filter(|(_, d)| **d == 0)
        .map(|(id, _)| (topological_key(by_id[id]), *id))
        .collect();
    let mut out = Vec::with_capacity(by_id.len());
    while let Some((_, id)) = ready.pop_first() {
        out.push(by_id[id]);
        for c in children.get(id).into_iter().flatten() {
            let d = indegree.get_mut(c).expect("every child is one of the txs");
            *d -= 1;
            if *d == 0 {
                ready.insert((topological_key(by_id[c]), c));
            }
        }
    }
    out
}

fn topological_key(t: &Tx) -> (u64, String) {
    (
        t.confirmation.block_height.unwrap_or(u64::MAX),
        t.txid.clone(),
    )
}

/// Transactions in topological order ([`kahn`]); on a cycle the leftovers follow in key order.
fn topological(txs: &[Tx]) -> Vec<&Tx> {
    let by_id: BTreeMap<&str, &Tx> = txs.iter().map(|t| (t.txid.as_str(), t)).collect();
    let mut out = kahn(&by_id);
    // A cycle cannot occur in valid data; any leftovers keep their key order.
    if out.len() < by_id.len() {
        let seen: BTreeSet<&str> = out.iter().map(|t| t.txid.as_str()).collect();
        let mut rest: Vec<&Tx> = by_id
            .values()
            .filter(|t| !seen.contains(t.txid.as_str()))
            .copied()
            .collect();
        rest.sort_by_key(|t| topological_key(t));
        out.extend(rest);
    }
    out
}

fn input_slot(t: &Tx, i: &crate::model::TxInput) -> Slot {
    match (&i.prev_txid, i.prev_vout) {
        (Some(p), Some(v)) if !i.is_coinbase => Slot {
            id: outpoint(p, v),
            txid: p.clone(),
            vout: Some(v),
            address: i.address.clone(),
            value: i.value,
            tracked: true,
        },
        _ => Slot {
            id: format!("coinbase:{}:{}", t.txid, i.index),
            txid: t.txid.clone(),
            vout: None,
            address: None,
            value: i.value,
            tracked: true,
        },
    }
}

fn output_slots(t: &Tx) -> Vec<Slot> {
    t.outputs.iter().map(|o| output_slot(t, o)).collect()
}

fn output_slot(t: &Tx, o: &crate::model::TxOutput) -> Slot {
    Slot {
        id: outpoint(&t.txid, o.index),
        txid: t.txid.clone(),
        vout: Some(o.index),
        address: o.address.clone(),
        value: o.value,
        tracked: true,
    }
}

fn steps(txs: &[Tx], direction: TraceDirection) -> Vec<Step> {
    let order = topological(txs);
    let mut steps: Vec<Step> = order.into_iter().map(|t| step(t, direction)).collect();
    if direction == TraceDirection::Backward {
        steps.reverse();
    }
    steps
}

/// One transaction as the walk sees it in `direction`.
fn step(t: &Tx, direction: TraceDirection) -> Step {
    {
        {
            let fee = t.input_sum().saturating_sub(t.output_sum());
            let mut inputs: Vec<Slot> = t.inputs.iter().map(|i| input_slot(t, i)).collect();
            if direction == TraceDirection::Backward {
                // A coinbase input carries no value on the wire; walking back, it is where the
                // minted value (the outputs less any other inputs) came from.
                let minted = t.output_sum().saturating_sub(t.input_sum());
                for (slot, i) in inputs.iter_mut().zip(&t.inputs) {
                    if i.is_coinbase || i.prev_txid.is_none() {
                        slot.value = minted;
                        break;
                    }
                }
            }
            let outputs = output_slots(t);
            match direction {
                TraceDirection::Forward => Step {
                    txid: t.txid.clone(),
                    ins: inputs,
                    outs: outputs,
                    fee,
                },
                TraceDirection::Backward => {
                    let mut ins = outputs;
                    ins.push(Slot {
                        id: format!("fee:{}", t.txid),
                        txid: t.txid.clone(),
                        vout: None,
                        address: None,
                        value: fee,
                        tracked: false,
                    });
                    Step {
                        txid: t.txid.clone(),
                        ins,
                        outs: inputs,
                        fee: 0,
                    }
                }
            }
        }
    }
}

/// The transactions a trace walks, in the walk's order, and who produces and consumes a slot.
///
/// A trace touches only what it can reach: from the seeds, the spenders of tainted coins
/// (backward: their creators), at most `max_hops` transactions deep, found through an outpoint
/// index built once over the case. A transaction further away cannot be within the hop limit
/// (a hop is never nearer than the walk's distance), so it cannot change the result. The reached
/// transactions keep the topological order of the whole case among themselves. When the case
/// holds duplicate txids, coins spent twice or a cycle among the reached transactions, the
/// walk falls back to every transaction of the case, whose order settles those ambiguities.
struct Walk<'t> {
    steps: Vec<Step>,
    /// Slot id → the step producing it in the walk's direction (the first such step).
    producer: HashMap<String, usize>,
    consumers: Consumers<'t>,
}

/// Who consumes a slot (takes it in, in the walk's direction).
enum Consumers<'t> {
    /// Every transaction was walked: slot id → txid of the first step consuming it.
    Steps(HashMap<String, String>),
    /// Only the reached transactions were walked: ask the case's index.
    Index(CaseIndex<'t>, TraceDirection),
}

/// The case's transactions by txid and by the outpoints they spend, built only when the case is
/// unambiguous: txids unique and no coin spent twice.
///
/// Compact: two sorted vectors of a 64-bit hash of the txid and positions in the case, never
/// the strings, so building them reads each txid once, writes small entries one after the
/// other and sorts them (far kinder to the memory of a large case than inserting into a hash
/// table), and a lookup is a binary search. Two different txids with the same hash count as
/// ambiguous too (the walk then takes every transaction, which gives the same result, only
/// slower), so in a built index a hash names at most one txid and a lookup only has to confirm
/// the candidate it finds.
struct CaseIndex<'t> {
    txs: &'t [Tx],
    /// (hash of a txid, position of the transaction), sorted.
    by_id: Vec<(u64, u32)>,
    /// (hash of a txid, vout, position of the transaction spending that output), sorted.
    spenders: Vec<(u64, u32, u32)>,
}

/// The 64-bit hash [`CaseIndex`] keys txids by.
fn txid_hash(txid: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(txid.as_bytes());
    h.finish()
}

impl<'t> CaseIndex<'t> {
    fn new(txs: &'t [Tx]) -> Option<CaseIndex<'t>> {
        let n_inputs: usize = txs.iter().map(|t| t.inputs.len()).sum();
        let mut by_id: Vec<(u64, u32)> = Vec::with_capacity(txs.len());
        let mut spenders: Vec<(u64, u32, u32)> = Vec::with_capacity(n_inputs);
        for (k, t) in txs.iter().enumerate() {
            let k = u32::try_from(k).ok()?;
            by_id.push((txid_hash(&t.txid), k));
            for i in &t.inputs {
                if let (Some(p), Some(v), false) =
                    (i.prev_txid.as_deref(), i.prev_vout, i.is_coinbase)
                {
                    spenders.push((txid_hash(p), v, k));
                }
            }
        }
        by_id.sort_unstable();
        spenders.sort_unstable();
        // A repeated hash is a duplicate txid (or a collision); a repeated (hash, vout) a coin
        // spent twice (or a collision).
        if by_id.windows(2).any(|w| w[0].0 == w[1].0)
            || spenders
                .windows(2)
                .any(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1))
        {
            return None;
        }
        Some(CaseIndex {
            txs,
            by_id,
            spenders,
        })
    }

    /// The transaction `txid`, when the case holds it.
    fn tx(&self, txid: &str) -> Option<&'t Tx> {
        let h = txid_hash(txid);
        let at = self.by_id.binary_search_by_key(&h, |e| e.0).ok()?;
        let t = &self.txs[self.by_id[at].1 as usize];
        (t.txid == txid).then_some(t)
    }

    /// The transaction spending output `vout` of `txid`, when the case holds it.
    fn spender(&self, txid: &str, vout: u32) -> Option<&'t Tx> {
        let key = (txid_hash(txid), vout);
        let at = self
            .spenders
            .binary_search_by(|e| (e.0, e.1).cmp(&key))
            .ok()?;
        let t = &self.txs[self.spenders[at].2 as usize];
        t.inputs
            .iter()
            .any(|i| {
                !i.is_coinbase && i.prev_vout == Some(vout) && i.prev_txid.as_deref() == Some(txid)
            })
            .then_some(t)
    }

    /// The transaction that creates output `vout` of `txid`, when the case holds it.
    fn creator(&self, txid: &str, vout: u32) -> Option<&'t Tx> {
        self.tx(txid)
            .filter(|t| t.outputs.iter().any(|o| o.index == vout))
    }

    /// The transactions within `max_hops` of the seed coins in `direction`, by txid.
    fn reach(
        &self,
        seeds: &[Slot],
        direction: TraceDirection,
        max_hops: u32,
    ) -> BTreeMap<&'t str, &'t Tx> {
        let mut reached: BTreeMap<&'t str, &'t Tx> = BTreeMap::new();
        let mut frontier: Vec<(&str, u32)> = seeds
            .iter()
            .filter_map(|s| s.vout.map(|v| (s.txid.as_str(), v)))
            .collect();
        for _ in 0..max_hops {
            let mut next: Vec<(&str, u32)> = Vec::new();
            for (txid, vout) in frontier {
                let taker = match direction {
                    TraceDirection::Forward => self.spender(txid, vout),
                    TraceDirection::Backward => self.creator(txid, vout),
                };
                let Some(t) = taker else { continue };
                if reached.insert(t.txid.as_str(), t).is_some() {
                    continue;
                }
                match direction {
                    TraceDirection::Forward => {
                        next.extend(t.outputs.iter().map(|o| (t.txid.as_str(), o.index)));
                    }
                    TraceDirection::Backward => {
                        next.extend(t.inputs.iter().filter_map(|i| {
                            match (i.prev_txid.as_deref(), i.prev_vout, i.is_coinbase) {
                                (Some(p), Some(v), false) => Some((p, v)),
                                _ => None,
                            }
                        }))
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        reached
    }
}

/// `by_id` in topological order ([`kahn`]); `None` on a cycle.
fn topological_subset<'t>(by_id: &BTreeMap<&'t str, &'t Tx>) -> Option<Vec<&'t Tx>> {
    let out = kahn(by_id);
    (out.len() == by_id.len()).then_some(out)
}

impl<'t> Walk<'t> {
    fn new(txs: &'t [Tx], seeds: &[Slot], direction: TraceDirection, max_hops: u32) -> Walk<'t> {
        if let Some(index) = CaseIndex::new(txs) {
            let reached = index.reach(seeds, direction, max_hops);
            if let Some(order) = topological_subset(&reached) {
                let mut steps: Vec<Step> = order.into_iter().map(|t| step(t, direction)).collect();
                if direction == TraceDirection::Backward {
                    steps.reverse();
                }
                let mut producer: HashMap<String, usize> = HashMap::new();
                for (k, st) in steps.iter().enumerate() {
                    for s in &st.outs {
                        producer.entry(s.id.clone()).or_insert(k);
                    }
                }
                return Walk {
                    steps,
                    producer,
                    consumers: Consumers::Index(index, direction),
                };
            }
        }
        Walk::whole(txs, direction)
    }

    /// Every transaction of the case, in topological order.
    fn whole(txs: &[Tx], direction: TraceDirection) -> Walk<'t> {
        let steps = steps(txs, direction);
        let mut producer: HashMap<String, usize> = HashMap::new();
        let mut consumer: HashMap<String, String> = HashMap::new();
        for (k, st) in steps.iter().enumerate() {
            for s in &st.outs {
                producer.entry(s.id.clone()).or_insert(k);
            }
            for s in st.ins.iter().filter(|s| s.tracked) {
                consumer
                    .entry(s.id.clone())
                    .or_insert_with(|| st.txid.clone());
            }
        }
        Walk {
            steps,
            producer,
            consumers: Consumers::Steps(consumer),
        }
    }

    /// The txid of the transaction that takes `slot` in, in the walk's direction.
    fn consumer(&self, slot: &Slot) -> Option<&str> {
        match &self.consumers {
            Consumers::Steps(map) => map.get(&slot.id).map(String::as_str),
            Consumers::Index(index, direction) => {
                let t = match (direction, slot.vout) {
                    (_, _) if !slot.tracked => None,
                    // A coinbase slot is taken in by its own transaction, forward only.
                    (TraceDirection::Forward, None) => index.tx(&slot.txid),
                    (TraceDirection::Forward, Some(v)) => index.spender(&slot.txid, v),
                    (TraceDirection::Backward, Some(v)) => index.creator(&slot.txid, v),
                    (TraceDirection::Backward, None) => None,
                };
                t.map(|t| t.txid.as_str())
            }
        }
    }
}

/// Resolves the start to seed outputs `(outpoint, slot)` in outpoint order.
fn seeds(txs: &[Tx], start: &TraceStart) -> Result<Vec<Slot>, TraceError> {
    let mut found: BTreeMap<String, Slot> = BTreeMap::new();
    match start {
        TraceStart::Outputs(outs) => {
            if outs.is_empty() {
                return Err(TraceError::NoStart);
            }
            // Only the transactions named, the last of duplicates winning as in a full index.
            let wanted: BTreeSet<&str> = outs.iter().map(|(t, _)| t.as_str()).collect();
            let by_id: BTreeMap<&str, &Tx> = txs
                .iter()
                .filter(|t| wanted.contains(t.txid.as_str()))
                .map(|t| (t.txid.as_str(), t))
                .collect();
            for (txid, vout) in outs {
                let slot = by_id
                    .get(txid.as_str())
                    .and_then(|t| output_slots(t).into_iter().find(|s| s.vout == Some(*vout)))
                    .ok_or_else(|| TraceError::UnknownOutput(outpoint(txid, *vout)))?;
                found.insert(slot.id.clone(), slot);
            }
        }
        TraceStart::Address(a) => {
            for t in txs {
                for o in &t.outputs {
                    if o.address.as_deref() == Some(a.as_str()) {
                        let s = output_slot(t, o);
                        found.insert(s.id.clone(), s);
                    }
                }
            }
            if found.is_empty() {
                return Err(TraceError::UnknownAddress(a.clone()));
            }
        }
        TraceStart::Transfer {
            chain,
            txid,
            log_index,
        } => {
            return Err(TraceError::AccountStart(format!(
                "{chain}:{txid}:{log_index}"
            )))
        }
        TraceStart::Entity { id, members } => {
            let members: std::collections::BTreeSet<&str> =
                members.iter().map(String::as_str).collect();
            for t in txs {
                for o in &t.outputs {
                    if o.address.as_deref().is_some_and(|a| members.contains(a)) {
                        let s = output_slot(t, o);
                        found.insert(s.id.clone(), s);
                    }
                }
            }
            if found.is_empty() {
                return Err(TraceError::UnknownAddress(id.clone()));
            }
        }
    }
    Ok(found.into_values().collect())
}

/// Splits each source's `amount` over `outs` (values) and the fee, pro rata to value; floors,
/// then the remainder to the largest output first (ties: lowest position), capped at each
/// output's value, then to the fee. Returns per-output per-source shares and the fee's.
fn haircut_split(
    totals: &BTreeMap<u32, u64>,
    outs: &[u64],
    fee: u64,
) -> Result<(Vec<Shares>, Shares), TraceError> {
    let v: u128 = outs.iter().map(|o| u128::from(*o)).sum::<u128>() + u128::from(fee);
    let mut shares: Vec<BTreeMap<u32, u64>> = vec![BTreeMap::new(); outs.len()];
    let mut fee_shares: BTreeMap<u32, u64> = BTreeMap::new();
    let mut used: Vec<u64> = vec![0; outs.len()];
    let mut fee_used: u64 = 0;
    let mut by_size: Vec<usize> = (0..outs.len()).collect();
    by_size.sort_by(|a, b| outs[*b].cmp(&outs[*a]).then(a.cmp(b)));
    let mut rests: Vec<(u32, u64)> = Vec::with_capacity(totals.len());
    for (s, amount) in totals {
        if *amount == 0 {
            continue;
        }
        if v == 0 {
            return Err(TraceError::Conservation(format!(
                "{amount} sat of taint enter a transaction of no value"
            )));
        }
        let t = u128::from(*amount);
        let mut given: u64 = 0;
        for (k, o) in outs.iter().enumerate() {
            let part = (t * u128::from(*o) / v) as u64;
            if part > 0 {
                *shares[k].entry(*s).or_default() += part;
                used[k] += part;
                given += part;
            }
        }
        let fee_part = (t * u128::from(fee) / v) as u64;
        if fee_part > 0 {
            *fee_shares.entry(*s).or_default() += fee_part;
            fee_used += fee_part;
            given += fee_part;
        }
        rests.push((*s, amount - given));
    }
    // Remainders only after every source's floor parts are placed: the floors of all sources
    // together never exceed an output (total taint ≤ value), so room below is never negative.
    for (s, mut rest) in rests {
        for k in &by_size {
            if rest == 0 {
                break;
            }
            let room = outs[*k].saturating_sub(used[*k]);
            let part = room.min(rest);
            if part > 0 {
                *shares[*k].entry(s).or_default() += part;
                used[*k] += part;
                rest -= part;
            }
        }
        if rest > 0 {
            let part = fee.saturating_sub(fee_used).min(rest);
            if part > 0 {
                *fee_shares.entry(s).or_default() += part;
                fee_used += part;
                rest -= part;
            }
        }
        if rest > 0 {
            return Err(TraceError::Conservation(format!(
                "{rest} sat of taint exceed the value of the transaction"
            )));
        }
    }
    Ok((shares, fee_shares))
}

/// Takes `outs` (values) from the front of `stream` in order; what is left is the fee.
fn fifo_split(stream: Vec<(Option<u32>, u64)>, outs: &[u64]) -> (Vec<Segments>, Segments) {
    let mut stream = stream.into_iter().filter(|(_, a)| *a > 0);
    let mut current: Option<(Option<u32>, u64)> = stream.next();
    let mut result = Vec::with_capacity(outs.len());
    for value in outs {
        let mut need = *value;
        let mut segs: Vec<(Option<u32>, u64)> = Vec::new();
        while need > 0 {
            let Some((label, avail)) = current else {
                // Inputs ran out (inconsistent data): the rest of the output is clean.
                push_segment(&mut segs, None, need);
                break;
            };
            let take = avail.min(need);
            push_segment(&mut segs, label, take);
            need -= take;
            current = if take == avail {
                stream.next()
            } else {
                Some((label, avail - take))
            };
        }
        result.push(segs);
    }
    let mut fee: Vec<(Option<u32>, u64)> = Vec::new();
    if let Some((label, a)) = current {
        push_segment(&mut fee, label, a);
    }
    for (label, a) in stream {
        push_segment(&mut fee, label, a);
    }
    (result, fee)
}

fn push_segment(segs: &mut Vec<(Option<u32>, u64)>, label: Option<u32>, amount: u64) {
    if amount == 0 {
        return;
    }
    match segs.last_mut() {
        Some((l, a)) if *l == label => *a += amount,
        _ => segs.push((label, amount)),
    }
}

fn from_segments(segments: Vec<(Option<u32>, u64)>) -> Taint {
    let mut by_source = BTreeMap::new();
    for (label, a) in &segments {
        if let Some(s) = label {
            *by_source.entry(*s).or_default() += a;
        }
    }
    Taint {
        by_source,
        segments,
    }
}

/// Traces taint through `txs` (the case) from `start`.
pub fn trace(
    txs: &[Tx],
    start: &TraceStart,
    model: TaintModel,
    direction: TraceDirection,
    max_hops: u32,
) -> Result<Trace, TraceError> {
    trace_until(txs, start, model, direction, max_hops, &BTreeSet::new())
}

/// [`trace`], except that taint reaching an output that pays one of `stop_at` (beyond the
/// seeds, hop ≥ 1) stays there: the output is [`OutputStatus::Stopped`], its taint counted in
/// [`Conservation::stopped`], and it taints nothing further (FIFO sees it as clean value).
/// Exposure uses this to stop at services.
pub fn trace_until(
    txs: &[Tx],
    start: &TraceStart,
    model: TaintModel,
    direction: TraceDirection,
    max_hops: u32,
    stop_at: &BTreeSet<String>,
) -> Result<Trace, TraceError> {
    trace_with(
        txs,
        start,
        model,
        direction,
        max_hops,
        stop_at,
        &BTreeSet::new(),
    )
}

/// [`trace_until`], and besides the walk does not pass through the transactions in
/// `stop_txs` (e.g. the CoinJoins a detector finds): taint on a coin such a transaction spends
/// (backward: on an output it created) stays on that coin, [`OutputStatus::Stopped`], counted
/// in [`Conservation::stopped`]. Sensitivity analysis uses this to show what a CoinJoin
/// detector changes about a trace.
pub fn trace_with(
    txs: &[Tx],
    start: &TraceStart,
    model: TaintModel,
    direction: TraceDirection,
    max_hops: u32,
    stop_at: &BTreeSet<String>,
    stop_txs: &BTreeSet<String>,
) -> Result<Trace, TraceError> {
    let seed_slots = seeds(txs, start)?;
    let walk = Walk::new(txs, &seed_slots, direction, max_hops);
    walk_taint(
        &walk,
        &seed_slots,
        model,
        direction,
        max_hops,
        stop_at,
        stop_txs,
    )
}

/// The trace itself: taint from `seed_slots` carried along `walk`.
fn walk_taint(
    walk: &Walk<'_>,
    seed_slots: &[Slot],
    model: TaintModel,
    direction: TraceDirection,
    max_hops: u32,
    stop_at: &BTreeSet<String>,
    stop_txs: &BTreeSet<String>,
) -> Result<Trace, TraceError> {
    let stopped = |slot: &Slot, hop: u32| {
        hop > 0 && slot.address.as_ref().is_some_and(|a| stop_at.contains(a))
    };
    let source_index: BTreeMap<String, u32> = seed_slots
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i as u32))
        .collect();
    let steps = &walk.steps;
    let producer = &walk.producer;

    let mut taint: BTreeMap<String, (Taint, u32, Slot)> = BTreeMap::new();
    let mut seeded_ids: BTreeSet<String> = BTreeSet::new();
    let mut pending: BTreeMap<usize, Vec<&Slot>> = BTreeMap::new();
    for s in seed_slots {
        match producer.get(s.id.as_str()) {
            Some(k) => pending.entry(*k).or_default().push(s),
            None => {
                taint.insert(
                    s.id.clone(),
                    (
                        Taint::seed(model, source_index[&s.id], s.value),
                        0,
                        s.clone(),
                    ),
                );
                seeded_ids.insert(s.id.clone());
            }
        }
    }

    let mut consumed: BTreeSet<String> = BTreeSet::new();
    let mut traced_txs: Vec<TracedTx> = Vec::new();
    let mut fees: u64 = 0;
    for (k, st) in steps.iter().enumerate() {
        let tainted: Vec<usize> = (0..st.ins.len())
            .filter(|i| {
                st.ins[*i].tracked
                    && taint
                        .get(&st.ins[*i].id)
                        .is_some_and(|(_, h, sl)| !stopped(sl, *h))
            })
            .collect();
        let hop = tainted.iter().map(|i| taint[&st.ins[*i].id].1).min();
        let applied = !stop_txs.contains(&st.txid) && matches!(hop, Some(h) if h < max_hops);
        if let (true, Some(h)) = (applied, hop) {
            let hop = h + 1;
            let out_values: Vec<u64> = st.outs.iter().map(|s| s.value).collect();
            let tainted_in: u64 = tainted
                .iter()
                .map(|i| {
                    let (t, _, s) = &taint[&st.ins[*i].id];
                    t.amount(model, s.value)
                })
                .sum();
            let (out_taints, fee_taint): (Vec<Taint>, u64) = match model {
                TaintModel::Poison => {
                    let sources: BTreeSet<u32> = tainted
                        .iter()
                        .flat_map(|i| taint[&st.ins[*i].id].0.by_source.keys().copied())
                        .collect();
                    let outs = st
                        .outs
                        .iter()
                        .map(|s| Taint {
                            by_source: sources.iter().map(|src| (*src, s.value)).collect(),
                            segments: Vec::new(),
                        })
                        .collect();
                    (outs, st.fee)
                }
                TaintModel::Haircut => {
                    let mut totals: BTreeMap<u32, u64> = BTreeMap::new();
                    for i in &tainted {
                        for (src, a) in &taint[&st.ins[*i].id].0.by_source {
                            *totals.entry(*src).or_default() += a;
                        }
                    }
                    let (shares, fee_shares) = haircut_split(&totals, &out_values, st.fee)?;
                    let outs = shares
                        .into_iter()
                        .map(|by_source| Taint {
                            by_source,
                            segments: Vec::new(),
                        })
                        .collect();
                    (outs, fee_shares.values().sum())
                }
                TaintModel::Fifo => {
                    let mut stream: Vec<(Option<u32>, u64)> = Vec::new();
                    for s in &st.ins {
                        match taint
                            .get(&s.id)
                            .filter(|(_, h, sl)| s.tracked && !stopped(sl, *h))
                        {
                            Some((t, _, _)) => stream.extend(t.segments.iter().copied()),
                            None => stream.push((None, s.value)),
                        }
                    }
                    let (outs, fee) = fifo_split(stream, &out_values);
                    let fee_taint = fee
                        .iter()
                        .filter(|(l, _)| l.is_some())
                        .map(|(_, a)| a)
                        .sum();
                    (outs.into_iter().map(from_segments).collect(), fee_taint)
                }
            };
            fees += fee_taint;
            for i in &tainted {
                consumed.insert(st.ins[*i].id.clone());
            }
            for (s, t) in st.outs.iter().zip(out_taints) {
                if t.amount(model, s.value) > 0 {
                    taint.insert(s.id.clone(), (t, hop, s.clone()));
                }
            }
            traced_txs.push(TracedTx {
                txid: st.txid.clone(),
                hop,
                tainted_in,
                fee_tainted: fee_taint,
            });
        }
        // Seeds this step produces: reached ones are traced as reached, not seeded twice.
        if let Some(ps) = pending.remove(&k) {
            for s in ps {
                if !applied {
                    taint.insert(
                        s.id.clone(),
                        (
                            Taint::seed(model, source_index[&s.id], s.value),
                            0,
                            s.clone(),
                        ),
                    );
                    seeded_ids.insert(s.id.clone());
                }
            }
        }
    }

    let sources: Vec<TraceSource> = seed_slots
        .iter()
        .map(|s| TraceSource {
            outpoint: s.id.clone(),
            address: s.address.clone(),
            value: s.value,
        })
        .collect();
    let seeded: u64 = seed_slots
        .iter()
        .filter(|s| seeded_ids.contains(&s.id))
        .map(|s| s.value)
        .sum();
    let mut outputs: Vec<TracedOutput> = Vec::new();
    let (mut held, mut unresolved, mut unresolved_outputs, mut coinbase) = (0u64, 0u64, 0, 0u64);
    let mut stopped_sum: u64 = 0;
    for (id, (t, hop, slot)) in &taint {
        let tainted = t.amount(model, slot.value);
        if tainted > slot.value {
            return Err(TraceError::Conservation(format!(
                "{id} carries {tainted} sat of taint but holds {} sat",
                slot.value
            )));
        }
        let consumer = walk.consumer(slot);
        let blocked = consumer.is_some_and(|txid| stop_txs.contains(txid));
        let status = if consumed.contains(id) {
            OutputStatus::Passed
        } else if stopped(slot, *hop) || blocked {
            stopped_sum += tainted;
            OutputStatus::Stopped
        } else if id.starts_with("coinbase:") {
            coinbase += tainted;
            OutputStatus::Coinbase
        } else if consumer.is_some() {
            held += tainted;
            OutputStatus::HopLimit
        } else {
            unresolved += tainted;
            unresolved_outputs += 1;
            OutputStatus::Unresolved
        };
        outputs.push(TracedOutput {
            outpoint: id.clone(),
            txid: slot.txid.clone(),
            vout: slot.vout,
            address: slot.address.clone(),
            value: slot.value,
            tainted,
            hop: *hop,
            status,
            sources: t
                .by_source
                .iter()
                .map(|(src, a)| SourceShare {
                    source: seed_slots[*src as usize].id.clone(),
                    amount: *a,
                })
                .collect(),
        });
    }
    outputs.sort_by(|a, b| (a.hop, &a.outpoint).cmp(&(b.hop, &b.outpoint)));
    traced_txs.sort_by(|a, b| (a.hop, &a.txid).cmp(&(b.hop, &b.txid)));
    let mut addresses: BTreeMap<String, TracedAddress> = BTreeMap::new();
    for o in &outputs {
        if let Some(a) = &o.address {
            let e = addresses.entry(a.clone()).or_insert(TracedAddress {
                address: a.clone(),
                tainted: 0,
                outputs: 0,
                hop: o.hop,
            });
            e.tainted += o.tainted;
            e.outputs += 1;
            e.hop = e.hop.min(o.hop);
        }
    }
    let balanced = u128::from(seeded)
        == u128::from(fees)
            + u128::from(held)
            + u128::from(unresolved)
            + u128::from(coinbase)
            + u128::from(stopped_sum);
    if !balanced && model != TaintModel::Poison {
        return Err(TraceError::Conservation(format!(
            "seeded {seeded} sat ≠ fees {fees} + held at the hop limit {held} + unresolved \
             {unresolved} + coinbase {coinbase} + stopped {stopped_sum}"
        )));
    }
    Ok(Trace {
        model,
        direction,
        max_hops,
        offline: true,
        sources,
        outputs,
        addresses: addresses.into_values().collect(),
        txs: traced_txs,
        conservation: Conservation {
            seeded,
            fees,
            held_at_hop_limit: held,
            unresolved,
            unresolved_outputs,
            coinbase,
            stopped: stopped_sum,
            balanced,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::{
        fifo_split, haircut_split, seeds, walk_taint, CaseIndex, Consumers, TaintModel, Trace,
        TraceDirection, TraceError, TraceStart, Walk,
    };
    use crate::model::{Confirmation, Tx, TxInput, TxOutput};
    use std::collections::{BTreeMap, BTreeSet};

    /// A small deterministic generator (xorshift64*), so every run checks the same chains.
    struct Dice(u64);

    impl Dice {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
        }
    }

    /// A random valid chain of 40 transactions: coinbases and spends of 1–3 unspent coins into
    /// 1–3 outputs, over a pool of 8 reused addresses; some coins stay unspent.
    fn chain(dice: &mut Dice) -> Vec<Tx> {
        let mut txs: Vec<Tx> = Vec::new();
        let mut unspent: Vec<(String, u32, String, u64)> = Vec::new();
        for n in 0..40u64 {
            let txid = format!("{:048x}{n:016x}", dice.below(u64::MAX));
            let mut inputs: Vec<TxInput> = Vec::new();
            if unspent.is_empty() || dice.below(5) == 0 {
                inputs.push(TxInput {
                    index: 0,
                    prev_txid: None,
                    prev_vout: None,
                    address: None,
                    value: 0,
                    is_coinbase: true,
                    sequence: None,
                });
            } else {
                for k in 0..=dice.below(3) {
                    if unspent.is_empty() {
                        break;
                    }
                    let (p, v, a, value) =
                        unspent.swap_remove(dice.below(unspent.len() as u64) as usize);
                    inputs.push(TxInput {
                        index: k as u32,
                        prev_txid: Some(p),
                        prev_vout: Some(v),
                        address: Some(a),
                        value,
                        is_coinbase: false,
                        sequence: None,
                    });
                }
            }
            let coinbase = inputs[0].is_coinbase;
            let mut left: u64 = if coinbase {
                50_000 + dice.below(50_000)
            } else {
                let total: u64 = inputs.iter().map(|i| i.value).sum();
                total - dice.below(total.min(300) + 1)
            };
            let count = 1 + dice.below(3);
            let mut outputs: Vec<TxOutput> = Vec::new();
            for k in 0..count {
                let value = if k + 1 == count {
                    left
                } else {
                    dice.below(left + 1)
                };
                left -= value;
                let address = format!("a{}", dice.below(8));
                unspent.push((txid.clone(), k as u32, address.clone(), value));
                outputs.push(TxOutput {
                    index: k as u32,
                    address: Some(address),
                    value,
                    script_type: "v0_p2wpkh".into(),
                });
            }
            txs.push(Tx {
                chain: "bip122:000000000019d6689c085ae165831e93".into(),
                txid,
                version: 2,
                locktime: 0,
                size: None,
                weight: None,
                fee: None,
                confirmation: Confirmation {
                    block_height: Some(100 + n / 3),
                    block_hash: None,
                    block_time: None,
                },
                inputs,
                outputs,
            });
        }
        txs
    }

    #[test]
    fn walking_only_the_reached_transactions_gives_the_same_trace_as_walking_them_all() {
        let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
        let mut reached_walks = 0;
        for _ in 0..300 {
            let txs = chain(&mut dice);
            let t = &txs[dice.below(txs.len() as u64) as usize];
            let start = if dice.below(4) == 0 {
                TraceStart::Address(format!("a{}", dice.below(8)))
            } else {
                TraceStart::parse(&format!(
                    "{}:{}",
                    t.txid,
                    dice.below(t.outputs.len() as u64)
                ))
            };
            let model =
                [TaintModel::Poison, TaintModel::Haircut, TaintModel::Fifo][dice.below(3) as usize];
            let direction =
                [TraceDirection::Forward, TraceDirection::Backward][dice.below(2) as usize];
            let hops = dice.below(7) as u32;
            let stop_at: BTreeSet<String> = (0..dice.below(3))
                .map(|_| format!("a{}", dice.below(8)))
                .collect();
            let stop_txs: BTreeSet<String> = (0..dice.below(3))
                .map(|_| txs[dice.below(txs.len() as u64) as usize].txid.clone())
                .collect();
            let run = |whole: bool| -> Result<Trace, TraceError> {
                let seed_slots = seeds(&txs, &start)?;
                let walk = if whole {
                    Walk::whole(&txs, direction)
                } else {
                    Walk::new(&txs, &seed_slots, direction, hops)
                };
                walk_taint(
                    &walk,
                    &seed_slots,
                    model,
                    direction,
                    hops,
                    &stop_at,
                    &stop_txs,
                )
            };
            if let Ok(seed_slots) = seeds(&txs, &start) {
                let walk = Walk::new(&txs, &seed_slots, direction, hops);
                if matches!(walk.consumers, Consumers::Index(..)) {
                    reached_walks += 1;
                }
            }
            assert_eq!(
                run(false),
                run(true),
                "a trace that walks only what it reaches must equal the walk over every \
                 transaction ({model:?}, {direction:?}, {hops} hops, start {start:?})"
            );
        }
        assert!(
            reached_walks > 200,
            "valid chains (no coin spent twice, unique txids) take the reached walk, not the \
             whole-case fallback: {reached_walks} of 300"
        );
    }

    #[test]
    fn the_compact_case_index_answers_like_plain_maps_and_refuses_ambiguous_cases() {
        let mut dice = Dice(0x0123_4567_89ab_cdef);
        for _ in 0..50 {
            let txs = chain(&mut dice);
            let index = CaseIndex::new(&txs).expect("a valid chain is unambiguous");
            let mut spends: BTreeMap<(&str, u32), &str> = BTreeMap::new();
            for t in &txs {
                assert_eq!(
                    index.tx(&t.txid).map(|x| x.txid.as_str()),
                    Some(t.txid.as_str()),
                    "every txid of the case is found"
                );
                for i in t.inputs.iter().filter(|i| !i.is_coinbase) {
                    let (p, v) = (i.prev_txid.as_deref().unwrap(), i.prev_vout.unwrap());
                    spends.insert((p, v), t.txid.as_str());
                }
            }
            for t in &txs {
                for o in &t.outputs {
                    assert_eq!(
                        index.spender(&t.txid, o.index).map(|x| x.txid.as_str()),
                        spends.get(&(t.txid.as_str(), o.index)).copied(),
                        "the spender of {}:{} as a plain map says",
                        t.txid,
                        o.index
                    );
                    assert_eq!(
                        index.creator(&t.txid, o.index).map(|x| x.txid.as_str()),
                        Some(t.txid.as_str()),
                        "an output's creator is its transaction"
                    );
                }
                assert!(
                    index.creator(&t.txid, 99).is_none(),
                    "no output 99, so no creator"
                );
            }
            assert!(
                index.tx("not-in-the-case").is_none() && index.spender("nope", 0).is_none(),
                "unknown txids are not found"
            );
            let mut doubled = txs.clone();
            doubled.push(txs[0].clone());
            assert!(
                CaseIndex::new(&doubled).is_none(),
                "a duplicate txid makes the case ambiguous"
            );
            if let Some(spender) = txs.iter().find(|t| !t.is_coinbase()) {
                let mut again = spender.clone();
                again.txid = format!("{}-again", spender.txid);
                let mut twice = txs.clone();
                twice.push(again);
                assert!(
                    CaseIndex::new(&twice).is_none(),
                    "a coin spent twice makes the case ambiguous"
                );
            }
        }
    }

    #[test]
    fn haircut_remainder_goes_to_the_largest_output_lowest_vout_first() {
        // Outputs 3, 3, 1 and no fee. 7 sat of taint: every floor is exact. 5 sat: floors
        // 2, 2, 0 leave 1 sat, which goes to vout 0 (largest, lowest vout of the tie).
        let (shares, fee) = haircut_split(&BTreeMap::from([(0, 7)]), &[3, 3, 1], 0).unwrap();
        let got: Vec<u64> = shares.iter().map(|m| m.values().sum()).collect();
        assert_eq!(got, vec![3, 3, 1], "all 7 tainted of 7: every output full");
        assert!(fee.is_empty(), "no fee, no fee taint");
        let (shares, _) = haircut_split(&BTreeMap::from([(0, 5)]), &[3, 3, 1], 0).unwrap();
        let got: Vec<u64> = shares.iter().map(|m| m.values().sum()).collect();
        assert_eq!(got, vec![3, 2, 0], "floors 2,2,0 leave 1 sat: to vout 0");
    }

    #[test]
    fn fifo_takes_from_the_front_and_leaves_the_rest_to_the_fee() {
        let (outs, fee) = fifo_split(vec![(Some(0), 3), (None, 7)], &[2, 2, 5]);
        assert_eq!(outs[0], vec![(Some(0), 2)], "first output: stolen only");
        assert_eq!(outs[1], vec![(Some(0), 1), (None, 1)], "second straddles");
        assert_eq!(outs[2], vec![(None, 5)], "third: clean");
        assert_eq!(fee, vec![(None, 1)], "the last sat is the fee");
    }
}
