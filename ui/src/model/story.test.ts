import { describe, expect, it } from "vitest";
import type { GraphView, StoryStepView } from "../ipc/types";
import {
  CALLOUT_BOX,
  calloutSpot,
  calloutPreview,
  highlightOf,
  isEdgeId,
  movedPosition,
  pathOfSelection,
  stepName,
  toModel,
  toScreen,
} from "./story";

const A = "btc:addr:bc1qa";
const T = "btc:tx:00aa";
const B = "btc:addr:bc1qb";
const AT = `${A}>${T}#0`;
const TB = `${T}>${B}#1`;

const graph = {
  nodes: [{ id: A }, { id: T }, { id: B }],
  edges: [
    { id: AT, source: A, target: T },
    { id: TB, source: T, target: B },
  ],
} as unknown as GraphView;

function step(id: number, position: number, title = `t${id}`): StoryStepView {
  return { id, position, title, caption: "", nodes: [], edges: [], created_at: "2026-11-22T09:00:00Z" };
}

describe("story model", () => {
  it("splits a selection into the graph's nodes and edges, in order, once each", () => {
    const path = pathOfSelection(graph, [TB, B, "entity:1", A, B, AT]);
    expect(path.nodes, "nodes keep the selection order, duplicates dropped").toEqual([B, A]);
    expect(path.edges, "edges keep the selection order").toEqual([TB, AT]);
    expect(path.unknown, "an entity box is neither a node nor an edge").toEqual(["entity:1"]);
  });

  it("knows edge ids from node ids", () => {
    expect(isEdgeId(AT), "an edge id joins two node ids with >").toBe(true);
    expect(isEdgeId(A), "a node id has no >").toBe(false);
  });

  it("moves a step up or down by one place and refuses to move past the ends", () => {
    const steps = [step(7, 2), step(3, 1), step(9, 3)];
    expect(movedPosition(steps, 7, -1), "the second step moves up to 1").toBe(1);
    expect(movedPosition(steps, 7, 1), "the second step moves down to 3").toBe(3);
    expect(movedPosition(steps, 3, -1), "the first step cannot move up").toBeNull();
    expect(movedPosition(steps, 9, 1), "the last step cannot move down").toBeNull();
    expect(movedPosition(steps, 42, 1), "an unknown step does not move").toBeNull();
  });

  it("highlights a step's nodes and edges and names it by place and title", () => {
    const s = { ...step(1, 2, "Ransom paid"), nodes: [A, T], edges: [AT] };
    expect(highlightOf(s), "nodes first, then edges").toEqual([A, T, AT]);
    expect(stepName(s), "place and title").toBe("Step 2: Ransom paid");
  });

  it("shortens a long callout at a word and keeps a short one whole", () => {
    expect(calloutPreview({ text: "  Funds   split\nhere " }), "whitespace is folded").toBe("Funds split here");
    const long = "word ".repeat(60);
    const shown = calloutPreview({ text: long }, 23);
    expect(shown.endsWith("…"), "a cut text ends with an ellipsis").toBe(true);
    expect(shown.length <= 24, "at most max characters and the ellipsis").toBe(true);
    expect(shown, "cut at a word boundary").toBe("word word word word…");
  });

  it("turns graph coordinates into screen pixels and back", () => {
    const view = { zoom: 2, pan_x: 10, pan_y: -4 };
    expect(toScreen(view, 5, 6), "zoom then pan").toEqual({ left: 20, top: 8 });
    expect(toModel(view, 20, 8), "the inverse").toEqual({ x: 5, y: 6 });
  });
});

describe("calloutSpot", () => {
  const inside = (spot: { left: number; top: number }, p: { left: number; top: number }) =>
    p.left >= spot.left && p.left <= spot.left + CALLOUT_BOX.width && p.top >= spot.top && p.top <= spot.top + CALLOUT_BOX.height;

  it("puts an anchored callout beside its node, never over it, inside the canvas", () => {
    // Anchors all over an 800 × 500 canvas, corners and edges included.
    for (const left of [0, 5, 120, 400, 700, 790, 800]) {
      for (const top of [0, 10, 60, 250, 480, 500]) {
        const anchor = { left, top };
        const spot = calloutSpot(800, 500, anchor);
        expect(inside(spot, anchor), `the box at ${JSON.stringify(spot)} covers its anchor ${left},${top}`).toBe(false);
        expect(spot.left).toBeGreaterThanOrEqual(4);
        expect(spot.top).toBeGreaterThanOrEqual(4);
        expect(spot.left + CALLOUT_BOX.width).toBeLessThanOrEqual(796);
        expect(spot.top + CALLOUT_BOX.height).toBeLessThanOrEqual(496);
      }
    }
  });

  it("without an anchor on screen, uses the centre of the view a third of the way down", () => {
    expect(calloutSpot(800, 600, null)).toEqual({ left: 400, top: 200 });
    expect(calloutSpot(800, 600, { left: -50, top: 100 }), "an anchor off screen is not followed").toEqual({ left: 400, top: 200 });
  });
});
