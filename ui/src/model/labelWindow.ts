// Which labels a big graph carries. Cytoscape measures the text of every element whose label is
// not empty when it first computes the style, whether or not the label will be drawn: at a
// thousand elements that was about a second of the first frame of an opened case
// (BENCHMARKS.md, "Opening the 50,000-tx case"). A label is drawn only where the zoom makes it
// readable (the stylesheet's `min-zoomed-font-size`) and only where the view shows it, so a big
// graph gives its text only to the elements in (or near) the view, and only from the zoom at
// which any label is drawn; the rest carry an empty label until the view comes to them.
// Nothing is lost: what is left out would not have been drawn.

/** A rectangle in graph coordinates. */
export interface Extent {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The smallest node font size in the stylesheet (transactions: 11 px; addresses 12 px). */
export const SMALLEST_LABEL_FONT = 11;
/** The stylesheet's `min-zoomed-font-size` for nodes (edges: 7 px, drawn from a higher zoom). */
export const MIN_ZOOMED_FONT = 6;

/** The zoom from which some label is drawn: below it every label is too small to draw. */
export const LABEL_MIN_ZOOM = MIN_ZOOMED_FONT / SMALLEST_LABEL_FONT;

/** True when labels are drawn at this zoom. */
export function labelsReadable(zoom: number): boolean {
  return zoom >= LABEL_MIN_ZOOM;
}

/**
 * The part of the graph whose elements get their labels: the view grown by half its width and
 * height on every side, so a short pan finds the labels next to the view already there.
 */
export function labelWindow(view: Extent): Extent {
  const dx = (view.x2 - view.x1) / 2;
  const dy = (view.y2 - view.y1) / 2;
  return { x1: view.x1 - dx, y1: view.y1 - dy, x2: view.x2 + dx, y2: view.y2 + dy };
}

/** True when the point lies in the window (edges included). */
export function inWindow(p: { x: number; y: number }, w: Extent): boolean {
  return p.x >= w.x1 && p.x <= w.x2 && p.y >= w.y1 && p.y <= w.y2;
}

/**
 * True when an edge between these two points may cross the window: a line segment lies inside
 * the bounding box of its ends, so one whose box misses the window cannot cross it.
 */
export function segmentNearWindow(a: { x: number; y: number }, b: { x: number; y: number }, w: Extent): boolean {
  return Math.max(a.x, b.x) >= w.x1 && Math.min(a.x, b.x) <= w.x2 && Math.max(a.y, b.y) >= w.y1 && Math.min(a.y, b.y) <= w.y2;
}

/**
 * True when the straight segment between these two points crosses the window or has an end in
 * it (Liang–Barsky clipping): exact for straight edges, which big graphs draw
 * (features/canvas/performance.ts), where the bounding-box test of `segmentNearWindow` takes
 * every long edge whose box covers the window as near.
 */
export function segmentCrossesWindow(a: { x: number; y: number }, b: { x: number; y: number }, w: Extent): boolean {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  // Each side of the window as p·t ≤ q along the segment a + t·(b − a).
  const sides: [number, number][] = [
    [-dx, a.x - w.x1],
    [dx, w.x2 - a.x],
    [-dy, a.y - w.y1],
    [dy, w.y2 - a.y],
  ];
  for (const [p, q] of sides) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}
