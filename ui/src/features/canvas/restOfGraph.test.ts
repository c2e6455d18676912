// The rest of an opened big graph, added after its first frame, with the real Cytoscape
// (headless) and animation frames run by hand.
import cytoscape from "cytoscape";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REST_CHUNK, type Waiting, drawRestLater } from "./restOfGraph";

let frames: FrameRequestCallback[] = [];
/** Runs the animation frames asked for so far; returns how many ran. */
const runFrames = (): number => {
  const now = frames;
  frames = [];
  for (const f of now) f(performance.now());
  return now.length;
};

beforeEach(() => {
  frames = [];
  vi.stubGlobal("requestAnimationFrame", (f: FrameRequestCallback) => frames.push(f));
  vi.stubGlobal("cancelAnimationFrame", (id: number) => {
    frames[id - 1] = () => undefined;
  });
});
afterEach(() => vi.unstubAllGlobals());

/** A chain of `n` nodes joined by n − 1 edges, as definitions made when asked for. */
function chain(n: number, label: () => string) {
  const nodes: Waiting[] = Array.from({ length: n }, (_, i) => ({
    id: `n${i}`,
    define: () => ({ group: "nodes", data: { id: `n${i}`, display: label() }, position: { x: i * 90, y: 0 } }),
  }));
  const edges: Waiting[] = Array.from({ length: n - 1 }, (_, i) => ({
    id: `e${i}`,
    define: () => ({ group: "edges", data: { id: `e${i}`, source: `n${i}`, target: `n${i + 1}` } }),
  }));
  return { nodes, edges };
}

describe("the rest of an opened graph", () => {
  it("waits for the first frame, then adds a chunk per frame, nodes before their edges", () => {
    const cy = cytoscape({ headless: true });
    const { nodes, edges } = chain(200, () => "x");
    let done = 0;
    const rest = drawRestLater(cy, nodes, edges, () => (done += 1));
    expect(rest.waiting(), "nothing is added before the first frame").toBe(399);
    runFrames();
    expect(cy.elements().length, "the first frame is the opened view's alone").toBe(0);
    runFrames();
    expect(cy.elements().length, "one chunk in the frame after it").toBe(REST_CHUNK);
    let guard = 0;
    while (runFrames() > 0 && guard++ < 100);
    expect(cy.nodes().length, "every node arrived").toBe(200);
    expect(cy.edges().length, "every edge arrived, each after both its ends").toBe(199);
    expect(done, "done ran once, after the last chunk").toBe(1);
    expect(rest.waiting(), "nothing waits any more").toBe(0);
  });

  it("defines each element when it is added, so a flag set meanwhile is in it", () => {
    const cy = cytoscape({ headless: true });
    let caption = "before";
    const { nodes, edges } = chain(3, () => caption);
    const rest = drawRestLater(cy, nodes, edges, () => undefined);
    caption = "flagged";
    rest.flush();
    expect(cy.getElementById("n2").data("display"), "the definition was made at flush time").toBe("flagged");
  });

  it("adds everything at once on flush, skipping what is drawn already and edges without an end", () => {
    const cy = cytoscape({ headless: true });
    cy.add({ group: "nodes", data: { id: "n1", display: "drawn first" }, position: { x: 0, y: 0 } });
    const { nodes, edges } = chain(4, () => "later");
    edges.push({ id: "dangling", define: () => ({ group: "edges", data: { id: "dangling", source: "n0", target: "gone" } }) });
    let done = 0;
    const rest = drawRestLater(cy, nodes, edges, () => (done += 1));
    rest.flush();
    expect(cy.nodes().length, "the drawn node is not added twice").toBe(4);
    expect(cy.getElementById("n1").data("display"), "the drawn node keeps its data").toBe("drawn first");
    expect(cy.edges().map((e) => e.id()).sort(), "an edge whose end is not drawn is left out").toEqual(["e0", "e1", "e2"]);
    expect(done, "flushing finishes the rest").toBe(1);
    runFrames();
    runFrames();
    expect(done, "no frame adds or finishes anything after a flush").toBe(1);
  });

  it("adds nothing after cancel, and does not finish", () => {
    const cy = cytoscape({ headless: true });
    const { nodes, edges } = chain(10, () => "x");
    let done = 0;
    const rest = drawRestLater(cy, nodes, edges, () => (done += 1));
    rest.cancel();
    runFrames();
    runFrames();
    expect(cy.elements().length, "a new drawing took over").toBe(0);
    expect(done, "a cancelled rest is not done").toBe(0);
  });
});
