import { describe, expect, it } from "vitest";
import { LABEL_MIN_ZOOM, inWindow, labelWindow, labelsReadable, segmentCrossesWindow, segmentNearWindow } from "./labelWindow";

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

  it("tells exactly whether a straight edge crosses the window", () => {
    const w = { x1: 0, y1: 0, x2: 10, y2: 10 };
    expect(segmentCrossesWindow({ x: -50, y: 5 }, { x: 50, y: 5 }, w), "straight through, both ends outside").toBe(true);
    expect(segmentCrossesWindow({ x: 5, y: 5 }, { x: 500, y: 900 }, w), "one end inside").toBe(true);
    expect(segmentCrossesWindow({ x: 3, y: 3 }, { x: 3, y: 3 }, w), "a point inside").toBe(true);
    expect(segmentCrossesWindow({ x: 10, y: -5 }, { x: 10, y: 20 }, w), "along the window's right side").toBe(true);
    expect(segmentCrossesWindow({ x: 30, y: 0 }, { x: 0, y: 30 }, w), "a diagonal passing beside the corner").toBe(false);
    expect(segmentNearWindow({ x: 30, y: 0 }, { x: 0, y: 30 }, w), "which the bounding-box test keeps").toBe(true);
    expect(segmentCrossesWindow({ x: 20, y: 0 }, { x: 30, y: 10 }, w), "wholly to the right").toBe(false);
    expect(segmentCrossesWindow({ x: 5, y: -30 }, { x: 5, y: -1 }, w), "ending just above").toBe(false);
  });
});
