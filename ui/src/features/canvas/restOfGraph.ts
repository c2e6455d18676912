// The rest of a big graph, drawn after an opened case's first frame. The canvas adds first what
// the saved view shows (model/firstBatch) so that frame computes only those elements; the other
// elements come here, a chunk per animation frame from the frame after the first one on, so the
// canvas stays interactive while they arrive. Each element's definition is made when it is
// added, so a flag or trace set meanwhile is in it. Anything that needs the whole graph (select
// by id, layouts, test hooks) calls `flush()`, which adds what is still waiting at once.

import type { Core, ElementDefinition } from "cytoscape";

/** Elements added per animation frame: at about 1 ms each in the webview's software rendering
 * (style, label size, edge points, bounding box), a frame stays near a tenth of a second. */
export const REST_CHUNK = 120;

/** An element still to add: its id, and its definition made when it is added. */
export interface Waiting {
  id: string;
  define(): ElementDefinition;
}

export interface RestOfGraph {
  /** How many elements are still waiting. */
  waiting(): number;
  /** Adds every waiting element now. */
  flush(): void;
  /** Forgets the waiting elements (a new drawing of the graph adds what it is missing itself). */
  cancel(): void;
}

/**
 * Adds `nodes`, then `edges`, to `cy` in chunks from the second animation frame on; `done` runs
 * once after the last one was added (also after `flush`, not after `cancel`). An element whose
 * id is already drawn, or an edge with an end not drawn, is skipped.
 */
export function drawRestLater(cy: Core, nodes: Waiting[], edges: Waiting[], done: () => void): RestOfGraph {
  const queue = [...nodes, ...edges];
  let next = 0;
  let frame: number | null = null;
  const addUpTo = (end: number): void => {
    const defs: ElementDefinition[] = [];
    let nodesInDefs = false;
    cy.batch(() => {
      for (; next < end && next < queue.length; next++) {
        const w = queue[next];
        if (w === undefined || cy.getElementById(w.id).nonempty()) continue;
        const def = w.define();
        if (def.group === "edges") {
          // The chunk's nodes go in before the first edge that may need them.
          if (nodesInDefs) cy.add(defs.splice(0));
          nodesInDefs = false;
          const { source, target } = def.data as { source: string; target: string };
          if (cy.getElementById(source).empty() || cy.getElementById(target).empty()) continue;
        }
        else nodesInDefs = true;
        defs.push(def);
      }
      cy.add(defs);
    });
  };
  const finish = (): void => {
    if (frame !== null) cancelAnimationFrame(frame);
    frame = null;
    done();
  };
  const step = (): void => {
    frame = null;
    addUpTo(next + REST_CHUNK);
    if (next >= queue.length) finish();
    else frame = requestAnimationFrame(step);
  };
  if (queue.length === 0) queueMicrotask(done);
  // The first frame is drawn in the next animation frame; the rest starts in the one after.
  else frame = requestAnimationFrame(() => (frame = requestAnimationFrame(step)));
  return {
    waiting: () => queue.length - next,
    flush() {
      if (next >= queue.length) return;
      addUpTo(queue.length);
      finish();
    },
    cancel() {
      if (frame !== null) cancelAnimationFrame(frame);
      frame = null;
      next = queue.length;
    },
  };
}
