// What the view exports cover, pure: the nodes the analyst sees (after the time filter, hidden
// nodes left out; members of a collapsed entity count, their transfers are drawn summed).

import type { GraphView } from "../ipc/types";

/** Canvas ids of the visible nodes of a (time-filtered) graph, in graph order. */
export function visibleNodeIds(graph: GraphView): string[] {
  return graph.nodes.filter((n) => !n.hidden).map((n) => n.id);
}
