//! Address clustering: the multi-input (common-input-ownership) heuristic, and optionally the
//! change heuristics of a profile ([`crate::analysis::profile`]).
//!
//! All input addresses of a transaction are taken to be controlled by one entity, except in
//! coinbase transactions and in CoinJoins (every detector of [`crate::analysis::coinjoin`]),
//! where inputs belong to several parties. Union-find over all transactions; output is sorted
//! so the same case always gives the same clusters.
//!
//! Every link is kept as a [`Merge`] edge (txid, heuristic, confidence, two addresses): a
//! multi-input transaction with inputs a0 < a1 < … < an contributes the edges (a0, ai); a change
//! output contributes (a0, change address). Both are independent of the order of the inputs. [`explain`] walks these edges.
//!
//! Vetoes: the analyst may declare that a transaction's merges are wrong (an undetected
//! PayJoin or CoinJoin: "these inputs are not one owner"). A vetoed txid contributes no merge at
//! all — neither multi-input nor change — so a cluster splits wherever only that transaction
//! held it together. See [`cluster_with_vetoes`].
//!
//! Internally addresses are interned to integer ids once and the union-find runs over those
//! ids; the string-keyed [`Cluster`]s and [`Merge`]s are built only at the end.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::analysis::txid_order::{prefix_key, sort_strs, sorted_unique_positions};
use crate::analysis::{analyze_tx, coinjoin_verdict, ChainContext, Profile};
use crate::model::Tx;

pub const MULTI_INPUT: &str = "multi-input";

/// One cluster: addresses taken to be one entity, and the transactions that joined them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "Cluster.ts")]
pub struct Cluster {
    /// `cluster:<smallest address>`, stable across runs.
    pub id: String,
    pub heuristic: String,
    pub addresses: Vec<String>,
    /// Transactions whose inputs merged these addresses, sorted.
    pub txids: Vec<String>,
    /// The merge edges inside this cluster, sorted by (txid, a, b).
    pub merges: Vec<Merge>,
}

/// One link of a cluster: `txid` made `heuristic` join `a` and `b` (`a < b`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "Merge.ts")]
pub struct Merge {
    pub txid: String,
    /// `multi-input`, or `change:<heuristics>` for a change output joining its sender.
    pub heuristic: String,
    /// 0–100.
    pub confidence: u8,
    pub a: String,
    pub b: String,
}

/// Confidence given to a multi-input merge: the common-input-ownership heuristic is the
/// strongest clustering heuristic, but PayJoins and undetected CoinJoins break it (hence vetoes).
pub const MULTI_INPUT_CONFIDENCE: u8 = 90;

/// The chain of merges joining two addresses of one cluster (empty `merges` and no cluster
/// when they are not in one cluster).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "Explanation.ts")]
pub struct Explanation {
    pub from: String,
    pub to: String,
    pub cluster_id: Option<String>,
    /// Consecutive merges: the first touches `from`, each shares an address with the next, the
    /// last touches `to`.
    pub merges: Vec<Merge>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "Clustering.ts")]
pub struct Clustering {
    pub profile: String,
    pub heuristics: Vec<String>,
    /// Clusters of two or more addresses, sorted by their first address.
    pub clusters: Vec<Cluster>,
    /// Multi-input transactions left out because they look like CoinJoins.
    pub skipped_coinjoins: Vec<String>,
    /// Transactions whose merges the analyst vetoed, sorted.
    pub vetoed: Vec<String>,
}

/// BlockSci's generic `isCoinjoin`: ≥2 inputs, ≥3 outputs, p = (outputs + 1) / 2 no more than
/// the inputs and distinct input addresses, the most frequent output value occurring exactly
/// p times and not being a dust value (546 or 2730 sat).
pub fn looks_like_coinjoin(tx: &Tx) -> bool {
    let n_in = tx.inputs.len();
    let n_out = tx.outputs.len();
    if n_in < 2 || n_out < 3 {
        return false;
    }
    let p = n_out.div_ceil(2);
    let distinct_inputs: BTreeSet<&str> = tx
        .inputs
        .iter()
        .filter_map(|i| i.address.as_deref())
        .collect();
    if p > n_in || p > distinct_inputs.len() {
        return false;
    }
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    for o in &tx.outputs {
        *counts.entry(o.value).or_default() += 1;
    }
    // Most frequent value; ties broken by the larger value, deterministically.
    let Some((value, count)) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0))) else {
        return false;
    };
    *count == p && *value != 546 && *value != 2730
}

/// Multi-input clustering over `txs` under the `conservative` profile (every CoinJoin detector
/// excludes); the order of `txs` does not change the result.
pub fn multi_input(txs: &[Tx]) -> Clustering {
    cluster(
        txs,
        &ChainContext::new(txs, BTreeSet::new()),
        &Profile::conservative(),
    )
}

/// Clustering over `txs` under `profile`: multi-input (skipping coinbases and every CoinJoin the
/// profile's detectors find, precedence whirlpool > wasabi2 > wasabi1 > joinmarket > generic)
/// and, when the profile enables change heuristics, the change output they agree on. `ctx`
/// answers the dynamic heuristics. The order of `txs` does not change the result.
pub fn cluster(txs: &[Tx], ctx: &ChainContext<'_>, profile: &Profile) -> Clustering {
    cluster_with_vetoes(txs, ctx, profile, &BTreeSet::new())
}

/// Every merge edge `txs` make under `profile`, vetoes not applied, sorted by (txid, a, b), and
/// the CoinJoins skipped.
pub fn merges(txs: &[Tx], ctx: &ChainContext<'_>, profile: &Profile) -> (Vec<Merge>, Vec<String>) {
    let graph = MergeGraph::build(txs, ctx, profile);
    let out = graph.edges.iter().map(|e| graph.merge(e)).collect();
    (out, graph.skipped)
}

/// The merge edges in compact form: addresses interned to integer ids, transactions and
/// heuristic labels by position. Edges are in [`Merge`] order: by txid (transactions are walked
/// sorted by txid), then within one transaction by (heuristic, confidence, a, b).
struct MergeGraph<'a> {
    /// Distinct transactions, sorted by txid.
    txs: Vec<&'a Tx>,
    /// Address id → address.
    addresses: Vec<Cow<'a, str>>,
    /// Heuristic labels; position 0 is [`MULTI_INPUT`].
    labels: Vec<String>,
    edges: Vec<Edge>,
    skipped: Vec<String>,
}

/// One merge: `txs[tx]` made `labels[label]` join `addresses[a]` and `addresses[b]`.
struct Edge {
    tx: u32,
    label: u32,
    confidence: u8,
    a: u32,
    b: u32,
}

impl<'a> MergeGraph<'a> {
    fn build(txs: &'a [Tx], ctx: &ChainContext<'_>, profile: &Profile) -> MergeGraph<'a> {
        // Transactions are walked in case order (the order they sit in memory, which is much
        // faster for a large case than jumping about in txid order); each edge records its
        // transaction's position in txid order, and the edges are put in that order at the end.
        // Address ids depend on the walk order, but no output does: they are only compared.
        let order = sorted_unique_positions(txs);
        // Case index → position in txid order (duplicates after the first stay MAX: skipped).
        let mut position_of: Vec<u32> = vec![u32::MAX; txs.len()];
        for (position, k) in order.iter().enumerate() {
            position_of[*k as usize] = position as u32;
        }
        let sorted: Vec<&Tx> = order.into_iter().map(|k| &txs[k as usize]).collect();
        // Sized once: at most one edge per input (and one change edge per transaction), and
        // usually fewer distinct addresses than transactions.
        let n_inputs: usize = txs.iter().map(|t| t.inputs.len()).sum();
        let mut ids: FxHashMap<Cow<'a, str>, u32> =
            FxHashMap::with_capacity_and_hasher(txs.len(), Default::default());
        let mut addresses: Vec<Cow<'a, str>> = Vec::with_capacity(txs.len());
        let mut labels: Vec<String> = vec![MULTI_INPUT.to_string()];
        let mut edges: Vec<Edge> = Vec::with_capacity(n_inputs);
        let mut skipped: Vec<(u32, &'a str)> = Vec::new();
        let mut inputs: Vec<&'a str> = Vec::new();
        // One transaction's edges as (label, confidence, a, b), sorted and deduplicated.
        let mut tx_edges: Vec<(String, u8, Cow<'a, str>, Cow<'a, str>)> = Vec::new();
        for (t, position) in txs.iter().zip(position_of) {
            if position == u32::MAX || t.is_coinbase() {
                continue;
            }
            inputs.clear();
            inputs.extend(t.inputs.iter().filter_map(|i| i.address.as_deref()));
            inputs.sort_unstable();
            inputs.dedup();
            if coinjoin_verdict(t, profile).is_some() {
                if inputs.len() >= 2 || !profile.change.is_empty() {
                    skipped.push((position, t.txid.as_str()));
                }
                continue;
            }
            tx_edges.clear();
            if profile.multi_input {
                if let Some((first, others)) = inputs.split_first() {
                    // Already in (a, b) order: `first` is the smallest input address.
                    tx_edges.extend(others.iter().map(|o| {
                        (
                            String::new(),
                            MULTI_INPUT_CONFIDENCE,
                            Cow::Borrowed(*first),
                            Cow::Borrowed(*o),
                        )
                    }));
                }
            }
            if !profile.change.is_empty() {
                let a = analyze_tx(t, ctx, profile);
                if let Some(c) = a.change_output {
                    // Change joins the sender: the inputs' owner, so it needs an input address.
                    // The edge goes to the smallest input address, whatever the input order.
                    if let Some(first) = inputs.first().copied() {
                        let joined = profile.multi_input
                            && inputs.binary_search(&c.address.as_str()).is_ok();
                        if !joined && first != c.address {
                            // The change address as stored in the transaction, when it is there.
                            let change: Cow<'a, str> = match t
                                .outputs
                                .iter()
                                .filter_map(|o| o.address.as_deref())
                                .find(|a| *a == c.address)
                            {
                                Some(a) => Cow::Borrowed(a),
                                None => Cow::Owned(c.address.clone()),
                            };
                            let first = Cow::Borrowed(first);
                            let (x, y) = if first <= change {
                                (first, change)
                            } else {
                                (change, first)
                            };
                            tx_edges.push((
                                format!("change:{}", c.heuristics.join("+")),
                                c.confidence,
                                x,
                                y,
                            ));
                        }
                    }
                }
            }
            if tx_edges.is_empty() {
                continue;
            }
            // Merge order within one transaction: the label (an empty label is multi-input).
            // Multi-input edges alone are already in that order and distinct (sorted, deduplicated
            // inputs paired with the first).
            if tx_edges.iter().any(|e| !e.0.is_empty()) {
                tx_edges.sort_by(|x, y| {
                    (label_of(&x.0), x.1, &x.2, &x.3).cmp(&(label_of(&y.0), y.1, &y.2, &y.3))
                });
                tx_edges.dedup_by(|x, y| {
                    (label_of(&x.0), x.1, &x.2, &x.3) == (label_of(&y.0), y.1, &y.2, &y.3)
                });
            }
            for (label, confidence, a, b) in tx_edges.drain(..) {
                let label = if label.is_empty() {
                    0
                } else {
                    labels.push(label);
                    (labels.len() - 1) as u32
                };
                let mut intern = |s: Cow<'a, str>| {
                    let next = addresses.len() as u32;
                    let id = *ids.entry(s.clone()).or_insert(next);
                    if id == next {
                        addresses.push(s);
                    }
                    id
                };
                let (a, b) = (intern(a), intern(b));
                edges.push(Edge {
                    tx: position,
                    label,
                    confidence,
                    a,
                    b,
                });
            }
        }
        skipped.sort_unstable();
        MergeGraph {
            txs: sorted,
            addresses,
            labels,
            edges: in_txid_order(edges),
            skipped: skipped.into_iter().map(|(_, t)| t.to_string()).collect(),
        }
    }

    fn txid(&self, e: &Edge) -> &'a str {
        self.txs[e.tx as usize].txid.as_str()
    }

    fn merge(&self, e: &Edge) -> Merge {
        Merge {
            txid: self.txid(e).to_string(),
            heuristic: self.labels[e.label as usize].clone(),
            confidence: e.confidence,
            a: self.addresses[e.a as usize].as_ref().to_owned(),
            b: self.addresses[e.b as usize].as_ref().to_owned(),
        }
    }
}

/// `cluster:<address>`, allocated once at its exact size (no growing and freeing while a large
/// clustering is built).
fn cluster_id(first: &str) -> String {
    const PREFIX: &str = "cluster:";
    let mut id = String::with_capacity(PREFIX.len() + first.len());
    id.push_str(PREFIX);
    id.push_str(first);
    id
}

/// `edges` ordered by their transaction's position, keeping the order within one transaction
/// (a counting sort: one pass to count, one to place).
fn in_txid_order(edges: Vec<Edge>) -> Vec<Edge> {
    let Some(last) = edges.iter().map(|e| e.tx as usize).max() else {
        return edges;
    };
    let mut start = vec![0usize; last + 2];
    for e in &edges {
        start[e.tx as usize + 1] += 1;
    }
    for k in 0..=last {
        start[k + 1] += start[k];
    }
    let mut slots: Vec<Option<Edge>> = Vec::with_capacity(edges.len());
    slots.resize_with(edges.len(), || None);
    for e in edges {
        let at = &mut start[e.tx as usize];
        slots[*at] = Some(e);
        *at += 1;
    }
    slots.into_iter().flatten().collect()
}

/// A merge label as ordered in [`Merge`]: the empty label stands for [`MULTI_INPUT`].
fn label_of(label: &str) -> &str {
    if label.is_empty() {
        MULTI_INPUT
    } else {
        label
    }
}

/// Union-find over address ids: path halving and union by rank.
struct Partition {
    parent: Vec<u32>,
    rank: Vec<u8>,
}

impl Partition {
    fn new(n: usize) -> Partition {
        Partition {
            parent: (0..n as u32).collect(),
            rank: vec![0; n],
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    fn union(&mut self, x: u32, y: u32) {
        let (rx, ry) = (self.find(x), self.find(y));
        if rx == ry {
            return;
        }
        let (kx, ky) = (self.rank[rx as usize], self.rank[ry as usize]);
        if kx < ky {
            self.parent[rx as usize] = ry;
        } else {
            self.parent[ry as usize] = rx;
            if kx == ky {
                self.rank[rx as usize] += 1;
            }
        }
    }
}

/// [`cluster`] with the analyst's vetoes applied: a txid in `vetoed` contributes no merge.
pub fn cluster_with_vetoes(
    txs: &[Tx],
    ctx: &ChainContext<'_>,
    profile: &Profile,
    vetoed: &BTreeSet<String>,
) -> Clustering {
    let graph = MergeGraph::build(txs, ctx, profile);
    let mut applied: BTreeSet<String> = BTreeSet::new();
    let mut kept: Vec<&Edge> = Vec::with_capacity(graph.edges.len());
    kept.extend(graph.edges.iter().filter(|e| {
        if vetoed.is_empty() {
            return true;
        }
        let txid = graph.txid(e);
        if vetoed.contains(txid) {
            applied.insert(txid.to_string());
            false
        } else {
            true
        }
    }));
    let n = graph.addresses.len();
    let mut partition = Partition::new(n);
    for e in &kept {
        partition.union(e.a, e.b);
    }
    // One group per root, numbered in the order of its first kept edge, laid out flat: the
    // merges of group g are `edge_ids[edge_start[g]..edge_start[g + 1]]` in kept order (which
    // is already [`Merge`] order), its members (every address of a kept edge, once) are
    // `names[member_start[g]..member_start[g + 1]]`. Both ends of an edge share its root.
    let mut group_of_root = vec![u32::MAX; n];
    let mut edge_group: Vec<u32> = Vec::with_capacity(kept.len());
    let mut groups = 0usize;
    for e in &kept {
        let root = partition.find(e.a) as usize;
        if group_of_root[root] == u32::MAX {
            group_of_root[root] = groups as u32;
            groups += 1;
        }
        edge_group.push(group_of_root[root]);
    }
    let mut edge_start = vec![0usize; groups + 1];
    let mut member_start = vec![0usize; groups + 1];
    let mut in_kept = vec![false; n];
    for (e, g) in kept.iter().zip(&edge_group) {
        edge_start[*g as usize + 1] += 1;
        for x in [e.a, e.b] {
            if !std::mem::replace(&mut in_kept[x as usize], true) {
                member_start[*g as usize + 1] += 1;
            }
        }
    }
    for g in 0..groups {
        edge_start[g + 1] += edge_start[g];
        member_start[g + 1] += member_start[g];
    }
    let mut edge_ids = vec![0u32; kept.len()];
    let mut names: Vec<&str> = vec![""; member_start[groups]];
    let (mut next_edge, mut next_member) = (edge_start.clone(), member_start.clone());
    for (k, (e, g)) in kept.iter().zip(&edge_group).enumerate() {
        let g = *g as usize;
        edge_ids[next_edge[g]] = k as u32;
        next_edge[g] += 1;
        for x in [e.a, e.b] {
            // Placed once: the flag set above is cleared on the first visit.
            if std::mem::replace(&mut in_kept[x as usize], false) {
                names[next_member[g]] = graph.addresses[x as usize].as_ref();
                next_member[g] += 1;
            }
        }
    }
    // Each group's addresses sorted; the groups sorted by their first address (distinct:
    // clusters are disjoint).
    for g in 0..groups {
        sort_strs(&mut names[member_start[g]..member_start[g + 1]]);
    }
    let mut order: Vec<(u128, usize)> = Vec::with_capacity(groups);
    order.extend(
        (0..groups)
            .filter(|g| member_start[g + 1] - member_start[*g] >= 2)
            .map(|g| (prefix_key(names[member_start[g]]), g)),
    );
    order.sort_unstable_by(|x, y| {
        x.0.cmp(&y.0)
            .then_with(|| names[member_start[x.1]].cmp(names[member_start[y.1]]))
    });
    let clusters: Vec<Cluster> = order
        .into_iter()
        .map(|(_, g)| {
            let addresses: Vec<String> = names[member_start[g]..member_start[g + 1]]
                .iter()
                .map(|a| (*a).to_string())
                .collect();
            let es = || {
                edge_ids[edge_start[g]..edge_start[g + 1]]
                    .iter()
                    .map(|k| kept[*k as usize])
            };
            let ms: Vec<Merge> = es().map(|e| graph.merge(e)).collect();
            let n_txids = 1 + es().zip(es().skip(1)).filter(|(x, y)| x.tx != y.tx).count();
            let mut txids: Vec<String> = Vec::with_capacity(n_txids);
            for e in es() {
                let txid = graph.txid(e);
                if txids.last().map(String::as_str) != Some(txid) {
                    txids.push(txid.to_string());
                }
            }
            let by_change = es().any(|e| e.label != 0);
            Cluster {
                id: cluster_id(&addresses[0]),
                heuristic: if by_change {
                    format!("{MULTI_INPUT}+change")
                } else {
                    MULTI_INPUT.to_string()
                },
                txids,
                addresses,
                merges: ms,
            }
        })
        .collect();
    Clustering {
        profile: profile.label(),
        heuristics: profile.describe(),
        clusters,
        skipped_coinjoins: graph.skipped,
        vetoed: applied.into_iter().collect(),
    }
}

/// The shortest chain of merges joining `from` and `to` in `clustering` (breadth-first over the
/// merge graph; neighbours are visited in (txid, address) order, so the answer is deterministic).
pub fn explain(clustering: &Clustering, from: &str, to: &str) -> Explanation {
    let not_joined = || Explanation {
        from: from.to_string(),
        to: to.to_string(),
        cluster_id: None,
        merges: Vec::new(),
    };
    let Some(c) = clustering.clusters.iter().find(|c| {
        c.addresses
            .binary_search_by(|a| a.as_str().cmp(from))
            .is_ok()
            && c.addresses.binary_search_by(|a| a.as_str().cmp(to)).is_ok()
    }) else {
        return not_joined();
    };
    let mut adjacent: BTreeMap<&str, Vec<(&str, &str, usize)>> = BTreeMap::new();
    for (i, m) in c.merges.iter().enumerate() {
        adjacent
            .entry(m.a.as_str())
            .or_default()
            .push((m.txid.as_str(), m.b.as_str(), i));
        adjacent
            .entry(m.b.as_str())
            .or_default()
            .push((m.txid.as_str(), m.a.as_str(), i));
    }
    for v in adjacent.values_mut() {
        v.sort();
    }
    let mut came_by: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    let mut seen: BTreeSet<&str> = BTreeSet::from([from]);
    while let Some(here) = queue.pop_front() {
        if here == to {
            break;
        }
        for (_, next, i) in adjacent.get(here).map(Vec::as_slice).unwrap_or_default() {
            if seen.insert(next) {
                came_by.insert(next, (here, *i));
                queue.push_back(next);
            }
        }
    }
    let mut chain = Vec::new();
    let mut at = to;
    while at != from {
        let Some((prev, i)) = came_by.get(at) else {
            return not_joined();
        };
        chain.push(c.merges[*i].clone());
        at = prev;
    }
    chain.reverse();
    Explanation {
        from: from.to_string(),
        to: to.to_string(),
        cluster_id: Some(c.id.clone()),
        merges: chain,
    }
}
