//! The transaction graph of a case: address and transaction nodes joined by value transfers.
//!
//! A thin domain type over petgraph with typed ids. Built from the case's transactions; node
//! order, edge order and every traversal are deterministic (sorted by id), so analysis results
//! never depend on hash order or insertion order.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::chain::node_prefix;
use crate::model::Tx;

/// A node of the graph, by what it stands for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeRef {
    Address { chain: String, address: String },
    Tx { chain: String, txid: String },
}

impl NodeRef {
    /// The canvas id: `btc:addr:<address>` or `btc:tx:<txid>` (other prefixes on test networks).
    pub fn id(&self) -> String {
        match self {
            NodeRef::Address { chain, address } => format!("{}:addr:{address}", node_prefix(chain)),
            NodeRef::Tx { chain, txid } => format!("{}:tx:{txid}", node_prefix(chain)),
        }
    }

    /// Parses a canvas id for a case on `chain`.
    pub fn parse(id: &str, chain: &str) -> Option<NodeRef> {
        let prefix = node_prefix(chain);
        let rest = id.strip_prefix(prefix)?.strip_prefix(':')?;
        if let Some(a) = rest.strip_prefix("addr:") {
            (!a.is_empty()).then(|| NodeRef::Address {
                chain: chain.to_string(),
                address: a.to_string(),
            })
        } else if let Some(t) = rest.strip_prefix("tx:") {
            (!t.is_empty()).then(|| NodeRef::Tx {
                chain: chain.to_string(),
                txid: t.to_string(),
            })
        } else {
            None
        }
    }

    pub fn is_tx(&self) -> bool {
        matches!(self, NodeRef::Tx { .. })
    }
}

/// Typed index of a node in a [`TxGraph`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(NodeIndex<u32>);

/// A value transfer along an edge: an input (address → tx) or an output (tx → address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub amount: u64,
    pub time: Option<i64>,
    /// Index of the input or output within its transaction.
    pub index: u32,
}

/// The case's transactions as a directed graph of money flow.
#[derive(Debug, Default)]
pub struct TxGraph {
    g: DiGraph<NodeRef, Flow>,
    by_ref: BTreeMap<NodeRef, NodeId>,
    time: BTreeMap<NodeId, i64>,
}

impl TxGraph {
    /// Builds the graph; the order of `txs` does not matter.
    pub fn build(txs: &[Tx]) -> TxGraph {
        let mut sorted: Vec<&Tx> = txs.iter().collect();
        sorted.sort_by(|a, b| (&a.chain, &a.txid).cmp(&(&b.chain, &b.txid)));
        let mut graph = TxGraph::default();
        for t in sorted {
            let tx_node = graph.node(NodeRef::Tx {
                chain: t.chain.clone(),
                txid: t.txid.clone(),
            });
            let time = t.confirmation.block_time;
            if let Some(time) = time {
                graph.time.insert(tx_node, time);
            }
            for i in &t.inputs {
                if let Some(a) = &i.address {
                    let a_node = graph.node(NodeRef::Address {
                        chain: t.chain.clone(),
                        address: a.clone(),
                    });
                    graph.g.add_edge(
                        a_node.0,
                        tx_node.0,
                        Flow {
                            amount: i.value,
                            time,
                            index: i.index,
                        },
                    );
                }
            }
            for o in &t.outputs {
                if let Some(a) = &o.address {
                    let a_node = graph.node(NodeRef::Address {
                        chain: t.chain.clone(),
                        address: a.clone(),
                    });
                    graph.g.add_edge(
                        tx_node.0,
                        a_node.0,
                        Flow {
                            amount: o.value,
                            time,
                            index: o.index,
                        },
                    );
                }
            }
        }
        // An address's time is when it was first seen.
        let addr_times: Vec<(NodeId, i64)> = graph
            .nodes()
            .filter(|n| !graph.node_ref(*n).is_tx())
            .filter_map(|n| {
                graph
                    .neighbours(n)
                    .filter_map(|m| graph.time.get(&m).copied())
                    .min()
                    .map(|t| (n, t))
            })
            .collect();
        graph.time.extend(addr_times);
        graph
    }

    fn node(&mut self, r: NodeRef) -> NodeId {
        if let Some(id) = self.by_ref.get(&r) {
            return *id;
        }
        let id = NodeId(self.g.add_node(r.clone()));
        self.by_ref.insert(r, id);
        id
    }

    pub fn find(&self, r: &NodeRef) -> Option<NodeId> {
        self.by_ref.get(r).copied()
    }

    pub fn node_ref(&self, n: NodeId) -> &NodeRef {
        &self.g[n.0]
    }

    /// Unix time of a transaction's block, or of an address's first transaction.
    pub fn time(&self, n: NodeId) -> Option<i64> {
        self.time.get(&n).copied()
    }

    /// All nodes, ordered by their [`NodeRef`].
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.by_ref.values().copied()
    }

    pub fn node_count(&self) -> usize {
        self.g.node_count()
    }

    /// Neighbours in either direction, sorted by [`NodeRef`], without duplicates.
    pub fn neighbours(&self, n: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let set: BTreeSet<(&NodeRef, NodeId)> = self
            .g
            .neighbors_undirected(n.0)
            .map(|m| (&self.g[m], NodeId(m)))
            .collect();
        set.into_iter().map(|(_, m)| m)
    }

    /// Edges as (from, to, flow), ordered by (from ref, to ref, index).
    pub fn edges(&self) -> Vec<(NodeId, NodeId, &Flow)> {
        let mut out: Vec<(NodeId, NodeId, &Flow)> = self
            .g
            .edge_references()
            .map(|e| (NodeId(e.source()), NodeId(e.target()), e.weight()))
            .collect();
        out.sort_by(|a, b| {
            (self.node_ref(a.0), self.node_ref(a.1), a.2.index).cmp(&(
                self.node_ref(b.0),
                self.node_ref(b.1),
                b.2.index,
            ))
        });
        out
    }

    /// Incoming flows of a node (for a transaction: its inputs).
    pub fn incoming(&self, n: NodeId) -> impl Iterator<Item = (NodeId, &Flow)> + '_ {
        self.g
            .edges_directed(n.0, Direction::Incoming)
            .map(|e| (NodeId(e.source()), e.weight()))
    }

    /// Hop distance from the seeds: entering a transaction node costs one hop, so a seed
    /// address, its transactions' counterparties and the transactions themselves are hop ≤ 1.
    /// Nodes not connected to any seed are absent.
    pub fn hops_from(&self, seeds: &[NodeId]) -> BTreeMap<NodeId, u32> {
        let mut dist: BTreeMap<NodeId, u32> = BTreeMap::new();
        let mut queue = VecDeque::new();
        let mut sorted = seeds.to_vec();
        sorted.sort();
        for s in sorted {
            if dist.insert(s, 0).is_none() {
                queue.push_back(s);
            }
        }
        // 0-1 BFS: moving onto a tx costs 1, onto an address costs 0.
        while let Some(n) = queue.pop_front() {
            let d = dist[&n];
            for m in self.neighbours(n) {
                let cost = u32::from(self.node_ref(m).is_tx());
                let nd = d + cost;
                if dist.get(&m).is_none_or(|old| nd < *old) {
                    dist.insert(m, nd);
                    if cost == 0 {
                        queue.push_front(m);
                    } else {
                        queue.push_back(m);
                    }
                }
            }
        }
        dist
    }
}
