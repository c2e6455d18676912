// Block heights of the canvas's transactions for the time filter's height mode, asked from the
// shell when a height window is applied and again when transactions without a known height
// appear on the canvas (each id is asked for once: an unconfirmed one never gets a height).

import type { GraphView } from "../../ipc/types";
import type { Heights } from "../../model/timeWindow";

export interface HeightSource {
  current(): Heights;
  /** Asks again when `graph` has transactions not asked for yet; true when heights changed. */
  ensure(graph: GraphView): Promise<boolean>;
  /** Forgets everything (another case was opened). */
  reset(): void;
}

export function createHeightSource(ask: () => Promise<Record<string, number>>): HeightSource {
  let heights = new Map<string, number>();
  const asked = new Set<string>();
  return {
    current: () => heights,
    async ensure(graph) {
      const fresh = graph.nodes.filter((n) => n.kind === "transaction" && !asked.has(n.id)).map((n) => n.id);
      if (fresh.length === 0) return false;
      for (const id of fresh) asked.add(id);
      const answer = await ask();
      heights = new Map(Object.entries(answer));
      return true;
    },
    reset() {
      heights = new Map();
      asked.clear();
    },
  };
}
