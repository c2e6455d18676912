// The storyboard and callouts as the UI handles them, pure: turning a canvas selection into a
// story step's path, where a step moves with "up" or "down", what a step highlights, and which
// selected ids are edges (a note on an edge goes to another command than a note on a node).

import type { CalloutView, GraphView, StoryStepView } from "../ipc/types";

/** A story step's path as the core takes it: node ids and edge ids, in selection order. */
export interface StoryPath {
  nodes: string[];
  edges: string[];
  /** Selected ids that are neither a node nor an edge of the graph (an entity box, …). */
  unknown: string[];
}

/** Edge ids are `<source>><target>#<index>`; node ids never contain `>`. */
export function isEdgeId(id: string): boolean {
  return id.includes(">");
}

/** Splits the selected ids into the graph's nodes and edges, keeping their order, once each. */
export function pathOfSelection(graph: GraphView, ids: readonly string[]): StoryPath {
  const nodes = new Set(graph.nodes.map((n) => n.id));
  const edges = new Set(graph.edges.map((e) => e.id));
  const path: StoryPath = { nodes: [], edges: [], unknown: [] };
  for (const id of new Set(ids)) {
    if (nodes.has(id)) path.nodes.push(id);
    else if (edges.has(id)) path.edges.push(id);
    else path.unknown.push(id);
  }
  return path;
}

/** The steps in story order (by position, then id). */
export function inStoryOrder(steps: readonly StoryStepView[]): StoryStepView[] {
  return [...steps].sort((a, b) => a.position - b.position || a.id - b.id);
}

/** The 1-based position step `id` moves to one place up (-1) or down (+1); null when it is
 * already first or last, or not in the story. */
export function movedPosition(steps: readonly StoryStepView[], id: number, by: -1 | 1): number | null {
  const ordered = inStoryOrder(steps);
  const at = ordered.findIndex((s) => s.id === id);
  if (at < 0) return null;
  const to = at + by;
  if (to < 0 || to >= ordered.length) return null;
  return to + 1;
}

/** What a step highlights on the canvas: its nodes, then its edges. */
export function highlightOf(step: StoryStepView): string[] {
  return [...step.nodes, ...step.edges];
}

/** How the story panel and the undo history name a step. */
export function stepName(step: Pick<StoryStepView, "position" | "title">): string {
  return `Step ${step.position}: ${step.title}`;
}

/** A callout's text as its box shows it: at most `max` characters, whole words, with "…". */
export function calloutPreview(callout: Pick<CalloutView, "text">, max = 140): string {
  const text = callout.text.trim().replace(/\s+/g, " ");
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A point in graph coordinates on screen (pixels from the canvas's top left), and back. */
export interface View {
  zoom: number;
  pan_x: number;
  pan_y: number;
}

export function toScreen(view: View, x: number, y: number): { left: number; top: number } {
  return { left: x * view.zoom + view.pan_x, top: y * view.zoom + view.pan_y };
}

export function toModel(view: View, left: number, top: number): { x: number; y: number } {
  return { x: (left - view.pan_x) / view.zoom, y: (top - view.pan_y) / view.zoom };
}

/** The widest a callout box is drawn (CSS `max-width` of `.callout`) and a generous height. */
export const CALLOUT_BOX = { width: 228, height: 96 } as const;

/** Where a new callout's box goes (its top left, in screen pixels of a `width` × `height`
 * canvas): beside the node it points at, so the box never covers its own anchor and its leader
 * line shows (up and to the right of it, or to the left near the right edge, kept inside the
 * canvas); without an anchor on screen, at the centre of the view a third of the way down. */
export function calloutSpot(
  width: number,
  height: number,
  anchor: { left: number; top: number } | null,
  gap = 40,
): { left: number; top: number } {
  const onScreen = anchor !== null && anchor.left >= 0 && anchor.top >= 0 && anchor.left <= width && anchor.top <= height;
  if (!onScreen) return { left: width / 2, top: height / 3 };
  const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(v, Math.max(lo, hi)));
  const right = anchor.left + gap;
  const left = right + CALLOUT_BOX.width <= width - 4 ? right : anchor.left - gap - CALLOUT_BOX.width;
  const above = anchor.top - gap - CALLOUT_BOX.height;
  const top = above >= 4 ? above : anchor.top + gap;
  return { left: clamp(left, 4, width - CALLOUT_BOX.width - 4), top: clamp(top, 4, height - CALLOUT_BOX.height - 4) };
}
