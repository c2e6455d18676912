// What the canvas draws of the case's graph once the analyst has organised it: hidden nodes
// are left out, expanded entities are compound parents around their members, and a collapsed
// entity is one node that stands for its members, their transfers with the rest of the canvas
// rerouted to it and summed per direction and asset (exact base units as BigInt, never mixing
// assets). Pure: no DOM, no canvas library.

import type { EdgeView, EntityView, GraphView, NodeView } from "../ipc/types";
import { assetOf, formatTotal, sumByAsset } from "./assetAmounts";
import { formatBtc } from "./attribution";

/** The categories the core accepts for an entity, with the text mark drawn on the canvas. */
export const ENTITY_CATEGORIES = [
  { id: "exchange", mark: "⇄ exchange" },
  { id: "service", mark: "◇ service" },
  { id: "mixer", mark: "≋ mixer" },
  { id: "victim", mark: "✚ victim" },
  { id: "suspect", mark: "⚠ suspect" },
  { id: "merchant", mark: "$ merchant" },
  { id: "other", mark: "○ other" },
] as const;

export function categoryMark(category: string): string {
  return ENTITY_CATEGORIES.find((c) => c.id === category)?.mark ?? category;
}

/** The label of an entity on the canvas: its category's mark, its name, and its size. */
export function entityCaption(e: EntityView): string {
  const n = e.members.length;
  return `${categoryMark(e.category)} · ${e.name} (${n} ${n === 1 ? "node" : "nodes"}${e.collapsed ? ", collapsed" : ""})`;
}

export type DrawnNode =
  | { kind: "member"; node: NodeView; parent: string | null }
  | { kind: "entity"; entity: EntityView; collapsed: boolean; x: number; y: number };

export interface DrawnEdge {
  id: string;
  source: string;
  target: string;
  amount_sat: number;
  /** Readable amount, with the number of transfers when several were summed. */
  amount: string;
  /** The case's edges this one stands for. */
  edges: string[];
}

export interface Drawing {
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  /** Nodes left out because the analyst hid them. */
  hidden: number;
}

/** The drawing of `graph`; see the module comment. Deterministic: nodes and edges in graph order. */
export function drawingOf(graph: GraphView): Drawing {
  const entities = graph.entities;
  const collapsedOf = new Map<string, string>();
  const parentOf = new Map<string, string>();
  for (const e of entities) {
    for (const m of e.members) (e.collapsed ? collapsedOf : parentOf).set(m, e.id);
  }
  const hiddenIds = new Set(graph.nodes.filter((n) => n.hidden).map((n) => n.id));
  const nodes: DrawnNode[] = [];
  const placed = new Map<string, { x: number; y: number; n: number }>();
  for (const node of graph.nodes) {
    if (hiddenIds.has(node.id)) continue;
    const collapsed = collapsedOf.get(node.id);
    if (collapsed !== undefined) {
      const p = placed.get(collapsed) ?? { x: 0, y: 0, n: 0 };
      placed.set(collapsed, { x: p.x + node.x, y: p.y + node.y, n: p.n + 1 });
      continue;
    }
    nodes.push({ kind: "member", node, parent: parentOf.get(node.id) ?? null });
  }
  // Entities first among the nodes would be nicer to read, but parents must only exist; the
  // canvas adds compound parents before their children itself.
  for (const e of entities) {
    const p = placed.get(e.id);
    const shownMembers = e.members.filter((m) => !hiddenIds.has(m) && graph.nodes.some((n) => n.id === m));
    if (shownMembers.length === 0) continue;
    nodes.push({
      kind: "entity",
      entity: e,
      collapsed: e.collapsed,
      x: p === undefined ? 0 : p.x / p.n,
      y: p === undefined ? 0 : p.y / p.n,
    });
  }
  const endpoint = (id: string): string | null => {
    if (hiddenIds.has(id)) return null;
    return collapsedOf.get(id) ?? id;
  };
  const edges: DrawnEdge[] = [];
  const merged = new Map<string, { source: string; target: string; edges: EdgeView[] }>();
  for (const edge of graph.edges) {
    const source = endpoint(edge.source);
    const target = endpoint(edge.target);
    if (source === null || target === null) continue;
    if (source === edge.source && target === edge.target) {
      edges.push({ id: edge.id, source, target, amount_sat: edge.amount_sat, amount: edge.amount, edges: [edge.id] });
      continue;
    }
    // Inside one collapsed entity: not drawn (the entity stands for all of it).
    if (source === target) continue;
    // One drawn edge per direction and asset: amounts of different assets are never summed.
    const asset = assetOf(edge).asset;
    const key = asset === "BTC" ? `${source}>${target}` : `${source}>${target}#${asset}`;
    const group = merged.get(key) ?? { source, target, edges: [] };
    group.edges.push(edge);
    merged.set(key, group);
  }
  for (const [key, group] of [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [total] = sumByAsset(group.edges);
    const n = group.edges.length;
    const text = total === undefined ? formatBtc(0) : formatTotal(total);
    edges.push({
      id: `${key}#sum`,
      source: group.source,
      target: group.target,
      amount_sat: total?.asset === "BTC" ? Number(total.base) : 0,
      amount: n === 1 ? text : `${text} (${n} transfers)`,
      edges: group.edges.map((e) => e.id),
    });
  }
  return { nodes, edges, hidden: hiddenIds.size };
}

/** What the canvas element reports in `data-node-count` / `data-edge-count`: what is drawn. */
export function drawnCounts(d: Drawing): { nodes: number; edges: number } {
  return { nodes: d.nodes.filter((n) => n.kind === "member").length, edges: d.edges.length };
}

/** What the canvas tools act on, given the selected ids. */
export interface Targets {
  /** Address and transaction nodes: those selected, and the members of selected entities. */
  nodes: string[];
  /** The entity to collapse, expand or ungroup: the first selected entity, or the entity of
   * the first selected node that is in one. */
  entity: EntityView | null;
}

export function targetsOf(graph: GraphView | null, selected: readonly string[]): Targets {
  if (graph === null) return { nodes: [], entity: null };
  const entities = new Map(graph.entities.map((e) => [e.id, e]));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes = new Set<string>();
  let entity: EntityView | null = null;
  for (const id of selected) {
    const e = entities.get(id);
    if (e !== undefined) {
      entity ??= e;
      for (const m of e.members) if (byId.get(m)?.hidden === false) nodes.add(m);
      continue;
    }
    const node = byId.get(id);
    if (node === undefined) continue;
    nodes.add(id);
    if (entity === null && node.entity !== null) entity = entities.get(node.entity) ?? null;
  }
  return { nodes: [...nodes].sort(), entity };
}
