// Cytoscape's performance options, turned on only for a big graph so a small case looks exactly
// as before. While the investigator pans or zooms a graph of more than BIG_GRAPH elements, the
// renderer moves a texture of the last frame instead of redrawing every element
// (textureOnViewport), leaves the edges out (hideEdgesOnViewport), never blurs motion, and
// draws at one device pixel per CSS pixel; the full picture comes back as soon as the gesture
// stops. Cytoscape takes these as start-up options only, so they are set on its renderer.
// A big graph's edges are also drawn straight instead of as Bézier curves (arrows kept, so the
// direction of every transfer still shows): at 5,000 nodes the edges were most of a full redraw
// in the webview's software rendering (BENCHMARKS.md, "Pan and zoom frame times"), and a full
// redraw comes with every gesture's first frame. Drawn edges are already one per direction and
// asset, so only a pair of opposite transfers between the same two nodes overlap.

import type { Core } from "cytoscape";

/** Nodes plus edges above which the performance options are on. */
export const BIG_GRAPH = 1_000;

/** The renderer fields Cytoscape 3.x reads its start-up performance options into. */
interface RendererOptions {
  hideEdgesOnViewport: boolean;
  textureOnViewport: boolean;
  motionBlurEnabled: boolean;
  motionBlur: boolean;
  forcedPixelRatio: number | null;
}

export interface PerformanceMode {
  big: boolean;
  hideEdgesOnViewport: boolean;
  textureOnViewport: boolean;
  pixelRatio: number | null;
  edgeCurve: EdgeCurve;
}

export type EdgeCurve = "bezier" | "straight";

/** The edge curve each canvas's stylesheet has been given (absent: the stylesheet's own). */
const curves = new WeakMap<Core, EdgeCurve>();

/** The options for a graph of `elements` nodes and edges. */
export function performanceModeFor(elements: number): PerformanceMode {
  const big = elements > BIG_GRAPH;
  return {
    big,
    hideEdgesOnViewport: big,
    textureOnViewport: big,
    pixelRatio: big ? 1 : null,
    edgeCurve: big ? "straight" : "bezier",
  };
}

/** Applies the options for a graph of `elements` nodes and edges (by default what `cy` holds
 * now; an opened case's whole graph while part of it is still to be added); returns them (the
 * canvas publishes `big`). */
export function tunePerformance(cy: Core, elements: number = cy.elements().length): PerformanceMode {
  const mode = performanceModeFor(elements);
  if ((curves.get(cy) ?? "bezier") !== mode.edgeCurve) {
    curves.set(cy, mode.edgeCurve);
    cy.style().selector("edge").style("curve-style", mode.edgeCurve).update();
  }
  const renderer = (cy as unknown as { renderer(): Partial<RendererOptions> | undefined }).renderer();
  if (renderer === undefined || renderer.textureOnViewport === undefined) return mode;
  const pixelRatioChanged = renderer.forcedPixelRatio !== mode.pixelRatio;
  renderer.hideEdgesOnViewport = mode.hideEdgesOnViewport;
  renderer.textureOnViewport = mode.textureOnViewport;
  renderer.motionBlurEnabled = false;
  renderer.motionBlur = false;
  renderer.forcedPixelRatio = mode.pixelRatio;
  // The renderer matches its canvases to a new pixel ratio at its next frame by itself; a
  // `cy.resize()` here would also emit `resize`, on which the minimap re-measured the whole
  // graph (about 4 s of the 5,000-node opening).
  if (pixelRatioChanged) cy.forceRender();
  return mode;
}

/** After the whole stylesheet was replaced (a theme change): its edges are Bézier curves again,
 * so the options are applied anew. */
export function retunePerformance(cy: Core): PerformanceMode {
  curves.delete(cy);
  return tunePerformance(cy);
}
