//! The canvas view of a case: visible nodes and the edges between them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dto::{CaseInfo, EdgeView, EntityView, GraphView, NodeKind, NodeView, NoteView};
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
    /// The transactions the graph was built from (every stored one of each canvas address).
    pub txs: Vec<crate::model::Tx>,
}

/// The graph of the canvas's transactions and of every transaction of its addresses (so an
/// address's first-seen time and every edge between two canvas nodes are those of the whole
/// case), read without touching the rest of the case: opening a 50,000-transaction case to a
/// canvas of a thousand nodes reads a few thousand transactions, not all of them. Hop distances
/// run through this graph.
pub fn visible(case: &Case) -> Result<Visible, ApiError> {
    let chain = case.meta().chain.clone();
    let canvas = case.canvas_nodes()?;
    let txs = canvas_txs(case, &chain, &canvas)?;
    let graph = TxGraph::build(&txs);
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
        txs,
    })
}

/// The transactions [`visible`] builds its graph from, each once.
fn canvas_txs(
    case: &Case,
    chain: &str,
    canvas: &[crate::store::CanvasNode],
) -> Result<Vec<crate::model::Tx>, ApiError> {
    let mut txids: BTreeSet<String> = BTreeSet::new();
    for c in canvas {
        match NodeRef::parse(&c.node_id, chain) {
            Some(NodeRef::Tx { txid, .. }) => {
                txids.insert(txid);
            }
            Some(NodeRef::Address { address, .. }) => {
                txids.extend(case.address_txids(chain, &address)?);
            }
            None => {}
        }
    }
    let mut txs = Vec::with_capacity(txids.len());
    for txid in &txids {
        if let Some(t) = case.tx(chain, txid)? {
            txs.push(t);
        }
    }
    Ok(txs)
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
    let hidden = case.hidden_nodes()?;
    let entities: Vec<EntityView> = case
        .entities()?
        .into_iter()
        .map(|e| EntityView {
            id: format!("entity:{}", e.id),
            name: e.name,
            category: e.category,
            collapsed: e.collapsed,
            members: e.members,
        })
        .collect();
    let mut entity_of: BTreeMap<&str, &str> = BTreeMap::new();
    for e in &entities {
        for m in &e.members {
            entity_of.insert(m.as_str(), e.id.as_str());
        }
    }
    // The flow layout places nodes without a saved position only: a saved canvas (every node
    // placed) opens without computing it.
    let layout = if v.nodes.iter().all(|n| n.position.is_some()) {
        Vec::new()
    } else {
        tracebench_report::flow_layout(&layout_graph(&v))
    };
    // A transaction node's data is in the case exactly when `visible` could read it: no query
    // per node.
    let stored: BTreeSet<&str> = v.txs.iter().map(|t| t.txid.as_str()).collect();
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
            NodeRef::Tx { txid, .. } => stored.contains(txid.as_str()),
            NodeRef::Address { address, .. } => case
                .address_history(&chain, address)?
                .is_some_and(|h| h.complete),
        };
        let (x, y) = pos.unwrap_or_else(|| layout[i]);
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
            entity: entity_of.get(node_id.as_str()).map(|e| e.to_string()),
            hidden: hidden.contains(&node_id),
            balance: Vec::new(),
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
                notes: Vec::new(),
                asset: "BTC".to_string(),
                symbol: "BTC".to_string(),
                decimals: Some(8),
                amount_base: flow.amount.to_string(),
                fiat: None,
                no_rate: String::new(),
            });
        }
    }
    for e in &mut edges {
        e.notes = notes.remove(&e.id).unwrap_or_default();
    }
    let mut view = GraphView {
        case: info,
        nodes: out_nodes,
        edges,
        entities,
        callouts: case.callouts()?.into_iter().map(Into::into).collect(),
        story: case.story_steps()?.into_iter().map(Into::into).collect(),
    };
    super::view_evm::extend(case, &mut view)?;
    super::view_balance::attach(case, &v.txs, &mut view)?;
    super::view_fiat::attach(case, &mut view)?;
    Ok(view)
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

/// Which way value moved, seen from the node the details are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "FlowDirection.ts")]
pub enum FlowDirection {
    /// Into the node: an output paying the address, or an input of the transaction.
    In,
    /// Out of the node: the address spending, or an output of the transaction.
    Out,
}

/// One row of a node's transaction list: for an address, a transaction that paid it or that it
/// spent in; for a transaction, one address among its inputs or outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "FlowRow.ts")]
pub struct FlowRow {
    pub direction: FlowDirection,
    /// The node at the other end (`btc:tx:…` or `btc:addr:…`); `None` for an output without
    /// an address (OP_RETURN and the like).
    pub counterpart: Option<String>,
    /// The full txid or address, or the script type of an output without an address.
    pub label: String,
    /// Satoshi: the sum over every input or output of this row (0 on EVM rows: see `amount`).
    pub amount_sat: u64,
    /// Block time, unix seconds (UTC); `None` while unconfirmed.
    pub time: Option<i64>,
    /// True when the counterpart is on the canvas.
    pub on_canvas: bool,
    /// On EVM rows: the exact amount in the asset's units with its symbol (`72809.96 USDT`),
    /// the base units (`amount_base`) and the CAIP-19 asset; empty on Bitcoin rows.
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub amount_base: String,
    #[serde(default)]
    pub asset: String,
}

/// What one heuristic or detector concluded about a transaction (an inference, not a fact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "Finding.ts")]
pub struct Finding {
    /// The detector or heuristic name, as the analysis engine names it.
    pub heuristic: String,
    /// 0–100.
    pub confidence: u8,
    /// The conclusion in a few words.
    pub verdict: String,
    /// Why, in the engine's words.
    pub reason: String,
}

/// Everything the details panel shows about one canvas node, from the case alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "NodeDetails.ts")]
pub struct NodeDetails {
    pub id: String,
    pub kind: NodeKind,
    /// The full address or txid.
    pub label: String,
    /// Earliest and latest block time among the rows (unix seconds, UTC).
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    /// Sorted by time (unconfirmed last), then direction, then label.
    pub rows: Vec<FlowRow>,
    /// For an address: the cluster of two or more addresses it belongs to (conservative
    /// profile, the analyst's vetoes applied), with its merges.
    pub cluster: Option<crate::cluster::Cluster>,
    /// For a transaction: every detector's and change heuristic's verdict under the widest
    /// built-in profile (`all`).
    pub findings: Vec<Finding>,
    /// The profile the findings come from.
    pub profile: String,
}

/// The details of canvas node `node_id`, from the case's transactions and `clustering`.
pub fn node_details(
    case: &Case,
    clustering: &crate::cluster::Clustering,
    node_id: &str,
) -> Result<NodeDetails, ApiError> {
    let chain = case.meta().chain.clone();
    let not_found = || ApiError::NotFound {
        what: "node",
        id: node_id.to_string(),
    };
    if let Some(evm) = super::view_evm::EvmNode::parse(node_id) {
        return super::view_evm::node_details(case, &evm, node_id);
    }
    let node = NodeRef::parse(node_id, &chain).ok_or_else(not_found)?;
    let on_canvas: BTreeSet<String> = case
        .canvas_nodes()?
        .into_iter()
        .map(|c| c.node_id)
        .collect();
    if !on_canvas.contains(node_id) {
        return Err(not_found());
    }
    let txs = case.all_txs()?;
    let mut rows = Vec::new();
    let mut findings = Vec::new();
    let profile = crate::analysis::Profile::all();
    let row = |direction, counterpart: Option<String>, label: String, amount_sat, time| FlowRow {
        direction,
        on_canvas: counterpart.as_ref().is_some_and(|c| on_canvas.contains(c)),
        counterpart,
        label,
        amount_sat,
        time,
        amount: String::new(),
        amount_base: String::new(),
        asset: String::new(),
    };
    match &node {
        NodeRef::Address { address, .. } => {
            for tx in &txs {
                let time = tx.confirmation.block_time;
                let tx_ref = NodeRef::Tx {
                    chain: chain.clone(),
                    txid: tx.txid.clone(),
                };
                let received: u64 = tx
                    .outputs
                    .iter()
                    .filter(|o| o.address.as_deref() == Some(address.as_str()))
                    .map(|o| o.value)
                    .sum();
                let paid_in = tx
                    .outputs
                    .iter()
                    .any(|o| o.address.as_deref() == Some(address.as_str()));
                if paid_in {
                    rows.push(row(
                        FlowDirection::In,
                        Some(tx_ref.id()),
                        tx.txid.clone(),
                        received,
                        time,
                    ));
                }
                let spends = tx
                    .inputs
                    .iter()
                    .any(|i| i.address.as_deref() == Some(address.as_str()));
                if spends {
                    let sent: u64 = tx
                        .inputs
                        .iter()
                        .filter(|i| i.address.as_deref() == Some(address.as_str()))
                        .map(|i| i.value)
                        .sum();
                    rows.push(row(
                        FlowDirection::Out,
                        Some(tx_ref.id()),
                        tx.txid.clone(),
                        sent,
                        time,
                    ));
                }
            }
        }
        NodeRef::Tx { txid, .. } => {
            let tx = txs.iter().find(|t| &t.txid == txid).ok_or_else(not_found)?;
            let time = tx.confirmation.block_time;
            let addr_id = |a: &str| {
                NodeRef::Address {
                    chain: chain.clone(),
                    address: a.to_string(),
                }
                .id()
            };
            let mut inputs: BTreeMap<String, u64> = BTreeMap::new();
            let mut coinbase = 0u64;
            for i in &tx.inputs {
                match &i.address {
                    Some(a) => *inputs.entry(a.clone()).or_default() += i.value,
                    None => coinbase += i.value,
                }
            }
            for (a, v) in inputs {
                rows.push(row(FlowDirection::In, Some(addr_id(&a)), a, v, time));
            }
            if tx.inputs.iter().any(|i| i.is_coinbase) {
                rows.push(row(
                    FlowDirection::In,
                    None,
                    "coinbase".to_string(),
                    coinbase,
                    time,
                ));
            }
            let mut outputs: BTreeMap<String, (Option<String>, u64)> = BTreeMap::new();
            for o in &tx.outputs {
                let (key, counterpart) = match &o.address {
                    Some(a) => (a.clone(), Some(addr_id(a))),
                    None => (format!("{} output #{}", o.script_type, o.index), None),
                };
                outputs.entry(key).or_insert((counterpart, 0)).1 += o.value;
            }
            for (label, (counterpart, v)) in outputs {
                rows.push(row(FlowDirection::Out, counterpart, label, v, time));
            }
            let ctx = crate::analysis::ChainContext::new(&txs, case.complete_histories()?);
            findings = tx_findings(&crate::analysis::analyze_tx(tx, &ctx, &profile));
        }
    }
    rows.sort_by(|a, b| {
        (a.time.is_none(), a.time, a.direction, &a.label).cmp(&(
            b.time.is_none(),
            b.time,
            b.direction,
            &b.label,
        ))
    });
    let times = rows.iter().filter_map(|r| r.time);
    let first_seen = times.clone().min();
    let last_seen = times.max();
    let cluster = match &node {
        NodeRef::Address { address, .. } => clustering
            .clusters
            .iter()
            .find(|c| c.addresses.iter().any(|a| a == address))
            .cloned(),
        NodeRef::Tx { .. } => None,
    };
    Ok(NodeDetails {
        id: node_id.to_string(),
        kind: if node.is_tx() {
            NodeKind::Transaction
        } else {
            NodeKind::Address
        },
        label: node_label(&node).to_string(),
        first_seen,
        last_seen,
        rows,
        cluster,
        findings,
        profile: profile.name,
    })
}

/// The verdicts of one transaction's analysis, in the engine's fixed order.
fn tx_findings(a: &crate::analysis::TxAnalysis) -> Vec<Finding> {
    let mut out = Vec::new();
    match (&a.coinjoin, &a.premix) {
        (Some(cj), _) => out.push(Finding {
            heuristic: cj.detector.clone(),
            confidence: cj.confidence,
            verdict: format!("CoinJoin ({:?})", cj.kind).to_lowercase(),
            reason: cj.reason.clone(),
        }),
        (None, Some(p)) => out.push(Finding {
            heuristic: p.detector.clone(),
            confidence: p.confidence,
            verdict: format!("Whirlpool Tx0, pool {} BTC", format_btc(p.pool)),
            reason: p.reason.clone(),
        }),
        (None, None) => out.push(Finding {
            heuristic: "coinjoin".to_string(),
            confidence: 0,
            verdict: "not a CoinJoin".to_string(),
            reason: "no CoinJoin or Tx0 detector matched".to_string(),
        }),
    }
    for v in &a.change {
        let verdict = match v.status {
            crate::analysis::ChangeStatus::Ok if v.outputs.is_empty() => {
                "no change candidate".to_string()
            }
            crate::analysis::ChangeStatus::Ok => format!(
                "change candidate{}: output {}",
                if v.outputs.len() == 1 { "" } else { "s" },
                v.outputs
                    .iter()
                    .map(|o| format!("#{o}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            crate::analysis::ChangeStatus::Unknown => "undecided (data missing)".to_string(),
            crate::analysis::ChangeStatus::NotApplicable => "does not apply".to_string(),
        };
        out.push(Finding {
            heuristic: v.heuristic.clone(),
            confidence: v.confidence,
            verdict,
            reason: v.reason.clone(),
        });
    }
    if let Some(c) = &a.change_output {
        out.push(Finding {
            heuristic: format!("change:{}", c.heuristics.join("+")),
            confidence: c.confidence,
            verdict: format!("change is output #{} ({})", c.vout, c.address),
            reason: "the decisive heuristics agree on this output".to_string(),
        });
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};

    use super::{FlowDirection, NodeDetails};
    use crate::api::{ApiError, NewCase, SourceSpec, Workbench};

    /// The demo's ransomware chain on loopback, its seed added and expanded one hop.
    /// The address node ids of a graph, in its order.
    pub(crate) fn address_ids(g: &crate::api::GraphView) -> Vec<String> {
        g.nodes
            .iter()
            .filter(|n| n.id.contains(":addr:"))
            .map(|n| n.id.clone())
            .collect()
    }

    pub(crate) fn demo_case(dir: &std::path::Path) -> (Workbench, String) {
        let (wb, seed, _, _) = demo_case_with_source(dir);
        (wb, seed)
    }

    /// A case on the ransomware sim served on loopback: the workbench, the seed's node id, the
    /// chain, and the runtime with its server for further fetching.
    pub(crate) type SimCase = (
        Workbench,
        String,
        Arc<tracebench_sim::SimChain>,
        (tokio::runtime::Runtime, tracebench_sim::SimServer),
    );

    /// [`demo_case`], keeping the chain, its server and a runtime for further fetching.
    pub(crate) fn demo_case_with_source(dir: &std::path::Path) -> SimCase {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let (mut wb, seed, chain, (rt, server)) = sim_case_with_seed(&dir.join("d.tbcase"), now);
        rt.block_on(wb.expand(&seed, 1, now)).unwrap();
        (wb, seed, chain, (rt, server))
    }

    /// A new case at `path` on the ransomware sim (seed 1) with the seed address added at `now`.
    pub(crate) fn sim_case_with_seed(
        path: &std::path::Path,
        now: chrono::DateTime<Utc>,
    ) -> SimCase {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let chain = Arc::new(tracebench_sim::generate(
            tracebench_sim::ScenarioKind::Ransomware,
            1,
        ));
        let server = rt
            .block_on(async {
                tracebench_sim::serve(chain.clone(), "127.0.0.1:0".parse().unwrap())
            })
            .unwrap();
        let mut wb = Workbench::create(
            path,
            NewCase {
                title: "D".into(),
                investigator: "I".into(),
                agency: "A".into(),
                network: crate::chain::BtcNetwork::Mainnet,
            },
            Some(SourceSpec {
                id: chain.source_id(),
                base_url: server.url(),
            }),
            now,
        )
        .unwrap();
        let seed = rt
            .block_on(wb.add(chain.seed_address(), now))
            .unwrap()
            .node_id;
        (wb, seed, chain, (rt, server))
    }

    fn total(d: &NodeDetails, dir: FlowDirection) -> u64 {
        d.rows
            .iter()
            .filter(|r| r.direction == dir)
            .map(|r| r.amount_sat)
            .sum()
    }

    #[test]
    fn details_list_an_address_and_its_transactions_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let (wb, seed) = demo_case(dir.path());
        let d = wb.node_details(&seed).unwrap();
        assert!(!d.rows.is_empty(), "the seed received the ransom payments");
        assert!(
            d.first_seen.is_some() && d.first_seen <= d.last_seen,
            "first seen is the earliest row's time: {:?} / {:?}",
            d.first_seen,
            d.last_seen
        );
        let times: Vec<_> = d.rows.iter().map(|r| r.time).collect();
        let mut sorted = times.clone();
        sorted.sort_by_key(|t| (t.is_none(), *t));
        assert_eq!(times, sorted, "rows come sorted by time");
        assert!(
            d.findings.is_empty(),
            "findings are about transactions, never an address"
        );
        // Every transaction row of the seed: its own list must balance to the satoshi.
        let tx_row = d
            .rows
            .iter()
            .find(|r| r.on_canvas && r.counterpart.is_some())
            .expect("the one-hop expansion put the seed's transactions on the canvas");
        let tx_id = tx_row.counterpart.clone().unwrap();
        let t = wb.node_details(&tx_id).unwrap();
        let tx = wb
            .case()
            .all_txs()
            .unwrap()
            .into_iter()
            .find(|x| x.txid == t.label)
            .unwrap();
        assert_eq!(
            total(&t, FlowDirection::In),
            tx.input_sum(),
            "a transaction's input rows add up to its inputs exactly"
        );
        assert_eq!(
            total(&t, FlowDirection::Out),
            tx.outputs.iter().map(|o| o.value).sum::<u64>(),
            "its output rows add up to its outputs exactly"
        );
        assert!(
            t.findings
                .iter()
                .any(|f| f.heuristic == "coinjoin" || f.verdict.contains("CoinJoin")),
            "a transaction's findings start with the CoinJoin verdict: {:?}",
            t.findings
        );
        assert!(
            t.rows
                .iter()
                .any(|r| r.counterpart.as_deref() == Some(seed.as_str())),
            "the seed appears in the transaction's list"
        );
    }

    #[test]
    fn details_of_a_node_not_on_the_canvas_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (wb, _) = demo_case(dir.path());
        for bad in [
            "btc:addr:bc1qnotonthecanvas0000000000000000000000",
            "nonsense",
        ] {
            let err = wb.node_details(bad).unwrap_err();
            assert!(
                matches!(err, ApiError::NotFound { .. }) && err.to_string().contains(bad),
                "the error names the node it could not find: {err}"
            );
        }
    }
}
