// What the rest of the UI may do with the canvas's current view without touching Cytoscape:
// pictures of it (PNG through `cy.png({full: false})`, SVG through the cytoscape-svg extension,
// both exactly what is on screen), the minimap (cytoscape-navigator: the whole graph with the
// viewport as a box, drag or click it to pan), the timeline's range highlight (class
// `in-range`: a wide halo and bold label, not colour alone), the theme's restyle, and turning
// a drop point on the page into graph coordinates.

import cytoscape from "cytoscape";
import type { Core } from "cytoscape";
import navigator from "cytoscape-navigator";
import svg from "cytoscape-svg";
import { themedStyle } from "./style";
import { drawSketch, type NavigatorPanel } from "./minimapSketch";
import { BIG_GRAPH, retunePerformance } from "./performance";
import { type PictureSteps, pictureOfView } from "./pictureView";

cytoscape.use(svg);
navigator(cytoscape);

export interface Viewport {
  /** The current view as PNG bytes, at the container's size in CSS pixels (scale 1). */
  png(): Promise<Uint8Array>;
  /** The current view as SVG text. */
  svg(): string;
  /** The container's size in CSS pixels (what the pictures measure). */
  size(): { width: number; height: number };
  /** Shows the minimap in the element with this id (once; later calls do nothing). */
  attachMinimap(elementId: string): void;
  /** Marks these elements as in the timeline's selected range; an empty list clears. Returns how many are drawn. */
  highlight(ids: readonly string[]): number;
  /** Re-reads the theme's colours (CSS variables) into the graph's style. */
  restyle(): void;
  /** Graph coordinates of a point given in page (client) pixels, or null when it is outside the canvas. */
  modelAt(clientX: number, clientY: number): { x: number; y: number } | null;
  /** The drawn graph's extent in graph coordinates (what the minimap fits), or null when empty. */
  graphBox(): { x1: number; y1: number; w: number; h: number } | null;
  /** How an element is drawn (label text, fill and line colour; a node's border style and width
   * and fill opacity, what marks an incomplete node without colour), for the test hooks; null
   * when not drawn. */
  drawnAs(id: string): DrawnAs | null;
}

/** How an element is drawn, as its computed Cytoscape style has it. */
export interface DrawnAs {
  label: string;
  fill: string;
  line: string;
  inRange: boolean;
  /** A node's `border-style` (`solid`, `dashed`, …); "" for an edge. */
  borderStyle: string;
  /** A node's border width in graph pixels; 0 for an edge. */
  borderWidth: number;
  /** A node's `background-opacity` (1 for an edge). */
  fillOpacity: number;
}

/** How long the graph must be unchanged before the minimap's thumbnail is drawn again. */
const THUMBNAIL_SETTLE_MS = 200;

/** What cytoscape-navigator 2.0.2 keeps on its instance: the throttled thumbnail redraw it binds
 * with `cy.onRender`. */
interface NavigatorInternals extends NavigatorPanel {
  _onRenderHandler?: () => void;
}

interface WithExports {
  svg(options: { full: boolean; scale: number; bg: string }): string;
  navigator(options: Record<string, unknown>): unknown;
}

/** The page background behind the canvas, so a picture reads the same in both themes. */
function background(container: HTMLElement): string {
  const bg = getComputedStyle(container).getPropertyValue("--canvas-bg").trim();
  return bg === "" ? "#ffffff" : bg;
}

/** `steps.settleWheel` ends a running wheel zoom (features/canvas/wheelZoom), so pictures and
 * drop points use the view the investigator sees; pictures also bring a big graph's labels up to
 * date for it first (features/canvas/pictureView). */
export function viewportOf(cy: Core, container: HTMLElement, steps: PictureSteps): Viewport {
  const settle = steps.settleWheel;
  const ext = cy as unknown as WithExports;
  let minimap = false;
  let redrawThumbnail: (() => void) | null = null;
  return {
    async png() {
      const blob = await pictureOfView(steps, () =>
        cy.png({ output: "blob-promise", full: false, scale: 1, bg: background(container) }),
      );
      return new Uint8Array(await blob.arrayBuffer());
    },
    svg() {
      return pictureOfView(steps, () => ext.svg({ full: false, scale: 1, bg: background(container) }));
    },
    size() {
      return { width: cy.width(), height: cy.height() };
    },
    attachMinimap(elementId) {
      if (minimap) return;
      minimap = true;
      // The extension finds a custom container by a `#id` selector only.
      const nav = ext.navigator({
        container: `#${elementId}`,
        viewLiveFramerate: 0,
        rerenderDelay: 250,
        removeCustomContainer: false,
      }) as NavigatorInternals;
      // The extension redraws its thumbnail (a full-graph `cy.png`) on every frame Cytoscape
      // renders, panning and zooming included: with a thousand nodes in software rendering that
      // held each frame of a pan for about half a second. The thumbnail shows the graph, not the
      // view, so it is redrawn only when the graph changes (its view box follows the viewport by
      // the extension's own viewport listener).
      // Opening a case adds thousands of elements, each an event: the redraw waits until the
      // graph has been quiet for THUMBNAIL_SETTLE_MS, so it draws the whole graph once, not a
      // half-built one and then the rest.
      const render = nav._onRenderHandler ?? null;
      if (render !== null) {
        (cy as unknown as { offRender(fn: () => void): void }).offRender(render);
        let pending: ReturnType<typeof setTimeout> | null = null;
        redrawThumbnail = () => {
          if (pending !== null) clearTimeout(pending);
          pending = setTimeout(() => {
            pending = null;
            // A big graph gets a sketch (features/canvas/minimapSketch.ts), not a full render.
            if (cy.elements().length <= BIG_GRAPH || !drawSketch(cy, nav)) render();
          }, THUMBNAIL_SETTLE_MS);
        };
        cy.on("add remove position data", redrawThumbnail);
        redrawThumbnail();
      }
    },
    highlight(ids) {
      const wanted = new Set(ids);
      let drawn = 0;
      cy.batch(() => {
        cy.elements().forEach((el) => {
          const on = wanted.has(el.id());
          if (on) drawn += 1;
          if (on) el.addClass("in-range");
          else el.removeClass("in-range");
        });
      });
      container.dataset.inRange = String(drawn);
      return drawn;
    },
    restyle() {
      cy.style(themedStyle());
      retunePerformance(cy);
      redrawThumbnail?.();
    },
    graphBox() {
      const bb = cy.elements().boundingBox();
      return bb.w > 0 && bb.h > 0 ? { x1: bb.x1, y1: bb.y1, w: bb.w, h: bb.h } : null;
    },
    drawnAs(id) {
      const el = cy.getElementById(id);
      if (el.empty()) return null;
      const style = (name: string): string => String(el.style(name) ?? "");
      return {
        label: style("label"),
        fill: el.isNode() ? style("background-color") : "",
        line: el.isEdge() ? style("line-color") : style("border-color"),
        inRange: el.hasClass("in-range"),
        borderStyle: el.isNode() ? style("border-style") : "",
        borderWidth: el.isNode() ? el.numericStyle("border-width") : 0,
        fillOpacity: el.isNode() ? el.numericStyle("background-opacity") : 1,
      };
    },
    modelAt(clientX, clientY) {
      settle();
      const box = container.getBoundingClientRect();
      const rx = clientX - box.left;
      const ry = clientY - box.top;
      if (rx < 0 || ry < 0 || rx > box.width || ry > box.height) return null;
      const pan = cy.pan();
      const zoom = cy.zoom();
      return { x: (rx - pan.x) / zoom, y: (ry - pan.y) / zoom };
    },
  };
}
