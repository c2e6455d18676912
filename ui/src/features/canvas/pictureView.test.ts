// A picture taken right after a view change carries the labels of what the view shows, with the
// real Cytoscape (headless, styles on: a 1×1 px view, set through zoom and pan), the canvas's
// real stylesheet and the real big-graph labels (features/canvas/labels).
import cytoscape from "cytoscape";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { QUIET, labelsOf } from "./labels";
import { pictureOfView } from "./pictureView";
import { themedStyle } from "./style";

/** A row of 700 address nodes one graph unit apart (node i at x = i) joined by 400 edges: a big
 * graph (1,100 elements), added with quiet labels as the canvas adds one. */
function bigRow() {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: themedStyle() });
  cy.add([
    ...Array.from({ length: 700 }, (_, i) => ({
      group: "nodes" as const,
      data: { id: `n${i}`, kind: "address", display: `node ${i}` },
      position: { x: i, y: 0 },
      classes: QUIET,
    })),
    ...Array.from({ length: 400 }, (_, i) => ({
      group: "edges" as const,
      data: { id: `e${i}`, source: `n${i}`, target: `n${i + 1}`, display: `edge ${i}` },
      classes: QUIET,
    })),
  ]);
  const labels = labelsOf(cy, { dataset: {} } as HTMLElement);
  return { cy, labels };
}

/** What a picture drawn now shows as label text, by element id. */
const labelledNow = (cy: cytoscape.Core): string[] =>
  cy
    .elements()
    .filter((el) => String(el.style("label")) !== "")
    .map((el) => el.id())
    .sort();

describe("a picture of the view", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("drawn right after a pan carries the labels of what just came into view", () => {
    const { cy, labels } = bigRow();
    cy.viewport({ zoom: 1, pan: { x: -10, y: 0 } });
    vi.advanceTimersByTime(500);
    expect(labelledNow(cy), "the view at x 10–11 has its labels once it stood still").toEqual(["e10", "e11", "e9", "n10", "n11"]);
    // A pan to x 300–301, and the export at once, before the labels' own refresh.
    cy.viewport({ zoom: 1, pan: { x: -300, y: 0 } });
    const drawn = pictureOfView({ settleWheel: () => {}, labels }, () => labelledNow(cy));
    expect(drawn, "the picture has the labels of the view it shows, not of the view before").toEqual([
      "e299",
      "e300",
      "e301",
      "n300",
      "n301",
    ]);
  });

  it("takes the labels of the view a running wheel zoom hands over, not of the view before it", () => {
    const { cy, labels } = bigRow();
    cy.viewport({ zoom: 1, pan: { x: -10, y: 0 } });
    vi.advanceTimersByTime(500);
    // The wheel zoom's settle gives Cytoscape the gesture's view (here zoomed in at x 500) as
    // the picture is asked for.
    const settleWheel = () => cy.viewport({ zoom: 2, pan: { x: -1000, y: 0 } });
    const drawn = pictureOfView({ settleWheel, labels }, () => labelledNow(cy));
    // View x 500–500.5, window 499.75–500.75: node 500 and the edges are past the 400th node.
    expect(drawn, "the labels of the zoomed view, drawn in the same picture").toEqual(["n500"]);
    expect(drawn.includes("n10"), "the old view's labels are taken away").toBe(false);
  });
});
