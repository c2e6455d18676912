import { describe, expect, it } from "vitest";
import { sketchFrame, toSketch } from "./sketchFrame";

describe("sketchFrame", () => {
  it("fits a wide graph to the panel's width and centres it vertically, as the navigator places its thumbnail", () => {
    const bb = { x1: -100, y1: 50, w: 1000, h: 200 };
    const f = sketchFrame(bb, 200, 150);
    expect(f, "a graph with extent in a real panel gets a frame").not.toBeNull();
    if (f === null) return;
    expect(f.zoom, "the width limits: 200 px for 1000 units").toBeCloseTo(0.2, 10);
    expect([f.width, f.height], "the sketch is the scaled box").toEqual([200, 40]);
    expect([f.left, f.top], "centred: (150 - 40) / 2 above and below").toEqual([0, 55]);
  });

  it("fits a tall graph to the panel's height", () => {
    const f = sketchFrame({ x1: 0, y1: 0, w: 100, h: 600 }, 200, 150);
    expect(f?.zoom, "the height limits: 150 px for 600 units").toBeCloseTo(0.25, 10);
    expect(f?.left, "centred horizontally: (200 - 25) / 2").toBeCloseTo(87.5, 10);
  });

  it("has nothing to draw for an empty panel or a graph without extent", () => {
    expect(sketchFrame({ x1: 0, y1: 0, w: 0, h: 10 }, 200, 150), "a graph of one column has no width to scale").toBeNull();
    expect(sketchFrame({ x1: 0, y1: 0, w: 10, h: 10 }, 0, 150), "a hidden panel has no width").toBeNull();
    expect(
      sketchFrame({ x1: 0, y1: 0, w: Number.POSITIVE_INFINITY, h: Number.POSITIVE_INFINITY }, 200, 150),
      "the navigator's box for an empty graph is infinite",
    ).toBeNull();
  });

  it("maps the box's corners to the sketch's corners", () => {
    const bb = { x1: -100, y1: 50, w: 1000, h: 200 };
    const f = sketchFrame(bb, 200, 150);
    if (f === null) throw new Error("frame expected");
    expect(toSketch(f, bb, -100, 50), "the top left corner is the origin").toEqual({ x: 0, y: 0 });
    const end = toSketch(f, bb, 900, 250);
    expect([end.x, end.y], "the bottom right corner is the sketch's size").toEqual([200, 40]);
  });
});
