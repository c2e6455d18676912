// The wheel zoom, run by the canvas instead of Cytoscape. Cytoscape's own handler zooms on a
// texture only while its last wheel event is under 150 ms old; at 5,000 nodes in the webview's
// software rendering building that texture is a full render that takes longer, so every wheel
// step became a full redraw of 0.35–2 s (BENCHMARKS.md, "Pan and zoom frame times"). Here a
// wheel event only moves the picture already drawn: the element holding Cytoscape's canvas
// layers gets a CSS transform that shows the last drawn view as the zoomed one (no element is
// drawn again; one moved layer, not one per canvas). Once the wheel has been quiet for QUIET_MS
// and the webview has shown QUIET_FRAMES frames since its last event, Cytoscape gets the final
// view in one `cy.viewport` call (one `zoom pan viewport` event: the autosave, the minimap's
// box and the labels follow it) and draws it once; the transform is dropped by the render that
// draws the new view, so no frame shows the old picture unscaled. The callouts over the canvas
// are placed in `view()`, the view the scaled picture shows (model/wheelZoom `shownView`), so
// each stays over the spot it annotates at every frame of the gesture and does not move when
// Cytoscape takes that view.
// The steps, the limits and the point kept under the cursor are Cytoscape's
// (model/wheelZoom.ts), so the view reached is the one its handler would have reached.
//
// A gesture ends at once (its view given to Cytoscape) when a press starts a pan, a drag or a
// box selection, and before a relative zoom (the +/− buttons and keys) or a picture of the view;
// a view set from elsewhere meanwhile (fit, a saved view, the minimap) replaces the gesture's.

import type { Core } from "cytoscape";
import {
  type RenderedPoint,
  cssTransform,
  type View,
  type WheelGesture,
  layerTransform,
  newWheelDevice,
  sameView,
  shownView,
  startGesture,
  wheelStep,
} from "../../model/wheelZoom";

/** How long the wheel must be quiet before Cytoscape draws the view the gesture reached. */
export const QUIET_MS = 200;
/**
 * And how many frames the webview must have shown since the last wheel event: time alone is not
 * quiet when the page is slow (a long frame is no pause of the wheel; a commit then made each
 * following frame a full redraw, as Cytoscape's own 150 ms timer did). A hidden page shows no
 * frames: there time alone counts.
 */
const QUIET_FRAMES = 2;

export interface WheelZoom {
  /** Ends a running gesture now: Cytoscape takes its view and draws it. */
  settle(): void;
  /** The view the canvas shows: during a gesture the one its scaled picture shows (not yet
   * Cytoscape's), else Cytoscape's. */
  view(): View;
}

/** What Cytoscape 3.x's canvas renderer keeps that the gesture uses. */
interface RendererInternals {
  data?: { canvases?: HTMLCanvasElement[] };
  /** [left, top, width, height, scale] of the container's content box, as its wheel handler reads it. */
  findContainerClientCoords?(): number[];
}

/** The data attribute the state is published in (`idle`, `moving`, `settling`), for the tests. */
const STATE = "wheelZoom";

/**
 * Takes the wheel zoom over from Cytoscape on `cy` (created with `userZoomingEnabled: false`)
 * with its `sensitivity` (Cytoscape's `wheelSensitivity`).
 */
export function attachWheelZoom(cy: Core, container: HTMLElement, sensitivity: number): WheelZoom {
  const renderer = (cy as unknown as { renderer(): RendererInternals | undefined }).renderer() ?? {};
  const current = (): View => {
    const pan = cy.pan();
    return { zoom: cy.zoom(), panX: pan.x, panY: pan.y };
  };
  /** The view the canvas's pixels show: the view of Cytoscape's last render. */
  let picture = current();
  let gesture: WheelGesture | null = null;
  let device = newWheelDevice();
  let quiet: ReturnType<typeof setTimeout> | null = null;
  let lastWheel = 0;
  let framesSinceWheel = 0;
  let counting = false;
  /** Set while the gesture hands its own view to Cytoscape (that viewport event is ours). */
  let committing = false;
  container.dataset[STATE] = "idle";
  // The scaled layers must not spill over the panels next to the canvas.
  container.style.overflow = "hidden";

  /** The element holding Cytoscape's canvas layers (one CSS layer to move, not three). */
  const layers = (): HTMLElement | null => {
    const canvas = renderer.data?.canvases?.[0] ?? container.querySelector("canvas");
    return canvas?.parentElement ?? null;
  };
  /** Whether the layers are shown moved or scaled. */
  let transformed = false;

  /** Shows the picture of view `drawn` as view `target` would draw it (a CSS transform of the
   * drawn layers: no element is drawn again). */
  const show = (drawn: View, target: View): void => {
    const same = sameView(drawn, target);
    if (same && !transformed) return;
    const layer = layers();
    if (layer === null) return;
    if (same) {
      layer.style.transform = "";
      layer.style.willChange = "";
      transformed = false;
      return;
    }
    if (!transformed) {
      layer.style.transformOrigin = "0 0";
      layer.style.willChange = "transform";
    }
    layer.style.transform = cssTransform(layerTransform(drawn, target));
    transformed = true;
  };

  // Every render draws Cytoscape's current view: the picture is that view from now on.
  cy.on("render", () => {
    picture = current();
    if (gesture !== null) {
      gesture = { ...gesture, drawn: picture };
      show(picture, gesture.target);
      return;
    }
    show(picture, picture);
    if (container.dataset[STATE] === "settling") container.dataset[STATE] = "idle";
  });

  // A view set from elsewhere during a gesture wins over the gesture's.
  cy.on("viewport", () => {
    if (committing || gesture === null) return;
    gesture = null;
    if (quiet !== null) clearTimeout(quiet);
    quiet = null;
    container.dataset[STATE] = "settling";
  });

  const settle = (): void => {
    if (quiet !== null) clearTimeout(quiet);
    quiet = null;
    if (gesture === null) return;
    const target = gesture.target;
    gesture = null;
    if (sameView(target, current())) {
      show(picture, target);
      container.dataset[STATE] = sameView(picture, target) ? "idle" : "settling";
      return;
    }
    container.dataset[STATE] = "settling";
    committing = true;
    try {
      cy.viewport({ zoom: target.zoom, pan: { x: target.panX, y: target.panY } });
    } finally {
      committing = false;
    }
    cy.emit("scrollzoom");
  };

  /** Where a wheel event points, in rendered pixels, as Cytoscape's handler measures it. */
  const pointOf = (e: WheelEvent): RenderedPoint => {
    const coords = renderer.findContainerClientCoords?.();
    if (coords !== undefined && coords.length >= 5) {
      const [left, top, , , scale] = coords as [number, number, number, number, number];
      return { x: (e.clientX - left) / scale, y: (e.clientY - top) / scale };
    }
    const box = container.getBoundingClientRect();
    return { x: e.clientX - box.left - container.clientLeft, y: e.clientY - box.top - container.clientTop };
  };

  const onWheel = (e: WheelEvent): void => {
    if (!cy.zoomingEnabled() || !cy.panningEnabled() || !cy.userPanningEnabled()) return;
    e.preventDefault();
    // As Cytoscape: no zoom while a button is held (a pan, a drag or a box selection).
    if (e.buttons !== 0) return;
    // A gesture starts from Cytoscape's view, drawn or not yet: until the render that draws
    // the last gesture's view, the canvas still shows the view before it.
    gesture = wheelStep(
      gesture ?? startGesture(picture, current(), device),
      { deltaY: e.deltaY, deltaMode: e.deltaMode },
      pointOf(e),
      sensitivity,
      { minZoom: cy.minZoom(), maxZoom: cy.maxZoom() },
    );
    device = gesture.device;
    show(gesture.drawn, gesture.target);
    container.dataset[STATE] = "moving";
    lastWheel = performance.now();
    framesSinceWheel = 0;
    if (!counting) {
      counting = true;
      requestAnimationFrame(countFrame);
    }
    if (quiet === null) quiet = setTimeout(whenQuiet, QUIET_MS);
  };

  /** Counts the frames shown while a gesture runs. */
  const countFrame = (): void => {
    if (gesture === null) {
      counting = false;
      return;
    }
    framesSinceWheel += 1;
    requestAnimationFrame(countFrame);
  };

  /** Ends the gesture once the wheel has been quiet long enough, else looks again later. */
  const whenQuiet = (): void => {
    quiet = null;
    if (gesture === null) return;
    const quietFor = performance.now() - lastWheel;
    const shown = framesSinceWheel >= QUIET_FRAMES || document.visibilityState === "hidden";
    if (quietFor >= QUIET_MS && shown) settle();
    else quiet = setTimeout(whenQuiet, Math.max(16, QUIET_MS - quietFor));
  };

  container.addEventListener("wheel", onWheel, { capture: true, passive: false });
  // A press ends the gesture first, so a pan, drag or selection starts from the zoomed view.
  for (const kind of ["mousedown", "touchstart", "pointerdown"] as const) {
    container.addEventListener(kind, settle, { capture: true });
  }
  return { settle, view: () => shownView(gesture, current()) };
}
