import { describe, expect, it } from "vitest";
import type { GraphView } from "../ipc/types";
import { drawingOf, drawnCounts, entityCaption, targetsOf } from "./organise";
import { CHANGE, PAYMENT, RANSOM, VICTIM, paymentGraph } from "./paymentGraph.fixture";

function grouped(collapsed: boolean, members = [RANSOM, CHANGE]): GraphView {
  const g = paymentGraph();
  return {
    ...g,
    nodes: g.nodes.map((n) => (members.includes(n.id) ? { ...n, entity: "entity:1" } : n)),
    entities: [{ id: "entity:1", name: "Wallet", category: "suspect", collapsed, members }],
  };
}

describe("drawingOf", () => {
  it("draws an ungrouped graph as it is", () => {
    const d = drawingOf(paymentGraph());
    expect(drawnCounts(d), "every node and edge is drawn").toEqual({ nodes: 4, edges: 3 });
    expect(d.hidden, "nothing is hidden").toBe(0);
  });

  it("leaves hidden nodes and their edges out", () => {
    const g = paymentGraph();
    const d = drawingOf({ ...g, nodes: g.nodes.map((n) => (n.id === CHANGE ? { ...n, hidden: true } : n)) });
    expect(drawnCounts(d), "the change address and its one edge are not drawn").toEqual({ nodes: 3, edges: 2 });
    expect(d.hidden, "one node is hidden").toBe(1);
    expect(d.edges.map((e) => e.id), "the remaining edges keep their ids").toEqual(["e-in", "e-ransom"]);
  });

  it("puts the members of an expanded entity inside it", () => {
    const d = drawingOf(grouped(false));
    const parents = d.nodes.flatMap((n) => (n.kind === "member" && n.parent !== null ? [n.node.id] : []));
    expect(parents, "both members are children of the entity").toEqual([RANSOM, CHANGE]);
    expect(d.nodes.filter((n) => n.kind === "entity").length, "one compound node").toBe(1);
    expect(drawnCounts(d).edges, "no edge is rerouted").toBe(3);
  });

  it("reroutes and sums the transfers of a collapsed entity exactly", () => {
    const d = drawingOf(grouped(true));
    expect(drawnCounts(d).nodes, "the two members are drawn as the entity only").toBe(2);
    const sum = d.edges.find((e) => e.target === "entity:1");
    expect(sum?.source, "the payment now pays the entity").toBe(PAYMENT);
    expect(sum?.amount_sat, "20000000 + 129990000 satoshi, exactly").toBe(149_990_000);
    expect(sum?.amount, "the amount says how many transfers it sums").toBe("1.49990000 BTC (2 transfers)");
    expect(sum?.edges, "it stands for both case edges").toEqual(["e-change", "e-ransom"]);
    const entity = d.nodes.find((n) => n.kind === "entity");
    expect(entity?.kind === "entity" ? entity.y : null, "the entity sits where its members were").toBe(0);
    expect(entity?.kind === "entity" ? entity.x : null, "at their mean x").toBe(200);
  });

  it("drops transfers inside a collapsed entity", () => {
    const d = drawingOf(grouped(true, [VICTIM, PAYMENT]));
    expect(d.edges.some((e) => e.source === "entity:1" && e.target === "entity:1"), "no self loop").toBe(false);
    expect(d.edges.map((e) => e.amount).sort(), "each outgoing transfer is rerouted on its own").toEqual([
      "0.20000000 BTC",
      "1.29990000 BTC",
    ]);
  });

  it("captions an entity with its category's text mark, not only a colour", () => {
    expect(entityCaption(grouped(true).entities[0]!), "mark, name, size and state").toBe(
      "⚠ suspect · Wallet (2 nodes, collapsed)",
    );
  });
});

describe("targetsOf", () => {
  it("expands a selected entity to its members and names it", () => {
    const t = targetsOf(grouped(false), ["entity:1", VICTIM]);
    expect(t.nodes, "the members and the other node, sorted, once").toEqual([CHANGE, RANSOM, VICTIM].sort());
    expect(t.entity?.id, "the selected entity").toBe("entity:1");
  });

  it("finds the entity of a selected member, and ignores edges and unknown ids", () => {
    const t = targetsOf(grouped(false), ["e-in", "btc:addr:gone", RANSOM]);
    expect(t.nodes, "only the node").toEqual([RANSOM]);
    expect(t.entity?.name, "the member's entity").toBe("Wallet");
    expect(targetsOf(paymentGraph(), [VICTIM]).entity, "no entity without one").toBeNull();
  });
});
