import { describe, expect, it } from "vitest";
import type { GraphView, NoteView } from "../../ipc/types";
import { History } from "../../model/history";
import { CHANGE, PAYMENT, RANSOM, VICTIM, paymentGraph } from "../../model/paymentGraph.fixture";
import { type EditCore, stepsFor } from "./steps";

/** A core that logs each call and answers with the graph the test set. */
function fakeCore(answer: () => GraphView) {
  const calls: [string, ...unknown[]][] = [];
  let noteId = 10;
  const core: EditCore = {
    graph: async () => (calls.push(["graph"]), answer()),
    restoreNodes: async (nodes) => (calls.push(["restoreNodes", nodes]), answer()),
    removeNodes: async (ids) => (calls.push(["removeNodes", ids]), answer()),
    setPositions: async (p) => void calls.push(["setPositions", p]),
    setHidden: async (ids, hidden) => (calls.push(["setHidden", ids, hidden]), answer()),
    unhideAll: async () => (calls.push(["unhideAll"]), answer()),
    createEntity: async (name, category, members) => (calls.push(["createEntity", name, category, members]), answer()),
    setEntityCollapsed: async (id, c) => (calls.push(["setEntityCollapsed", id, c]), answer()),
    dissolveEntity: async (id) => (calls.push(["dissolveEntity", id]), answer()),
    addNote: async (target, text): Promise<NoteView> => {
      calls.push(["addNote", target, text]);
      noteId += 1;
      return { id: noteId, target, text, created_at: "2026-11-22T05:00:00Z" };
    },
    retractNote: async (id) => (calls.push(["retractNote", id]), answer()),
  };
  return { core, calls };
}

/** The payment graph with RANSOM and CHANGE grouped in entity:4 (collapsed), CHANGE hidden and placed. */
function grouped(): GraphView {
  const g = paymentGraph();
  return {
    ...g,
    nodes: g.nodes.map((n) =>
      n.id === RANSOM || n.id === CHANGE
        ? { ...n, entity: "entity:4", hidden: n.id === CHANGE, x: n.id === CHANGE ? 321.5 : n.x, y: n.id === CHANGE ? -7 : n.y }
        : n.id === VICTIM
          ? { ...n, hop: 0 }
          : n,
    ),
    entities: [{ id: "entity:4", name: "Ransom wallet", category: "suspect", collapsed: true, members: [CHANGE, RANSOM] }],
  };
}

describe("undo steps", () => {
  it("undoing a removal puts the nodes back as they were: position, entity, hidden flag", async () => {
    const before = grouped();
    const { core, calls } = fakeCore(() => before);
    const shown: GraphView[] = [];
    const h = new History();
    h.record(stepsFor(core, (g) => shown.push(g)).removed([CHANGE, RANSOM], before));
    expect(h.state().undo, "the step is named for the toolbar's tooltip").toBe("Remove 2 nodes");
    await h.undo();
    const entity = { id: "entity:4", name: "Ransom wallet", category: "suspect", collapsed: true };
    expect(calls, "one restore with each node's saved state").toEqual([
      [
        "restoreNodes",
        [
          { id: RANSOM, x: 200, y: 0, seed: false, hidden: false, entity },
          { id: CHANGE, x: 321.5, y: -7, seed: false, hidden: true, entity },
        ],
      ],
    ]);
    await h.redo();
    expect(calls[1], "redo removes the same nodes again").toEqual(["removeNodes", [RANSOM, CHANGE]]);
    expect(shown.length, "each undo and redo draws the graph the core returned").toBe(2);
  });

  it("undoing a grouping puts the members back in no entity (or the one they were in); redo groups again", async () => {
    const before = paymentGraph();
    const { core, calls } = fakeCore(() => before);
    const h = new History();
    h.record(stepsFor(core, () => undefined).grouped(" Wallet ", "suspect", [RANSOM, VICTIM], before));
    expect(h.state().undo, "named with the count and the name").toBe("Group 2 nodes as “Wallet”");
    await h.undo();
    const [call, nodes] = calls[0] as [string, { id: string; entity: unknown }[]];
    expect(call, "a grouping is undone by putting the members back").toBe("restoreNodes");
    expect(nodes.map((n) => [n.id, n.entity]), "both members were in no entity").toEqual([
      [VICTIM, null],
      [RANSOM, null],
    ]);
    await h.redo();
    expect(calls[1], "redo asks the core to group the same members").toEqual(["createEntity", " Wallet ", "suspect", [RANSOM, VICTIM]]);
  });

  it("redoing an ungrouping dissolves the entity under the number it came back with", async () => {
    const before = grouped();
    const renumbered: GraphView = {
      ...before,
      nodes: before.nodes.map((n) => (n.entity === "entity:4" ? { ...n, entity: "entity:7" } : n)),
      entities: before.entities.map((e) => ({ ...e, id: "entity:7" })),
    };
    const { core, calls } = fakeCore(() => renumbered);
    const h = new History();
    h.record(stepsFor(core, () => undefined).dissolved("entity:4", before));
    await h.undo();
    await h.redo();
    expect(calls.map((c) => c[0]), "undo restores, redo dissolves").toEqual(["restoreNodes", "dissolveEntity"]);
    expect(calls[1], "the re-created entity's number is the one dissolved").toEqual(["dissolveEntity", "entity:7"]);
  });

  it("undoing an addition removes what it showed; redo puts it back without fetching", async () => {
    const after = grouped();
    const { core, calls } = fakeCore(() => after);
    const h = new History();
    h.record(stepsFor(core, () => undefined).added("Add victim", after, [VICTIM, PAYMENT]));
    await h.undo();
    expect(calls[0], "the added nodes leave the canvas").toEqual(["removeNodes", [VICTIM, PAYMENT]]);
    await h.redo();
    const [, nodes] = calls[1] as [string, { id: string; seed: boolean }[]];
    expect(nodes.map((n) => [n.id, n.seed]), "redo restores them; the starting point stays one").toEqual([
      [VICTIM, true],
      [PAYMENT, false],
    ]);
  });

  it("undoing a move saves the old positions and redraws from the core", async () => {
    const g = paymentGraph();
    const { core, calls } = fakeCore(() => g);
    const h = new History();
    const before = [{ id: VICTIM, x: 0, y: 0 }];
    const after = [{ id: VICTIM, x: 40, y: 25 }];
    h.record(stepsFor(core, () => undefined).moved("Move 1 node", before, after));
    await h.undo();
    await h.redo();
    expect(calls, "old positions, then the new ones, each followed by a fresh graph").toEqual([
      ["setPositions", before],
      ["graph"],
      ["setPositions", after],
      ["graph"],
    ]);
  });

  it("hide, show hidden and collapse are undone by their opposite", async () => {
    const g = paymentGraph();
    const { core, calls } = fakeCore(() => g);
    const steps = stepsFor(core, () => undefined);
    const h = new History();
    h.record(steps.hidden([RANSOM]));
    h.record(steps.unhidAll([RANSOM, CHANGE]));
    h.record(steps.collapsed("entity:4", true));
    await h.undo();
    await h.undo();
    await h.undo();
    expect(calls, "each undo asks for the opposite change").toEqual([
      ["setEntityCollapsed", "entity:4", false],
      ["setHidden", [RANSOM, CHANGE], true],
      ["setHidden", [RANSOM], false],
    ]);
  });

  it("a note is retracted on undo and attached again on redo, and the next undo retracts the new one", async () => {
    const g = paymentGraph();
    const { core, calls } = fakeCore(() => g);
    const h = new History();
    h.record(stepsFor(core, () => undefined).noted({ id: 3, target: RANSOM, text: "ransom", created_at: "x" }));
    await h.undo();
    await h.redo();
    await h.undo();
    expect(calls.filter((c) => c[0] !== "graph"), "retract 3, add again (id 11), retract 11").toEqual([
      ["retractNote", 3],
      ["addNote", RANSOM, "ransom"],
      ["retractNote", 11],
    ]);
  });
});
