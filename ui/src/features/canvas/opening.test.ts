import { afterEach, describe, expect, it, vi } from "vitest";
import { openingFrameParts, openingPart, startOpening } from "./opening";

const measured = (name: string): number => performance.getEntriesByName(name, "measure").length;

describe("opening timings", () => {
  afterEach(() => performance.clearMeasures());

  it("records each named part of an opening and passes its result through", async () => {
    const opening = startOpening();
    expect(opening.part("draw", () => 41 + 1), "a part returns what it ran").toBe(42);
    expect(await opening.partAsync("ipc", async () => "graph"), "an async part resolves with its value").toBe("graph");
    expect(measured("case-open-draw"), "the synchronous part is a measure of its own").toBe(1);
    expect(measured("case-open-ipc"), "the async part is a measure of its own").toBe(1);
  });

  it("records a part that throws, and rethrows", () => {
    const opening = startOpening();
    expect(() => opening.part("view", () => {
      throw new Error("no canvas");
    }), "the error reaches the open path, which shows it").toThrow("no canvas");
    expect(measured("case-open-view"), "the failed part still has its time").toBe(1);
  });

  it("records a part named from elsewhere (the canvas) in the opening in progress", () => {
    performance.clearMeasures();
    startOpening();
    openingPart("add", () => undefined);
    expect(measured("case-open-add"), "inside an opening the part is recorded").toBe(1);
  });

  it("splits the first frame into the renderer's parts and the wait for the frame", async () => {
    performance.clearMeasures();
    vi.stubGlobal("requestAnimationFrame", (f: FrameRequestCallback) => setTimeout(() => f(performance.now()), 1));
    try {
      const opening = startOpening();
      openingFrameParts(() => ({ eleCalcs: 120, render: 30 }));
      await opening.firstFrame();
    } finally {
      vi.unstubAllGlobals();
    }
    const ms = (name: string): number | undefined => performance.getEntriesByName(name, "measure")[0]?.duration;
    expect(ms("case-open-frame-eleCalcs"), "the renderer's part as the canvas read it").toBeCloseTo(120, 0);
    expect(ms("case-open-frame-render"), "the draw call as the canvas read it").toBeCloseTo(30, 0);
    expect(measured("case-open-frame-wait"), "the wait for the first animation frame is recorded").toBe(1);
    expect(measured("case-open-frame-paint"), "the page's paint after the drawing frame is recorded").toBe(1);
    expect(measured("case-open"), "and the whole opening").toBe(1);
  });
});
