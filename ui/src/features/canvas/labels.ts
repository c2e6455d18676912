// The labels of a big graph (model/labelWindow): elements of a graph above BIG_GRAPH elements
// carry the class `label-quiet` (the stylesheet's last rule gives it an empty label, so
// Cytoscape neither measures nor draws its text) unless the view is zoomed in far enough for
// labels to be drawn and the element lies in or near the view. The canvas adds big graphs'
// elements quiet, so an opened case's first frame measures only the labels it shows, and
// `settle()` runs once the view has stopped moving (and after each drawing). A small graph keeps
// every label. Entities (compound nodes, few) keep theirs.

import type { Core, EdgeSingular, NodeSingular } from "cytoscape";
import { isCompound } from "../../model/ids";
import { type Extent, inWindow, labelWindow, labelsReadable, segmentNearWindow } from "../../model/labelWindow";
import { BIG_GRAPH } from "./performance";

/** The class of an element whose label is left empty for now. */
export const QUIET = "label-quiet";

/** How long the view must be still before labels follow it. */
const SETTLE_MS = 120;

export interface Labels {
  /** Whether a graph of this many nodes and edges is added with quiet labels. */
  quietOnAdd(elements: number): boolean;
  /** Gives labels to the elements the current view shows readably, takes them from the rest. */
  settle(): void;
}

/** `size` counts the graph's elements, those still to be added after an opening's first frame
 * included (features/canvas/restOfGraph). */
export function labelsOf(cy: Core, container: HTMLElement, size: () => number = () => cy.elements().length): Labels {
  const settle = (): void => {
    const big = size() > BIG_GRAPH;
    const readable = labelsReadable(cy.zoom());
    const window: Extent | null = big && readable ? labelWindow(cy.extent()) : null;
    const wanted = (el: NodeSingular | EdgeSingular): boolean => {
      if (!big) return true;
      if (window === null) return false;
      if (el.isNode()) return inWindow(el.position(), window);
      const edge = el as EdgeSingular;
      return segmentNearWindow(edge.source().position(), edge.target().position(), window);
    };
    const change: { el: NodeSingular | EdgeSingular; quiet: boolean }[] = [];
    let labelled = 0;
    cy.elements().forEach((el) => {
      if (el.isNode() && isCompound(el.id())) return;
      const on = wanted(el);
      if (on) labelled += 1;
      if (on === el.hasClass(QUIET)) change.push({ el, quiet: !on });
    });
    if (change.length > 0) {
      cy.batch(() => {
        for (const { el, quiet } of change) {
          if (quiet) el.addClass(QUIET);
          else el.removeClass(QUIET);
        }
      });
    }
    // For the tests: how many elements carry their label text now.
    container.dataset.labelled = String(labelled);
  };
  let timer: ReturnType<typeof setTimeout> | null = null;
  cy.on("viewport", () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      settle();
    }, SETTLE_MS);
  });
  return {
    quietOnAdd: (elements) => elements > BIG_GRAPH,
    settle,
  };
}
