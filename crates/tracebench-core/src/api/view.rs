//! The canvas view of a case: visible nodes and the edges between them.

use std::collections::{BTreeMap, BTreeSet};

use super::dto::{CaseInfo, EdgeView, GraphView, NodeKind, NodeView, NoteView};
use super::ApiError;
use crate::graph::{NodeId, NodeRef, TxGraph};
use crate::model::format_btc;
use crate::store::Case;

/// First 8 and last 4 characters of an address or txid.
pub fn short_id(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 14 {
        return s.to_string();
    }
    let head: String = chars[..8].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// The label of a node: the address or the txid.
pub fn node_label(r: &NodeRef) -> &str {
    match r {
        NodeRef::Address { address, .. } => address,
        NodeRef::Tx { txid, .. } => txid,
    }
}

/// A node on the canvas: what it is, where it is in the graph (if the case has its data) and
/// its saved position.
pub struct VisibleNode {
    pub node: NodeRef,
    pub id: Option<NodeId>,
    pub position: Option<(f64, f64)>,
}

/// Visible nodes and edges of the case, with hop distances from the seeds.
pub struct Visible {
    pub graph: TxGraph,
    pub nodes: Vec<VisibleNode>,
    pub hops: BTreeMap<NodeId, u32>,
    pub visible: BTreeSet<NodeId>,
}

pub fn visible(case: &Case) -> Result<Visible, ApiError> {
    let graph = TxGraph::build(&case.all_txs()?);
    let chain = case.meta().chain.clone();
    let canvas = case.canvas_nodes()?;
    let mut nodes = Vec::new();
    let mut seeds = Vec::new();
    let mut visible = BTreeSet::new();
    for c in canvas {
        let Some(r) = NodeRef::parse(&c.node_id, &chain) else {
            continue;
        };
        let id = graph.find(&r);
        if let Some(id) = id {
            visible.insert(id);
            if c.seed {
                seeds.push(id);
            }
        }
        nodes.push(VisibleNode {
            node: r,
            id,
            position: c.x.zip(c.y),
        });
    }
    let hops = graph.hops_from(&seeds);
    Ok(Visible {
        graph,
        nodes,
        hops,
        visible,
    })
}

pub fn graph_view(case: &Case, info: CaseInfo) -> Result<GraphView, ApiError> {
    let v = visible(case)?;
    let chain = case.meta().chain.clone();
    let mut notes: BTreeMap<String, Vec<NoteView>> = BTreeMap::new();
    for n in case.notes()? {
        notes.entry(n.target.clone()).or_default().push(NoteView {
            id: n.id,
            target: n.target,
            text: n.text,
            created_at: n.created_at,
        });
    }
    let report_graph = layout_graph(&v);
    let layout = tracebench_report::flow_layout(&report_graph);
    let mut out_nodes = Vec::with_capacity(v.nodes.len());
    for (
        i,
        VisibleNode {
            node: r,
            id,
            position: pos,
        },
    ) in v.nodes.iter().enumerate()
    {
        let complete = match r {
            NodeRef::Tx { txid, .. } => case.has_tx(&chain, txid)?,
            NodeRef::Address { address, .. } => case
                .address_history(&chain, address)?
                .is_some_and(|h| h.complete),
        };
        let (x, y) = pos.unwrap_or(layout[i]);
        let node_id = r.id();
        out_nodes.push(NodeView {
            kind: if r.is_tx() {
                NodeKind::Transaction
            } else {
                NodeKind::Address
            },
            label: node_label(r).to_string(),
            short: short_id(node_label(r)),
            x,
            y,
            pinned: pos.is_some(),
            hop: id.and_then(|id| v.hops.get(&id).copied()),
            time: id.and_then(|id| v.graph.time(id)),
            notes: notes.remove(&node_id).unwrap_or_default(),
            complete,
            id: node_id,
        });
    }
    let mut edges = Vec::new();
    for (from, to, flow) in v.graph.edges() {
        if v.visible.contains(&from) && v.visible.contains(&to) {
            let source = v.graph.node_ref(from).id();
            let target = v.graph.node_ref(to).id();
            edges.push(EdgeView {
                id: format!("{source}>{target}#{}", flow.index),
                source,
                target,
                amount_sat: flow.amount,
                amount: format!("{} BTC", format_btc(flow.amount)),
                time: flow.time,
            });
        }
    }
    Ok(GraphView {
        case: info,
        nodes: out_nodes,
        edges,
    })
}

/// The visible graph in the report crate's model (used for layout and figures).
pub fn layout_graph(v: &Visible) -> tracebench_report::ReportGraph {
    let nodes = v
        .nodes
        .iter()
        .map(
            |VisibleNode {
                 node: r,
                 id,
                 position: pos,
             }| tracebench_report::GraphNode {
                id: r.id(),
                kind: if r.is_tx() {
                    tracebench_report::NodeKind::Transaction
                } else {
                    tracebench_report::NodeKind::Address
                },
                label: node_label(r).to_string(),
                time: id.and_then(|id| v.graph.time(id)),
                hop: id.and_then(|id| v.hops.get(&id).copied()).unwrap_or(0),
                position: *pos,
            },
        )
        .collect();
    let edges = v
        .graph
        .edges()
        .into_iter()
        .filter(|(f, t, _)| v.visible.contains(f) && v.visible.contains(t))
        .map(|(f, t, flow)| tracebench_report::GraphEdge {
            source: v.graph.node_ref(f).id(),
            target: v.graph.node_ref(t).id(),
            amount_sat: flow.amount,
        })
        .collect();
    tracebench_report::ReportGraph { nodes, edges }
}
