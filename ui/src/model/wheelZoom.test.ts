import { describe, expect, it } from "vitest";
import {
  type View,
  cssTransform,
  layerTransform,
  newWheelDevice,
  sameView,
  shownView,
  startGesture,
  transformPoint,
  wheelFactor,
  wheelStep,
  zoomAbout,
} from "./wheelZoom";

const LIMITS = { minZoom: 0.15, maxZoom: 3 };
const SENSITIVITY = 0.3;

/** Where a model point is drawn in a view. */
const drawnAt = (v: View, m: { x: number; y: number }) => ({ x: m.x * v.zoom + v.panX, y: m.y * v.zoom + v.panY });

describe("wheelFactor (Cytoscape 3.34's wheel step)", () => {
  it("clamps a new device's first four events to |5| while it samples them", () => {
    let device = newWheelDevice();
    for (let i = 0; i < 4; i += 1) {
      const step = wheelFactor(device, { deltaY: -100, deltaMode: 0 }, SENSITIVITY);
      // 5 / 250 × 0.3 = 0.006 decades per event, whatever the event's size.
      expect(step.factor, "a sampled event zooms by 10^0.006").toBeCloseTo(Math.pow(10, 0.006), 12);
      device = step.device;
    }
    expect(device.samples, "the magnitudes are kept as sampled").toEqual([100, 100, 100, 100]);
    expect(device.coarse, "not decided until the fifth event").toBeNull();
  });

  it("takes equal samples of 5 or more as a coarse wheel and divides its steps by that base", () => {
    let device = newWheelDevice();
    for (let i = 0; i < 4; i += 1) device = wheelFactor(device, { deltaY: 53, deltaMode: 0 }, SENSITIVITY).device;
    const fifth = wheelFactor(device, { deltaY: 53, deltaMode: 0 }, SENSITIVITY);
    expect(fifth.device.coarse, "four equal 53s are one notch of a coarse wheel").toBe(true);
    expect(fifth.device.base, "the notch is 53").toBe(53);
    // 53 / -250 / 53 × 3 × 0.3 = -0.0036 decades: zoom out.
    expect(fifth.factor, "a notch is 10^-0.0036").toBeCloseTo(Math.pow(10, -0.0036), 12);
  });

  it("takes small or unequal non-integer samples as a precise device (no division)", () => {
    let device = newWheelDevice();
    for (const d of [1.5, 2.25, 3.1, 0.7]) device = wheelFactor(device, { deltaY: d, deltaMode: 0 }, SENSITIVITY).device;
    const next = wheelFactor(device, { deltaY: -20, deltaMode: 0 }, SENSITIVITY);
    expect(next.device.coarse, "a touchpad's fine deltas are not a coarse wheel").toBe(false);
    expect(next.factor, "-20 px is 20/250 × 0.3 decades in").toBeCloseTo(Math.pow(10, 0.024), 12);
  });

  it("multiplies line-mode deltas by 33 and ignores a zero delta", () => {
    const device = { samples: [3, 3, 3, 3], coarse: false, base: 100_000 };
    const line = wheelFactor(device, { deltaY: -1, deltaMode: 1 }, SENSITIVITY);
    expect(line.factor, "one line is 33 pixels' worth").toBeCloseTo(Math.pow(10, (1 / 250) * 0.3 * 33), 12);
    const none = wheelFactor(device, { deltaY: 0, deltaMode: 0 }, SENSITIVITY);
    expect(none.factor, "deltaY 0 does not zoom (Cytoscape bug #3394)").toBe(1);
    expect(none.device, "and teaches the device nothing").toBe(device);
  });
});

describe("zoomAbout (cy.zoom({level, renderedPosition}))", () => {
  const view: View = { zoom: 0.5, panX: 100, panY: -40 };

  it("keeps the model point under the cursor where it was", () => {
    const at = { x: 300, y: 200 };
    const model = { x: (at.x - view.panX) / view.zoom, y: (at.y - view.panY) / view.zoom };
    const next = zoomAbout(view, 1.2, at, LIMITS);
    expect(next, "1.2 is within the limits").not.toBeNull();
    const p = drawnAt(next as View, model);
    expect(p.x, "x under the cursor").toBeCloseTo(at.x, 9);
    expect(p.y, "y under the cursor").toBeCloseTo(at.y, 9);
    expect(next?.zoom, "the level asked for").toBe(1.2);
  });

  it("clamps to the limits and reports no change at a limit", () => {
    expect(zoomAbout(view, 10, { x: 0, y: 0 }, LIMITS)?.zoom, "never above maxZoom").toBe(3);
    expect(zoomAbout(view, 0.01, { x: 0, y: 0 }, LIMITS)?.zoom, "never below minZoom").toBe(0.15);
    const atMax = { zoom: 3, panX: 0, panY: 0 };
    expect(zoomAbout(atMax, 3.5, { x: 10, y: 10 }, LIMITS), "zooming in at maxZoom changes nothing").toBeNull();
  });
});

describe("layerTransform (the picture of one view shown as another)", () => {
  it("moves every drawn point to where the new view draws it", () => {
    const drawn: View = { zoom: 0.21, panX: 35, panY: 12 };
    let g = startGesture(drawn, drawn, { samples: [20, 20, 20, 20], coarse: true, base: 20 });
    for (let i = 0; i < 7; i += 1) g = wheelStep(g, { deltaY: -20, deltaMode: 0 }, { x: 378 + i, y: 276 - i }, SENSITIVITY, LIMITS);
    const t = layerTransform(g.drawn, g.target);
    for (const m of [
      { x: 0, y: 0 },
      { x: 900, y: -450 },
      { x: -1234.5, y: 777 },
    ]) {
      const before = drawnAt(drawn, m);
      const after = drawnAt(g.target, m);
      expect(t.scale * before.x + t.x, `x of model (${m.x}, ${m.y})`).toBeCloseTo(after.x, 6);
      expect(t.scale * before.y + t.y, `y of model (${m.x}, ${m.y})`).toBeCloseTo(after.y, 6);
    }
    expect(cssTransform({ scale: 2, x: -10, y: 5.5 }), "CSS order: shift after the scale about 0 0").toBe(
      "translate(-10px, 5.5px) scale(2)",
    );
  });

  it("is the identity for an unchanged view", () => {
    const v: View = { zoom: 1.3, panX: -4, panY: 9 };
    expect(layerTransform(v, v), "nothing to move").toEqual({ scale: 1, x: 0, y: 0 });
    expect(sameView(v, { ...v }), "equal fields are the same view").toBe(true);
    expect(sameView(v, { ...v, panX: -4.5 }), "a different pan is not").toBe(false);
  });
});

describe("wheelStep (a gesture event by event)", () => {
  it("ends where the same events zoom Cytoscape step by step, limits included", () => {
    const start: View = { zoom: 0.5, panX: 0, panY: 0 };
    let g = startGesture(start, start, newWheelDevice());
    // Replay by hand what Cytoscape's handler does for each event, on its own view.
    let device = newWheelDevice();
    let view = start;
    const at = { x: 200, y: 150 };
    for (let i = 0; i < 400; i += 1) {
      const input = { deltaY: -20, deltaMode: 0 };
      g = wheelStep(g, input, at, SENSITIVITY, LIMITS);
      const step = wheelFactor(device, input, SENSITIVITY);
      device = step.device;
      view = zoomAbout(view, view.zoom * step.factor, at, LIMITS) ?? view;
    }
    expect(g.target, "same view as the step-by-step zoom").toEqual(view);
    expect(g.target.zoom, "400 steps in (27 times) reach maxZoom and stop there").toBe(LIMITS.maxZoom);
    expect(g.drawn, "the drawn view is the one the gesture started from").toEqual(start);
  });

  it("zooms back out to the start's zoom after as many steps out as in (coarse wheel)", () => {
    const start: View = { zoom: 0.4, panX: 10, panY: 20 };
    let g = startGesture(start, start, { samples: [20, 20, 20, 20], coarse: true, base: 20 });
    const at = { x: 378, y: 276 };
    for (let i = 0; i < 45; i += 1) g = wheelStep(g, { deltaY: -20, deltaMode: 0 }, at, SENSITIVITY, LIMITS);
    expect(g.target.zoom / start.zoom, "45 notches in, each 10^0.0036").toBeCloseTo(Math.pow(10, 45 * 0.0036), 9);
    for (let i = 0; i < 45; i += 1) g = wheelStep(g, { deltaY: 20, deltaMode: 0 }, at, SENSITIVITY, LIMITS);
    expect(g.target.zoom, "and 45 out come back").toBeCloseTo(start.zoom, 9);
    expect(g.target.panX, "about the same point: the pan comes back too").toBeCloseTo(start.panX, 6);
  });
});

describe("shownView and transformPoint (the callouts follow the scaled picture)", () => {
  /** Where the callout layer puts a box at graph position m in view v (its top left, CSS px). */
  const calloutAt = (v: View, m: { x: number; y: number }) => ({ x: m.x * v.zoom + v.panX, y: m.y * v.zoom + v.panY });
  const callouts = [
    { x: 0, y: 0 },
    { x: 412.5, y: -96 },
    { x: -1800, y: 2350.25 },
  ];

  it("places a callout in the gesture's view exactly where the picture's transform shows its spot", () => {
    const drawn: View = { zoom: 0.37, panX: -120, panY: 64 };
    let g = startGesture(drawn, drawn, newWheelDevice());
    for (let i = 0; i < 9; i += 1) g = wheelStep(g, { deltaY: i < 5 ? -40 : 25, deltaMode: 0 }, { x: 510 - 3 * i, y: 290 + i }, SENSITIVITY, LIMITS);
    expect(sameView(g.target, drawn), "the gesture moved the view").toBe(false);
    const t = layerTransform(g.drawn, g.target);
    // Cytoscape has not been told: its view is still the drawn one.
    const view = shownView(g, drawn);
    for (const m of callouts) {
      const onPicture = transformPoint(t, calloutAt(drawn, m));
      const placed = calloutAt(view, m);
      expect(placed.x, `callout at (${m.x}, ${m.y}): x over the scaled picture's spot`).toBeCloseTo(onPicture.x, 6);
      expect(placed.y, `callout at (${m.x}, ${m.y}): y over the scaled picture's spot`).toBeCloseTo(onPicture.y, 6);
    }
  });

  it("follows the picture, not Cytoscape's view, while a committed view waits for its render", () => {
    // The last gesture's view was given to Cytoscape but not drawn yet: the canvas still shows
    // `drawn` scaled to `committed`; a new gesture starts from there.
    const drawn: View = { zoom: 1, panX: 0, panY: 0 };
    const committed: View = { zoom: 1.5, panX: -200, panY: -80 };
    const g = wheelStep(startGesture(drawn, committed, newWheelDevice()), { deltaY: -100, deltaMode: 0 }, { x: 300, y: 200 }, SENSITIVITY, LIMITS);
    const t = layerTransform(g.drawn, g.target);
    const m = callouts[1] as { x: number; y: number };
    const onPicture = transformPoint(t, calloutAt(drawn, m));
    const placed = calloutAt(shownView(g, committed), m);
    expect(placed.x, "x: the gesture's view, where the picture shows the spot").toBeCloseTo(onPicture.x, 6);
    expect(placed.y, "y: likewise").toBeCloseTo(onPicture.y, 6);
    const byCytoscape = calloutAt(committed, m);
    expect(Math.abs(byCytoscape.x - onPicture.x), "Cytoscape's view would put it elsewhere").toBeGreaterThan(1);
  });

  it("is Cytoscape's view when no gesture runs, and the identity transform moves nothing", () => {
    const v: View = { zoom: 0.8, panX: 12, panY: -7 };
    expect(shownView(null, v), "no gesture: the view Cytoscape draws").toBe(v);
    expect(transformPoint(layerTransform(v, v), { x: 33.5, y: -2 }), "no scale, no shift").toEqual({ x: 33.5, y: -2 });
  });
});
