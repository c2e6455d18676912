// The first frame of a graph draws only what the view shows. Cytoscape's canvas renderer keeps
// the drawn graph in "layers" (pictures of many elements at a zoom level, blitted at each frame),
// and the very first time it asks for them it draws every element of the graph into them at
// once, in view or not, before the first frame is shown: at a thousand nodes and edges, in the
// webview's software rendering, seconds of an opened case's first frame (BENCHMARKS.md,
// "Opening the 50,000-tx case"). Every later time it queues the elements into the layers and
// fills them in the idle time between frames, drawing the frame meanwhile from the elements in
// view. Marking that first request as done makes the first frame do the same: the layers are
// built after the case is on screen and interactive, a frame at a time.

import type { Core } from "cytoscape";

/** What Cytoscape 3.x keeps on its canvas renderer for the layered texture cache. */
interface LayeredCache {
  firstGet: boolean;
}

interface RendererData {
  data?: { lyrTxrCache?: Partial<LayeredCache> };
}

/** Makes `cy`'s renderer build its layers lazily from the first frame on; returns whether it
 * could (false: a renderer without the layered cache, e.g. headless, which draws nothing). */
export function drawFirstFrameInView(cy: Core): boolean {
  const renderer = (cy as unknown as { renderer(): RendererData | undefined }).renderer();
  const cache = renderer?.data?.lyrTxrCache;
  if (cache === undefined || typeof cache.firstGet !== "boolean") return false;
  cache.firstGet = false;
  return true;
}
