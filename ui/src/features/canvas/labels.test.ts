// The big graph's labels with the real Cytoscape (headless, styles on: a 1×1 px view, so the
// view is set through zoom and pan) and the canvas's real stylesheet.
import cytoscape from "cytoscape";
import { afterEach, describe, expect, it, vi } from "vitest";
import { QUIET, labelsOf } from "./labels";
import { themedStyle } from "./style";

/** A row of `n` address nodes one graph unit apart, node i at x = i, joined by `edges` edges. */
function row(n: number, edges: number, quiet: boolean) {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: themedStyle() });
  const classes = quiet ? QUIET : "";
  cy.add([
    ...Array.from({ length: n }, (_, i) => ({
      group: "nodes" as const,
      data: { id: `n${i}`, kind: "address", display: `node ${i}` },
      position: { x: i, y: 0 },
      classes,
    })),
    ...Array.from({ length: edges }, (_, i) => ({
      group: "edges" as const,
      data: { id: `e${i}`, source: `n${i}`, target: `n${i + 1}`, display: `edge ${i}` },
      classes,
    })),
  ]);
  const container = { dataset: {} } as HTMLElement;
  return { cy, container, labels: labelsOf(cy, container) };
}

const labelled = (cy: cytoscape.Core): string[] =>
  cy
    .elements()
    .filter((el) => String(el.style("label")) !== "")
    .map((el) => el.id())
    .sort();

describe("labels of a big graph", () => {
  afterEach(() => vi.useRealTimers());

  it("gives label text only to what the view shows readably", () => {
    const { cy, container, labels } = row(700, 400, true);
    expect(labels.quietOnAdd(cy.elements().length), "1,100 elements are a big graph").toBe(true);
    expect(labelled(cy), "added quiet, no element has label text to measure").toEqual([]);
    // Zoom 0.6 with the 1-px view at x 100: the view is x 100–101.67, the window 99.17–102.5.
    cy.viewport({ zoom: 0.6, pan: { x: -60, y: 0 } });
    labels.settle();
    expect(labelled(cy), "the nodes in the window and the edges that reach it carry their text").toEqual(
      ["e100", "e101", "e102", "e99", "n100", "n101", "n102"],
    );
    expect(cy.getElementById("n101").style("label"), "a labelled node shows its display text").toBe("node 101");
    expect(container.dataset.labelled, "the count is published for the tests").toBe("7");
    cy.zoom(0.3);
    labels.settle();
    expect(labelled(cy), "zoomed out past the readable zoom, no label is drawn, so none is kept").toEqual([]);
  });

  it("follows the view once it has been still, not at every step", () => {
    vi.useFakeTimers();
    const { cy, labels } = row(700, 400, true);
    cy.zoom(0.3);
    labels.settle();
    vi.advanceTimersByTime(200);
    expect(labelled(cy), "zoomed out: no label").toEqual([]);
    cy.viewport({ zoom: 1, pan: { x: -10, y: 0 } });
    expect(labelled(cy), "while the view moves nothing is measured").toEqual([]);
    vi.advanceTimersByTime(200);
    expect(labelled(cy), "after the view stood still the window's labels are there").toEqual(
      // View x 10–11, window 9.5–11.5: nodes 10 and 11, and the edges 9→10, 10→11, 11→12.
      ["e10", "e11", "e9", "n10", "n11"],
    );
  });

  it("gives every element of a small graph its label", () => {
    const { cy, labels } = row(500, 400, true);
    expect(labels.quietOnAdd(cy.elements().length), "900 elements are not a big graph").toBe(false);
    cy.zoom(0.2);
    labels.settle();
    expect(labelled(cy).length, "every node and edge of a small graph is labelled at any zoom").toBe(900);
  });
});
