// The canvas's camera and drags as the autosave sees them: the viewport (zoom and pan) to save
// in the case and to restore on reopening, and the positions of nodes while they are being
// dragged (before the release that saves them for good).

import type { Core, NodeSingular } from "cytoscape";
import type { NodePosition, Viewport } from "../../ipc/types";
import { isCompound } from "../../model/ids";

export interface CameraEvents {
  /** The view was panned or zoomed (on every frame of a pan: the listener throttles). */
  onView?(view: Viewport): void;
  /** Nodes moved under a drag not yet released (plain nodes only; a collapsed entity's members
   * are saved on release). */
  onDragging?(positions: NodePosition[]): void;
}

export interface Camera {
  view(): Viewport;
  /** Shows the canvas with this zoom (kept within the canvas's bounds) and pan. */
  setView(view: Viewport): void;
}

export function cameraOf(cy: Core, events: CameraEvents): Camera {
  const view = (): Viewport => {
    const pan = cy.pan();
    return { zoom: cy.zoom(), pan_x: pan.x, pan_y: pan.y };
  };
  cy.on("viewport", () => events.onView?.(view()));
  cy.on("drag", "node", (evt) => {
    const dragged = (evt.target as NodeSingular).union((evt.target as NodeSingular).descendants()).nodes();
    const positions: NodePosition[] = [];
    dragged.forEach((n) => {
      if (!n.isParent() && !isCompound(n.id())) positions.push({ id: n.id(), x: n.position("x"), y: n.position("y") });
    });
    if (positions.length > 0) events.onDragging?.(positions);
  });
  return {
    view,
    setView(v) {
      const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), v.zoom));
      cy.viewport({ zoom, pan: { x: v.pan_x, y: v.pan_y } });
    },
  };
}
