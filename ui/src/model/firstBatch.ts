// Which elements of a big graph an opened case draws before its first frame. Cytoscape's first
// frame computes the style, label size, edge points and bounding box of every element added,
// in view or not: at 1,000 nodes in the webview's software rendering most of a 2 s opening
// (BENCHMARKS.md, "Opening: where the first frame went"). A case opened at its saved view shows
// only part of the graph, so the canvas adds first exactly what that view shows, draws that
// frame, and adds the rest after it in chunks (features/canvas/canvas.ts; at 120 elements a
// frame the rest of a 1,000-node canvas is in within about a second). Taking
// the view grown by half on each side (the label window) doubled the first batch and cost about
// 0.4 s of the opening (BENCHMARKS.md, "Opening"). Edges that cross the view (as the straight
// lines a big graph draws) come first with both their ends, so no line drawn in it is missing.

import { type Extent, inWindow, segmentCrossesWindow } from "./labelWindow";

/** A node at its saved position in graph coordinates. */
export interface PlacedNode {
  id: string;
  x: number;
  y: number;
}

/** An edge between two node ids. */
export interface Link {
  id: string;
  source: string;
  target: string;
}

/** The saved view: zoom and pan as the canvas keeps them (rendered = model × zoom + pan). */
export interface SavedView {
  zoom: number;
  pan_x: number;
  pan_y: number;
}

/** The part of the graph a view of `width` × `height` pixels shows, in graph coordinates. */
export function viewExtent(view: SavedView, width: number, height: number): Extent {
  if (!(view.zoom > 0) || !Number.isFinite(view.zoom)) {
    throw new Error(`a saved view needs a zoom above 0, not ${view.zoom}`);
  }
  return {
    x1: (0 - view.pan_x) / view.zoom,
    y1: (0 - view.pan_y) / view.zoom,
    x2: (width - view.pan_x) / view.zoom,
    y2: (height - view.pan_y) / view.zoom,
  };
}

export interface FirstBatch {
  /** Node ids drawn before the first frame. */
  nodes: Set<string>;
  /** Edge ids drawn before the first frame (both ends are in `nodes`). */
  edges: Set<string>;
}

/**
 * The nodes in `view` and the edges that may cross it, with their ends.
 * An edge whose end is not among `nodes` is left out (it cannot be drawn at all).
 */
export function firstBatch(nodes: readonly PlacedNode[], edges: readonly Link[], view: Extent): FirstBatch {
  const at = new Map<string, PlacedNode>();
  for (const n of nodes) at.set(n.id, n);
  const first = new Set<string>();
  for (const n of nodes) if (inWindow(n, view)) first.add(n.id);
  const firstEdges = new Set<string>();
  for (const e of edges) {
    const a = at.get(e.source);
    const b = at.get(e.target);
    if (a === undefined || b === undefined) continue;
    if (segmentCrossesWindow(a, b, view)) {
      firstEdges.add(e.id);
      first.add(a.id);
      first.add(b.id);
    }
  }
  return { nodes: first, edges: firstEdges };
}
