//! Paths between addresses over the case's [`TxGraph`]: the shortest path, every simple path up
//! to k hops (a hop is one transaction: address → tx → address), and the maximum flow in satoshi
//! between a source set and a destination set (Edmonds–Karp over integers).
//!
//! Paths follow money: an address steps to a transaction it funds (an input) and a transaction
//! to an address it pays (an output). Neighbours are visited in [`NodeRef`] order, so results are
//! deterministic. The flow network joins, per (from, to) pair, the amounts of all transfers; it
//! ignores time, so a maximum flow through a reused address is an upper bound on what can have
//! moved, not a tracing result.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::cluster::Clustering;
use crate::graph::{NodeId, NodeRef, TxGraph};

/// At most this many simple paths are listed; `truncated` says when more exist.
pub const PATH_LIMIT: usize = 10_000;

/// A path: `addresses[i]` funds `txids[i]`, which pays `addresses[i + 1]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AddressPath {
    /// Number of transactions.
    pub hops: u32,
    pub addresses: Vec<String>,
    pub txids: Vec<String>,
}

/// One edge of a maximum flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowEdge {
    /// `addr:<address>` or `tx:<txid>`.
    pub from: String,
    pub to: String,
    pub amount: u64,
}

/// The maximum flow between two address sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaxFlow {
    pub sources: Vec<String>,
    pub sinks: Vec<String>,
    /// Satoshi.
    pub value: u64,
    /// Edges carrying flow, ordered by (from, to).
    pub edges: Vec<FlowEdge>,
}

/// Shortest path, all simple paths up to `max_hops`, and the maximum flow from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paths {
    /// The address, or the entity's id (`cluster:<smallest address>`).
    pub from: String,
    pub to: String,
    /// The addresses `from` stands for, sorted (one for an address).
    pub from_members: Vec<String>,
    pub to_members: Vec<String>,
    pub max_hops: u32,
    /// The shortest path (any length); among equals, the first in neighbour order.
    pub shortest: Option<AddressPath>,
    /// Simple paths of at most `max_hops` transactions, by (hops, addresses, txids).
    pub all: Vec<AddressPath>,
    pub truncated: bool,
    pub max_flow: MaxFlow,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PathError {
    #[error("the case holds no address {0}")]
    UnknownAddress(String),
    #[error("{0} and {1} share the addresses {2}: a path between them is empty")]
    Overlap(String, String, String),
}

/// One end of a path search: an address, or an entity (a cluster) standing for its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// The address, or `cluster:<smallest address>`.
    pub id: String,
    /// Sorted addresses.
    pub members: Vec<String>,
}

impl Endpoint {
    pub fn address(address: &str) -> Endpoint {
        Endpoint {
            id: address.to_string(),
            members: vec![address.to_string()],
        }
    }

    /// `cluster:<addr>`: the cluster of `clustering` that holds `addr` (just `addr` when no
    /// cluster does: an entity of one address); anything else is an address.
    pub fn resolve(spec: &str, clustering: &Clustering) -> Endpoint {
        let Some(addr) = spec.strip_prefix("cluster:") else {
            return Endpoint::address(spec);
        };
        clustering
            .clusters
            .iter()
            .find(|c| {
                c.addresses
                    .binary_search_by(|a| a.as_str().cmp(addr))
                    .is_ok()
            })
            .map(|c| Endpoint {
                id: c.id.clone(),
                members: c.addresses.clone(),
            })
            .unwrap_or_else(|| Endpoint {
                id: format!("cluster:{addr}"),
                members: vec![addr.to_string()],
            })
    }
}

/// The directed money-flow view of a graph: sorted successors, summed capacities.
struct FlowView<'g> {
    graph: &'g TxGraph,
    next: BTreeMap<NodeId, Vec<NodeId>>,
    capacity: BTreeMap<(NodeId, NodeId), u128>,
}

impl<'g> FlowView<'g> {
    fn new(graph: &'g TxGraph) -> FlowView<'g> {
        let mut next: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
        let mut capacity: BTreeMap<(NodeId, NodeId), u128> = BTreeMap::new();
        for (a, b, flow) in graph.edges() {
            *capacity.entry((a, b)).or_default() += u128::from(flow.amount);
            let succ = next.entry(a).or_default();
            if succ.last() != Some(&b) {
                succ.push(b);
            }
        }
        FlowView {
            graph,
            next,
            capacity,
        }
    }

    fn successors(&self, n: NodeId) -> &[NodeId] {
        self.next.get(&n).map(Vec::as_slice).unwrap_or(&[])
    }

    fn find_address(&self, address: &str) -> Option<NodeId> {
        self.graph.nodes().find(|n| {
            matches!(self.graph.node_ref(*n), NodeRef::Address { address: a, .. } if a == address)
        })
    }

    fn path(&self, nodes: &[NodeId]) -> AddressPath {
        let mut addresses = Vec::new();
        let mut txids = Vec::new();
        for n in nodes {
            match self.graph.node_ref(*n) {
                NodeRef::Address { address, .. } => addresses.push(address.clone()),
                NodeRef::Tx { txid, .. } => txids.push(txid.clone()),
            }
        }
        AddressPath {
            hops: txids.len() as u32,
            addresses,
            txids,
        }
    }
}

fn label(r: &NodeRef) -> String {
    match r {
        NodeRef::Address { address, .. } => format!("addr:{address}"),
        NodeRef::Tx { txid, .. } => format!("tx:{txid}"),
    }
}

/// Shortest path, simple paths up to `max_hops`, and maximum flow from address `from` to `to`.
pub fn paths(graph: &TxGraph, from: &str, to: &str, max_hops: u32) -> Result<Paths, PathError> {
    paths_between(
        graph,
        &Endpoint::address(from),
        &Endpoint::address(to),
        max_hops,
    )
}

/// [`paths`] between two endpoints that may be entities: a path starts at any member of
/// `from`, ends at the first member of `to` it reaches, and passes through no other member of
/// either (a path through one would be a longer copy of a path between the entities). The
/// shortest path is a breadth-first search from every member of `from` at once; the maximum
/// flow runs from all members of `from` to all members of `to`. Two endpoints sharing an
/// address are refused: every path between them would be empty.
pub fn paths_between(
    graph: &TxGraph,
    from: &Endpoint,
    to: &Endpoint,
    max_hops: u32,
) -> Result<Paths, PathError> {
    let view = FlowView::new(graph);
    let find = |members: &[String]| -> Result<BTreeSet<NodeId>, PathError> {
        members
            .iter()
            .map(|a| {
                view.find_address(a)
                    .ok_or_else(|| PathError::UnknownAddress(a.clone()))
            })
            .collect()
    };
    let starts = find(&from.members)?;
    let targets = find(&to.members)?;
    let shared: Vec<&str> = from
        .members
        .iter()
        .filter(|a| to.members.contains(a))
        .map(String::as_str)
        .collect();
    if !shared.is_empty() && (from.members.len() > 1 || to.members.len() > 1) {
        return Err(PathError::Overlap(
            from.id.clone(),
            to.id.clone(),
            shared.join(", "),
        ));
    }

    // Shortest: BFS (every step alternates address/tx, so node count fixes the hop count).
    let mut parent: BTreeMap<NodeId, NodeId> = BTreeMap::new();
    let mut seen: BTreeSet<NodeId> = starts.clone();
    let mut queue: VecDeque<NodeId> = starts.iter().copied().collect();
    let mut reached: Option<NodeId> = None;
    while let Some(n) = queue.pop_front() {
        if targets.contains(&n) {
            reached = Some(n);
            break;
        }
        for m in view.successors(n) {
            if seen.insert(*m) {
                parent.insert(*m, n);
                queue.push_back(*m);
            }
        }
    }
    let shortest = reached.map(|b| {
        let mut nodes = vec![b];
        let mut n = b;
        while let Some(p) = parent.get(&n) {
            nodes.push(*p);
            n = *p;
        }
        nodes.reverse();
        view.path(&nodes)
    });

    // All simple paths of at most max_hops transactions (2·k edges).
    let mut all: Vec<AddressPath> = Vec::new();
    let mut truncated = false;
    let ends = Ends {
        starts: &starts,
        targets: &targets,
        max_edges: 2 * max_hops as usize,
    };
    for a in &starts {
        let mut stack: Vec<NodeId> = vec![*a];
        let mut on_path: BTreeSet<NodeId> = BTreeSet::from([*a]);
        simple_paths(
            &view,
            &ends,
            &mut stack,
            &mut on_path,
            &mut all,
            &mut truncated,
        );
    }
    all.sort();

    let max_flow = max_flow(graph, &from.members, &to.members)?;
    Ok(Paths {
        from: from.id.clone(),
        to: to.id.clone(),
        from_members: from.members.clone(),
        to_members: to.members.clone(),
        max_hops,
        shortest,
        all,
        truncated,
        max_flow,
    })
}

/// Where simple paths start and end, and how long they may be.
struct Ends<'a> {
    starts: &'a BTreeSet<NodeId>,
    targets: &'a BTreeSet<NodeId>,
    max_edges: usize,
}

fn simple_paths(
    view: &FlowView<'_>,
    ends: &Ends<'_>,
    stack: &mut Vec<NodeId>,
    on_path: &mut BTreeSet<NodeId>,
    out: &mut Vec<AddressPath>,
    truncated: &mut bool,
) {
    let n = *stack.last().expect("the path holds its start");
    if ends.targets.contains(&n) && stack.len() > 1 {
        if out.len() >= PATH_LIMIT {
            *truncated = true;
        } else {
            out.push(view.path(stack));
        }
        return;
    }
    if stack.len() > ends.max_edges || *truncated {
        return;
    }
    for m in view.successors(n) {
        if ends.starts.contains(m) {
            continue;
        }
        if on_path.insert(*m) {
            stack.push(*m);
            simple_paths(view, ends, stack, on_path, out, truncated);
            stack.pop();
            on_path.remove(m);
        }
    }
}

/// Maximum flow in satoshi from the `sources` addresses to the `sinks` addresses over the
/// case's money flow (addresses and transactions as nodes, summed transfer amounts as
/// capacities).
pub fn max_flow(
    graph: &TxGraph,
    sources: &[String],
    sinks: &[String],
) -> Result<MaxFlow, PathError> {
    let view = FlowView::new(graph);
    let mut index: BTreeMap<NodeId, usize> = BTreeMap::new();
    let mut nodes: Vec<NodeId> = Vec::new();
    for n in graph.nodes() {
        index.insert(n, nodes.len());
        nodes.push(n);
    }
    let s = nodes.len();
    let t = s + 1;
    let mut edges: Vec<(usize, usize, u128)> = view
        .capacity
        .iter()
        .map(|((a, b), c)| (index[a], index[b], *c))
        .collect();
    let unbounded: u128 = u128::from(u64::MAX) * 4;
    let mut source_set: BTreeSet<String> = BTreeSet::new();
    let mut sink_set: BTreeSet<String> = BTreeSet::new();
    for a in sources {
        let n = view
            .find_address(a)
            .ok_or_else(|| PathError::UnknownAddress(a.clone()))?;
        edges.push((s, index[&n], unbounded));
        source_set.insert(a.clone());
    }
    for a in sinks {
        let n = view
            .find_address(a)
            .ok_or_else(|| PathError::UnknownAddress(a.clone()))?;
        edges.push((index[&n], t, unbounded));
        sink_set.insert(a.clone());
    }
    let (value, flows) = edmonds_karp(nodes.len() + 2, &edges, s, t);
    let mut out: Vec<FlowEdge> = edges
        .iter()
        .zip(&flows)
        .filter(|((a, b, _), f)| **f > 0 && *a < s && *b < s)
        .map(|((a, b, _), f)| FlowEdge {
            from: label(graph.node_ref(nodes[*a])),
            to: label(graph.node_ref(nodes[*b])),
            amount: u64::try_from(*f).unwrap_or(u64::MAX),
        })
        .collect();
    out.sort_by(|x, y| (&x.from, &x.to).cmp(&(&y.from, &y.to)));
    Ok(MaxFlow {
        sources: source_set.into_iter().collect(),
        sinks: sink_set.into_iter().collect(),
        value: u64::try_from(value).unwrap_or(u64::MAX),
        edges: out,
    })
}

/// Edmonds–Karp: maximum flow from `s` to `t` over `edges` `(from, to, capacity)` on nodes
/// `0..n`. Returns the flow value and the flow on each edge. Augmenting paths are found by BFS
/// in edge order, so the result is deterministic.
pub fn edmonds_karp(
    n: usize,
    edges: &[(usize, usize, u128)],
    s: usize,
    t: usize,
) -> (u128, Vec<u128>) {
    // Residual arcs: 2k forward, 2k+1 backward.
    let mut head: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut to: Vec<usize> = Vec::with_capacity(edges.len() * 2);
    let mut cap: Vec<u128> = Vec::with_capacity(edges.len() * 2);
    for (a, b, c) in edges {
        head[*a].push(to.len());
        to.push(*b);
        cap.push(*c);
        head[*b].push(to.len());
        to.push(*a);
        cap.push(0);
    }
    let mut total: u128 = 0;
    if s == t {
        return (0, vec![0; edges.len()]);
    }
    loop {
        let mut via: Vec<Option<usize>> = vec![None; n];
        let mut seen = vec![false; n];
        seen[s] = true;
        let mut queue = VecDeque::from([s]);
        while let Some(u) = queue.pop_front() {
            if u == t {
                break;
            }
            for &arc in &head[u] {
                let v = to[arc];
                if !seen[v] && cap[arc] > 0 {
                    seen[v] = true;
                    via[v] = Some(arc);
                    queue.push_back(v);
                }
            }
        }
        if !seen[t] {
            break;
        }
        let mut bottleneck = u128::MAX;
        let mut v = t;
        while let Some(arc) = via[v] {
            bottleneck = bottleneck.min(cap[arc]);
            v = to[arc ^ 1];
        }
        let mut v = t;
        while let Some(arc) = via[v] {
            cap[arc] -= bottleneck;
            cap[arc ^ 1] += bottleneck;
            v = to[arc ^ 1];
        }
        total += bottleneck;
    }
    let flows = (0..edges.len()).map(|k| cap[2 * k + 1]).collect();
    (total, flows)
}

#[cfg(test)]
mod tests {
    use super::edmonds_karp;

    #[test]
    fn edmonds_karp_finds_the_textbook_maximum_flow() {
        // CLRS figure 26.1: maximum flow 23.
        let edges = [
            (0, 1, 16),
            (0, 2, 13),
            (2, 1, 4),
            (1, 3, 12),
            (3, 2, 9),
            (2, 4, 14),
            (4, 3, 7),
            (3, 5, 20),
            (4, 5, 4),
        ];
        let (value, flows) = edmonds_karp(6, &edges, 0, 5);
        assert_eq!(value, 23, "the known maximum flow of CLRS fig. 26.1");
        for ((_, _, c), f) in edges.iter().zip(&flows) {
            assert!(f <= c, "no edge carries more than its capacity");
        }
        let out_of_source: u128 = flows[0] + flows[1];
        assert_eq!(
            out_of_source, 23,
            "the flow leaving the source is the value"
        );
    }

    #[test]
    fn disconnected_nodes_have_no_flow() {
        let (value, _) = edmonds_karp(4, &[(0, 1, 5), (2, 3, 5)], 0, 3);
        assert_eq!(value, 0, "no path from 0 to 3");
    }
}
