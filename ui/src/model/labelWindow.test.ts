import { describe, expect, it } from "vitest";
import { LABEL_MIN_ZOOM, inWindow, labelWindow, labelsReadable, segmentNearWindow } from "./labelWindow";

describe("which labels a big graph carries", () => {
  it("draws labels from the zoom at which the smallest node font reaches the minimum drawn size", () => {
    expect(LABEL_MIN_ZOOM * 11, "11 px transaction labels reach 6 px at the threshold").toBeCloseTo(6);
    expect(labelsReadable(LABEL_MIN_ZOOM), "the threshold itself draws labels").toBe(true);
    expect(labelsReadable(LABEL_MIN_ZOOM - 0.01), "just below it nothing is drawn").toBe(false);
    expect(labelsReadable(1), "the usual zoom draws labels").toBe(true);
  });

  it("labels a window half a view larger on every side than the view", () => {
    const w = labelWindow({ x1: 0, y1: 100, x2: 200, y2: 200 });
    expect(w, "100 wider left and right, 50 taller above and below").toEqual({ x1: -100, y1: 50, x2: 300, y2: 250 });
    expect(inWindow({ x: 300, y: 250 }, w), "the window's corner is inside").toBe(true);
    expect(inWindow({ x: 301, y: 150 }, w), "a point right of it is outside").toBe(false);
    expect(inWindow({ x: 0, y: 49 }, w), "a point above it is outside").toBe(false);
  });

  it("keeps an edge that crosses the window with both ends outside it", () => {
    const w = { x1: 0, y1: 0, x2: 10, y2: 10 };
    expect(segmentNearWindow({ x: -50, y: 5 }, { x: 50, y: 5 }, w), "a long edge straight through the window").toBe(true);
    expect(segmentNearWindow({ x: 20, y: 0 }, { x: 30, y: 10 }, w), "an edge wholly to the right").toBe(false);
    expect(segmentNearWindow({ x: 5, y: -30 }, { x: 5, y: -1 }, w), "an edge ending just above").toBe(false);
  });
});
