import { describe, expect, it } from "vitest";
import {
  addedNodeIds,
  counts,
  describeSelection,
  noInvestigation,
  withGraph,
  withNote,
  withPositions,
  withSelection,
} from "./investigation";
import { CHANGE, PAYMENT, RANSOM, VICTIM, paymentGraph } from "./paymentGraph.fixture";

describe("investigation state", () => {
  it("counts flow nodes but not entity compounds", () => {
    const graph = paymentGraph();
    graph.nodes.push({ ...graph.nodes[0]!, id: "entity:1", kind: "address" });
    expect(counts(graph), "data-node-count is the number of visible non-compound nodes").toEqual({
      nodes: 4,
      edges: 3,
    });
    expect(counts(null), "no case, nothing on the canvas").toEqual({ nodes: 0, edges: 0 });
  });

  it("keeps a selection across a new graph only while the element exists", () => {
    const selected = withSelection(withGraph(noInvestigation, paymentGraph()), RANSOM);
    expect(selected.selected, "a known node can be selected").toBe(RANSOM);
    const same = withGraph(selected, paymentGraph());
    expect(same.selected, "re-fetching the graph must not lose the selection").toBe(RANSOM);
    const smaller = paymentGraph();
    smaller.nodes = smaller.nodes.filter((n) => n.id !== RANSOM);
    expect(withGraph(selected, smaller).selected, "a vanished node cannot stay selected").toBeNull();
    expect(withSelection(selected, "btc:addr:nowhere").selected, "unknown ids clear the selection").toBeNull();
  });

  it("describes a selected node with its transfers, earliest first and stable on ties", () => {
    const inv = withSelection(withGraph(noInvestigation, paymentGraph()), PAYMENT);
    const sel = describeSelection(inv);
    if (sel?.kind !== "node") throw new Error("a transaction node was selected");
    expect(sel.incoming.map((t) => t.counterpart?.id), "the victim pays into the transaction").toEqual([VICTIM]);
    expect(
      sel.outgoing.map((t) => t.edge.id),
      "equal times fall back to the edge id, so the list never reshuffles",
    ).toEqual(["e-change", "e-ransom"]);
  });

  it("describes a selected edge with both ends", () => {
    const inv = withSelection(withGraph(noInvestigation, paymentGraph()), "e-ransom");
    const sel = describeSelection(inv);
    expect(sel?.kind, "edges are selectable too").toBe("edge");
    if (sel?.kind === "edge") {
      expect([sel.source?.id, sel.target?.id], "an edge runs from payer to payee").toEqual([PAYMENT, RANSOM]);
    }
  });

  it("reports which nodes an expansion added, in the core's order", () => {
    const before = paymentGraph();
    before.nodes = before.nodes.filter((n) => n.id !== CHANGE && n.id !== RANSOM);
    expect(addedNodeIds(before, paymentGraph()), "only the new outputs are new").toEqual([RANSOM, CHANGE]);
    expect(addedNodeIds(null, paymentGraph()).length, "everything is new on first load").toBe(4);
  });

  it("attaches a saved note to its node only", () => {
    const note = { id: 7, target: RANSOM, text: "<b>seen on forum</b>", created_at: "2024-03-02T10:00:00Z" };
    const graph = withNote(paymentGraph(), note);
    expect(graph.nodes.find((n) => n.id === RANSOM)?.notes, "the note is kept verbatim").toEqual([note]);
    expect(
      graph.nodes.filter((n) => n.notes.length > 0).length,
      "no other node gains the note",
    ).toBe(1);
  });

  it("moves dragged nodes and leaves the others where they were", () => {
    const graph = withPositions(paymentGraph(), [{ id: VICTIM, x: -40, y: 55 }]);
    const victim = graph.nodes.find((n) => n.id === VICTIM);
    expect([victim?.x, victim?.y], "the dragged node takes its new place").toEqual([-40, 55]);
    expect(graph.nodes.find((n) => n.id === PAYMENT)?.x, "others do not move").toBe(100);
  });
});
