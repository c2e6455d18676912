// The minimap's thumbnail of a big graph. cytoscape-navigator draws its thumbnail with a
// full-graph `cy.png`, which renders every node, edge and label: at 5,000 nodes in the
// webview's software rendering that took about 4 s, and it ran again after every change of the
// graph. Above BIG_GRAPH elements the thumbnail is a sketch instead: each node a dot in its fill
// colour, each edge a straight hairline, compound entities as outlines, drawn into a small
// canvas in a few milliseconds. The extension still owns the panel, its placement and the
// viewport box; the sketch is placed exactly where its own thumbnail would be (sketchFrame.ts).

import type { Core } from "cytoscape";
import { type Box, sketchFrame, toSketch } from "./sketchFrame";

/** What cytoscape-navigator 2.0.2 keeps on its instance and the sketch uses. */
export interface NavigatorPanel {
  $thumbnail?: HTMLImageElement;
  panelWidth?: number;
  panelHeight?: number;
  boundingBox?: Box;
  /** Re-reads the graph's bounding box and the panel's size into the fields above. */
  _checkThumbnailSizesAndUpdate?: () => void;
  /** Places the viewport box for the current pan and zoom. */
  _setupView?: () => void;
}

/** Side of a node's dot in the sketch, in panel pixels. */
const DOT = 2;

/** Draws the sketch of `cy`'s graph into the navigator's thumbnail; false when the extension's
 * fields are missing (another version), so the caller can fall back to the extension's own. */
export function drawSketch(cy: Core, nav: NavigatorPanel): boolean {
  const img = nav.$thumbnail;
  if (img === undefined || nav._checkThumbnailSizesAndUpdate === undefined || nav._setupView === undefined) return false;
  nav._checkThumbnailSizesAndUpdate();
  nav._setupView();
  const bb = nav.boundingBox;
  const frame = bb === undefined ? null : sketchFrame(bb, nav.panelWidth ?? 0, nav.panelHeight ?? 0);
  if (bb === undefined || frame === null) {
    img.removeAttribute("src");
    return true;
  }
  const canvas = document.createElement("canvas");
  canvas.width = frame.width;
  canvas.height = frame.height;
  const ctx = canvas.getContext("2d");
  if (ctx === null) return false;
  const at = (p: { x: number; y: number }) => toSketch(frame, bb, p.x, p.y);

  ctx.lineWidth = 0.5;
  const edges = cy.edges();
  ctx.strokeStyle = edges.empty() ? "#8d9aab" : String(edges.first().style("line-color"));
  ctx.beginPath();
  edges.forEach((e) => {
    const s = at(e.source().position());
    const t = at(e.target().position());
    ctx.moveTo(s.x, s.y);
    ctx.lineTo(t.x, t.y);
  });
  ctx.stroke();

  cy.nodes().forEach((n) => {
    if (n.isParent()) {
      const b = n.boundingBox({ includeLabels: false });
      const p = at({ x: b.x1, y: b.y1 });
      ctx.strokeStyle = String(n.style("border-color"));
      ctx.strokeRect(p.x, p.y, b.w * frame.zoom, b.h * frame.zoom);
      return;
    }
    const p = at(n.position());
    ctx.fillStyle = String(n.style("border-color"));
    ctx.fillRect(p.x - DOT / 2, p.y - DOT / 2, DOT, DOT);
  });

  img.src = canvas.toDataURL("image/png");
  img.style.position = "absolute";
  img.style.left = `${frame.left}px`;
  img.style.top = `${frame.top}px`;
  return true;
}
