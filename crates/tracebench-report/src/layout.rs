//! Deterministic left-to-right money-flow layout.
//!
//! Columns follow the flow of value: a transaction sits right of its input addresses and left
//! of its output addresses. Columns come from longest-path layering over the directed edges,
//! after dropping the edges that close a cycle (address reuse sends value back to an earlier
//! address). Inside a column nodes are ordered by time, then id, and spaced evenly around
//! y = 0. Every decision is taken on nodes sorted by id, so the result does not depend on the
//! order of the input. Nodes with a saved position keep it.
//!
//! Units are canvas pixels (the app uses the same function for nodes it has not placed yet).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::ReportGraph;

/// Horizontal distance between two columns, in canvas units.
pub const COLUMN_SPACING: f64 = 200.0;
/// Vertical distance between two nodes of one column, in canvas units.
pub const ROW_SPACING: f64 = 80.0;

/// Position of every node of `graph`, in the order of `graph.nodes`.
///
/// Nodes sharing an id share one position.
pub fn flow_layout(graph: &ReportGraph) -> Vec<(f64, f64)> {
    let hops = Hops::from_graph(graph);
    let columns = hops.columns();
    let computed = hops.positions(&columns);
    graph
        .nodes
        .iter()
        .map(|node| {
            node.position.unwrap_or_else(|| {
                hops.index
                    .get(node.id.as_str())
                    .map_or((0.0, 0.0), |&i| computed[i])
            })
        })
        .collect()
}

/// The graph reduced to unique ids (sorted) and an acyclic set of edges between them.
struct Hops<'a> {
    ids: Vec<&'a str>,
    index: BTreeMap<&'a str, usize>,
    /// Sort key inside a column: (no time, time) so timeless nodes come last.
    time: Vec<(bool, i64)>,
    hop: Vec<u32>,
    /// Outgoing edges that survive the cycle guard, by node index, ascending.
    out: Vec<Vec<usize>>,
}

impl<'a> Hops<'a> {
    fn from_graph(graph: &'a ReportGraph) -> Self {
        // Canonical node order: by id, then by the remaining fields so that duplicated ids
        // resolve the same way whatever the input order.
        let mut nodes: Vec<_> = graph.nodes.iter().collect();
        nodes.sort_by(|a, b| {
            a.id.cmp(&b.id)
                .then(a.hop.cmp(&b.hop))
                .then(a.time.cmp(&b.time))
                .then(a.kind.cmp(&b.kind))
                .then(a.label.cmp(&b.label))
        });
        nodes.dedup_by(|a, b| a.id == b.id);

        let ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
        let index: BTreeMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let time = nodes
            .iter()
            .map(|n| (n.time.is_none(), n.time.unwrap_or(0)))
            .collect();
        let hop = nodes.iter().map(|n| n.hop).collect();

        let edges: BTreeSet<(usize, usize)> = graph
            .edges
            .iter()
            .filter_map(|e| {
                Some((
                    *index.get(e.source.as_str())?,
                    *index.get(e.target.as_str())?,
                ))
            })
            .filter(|(s, t)| s != t)
            .collect();
        let mut out = vec![Vec::new(); ids.len()];
        for &(s, t) in &edges {
            out[s].push(t);
        }

        let mut hops = Hops {
            ids,
            index,
            time,
            hop,
            out,
        };
        hops.drop_cycle_edges();
        hops
    }

    /// Depth-first search from the seeds outward (hop, time, id order); an edge that reaches a
    /// node still on the search stack closes a cycle and is dropped.
    fn drop_cycle_edges(&mut self) {
        const NEW: u8 = 0;
        const ON_STACK: u8 = 1;
        const DONE: u8 = 2;
        let n = self.ids.len();
        let mut roots: Vec<usize> = (0..n).collect();
        roots.sort_by_key(|&i| (self.hop[i], self.time[i], i));

        let mut state = vec![NEW; n];
        let mut kept: Vec<Vec<usize>> = vec![Vec::new(); n];
        for root in roots {
            if state[root] != NEW {
                continue;
            }
            state[root] = ON_STACK;
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            while let Some(frame) = stack.last_mut() {
                let (node, next) = *frame;
                if let Some(&target) = self.out[node].get(next) {
                    frame.1 += 1;
                    match state[target] {
                        ON_STACK => {} // closes a cycle: not a flow edge for layering
                        DONE => kept[node].push(target),
                        _ => {
                            kept[node].push(target);
                            state[target] = ON_STACK;
                            stack.push((target, 0));
                        }
                    }
                } else {
                    state[node] = DONE;
                    stack.pop();
                }
            }
        }
        self.out = kept;
    }

    /// Column of every node: longest path from a source, then sources (nodes nothing flows
    /// into) pulled right to sit just left of their nearest successor.
    fn columns(&self) -> Vec<usize> {
        let n = self.ids.len();
        let mut indegree = vec![0usize; n];
        for targets in &self.out {
            for &t in targets {
                indegree[t] += 1;
            }
        }
        let sources: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();

        let mut column = vec![0usize; n];
        let mut ready: BTreeSet<usize> = sources.iter().copied().collect();
        while let Some(node) = ready.pop_first() {
            for &t in &self.out[node] {
                column[t] = column[t].max(column[node] + 1);
                indegree[t] -= 1;
                if indegree[t] == 0 {
                    ready.insert(t);
                }
            }
        }
        for &s in &sources {
            if let Some(nearest) = self.out[s].iter().map(|&t| column[t]).min() {
                column[s] = nearest - 1;
            }
        }
        column
    }

    fn positions(&self, column: &[usize]) -> Vec<(f64, f64)> {
        let mut by_column: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (node, &c) in column.iter().enumerate() {
            by_column.entry(c).or_default().push(node);
        }
        let mut positions = vec![(0.0, 0.0); self.ids.len()];
        for (c, mut members) in by_column {
            members.sort_by_key(|&i| (self.time[i], i));
            let middle = (members.len() as f64 - 1.0) / 2.0;
            for (row, node) in members.into_iter().enumerate() {
                positions[node] = (
                    c as f64 * COLUMN_SPACING,
                    (row as f64 - middle) * ROW_SPACING,
                );
            }
        }
        positions
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{GraphEdge, GraphNode, NodeKind};

    fn node(id: &str, time: i64, hop: u32) -> GraphNode {
        let kind = if id.starts_with("btc:tx:") {
            NodeKind::Transaction
        } else {
            NodeKind::Address
        };
        GraphNode {
            id: id.to_string(),
            kind,
            label: id.to_string(),
            time: Some(time),
            hop,
            position: None,
        }
    }

    fn edge(s: &str, t: &str) -> GraphEdge {
        GraphEdge {
            source: s.to_string(),
            target: t.to_string(),
            amount_sat: 1_000,
        }
    }

    fn chain() -> ReportGraph {
        ReportGraph {
            nodes: vec![
                node("btc:addr:a", 100, 0),
                node("btc:tx:1", 200, 1),
                node("btc:addr:b", 200, 1),
                node("btc:tx:2", 300, 2),
                node("btc:addr:c", 300, 2),
            ],
            edges: vec![
                edge("btc:addr:a", "btc:tx:1"),
                edge("btc:tx:1", "btc:addr:b"),
                edge("btc:addr:b", "btc:tx:2"),
                edge("btc:tx:2", "btc:addr:c"),
            ],
        }
    }

    fn by_id(graph: &ReportGraph) -> BTreeMap<String, (f64, f64)> {
        graph
            .nodes
            .iter()
            .map(|n| n.id.clone())
            .zip(flow_layout(graph))
            .collect()
    }

    #[test]
    fn chain_flows_left_to_right() {
        let graph = chain();
        let xs: Vec<f64> = flow_layout(&graph).iter().map(|p| p.0).collect();
        for pair in xs.windows(2) {
            assert!(
                pair[0] < pair[1],
                "each step of a→tx1→b→tx2→c must sit right of the previous one: {xs:?}"
            );
        }
    }

    #[test]
    fn shuffled_input_gives_the_same_positions() {
        let graph = chain();
        let mut shuffled = graph.clone();
        shuffled.nodes.reverse();
        shuffled.nodes.swap(0, 2);
        shuffled.edges.reverse();
        assert_eq!(
            by_id(&graph),
            by_id(&shuffled),
            "layout must depend on the graph, not on the order nodes and edges arrive in"
        );
    }

    #[test]
    fn saved_positions_are_kept() {
        let mut graph = chain();
        graph.nodes[2].position = Some((-5.5, 1234.0));
        let positions = flow_layout(&graph);
        assert_eq!(
            positions[2],
            (-5.5, 1234.0),
            "an analyst's saved canvas position takes precedence over the computed one"
        );
        assert_eq!(
            positions[0],
            flow_layout(&chain())[0],
            "a saved position must not move the other nodes"
        );
    }

    #[test]
    fn address_reuse_cycle_still_lays_out() {
        let mut graph = chain();
        // c sends back to a: a cycle a→tx1→b→tx2→c→tx3→a.
        graph.nodes.push(node("btc:tx:3", 400, 3));
        graph.edges.push(edge("btc:addr:c", "btc:tx:3"));
        graph.edges.push(edge("btc:tx:3", "btc:addr:a"));
        let p = by_id(&graph);
        assert!(
            p["btc:addr:a"].0 < p["btc:tx:1"].0 && p["btc:tx:2"].0 < p["btc:addr:c"].0,
            "the seed side of the cycle keeps the left-to-right order: {p:?}"
        );
        assert!(
            p["btc:addr:c"].0 < p["btc:tx:3"].0,
            "the reuse transaction sits right of its input: {p:?}"
        );
    }

    #[test]
    fn column_is_ordered_by_time_then_id_with_even_spacing() {
        let graph = ReportGraph {
            nodes: vec![
                node("btc:tx:1", 100, 0),
                node("btc:addr:z", 50, 1),
                node("btc:addr:y", 90, 1),
                node("btc:addr:x", 90, 1),
            ],
            edges: vec![
                edge("btc:tx:1", "btc:addr:z"),
                edge("btc:tx:1", "btc:addr:y"),
                edge("btc:tx:1", "btc:addr:x"),
            ],
        };
        let p = by_id(&graph);
        assert_eq!(
            (p["btc:addr:z"].1, p["btc:addr:x"].1, p["btc:addr:y"].1),
            (-ROW_SPACING, 0.0, ROW_SPACING),
            "earliest first, equal times broken by id, evenly spaced around the middle"
        );
    }
}
