import { describe, expect, it } from "vitest";
import type { GraphView } from "../ipc/types";
import { edgeTimes, edgeWhen, utcMinute } from "./timeWindow";
import { visibleNodeIds } from "./viewExport";

const node = (id: string, hidden: boolean) => ({
  id,
  kind: "address" as const,
  label: id,
  short: id,
  x: 0,
  y: 0,
  pinned: false,
  hop: null,
  time: null,
  notes: [],
  complete: true,
  entity: null,
  hidden,
});

describe("view exports", () => {
  it("cover the nodes the analyst sees, not the hidden ones", () => {
    const graph = {
      nodes: [node("btc:addr:a", false), node("btc:addr:b", true), node("btc:addr:c", false)],
      edges: [],
      entities: [],
    } as unknown as GraphView;
    expect(visibleNodeIds(graph), "a hidden node's transfers must not reach the CSV").toEqual(["btc:addr:a", "btc:addr:c"]);
  });
});

describe("edge time labels", () => {
  it("write one UTC minute with Z", () => {
    expect(utcMinute(1_709_647_331), "2024-03-05T14:02:11Z to the minute").toBe("2024-03-05 14:02Z");
  });

  it("show a range when summed transfers differ, and say when none is confirmed", () => {
    const graph = {
      nodes: [],
      edges: [
        { id: "e1", source: "a", target: "b", amount_sat: 1, amount: "", time: 1_709_647_331 },
        { id: "e2", source: "a", target: "b", amount_sat: 1, amount: "", time: 1_709_733_731 },
        { id: "e3", source: "a", target: "b", amount_sat: 1, amount: "", time: null },
      ],
      entities: [],
    } as unknown as GraphView;
    const times = edgeTimes(graph);
    expect(edgeWhen(times, ["e1"]), "one transfer: its minute").toBe("2024-03-05 14:02Z");
    expect(edgeWhen(times, ["e2", "e1", "e3"]), "several: first – last, unconfirmed ignored").toBe(
      "2024-03-05 14:02Z – 2024-03-06 14:02Z",
    );
    expect(edgeWhen(times, ["e3"]), "only unconfirmed transfers").toBe("unconfirmed");
    expect(edgeWhen(times, []), "no transfer: no time line").toBe("");
  });
});
