// Where the minimap's sketch of a big graph goes in the minimap panel: the graph's bounding box
// scaled to fit the panel and centred in it, as cytoscape-navigator places its own thumbnail
// (so its viewport box, computed by the extension, lies over the right part of the sketch).
// Pure: no DOM, no canvas library.

export interface Box {
  x1: number;
  y1: number;
  w: number;
  h: number;
}

export interface SketchFrame {
  /** Panel pixels per graph unit. */
  zoom: number;
  /** The sketch's size in panel pixels (whole pixels, at least 1). */
  width: number;
  height: number;
  /** Where the sketch's top left corner sits in the panel. */
  left: number;
  top: number;
}

/** The frame for a graph bounding box `bb` in a panel of `panelWidth` × `panelHeight`, or null
 * when there is nothing to draw (an empty panel or a graph without extent). */
export function sketchFrame(bb: Box, panelWidth: number, panelHeight: number): SketchFrame | null {
  if (!(panelWidth > 0 && panelHeight > 0 && bb.w > 0 && bb.h > 0)) return null;
  if (!Number.isFinite(bb.w) || !Number.isFinite(bb.h)) return null;
  const zoom = Math.min(panelWidth / bb.w, panelHeight / bb.h);
  return {
    zoom,
    width: Math.max(1, Math.ceil(zoom * bb.w)),
    height: Math.max(1, Math.ceil(zoom * bb.h)),
    left: (panelWidth - zoom * bb.w) / 2,
    top: (panelHeight - zoom * bb.h) / 2,
  };
}

/** A graph point in sketch pixels (from the sketch's top left corner). */
export function toSketch(frame: SketchFrame, bb: Box, x: number, y: number): { x: number; y: number } {
  return { x: (x - bb.x1) * frame.zoom, y: (y - bb.y1) * frame.zoom };
}
