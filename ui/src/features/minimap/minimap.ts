// The minimap (test id `minimap`): the whole graph and the current viewport in the canvas's
// bottom right corner; drag the viewport box, or click the overview, to pan. Drawn by the
// canvas viewport (cytoscape-navigator); this module owns its place and its toggle.

import type { Viewport } from "../canvas/viewport";
import { byId } from "../dom";
import "./minimap.css";

const ID = "minimap";

/** Shows the minimap for the canvas's viewport (once per app: the canvas lives as long). */
export function attachMinimap(viewport: Viewport): void {
  const box = byId(ID, HTMLElement);
  box.hidden = false;
  viewport.attachMinimap(ID);
}
