//! The scope, narrative and coverage data of a report: where each seed came from, one entry
//! per transaction on the graph with its exact amounts and what the analysis inferred, cluster
//! membership with the merge that put each address there, and what the case does not hold.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use tracebench_report::{
    GraphNode, NodeKind, ReportCoverage, ReportGraph, ReportHop, ReportLeg, ReportMember,
    ReportSeed,
};

use crate::analysis::{self, ChainContext, Profile};
use crate::cluster::{Cluster, Clustering};
use crate::model::Tx;
use crate::store::{AuditEntry, CanvasNode, StoredRaw};

/// The id part of a graph node id (`btc:tx:<txid>` → txid).
fn bare(node_id: &str) -> &str {
    node_id.rsplit(':').next().unwrap_or(node_id)
}

/// Each seed with its origin: the audit log's first `add` of it, and the sources that answered.
pub fn seeds(canvas: &[CanvasNode], audit: &[AuditEntry], raws: &[StoredRaw]) -> Vec<ReportSeed> {
    let by_hash: BTreeMap<&str, &StoredRaw> = raws.iter().map(|r| (r.sha256.as_str(), r)).collect();
    let mut out: Vec<ReportSeed> = canvas
        .iter()
        .filter(|c| c.seed)
        .map(|c| {
            let added = audit.iter().find(|e| {
                e.action == "add"
                    && serde_json::from_str::<serde_json::Value>(&e.detail)
                        .ok()
                        .and_then(|d| d.get("node_id").and_then(|n| n.as_str()).map(str::to_owned))
                        .is_some_and(|n| n == c.node_id)
            });
            let origin = match added {
                Some(e) => {
                    let detail: serde_json::Value =
                        serde_json::from_str(&e.detail).unwrap_or_default();
                    let hashes: Vec<&str> = detail
                        .get("raw_responses")
                        .and_then(|r| r.as_array())
                        .map(|a| a.iter().filter_map(|h| h.as_str()).collect())
                        .unwrap_or_default();
                    let sources: BTreeSet<String> = hashes
                        .iter()
                        .filter_map(|h| by_hash.get(h))
                        .map(|r| format!("{} ({})", r.source_id, r.request))
                        .collect();
                    let fetched = if sources.is_empty() {
                        "answered from data the case already held".to_string()
                    } else {
                        format!(
                            "{} raw response(s) fetched, first from {}",
                            hashes.len(),
                            sources
                                .iter()
                                .next()
                                .map(String::as_str)
                                .unwrap_or_default()
                        )
                    };
                    format!(
                        "Added as a starting point by {} at {} (audit entry #{}); {}.",
                        e.user, e.at_utc, e.seq, fetched
                    )
                }
                None => "A starting point of the case; the audit log records no `add` of it \
                         (the case predates the audit log, or the seed came with a bundle)."
                    .to_string(),
            };
            ReportSeed {
                node_id: c.node_id.clone(),
                origin,
            }
        })
        .collect();
    out.sort_by(|a, b| a.node_id.cmp(&b.node_id));
    out
}

fn leg(address: Option<&str>, what: &str, sat: u64) -> ReportLeg {
    ReportLeg {
        address: address.map_or_else(|| what.to_string(), str::to_string),
        amount_sat: sat,
        fiat: None,
    }
}

/// One narrative entry per transaction node of `graph`.
pub fn hops(
    graph: &ReportGraph,
    txs: &[Tx],
    source_of: &BTreeMap<String, String>,
    clustering: &Clustering,
    profile: &Profile,
) -> Vec<ReportHop> {
    let by_txid: BTreeMap<&str, &Tx> = txs.iter().map(|t| (t.txid.as_str(), t)).collect();
    let ctx = ChainContext::new(txs, BTreeSet::new());
    let mut merged_by: BTreeMap<&str, BTreeSet<(&str, &str, u8)>> = BTreeMap::new();
    for c in &clustering.clusters {
        for m in &c.merges {
            merged_by.entry(m.txid.as_str()).or_default().insert((
                c.id.as_str(),
                m.heuristic.as_str(),
                m.confidence,
            ));
        }
    }
    let nodes: BTreeMap<&str, &GraphNode> = graph
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Transaction)
        .map(|n| (bare(&n.id), n))
        .collect();
    let mut out = Vec::new();
    for (txid, node) in nodes {
        let Some(tx) = by_txid.get(txid) else {
            continue;
        };
        let mut inferences = Vec::new();
        let a = analysis::analyze_tx(tx, &ctx, profile);
        if let Some(cj) = &a.coinjoin {
            inferences.push(format!(
                "Detected as a {} CoinJoin by {} (confidence {}): {}. Its inputs are not taken to \
                 share an owner.",
                cj.kind.as_str(),
                cj.detector,
                cj.confidence,
                cj.reason
            ));
        }
        if clustering.vetoed.iter().any(|v| v == txid) {
            inferences.push(
                "The analyst vetoed this transaction's clustering merges (see the audit log)."
                    .to_string(),
            );
        }
        for (cluster, heuristic, confidence) in merged_by.get(txid).into_iter().flatten() {
            inferences.push(format!(
                "Joins addresses into cluster {cluster} by {heuristic} (confidence {confidence})."
            ));
        }
        out.push(ReportHop {
            hop: node.hop,
            txid: tx.txid.clone(),
            block_height: tx.confirmation.block_height,
            block_time: tx.confirmation.block_time,
            inputs: tx
                .inputs
                .iter()
                .map(|i| {
                    leg(
                        i.address.as_deref(),
                        if i.is_coinbase {
                            "coinbase"
                        } else {
                            "no address"
                        },
                        i.value,
                    )
                })
                .collect(),
            outputs: tx
                .outputs
                .iter()
                .map(|o| {
                    leg(
                        o.address.as_deref(),
                        &format!("no address ({})", o.script_type),
                        o.value,
                    )
                })
                .collect(),
            fee_sat: tx.fee,
            inferences,
            valuation: None,
            source_id: source_of.get(&tx.txid).cloned().unwrap_or_default(),
        });
    }
    out
}

/// For each address of `cluster` but the first, the merge that first reached it in a
/// breadth-first walk from the first address, neighbours in (txid, address) order.
pub fn members(cluster: &Cluster) -> Vec<ReportMember> {
    let mut next: BTreeMap<&str, BTreeSet<(&str, &str, usize)>> = BTreeMap::new();
    for (i, m) in cluster.merges.iter().enumerate() {
        next.entry(m.a.as_str())
            .or_default()
            .insert((m.txid.as_str(), m.b.as_str(), i));
        next.entry(m.b.as_str())
            .or_default()
            .insert((m.txid.as_str(), m.a.as_str(), i));
    }
    let Some(root) = cluster.addresses.iter().min() else {
        return Vec::new();
    };
    let mut seen: BTreeSet<&str> = BTreeSet::from([root.as_str()]);
    let mut queue = VecDeque::from([root.as_str()]);
    let mut out = Vec::new();
    while let Some(at) = queue.pop_front() {
        for &(txid, other, i) in next.get(at).into_iter().flatten() {
            if seen.insert(other) {
                let m = &cluster.merges[i];
                out.push(ReportMember {
                    address: other.to_string(),
                    via: at.to_string(),
                    txid: txid.to_string(),
                    heuristic: m.heuristic.clone(),
                    confidence: m.confidence,
                });
                queue.push_back(other);
            }
        }
    }
    out
}

/// What the case does not hold, for the graph's addresses and transactions.
pub fn coverage(
    graph: &ReportGraph,
    txs: &[Tx],
    complete: &BTreeSet<String>,
    page_limit: usize,
) -> ReportCoverage {
    let on_graph: BTreeSet<&str> = graph
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Transaction)
        .map(|n| bare(&n.id))
        .collect();
    let addresses: BTreeSet<&str> = graph
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Address)
        .map(|n| bare(&n.id))
        .collect();
    let spent: BTreeSet<(&str, u32)> = txs
        .iter()
        .flat_map(|t| t.inputs.iter())
        .filter_map(|i| Some((i.prev_txid.as_deref()?, i.prev_vout?)))
        .collect();
    let mut unresolved = Vec::new();
    for t in txs.iter().filter(|t| on_graph.contains(t.txid.as_str())) {
        for o in &t.outputs {
            if o.value == 0 || spent.contains(&(t.txid.as_str(), o.index)) {
                continue;
            }
            unresolved.push(format!(
                "{}:{} → {} · {} BTC ({} sat)",
                t.txid,
                o.index,
                o.address.as_deref().unwrap_or("no address"),
                tracebench_report::btc(o.value),
                o.value
            ));
        }
    }
    unresolved.sort();
    ReportCoverage {
        history_page_limit: page_limit,
        complete_histories: addresses.iter().filter(|a| complete.contains(**a)).count(),
        incomplete_histories: addresses
            .iter()
            .filter(|a| !complete.contains(**a))
            .map(|a| a.to_string())
            .collect(),
        unresolved_outputs: unresolved,
        off_graph_txs: txs
            .iter()
            .filter(|t| !on_graph.contains(t.txid.as_str()))
            .count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Merge;

    fn merge(txid: &str, a: &str, b: &str) -> Merge {
        Merge {
            txid: txid.to_string(),
            heuristic: "multi-input".to_string(),
            confidence: 90,
            a: a.to_string(),
            b: b.to_string(),
        }
    }

    #[test]
    fn each_member_is_credited_to_the_first_merge_that_reaches_it() {
        // Root "a"; "b" is reached by t1 directly and by t2 via "c": the walk from "a" takes
        // t1 first (txid order), and "c" is reached from "a" by t2.
        let cluster = Cluster {
            id: "cluster:a".to_string(),
            heuristic: "multi-input".to_string(),
            addresses: vec!["c".into(), "a".into(), "b".into(), "d".into()],
            txids: vec!["t1".into(), "t2".into(), "t3".into()],
            merges: vec![
                merge("t1", "a", "b"),
                merge("t2", "a", "c"),
                merge("t2", "b", "c"),
                merge("t3", "c", "d"),
            ],
        };
        let got: Vec<(String, String, String)> = members(&cluster)
            .into_iter()
            .map(|m| (m.address, m.via, m.txid))
            .collect();
        let want: Vec<(String, String, String)> =
            [("b", "a", "t1"), ("c", "a", "t2"), ("d", "c", "t3")]
                .iter()
                .map(|(a, v, t)| (a.to_string(), v.to_string(), t.to_string()))
                .collect();
        assert_eq!(
            got, want,
            "breadth-first from the smallest address, neighbours in (txid, address) order"
        );
        assert_eq!(
            members(&cluster).len(),
            cluster.addresses.len() - 1,
            "every address but the root has exactly one joining merge"
        );
    }
}
