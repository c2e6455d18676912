//! Address clustering: the multi-input (common-input-ownership) heuristic.
//!
//! All input addresses of a transaction are taken to be controlled by one entity, except in
//! coinbase transactions and in transactions that look like CoinJoins (BlockSci's generic
//! `isCoinjoin` rule), where inputs belong to several parties. Union-find over all
//! transactions; output is sorted so the same case always gives the same clusters.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::unionfind::UnionFind;
use serde::{Deserialize, Serialize};

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

/// Multi-input clustering over `txs`; the order of `txs` does not change the result.
pub fn multi_input(txs: &[Tx]) -> Clustering {
    let mut sorted: Vec<&Tx> = txs.iter().collect();
    sorted.sort_by(|a, b| a.txid.cmp(&b.txid));
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &sorted {
        for i in &t.inputs {
            if let Some(a) = i.address.as_deref() {
                let next = index.len();
                index.entry(a).or_insert(next);
            }
        }
    }
    let mut uf: UnionFind<usize> = UnionFind::new(index.len());
    let mut merging: Vec<(&str, &str)> = Vec::new();
    let mut skipped = Vec::new();
    for t in &sorted {
        if t.is_coinbase() {
            continue;
        }
        let addrs: BTreeSet<&str> = t
            .inputs
            .iter()
            .filter_map(|i| i.address.as_deref())
            .collect();
        if addrs.len() < 2 {
            continue;
        }
        if looks_like_coinjoin(t) {
            skipped.push(t.txid.clone());
            continue;
        }
        let mut it = addrs.iter();
        let first = *it.next().expect("at least two addresses");
        for a in it {
            uf.union(index[first], index[a]);
        }
        merging.push((t.txid.as_str(), first));
    }
    let mut groups: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for (a, i) in &index {
        groups.entry(uf.find(*i)).or_default().insert(a);
    }
    let mut root_txids: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for (txid, first) in merging {
        root_txids
            .entry(uf.find(index[first]))
            .or_default()
            .insert(txid);
    }
    let mut clusters: Vec<Cluster> = groups
        .into_iter()
        .filter(|(_, members)| members.len() >= 2)
        .map(|(root, members)| {
            let addresses: Vec<String> = members.into_iter().map(str::to_string).collect();
            Cluster {
                id: format!("cluster:{}", addresses[0]),
                heuristic: MULTI_INPUT.to_string(),
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
        profile: "conservative".to_string(),
        heuristics: vec![
            MULTI_INPUT.to_string(),
            "coinjoin-exclusion:generic".to_string(),
        ],
        clusters,
        skipped_coinjoins: skipped,
    }
}
