// What undo needs to know about nodes before an action changes them: each node as the core can
// put it back (position, entity, hidden flag, whether it was a starting point), and positions.
// Pure: read from the GraphView the core returned.

import type { GraphView, NodePosition, RestoreNode } from "../../ipc/types";

/** The nodes among `ids` that the graph holds, as the core's restore_nodes takes them back
 * (entity and compound ids are skipped: an entity comes back with its members). */
export function snapshotOf(graph: GraphView, ids: readonly string[]): RestoreNode[] {
  const wanted = new Set(ids);
  const entities = new Map(graph.entities.map((e) => [e.id, e]));
  return graph.nodes
    .filter((n) => wanted.has(n.id))
    .map((n) => {
      const e = n.entity === null ? undefined : entities.get(n.entity);
      return {
        id: n.id,
        x: n.x,
        y: n.y,
        // The core counts hops from the analyst's starting points: hop 0 is a starting point.
        seed: n.hop === 0,
        hidden: n.hidden,
        entity: e === undefined ? null : { id: e.id, name: e.name, category: e.category, collapsed: e.collapsed },
      };
    });
}

/** Where the graph has these nodes now (ids it lacks are skipped). */
export function positionsOf(graph: GraphView, ids: readonly string[]): NodePosition[] {
  const wanted = new Set(ids);
  return graph.nodes.filter((n) => wanted.has(n.id)).map((n) => ({ id: n.id, x: n.x, y: n.y }));
}

/** The entity a node is in, or null. */
export function entityOf(graph: GraphView, nodeId: string): string | null {
  return graph.nodes.find((n) => n.id === nodeId)?.entity ?? null;
}

/** Ids of the hidden nodes. */
export function hiddenIds(graph: GraphView): string[] {
  return graph.nodes.filter((n) => n.hidden).map((n) => n.id);
}
