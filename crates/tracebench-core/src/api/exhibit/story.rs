//! The report's storyboard and the analyst's canvas annotations: each story step as the path
//! it highlights (drawn as a numbered figure) with every edge cited from the case's
//! transactions, and the callouts printed with the other analyst notes.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::view::Visible;
use crate::graph::NodeRef;
use crate::model::Tx;
use crate::store::Case;
use tracebench_report::{GraphEdge, ReportGraph, ReportNote, ReportStoryEdge, ReportStoryStep};

/// The case's story steps, in story order, each with its path's drawing and citations.
/// `graph` is the canvas graph of the report (nodes with layout data).
pub fn steps(
    case: &Case,
    v: &Visible,
    graph: &ReportGraph,
    txs: &[Tx],
) -> Result<Vec<ReportStoryStep>, crate::store::CaseError> {
    let steps = case.story_steps()?;
    if steps.is_empty() {
        return Ok(Vec::new());
    }
    let height: BTreeMap<&str, Option<u64>> = txs
        .iter()
        .map(|t| (t.txid.as_str(), t.confirmation.block_height))
        .collect();
    let mut edges: BTreeMap<String, ReportStoryEdge> = BTreeMap::new();
    for (from, to, flow) in v.graph.edges() {
        let (a, b) = (v.graph.node_ref(from), v.graph.node_ref(to));
        let txid = match (a, b) {
            (NodeRef::Tx { txid, .. }, _) | (_, NodeRef::Tx { txid, .. }) => txid.clone(),
            _ => continue,
        };
        let (source, target) = (a.id(), b.id());
        edges.insert(
            format!("{source}>{target}#{}", flow.index),
            ReportStoryEdge {
                block_height: height.get(txid.as_str()).copied().flatten(),
                block_time: flow.time,
                amount_sat: flow.amount,
                source,
                target,
                txid,
            },
        );
    }
    Ok(steps
        .into_iter()
        .map(|step| {
            let on_path: BTreeSet<&str> = step.nodes.iter().map(String::as_str).collect();
            let cited: Vec<ReportStoryEdge> = step
                .edges
                .iter()
                .filter_map(|id| edges.get(id).cloned())
                .collect();
            ReportStoryStep {
                title: step.title,
                caption: step.caption,
                graph: ReportGraph {
                    nodes: graph
                        .nodes
                        .iter()
                        .filter(|n| on_path.contains(n.id.as_str()))
                        .cloned()
                        .collect(),
                    edges: cited
                        .iter()
                        .map(|e| GraphEdge {
                            source: e.source.clone(),
                            target: e.target.clone(),
                            amount_sat: e.amount_sat,
                        })
                        .collect(),
                },
                edges: cited,
            }
        })
        .collect())
}

/// The callouts on the canvas as analyst notes: "canvas callout", or "canvas callout at
/// <node>" when it points at a node.
pub fn callout_notes(case: &Case) -> Result<Vec<ReportNote>, crate::store::CaseError> {
    Ok(case
        .callouts()?
        .into_iter()
        .map(|c| ReportNote {
            target: match c.anchor {
                Some(node) => format!("canvas callout at {node}"),
                None => "canvas callout".to_string(),
            },
            text: c.text,
            created_at: c.created_at,
        })
        .collect())
}
