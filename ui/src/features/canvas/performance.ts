// Cytoscape's performance options, turned on only for a big graph so a small case looks exactly
// as before. While the investigator pans or zooms a graph of more than BIG_GRAPH elements, the
// renderer moves a texture of the last frame instead of redrawing every element
// (textureOnViewport), leaves the edges out (hideEdgesOnViewport), never blurs motion, and
// draws at one device pixel per CSS pixel; the full picture comes back as soon as the gesture
// stops. Cytoscape takes these as start-up options only, so they are set on its renderer.
// The open timing marks (`case-open`, `case-open-ipc`) are read by the canvas benchmark.

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
}

/** The options for a graph of `elements` nodes and edges. */
export function performanceModeFor(elements: number): PerformanceMode {
  const big = elements > BIG_GRAPH;
  return { big, hideEdgesOnViewport: big, textureOnViewport: big, pixelRatio: big ? 1 : null };
}

/** Applies the options for the graph `cy` holds now; returns them (the canvas publishes `big`). */
export function tunePerformance(cy: Core): PerformanceMode {
  const mode = performanceModeFor(cy.elements().length);
  const renderer = (cy as unknown as { renderer(): Partial<RendererOptions> | undefined }).renderer();
  if (renderer === undefined || renderer.textureOnViewport === undefined) return mode;
  const pixelRatioChanged = renderer.forcedPixelRatio !== mode.pixelRatio;
  renderer.hideEdgesOnViewport = mode.hideEdgesOnViewport;
  renderer.textureOnViewport = mode.textureOnViewport;
  renderer.motionBlurEnabled = false;
  renderer.motionBlur = false;
  renderer.forcedPixelRatio = mode.pixelRatio;
  if (pixelRatioChanged) cy.resize();
  return mode;
}

/**
 * Records how long opening a case took: `case-open-ipc` from `since` until `answered` (the core
 * gave the graph), and `case-open` until the first frame drawn after the canvas showed the case
 * (two animation frames: Cytoscape draws in the first).
 */
export function markOpened(since: number, answered: number): void {
  performance.measure("case-open-ipc", { start: since, end: answered });
  requestAnimationFrame(() =>
    requestAnimationFrame(() => performance.measure("case-open", { start: since, end: performance.now() })),
  );
}
