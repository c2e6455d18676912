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

/** Cytoscape 3.x's render loop: callbacks run before each frame's draw, and the draw itself. */
interface RenderLoop {
  beforeRenderCallbacks?: { fn: (willDraw: boolean, now: number) => void; priority: number }[];
  beforeRenderPriorities?: Record<string, number>;
  render?: (options: unknown) => void;
  /** Inside `eleCalcs`: label sizes, edge points and bounding boxes of the changed elements. */
  recalculateRenderedStyle?: (eles: unknown, useCache?: boolean) => void;
  /** Inside `eleCalcs`: the texture caches dropping what the changed elements invalidate. */
  onUpdateEleCalcsFns?: ((willDraw: boolean, eles: unknown) => void)[];
}

/**
 * Where the renderer's time goes while an opening is timed: milliseconds per before-render
 * callback (by Cytoscape's name for its priority: `eleCalcs` is the style, label sizes, edge
 * points and bounding boxes of every element changed since the last frame; `eleTxrDeq` and
 * `lyrTxrDeq` fill the texture caches) and in `render` (drawing the elements in view). Within
 * `eleCalcs`, `eleCalcs.rstyle` is the label sizes, edge points and bounding boxes and
 * `eleCalcs.caches` the texture caches' invalidation; the rest of it is the style itself.
 */
export interface RenderProfile {
  /** Starts (again) from zero. */
  start(): void;
  /** Stops and returns the milliseconds per part since `start` (empty when not profiled). */
  stop(): Record<string, number>;
}

/** Times `cy`'s renderer between `start` and `stop`; outside them it costs one test per call. */
export function profileRenderer(cy: Core): RenderProfile {
  const renderer = (cy as unknown as { renderer(): RenderLoop | undefined }).renderer();
  let spent: Record<string, number> | null = null;
  const timed = <A extends unknown[]>(name: string, fn: (...args: A) => void) =>
    function (this: unknown, ...args: A): void {
      if (spent === null) {
        fn.apply(this, args);
        return;
      }
      const start = performance.now();
      try {
        fn.apply(this, args);
      } finally {
        const now = spent;
        if (now !== null) now[name] = (now[name] ?? 0) + performance.now() - start;
      }
    };
  const callbacks = renderer?.beforeRenderCallbacks;
  const render = renderer?.render;
  if (renderer !== undefined && callbacks !== undefined && typeof render === "function") {
    const names = new Map(Object.entries(renderer.beforeRenderPriorities ?? {}).map(([k, v]) => [v, k]));
    for (const cb of callbacks) cb.fn = timed(names.get(cb.priority) ?? `priority${cb.priority}`, cb.fn);
    renderer.render = timed("render", render);
    const rstyle = renderer.recalculateRenderedStyle;
    if (typeof rstyle === "function") renderer.recalculateRenderedStyle = timed("eleCalcs.rstyle", rstyle);
    const fns = renderer.onUpdateEleCalcsFns ?? [];
    fns.forEach((fn, i) => (fns[i] = timed("eleCalcs.caches", fn)));
  }
  const profiled = renderer !== undefined && callbacks !== undefined && typeof render === "function";
  return {
    start() {
      if (profiled) spent = {};
    },
    stop() {
      const out = spent ?? {};
      spent = null;
      return out;
    },
  };
}
