import { describe, expect, it } from "vitest";
import { type Link, type PlacedNode, firstBatch, viewExtent } from "./firstBatch";

/** Nodes as `bench_canvas_case` places a canvas: a square grid, 90 graph units apart. */
function grid(count: number): PlacedNode[] {
  const columns = Math.ceil(Math.sqrt(count));
  return Array.from({ length: count }, (_, i) => ({ id: `n${i}`, x: (i % columns) * 90, y: Math.floor(i / columns) * 90 }));
}

describe("the first batch of an opened big graph", () => {
  const nodes = grid(1000); // 32 columns, 0..2790 graph units wide
  // The canvas of the app under Xvfb: 756 × 552 CSS px, saved at zoom 1 on the grid's corner.
  const view = viewExtent({ zoom: 1, pan_x: 0, pan_y: 0 }, 756, 552);

  it("turns the saved zoom and pan into the graph rectangle the canvas shows", () => {
    expect(view, "pan 0 at zoom 1 shows graph units 0..width × 0..height").toEqual({ x1: 0, y1: 0, x2: 756, y2: 552 });
    expect(viewExtent({ zoom: 2, pan_x: -180, pan_y: 90 }, 756, 552), "rendered = model × zoom + pan, solved for model").toEqual({
      x1: 90,
      y1: -45,
      x2: 468,
      y2: 231,
    });
  });

  it("refuses a view without a usable zoom, naming it", () => {
    expect(() => viewExtent({ zoom: 0, pan_x: 0, pan_y: 0 }, 756, 552), "zoom 0 has no extent").toThrow("not 0");
  });

  it("takes the nodes in the view, not the rest of the grid", () => {
    const batch = firstBatch(nodes, [], view);
    // The view is x 0..756, y 0..552 in graph units.
    const expected = nodes.filter((n) => n.x <= 756 && n.y <= 552).map((n) => n.id);
    expect([...batch.nodes].sort(), "exactly the grid nodes inside the view").toEqual(expected.sort());
    expect(batch.nodes.size, "9 columns × 7 rows of the 1,000").toBe(63);
  });

  it("takes an edge crossing the window with its far end, and leaves out edges far away", () => {
    const links: Link[] = [
      { id: "near", source: "n0", target: "n1" },
      { id: "crossing", source: "n0", target: "n999" },
      { id: "far", source: "n998", target: "n999" },
      { id: "dangling", source: "n0", target: "not-drawn" },
    ];
    const batch = firstBatch(nodes, links, view);
    expect([...batch.edges].sort(), "only edges that may be drawn in the window").toEqual(["crossing", "near"]);
    expect(batch.nodes.has("n999"), "the crossing edge's far end comes with it").toBe(true);
    expect(batch.nodes.has("n998"), "a far node with only far edges waits").toBe(false);
  });

  it("leaves out a long edge that passes beside the view, though its bounding box covers it", () => {
    // n31 is the grid's top-right corner (2790, 0), n992 its bottom-left one (0, 2790): the line
    // x + y = 2790 misses the view (x ≤ 756, y ≤ 552).
    const batch = firstBatch(nodes, [{ id: "diagonal", source: "n31", target: "n992" }], view);
    expect(batch.edges.has("diagonal"), "the straight line never enters the window").toBe(false);
    expect(batch.nodes.has("n31") || batch.nodes.has("n992"), "its far ends wait too").toBe(false);
  });

  it("takes everything when the view shows the whole graph", () => {
    // x −111..4088, y −111..2955: the whole 2790 × 2790 grid.
    const whole = viewExtent({ zoom: 0.18, pan_x: 20, pan_y: 20 }, 756, 552);
    const links: Link[] = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: `n${i}`, target: n.id }));
    const batch = firstBatch(nodes, links, whole);
    expect(batch.nodes.size, "every node is in view").toBe(nodes.length);
    expect(batch.edges.size, "every edge is in view").toBe(links.length);
  });
});
