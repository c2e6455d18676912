// The investigation as the UI holds it: the case's graph (as the core returned it) and the
// selection. Pure functions from state to state; no DOM, no canvas library, no IPC.

import type { EdgeView, GraphView, NodePosition, NodeView, NoteView } from "../ipc/types";
import { isCompound } from "./ids";

export interface Investigation {
  readonly graph: GraphView | null;
  /** Id of the selected node or edge, or null. */
  readonly selected: string | null;
}

export const noInvestigation: Investigation = { graph: null, selected: null };

/** Replaces the graph; a selection that no longer exists is dropped. */
export function withGraph(inv: Investigation, graph: GraphView): Investigation {
  const selected = inv.selected !== null && contains(graph, inv.selected) ? inv.selected : null;
  return { graph, selected };
}

/** Selects an element of the graph; an unknown id clears the selection. */
export function withSelection(inv: Investigation, id: string | null): Investigation {
  if (id === null || inv.graph === null || !contains(inv.graph, id)) {
    return { ...inv, selected: null };
  }
  return { ...inv, selected: id };
}

export function contains(graph: GraphView, id: string): boolean {
  return findNode(graph, id) !== undefined || findEdge(graph, id) !== undefined;
}

export function findNode(graph: GraphView, id: string): NodeView | undefined {
  return graph.nodes.find((n) => n.id === id);
}

export function findEdge(graph: GraphView, id: string): EdgeView | undefined {
  return graph.edges.find((e) => e.id === id);
}

/** What the canvas element reports in `data-node-count` / `data-edge-count`. */
export function counts(graph: GraphView | null): { nodes: number; edges: number } {
  if (graph === null) return { nodes: 0, edges: 0 };
  return {
    nodes: graph.nodes.filter((n) => !isCompound(n.id)).length,
    edges: graph.edges.length,
  };
}

export interface Transfer {
  readonly edge: EdgeView;
  /** The node at the other end, when it is on the canvas. */
  readonly counterpart: NodeView | undefined;
}

export type Selection =
  | {
      kind: "node";
      node: NodeView;
      incoming: readonly Transfer[];
      outgoing: readonly Transfer[];
    }
  | { kind: "edge"; edge: EdgeView; source: NodeView | undefined; target: NodeView | undefined };

/** The selected element with what the details panel shows about it. */
export function describeSelection(inv: Investigation): Selection | null {
  const { graph, selected } = inv;
  if (graph === null || selected === null) return null;
  const node = findNode(graph, selected);
  if (node !== undefined) {
    const transfer = (edge: EdgeView, other: string): Transfer => ({
      edge,
      counterpart: findNode(graph, other),
    });
    const incoming = graph.edges
      .filter((e) => e.target === node.id)
      .map((e) => transfer(e, e.source))
      .sort(byTimeThenId);
    const outgoing = graph.edges
      .filter((e) => e.source === node.id)
      .map((e) => transfer(e, e.target))
      .sort(byTimeThenId);
    return { kind: "node", node, incoming, outgoing };
  }
  const edge = findEdge(graph, selected);
  if (edge !== undefined) {
    return {
      kind: "edge",
      edge,
      source: findNode(graph, edge.source),
      target: findNode(graph, edge.target),
    };
  }
  return null;
}

/** Earliest first; unknown times last; ties on the edge id, so the order is stable. */
function byTimeThenId(a: Transfer, b: Transfer): number {
  const ta = a.edge.time ?? Number.POSITIVE_INFINITY;
  const tb = b.edge.time ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.edge.id < b.edge.id ? -1 : a.edge.id > b.edge.id ? 1 : 0;
}

/** Ids in `after` that were not in `before`, in `after`'s order. */
export function addedNodeIds(before: GraphView | null, after: GraphView): string[] {
  const known = new Set(before?.nodes.map((n) => n.id) ?? []);
  return after.nodes.filter((n) => !known.has(n.id)).map((n) => n.id);
}

/** The graph with a note the core has just saved attached to its node. */
export function withNote(graph: GraphView, note: NoteView): GraphView {
  return {
    ...graph,
    nodes: graph.nodes.map((n) =>
      n.id === note.target ? { ...n, notes: [...n.notes, note] } : n,
    ),
  };
}

/** The graph with nodes moved to where the investigator dragged them. */
export function withPositions(graph: GraphView, positions: readonly NodePosition[]): GraphView {
  const moved = new Map(positions.map((p) => [p.id, p]));
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const p = moved.get(n.id);
      return p === undefined ? n : { ...n, x: p.x, y: p.y };
    }),
  };
}
