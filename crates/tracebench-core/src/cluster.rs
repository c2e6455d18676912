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

use std::collections::{BTreeMap, BTreeSet};

use petgraph::unionfind::UnionFind;
use serde::{Deserialize, Serialize};

use crate::analysis::{analyze_tx, classify, ChainContext, Profile};
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
    let mut sorted: Vec<&Tx> = txs.iter().collect();
    sorted.sort_by(|a, b| a.txid.cmp(&b.txid));
    sorted.dedup_by(|a, b| a.txid == b.txid);
    let mut out: Vec<Merge> = Vec::new();
    let mut skipped = Vec::new();
    for t in &sorted {
        if t.is_coinbase() {
            continue;
        }
        let inputs: BTreeSet<&str> = t
            .inputs
            .iter()
            .filter_map(|i| i.address.as_deref())
            .collect();
        let (coinjoin, _) = classify(t, ctx, profile);
        if coinjoin.is_some() {
            if inputs.len() >= 2 || !profile.change.is_empty() {
                skipped.push(t.txid.clone());
            }
            continue;
        }
        let mut tx_merges: BTreeSet<Merge> = BTreeSet::new();
        if profile.multi_input {
            let mut it = inputs.iter();
            if let Some(first) = it.next() {
                for other in it {
                    tx_merges.insert(edge(
                        &t.txid,
                        MULTI_INPUT,
                        MULTI_INPUT_CONFIDENCE,
                        first,
                        other,
                    ));
                }
            }
        }
        if !profile.change.is_empty() {
            let a = analyze_tx(t, ctx, profile);
            if let Some(c) = a.change_output {
                // Change joins the sender: the inputs' owner, so it needs an input address. The
                // edge goes to the smallest input address, whatever the order of the inputs.
                if let Some(first) = inputs.iter().next().copied() {
                    let joined = profile.multi_input && inputs.contains(c.address.as_str());
                    if !joined && first != c.address {
                        tx_merges.insert(edge(
                            &t.txid,
                            &format!("change:{}", c.heuristics.join("+")),
                            c.confidence,
                            first,
                            &c.address,
                        ));
                    }
                }
            }
        }
        out.extend(tx_merges);
    }
    (out, skipped)
}

fn edge(txid: &str, heuristic: &str, confidence: u8, x: &str, y: &str) -> Merge {
    let (a, b) = if x <= y { (x, y) } else { (y, x) };
    Merge {
        txid: txid.to_string(),
        heuristic: heuristic.to_string(),
        confidence,
        a: a.to_string(),
        b: b.to_string(),
    }
}

/// [`cluster`] with the analyst's vetoes applied: a txid in `vetoed` contributes no merge.
pub fn cluster_with_vetoes(
    txs: &[Tx],
    ctx: &ChainContext<'_>,
    profile: &Profile,
    vetoed: &BTreeSet<String>,
) -> Clustering {
    let (all, skipped) = merges(txs, ctx, profile);
    let mut applied: BTreeSet<String> = BTreeSet::new();
    let kept: Vec<Merge> = all
        .into_iter()
        .filter(|m| {
            if vetoed.contains(&m.txid) {
                applied.insert(m.txid.clone());
                false
            } else {
                true
            }
        })
        .collect();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &kept {
        for a in [m.a.as_str(), m.b.as_str()] {
            let next = index.len();
            index.entry(a).or_insert(next);
        }
    }
    let mut uf: UnionFind<usize> = UnionFind::new(index.len());
    for m in &kept {
        uf.union(index[m.a.as_str()], index[m.b.as_str()]);
    }
    let mut groups: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for (a, i) in &index {
        groups.entry(uf.find(*i)).or_default().insert(a);
    }
    let mut root_merges: BTreeMap<usize, Vec<&Merge>> = BTreeMap::new();
    for m in &kept {
        root_merges
            .entry(uf.find(index[m.a.as_str()]))
            .or_default()
            .push(m);
    }
    let mut clusters: Vec<Cluster> = groups
        .into_iter()
        .filter(|(_, members)| members.len() >= 2)
        .map(|(root, members)| {
            let addresses: Vec<String> = members.into_iter().map(str::to_string).collect();
            let mut ms: Vec<Merge> = root_merges
                .get(&root)
                .map(|v| v.iter().map(|m| (*m).clone()).collect())
                .unwrap_or_default();
            ms.sort();
            let txids: BTreeSet<&str> = ms.iter().map(|m| m.txid.as_str()).collect();
            let by_change = ms.iter().any(|m| m.heuristic != MULTI_INPUT);
            Cluster {
                id: format!("cluster:{}", addresses[0]),
                heuristic: if by_change {
                    format!("{MULTI_INPUT}+change")
                } else {
                    MULTI_INPUT.to_string()
                },
                txids: txids.into_iter().map(str::to_string).collect(),
                addresses,
                merges: ms,
            }
        })
        .collect();
    clusters.sort_by(|a, b| a.addresses[0].cmp(&b.addresses[0]));
    Clustering {
        profile: profile.label(),
        heuristics: profile.describe(),
        clusters,
        skipped_coinjoins: skipped,
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
