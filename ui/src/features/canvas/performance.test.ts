import { describe, expect, it } from "vitest";
import { BIG_GRAPH, performanceModeFor } from "./performance";

describe("performanceModeFor", () => {
  it("leaves a small graph exactly as Cytoscape draws it by default", () => {
    expect(performanceModeFor(BIG_GRAPH), "a graph at the threshold is not big").toEqual({
      big: false,
      hideEdgesOnViewport: false,
      textureOnViewport: false,
      pixelRatio: null,
      edgeCurve: "bezier",
    });
    expect(performanceModeFor(0).big, "an empty canvas is not big").toBe(false);
  });

  it("turns every option on above the threshold", () => {
    expect(performanceModeFor(BIG_GRAPH + 1), "one element more switches to the texture while moving").toEqual({
      big: true,
      hideEdgesOnViewport: true,
      textureOnViewport: true,
      pixelRatio: 1,
      edgeCurve: "straight",
    });
  });
});
