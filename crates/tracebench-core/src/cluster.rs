//! Address clustering: the multi-input (common-input-ownership) heuristic, and optionally the
//! change heuristics of a profile ([`crate::analysis::profile`]).
//!
//! All input addresses of a transaction are taken to be controlled by one entity, except in
//! coinbase transactions and in CoinJoins (every detector of [`crate::analysis::coinjoin`]),
//! where inputs belong to several parties. Union-find over all transactions; output is sorted
//! so the same case always gives the same clusters.

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
    let mut sorted: Vec<&Tx> = txs.iter().collect();
    sorted.sort_by(|a, b| a.txid.cmp(&b.txid));
    sorted.dedup_by(|a, b| a.txid == b.txid);
    // Each tx's links: (txid, addresses to merge, whether change contributed).
    let mut links: Vec<(&str, BTreeSet<String>, bool)> = Vec::new();
    let mut skipped = Vec::new();
    for t in &sorted {
        if t.is_coinbase() {
            continue;
        }
        let mut addrs: BTreeSet<String> = if profile.multi_input {
            t.inputs.iter().filter_map(|i| i.address.clone()).collect()
        } else {
            BTreeSet::new()
        };
        let (coinjoin, _) = classify(t, ctx, profile);
        if coinjoin.is_some() {
            let distinct: BTreeSet<&str> = t
                .inputs
                .iter()
                .filter_map(|i| i.address.as_deref())
                .collect();
            if distinct.len() >= 2 || !profile.change.is_empty() {
                skipped.push(t.txid.clone());
            }
            continue;
        }
        let mut by_change = false;
        if !profile.change.is_empty() {
            let a = analyze_tx(t, ctx, profile);
            if let Some(c) = a.change_output {
                // Change joins the sender: the inputs' owner, so it needs an input address.
                if let Some(first) = t.inputs.iter().find_map(|i| i.address.clone()) {
                    by_change = !addrs.contains(&c.address);
                    addrs.insert(first);
                    addrs.insert(c.address);
                }
            }
        }
        if addrs.len() >= 2 {
            links.push((t.txid.as_str(), addrs, by_change));
        }
    }
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, addrs, _) in &links {
        for a in addrs {
            let next = index.len();
            index.entry(a.as_str()).or_insert(next);
        }
    }
    let mut uf: UnionFind<usize> = UnionFind::new(index.len());
    for (_, addrs, _) in &links {
        let mut it = addrs.iter();
        let first = index[it.next().expect("two or more addresses").as_str()];
        for a in it {
            uf.union(first, index[a.as_str()]);
        }
    }
    let mut groups: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for (a, i) in &index {
        groups.entry(uf.find(*i)).or_default().insert(a);
    }
    let mut root_txids: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    let mut root_change: BTreeSet<usize> = BTreeSet::new();
    for (txid, addrs, by_change) in &links {
        let first = addrs.iter().next().expect("two or more addresses");
        let root = uf.find(index[first.as_str()]);
        root_txids.entry(root).or_default().insert(txid);
        if *by_change {
            root_change.insert(root);
        }
    }
    let mut clusters: Vec<Cluster> = groups
        .into_iter()
        .filter(|(_, members)| members.len() >= 2)
        .map(|(root, members)| {
            let addresses: Vec<String> = members.into_iter().map(str::to_string).collect();
            Cluster {
                id: format!("cluster:{}", addresses[0]),
                heuristic: if root_change.contains(&root) {
                    format!("{MULTI_INPUT}+change")
                } else {
                    MULTI_INPUT.to_string()
                },
                txids: root_txids
                    .get(&root)
                    .map(|s| s.iter().map(|t| t.to_string()).collect())
                    .unwrap_or_default(),
                addresses,
            }
        })
        .collect();
    clusters.sort_by(|a, b| a.addresses[0].cmp(&b.addresses[0]));
    Clustering {
        profile: profile.label(),
        heuristics: profile.describe(),
        clusters,
        skipped_coinjoins: skipped,
    }
}
