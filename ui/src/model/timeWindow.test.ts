import { describe, expect, it } from "vitest";
import { dayHistogram, inWindow, openWindow, parseUtcDay, windowOf, withinWindow } from "./timeWindow";
import { PAYMENT, paymentGraph } from "./paymentGraph.fixture";

const MARCH_1 = 1_709_251_200; // 2024-03-01 00:00:00 UTC

describe("parseUtcDay", () => {
  it("reads a UTC day's first and last second", () => {
    expect(parseUtcDay("2024-03-01", false), "midnight UTC, not local time").toBe(MARCH_1);
    expect(parseUtcDay(" 2024-03-01 ", true), "the day's last second").toBe(MARCH_1 + 86_399);
    expect(parseUtcDay("", false), "empty means no bound").toBeNull();
  });

  it("names what is wrong with a bad date", () => {
    expect(() => parseUtcDay("01.03.2024", false), "not the ISO form").toThrow("'01.03.2024' is not a date (YYYY-MM-DD, UTC)");
    expect(() => parseUtcDay("2024-02-30", false), "no such day").toThrow("'2024-02-30' is not a calendar date");
  });
});

describe("windowOf", () => {
  it("says which field is wrong and refuses an inverted window", () => {
    expect(() => windowOf("x", ""), "the field is named").toThrow(/^From: 'x'/);
    expect(() => windowOf("", "y"), "the field is named").toThrow(/^To: 'y'/);
    expect(() => windowOf("2024-03-02", "2024-03-01"), "from after to").toThrow("From is after To");
    expect(windowOf("", ""), "two empty fields are no filter").toEqual(openWindow);
  });

  it("keeps unknown times and both bounds inclusive", () => {
    const w = windowOf("2024-03-01", "2024-03-01");
    expect(inWindow(null, w), "unconfirmed transfers are not hidden").toBe(true);
    expect(inWindow(MARCH_1, w), "first second is in").toBe(true);
    expect(inWindow(MARCH_1 + 86_399, w), "last second is in").toBe(true);
    expect(inWindow(MARCH_1 + 86_400, w), "next day is out").toBe(false);
  });
});

describe("withinWindow", () => {
  it("keeps everything when the payment is inside the window", () => {
    const { graph, outside } = withinWindow(paymentGraph(), windowOf("2024-03-01", "2024-03-01"));
    expect(outside, "nothing is outside").toBe(0);
    expect(graph.edges.length, "all three transfers").toBe(3);
  });

  it("leaves out transfers outside the window and addresses that only have those", () => {
    const g = paymentGraph();
    const later = { ...g, nodes: g.nodes.map((n) => (n.id === PAYMENT ? { ...n, time: 1_709_283_600 } : n)) };
    const { graph, outside } = withinWindow(later, windowOf("2024-03-02", ""));
    expect(graph.edges, "every transfer is on March 1st").toEqual([]);
    expect(graph.nodes.map((n) => n.id), "the payment and its addresses are outside").toEqual([]);
    expect(outside, "four nodes left out").toBe(4);
  });
});

describe("dayHistogram", () => {
  it("counts transfers per UTC day, with empty days between", () => {
    const g = paymentGraph();
    const spread = { ...g, edges: g.edges.map((e, i) => (i === 0 ? { ...e, time: MARCH_1 - 2 * 86_400 + 5 } : e)) };
    expect(dayHistogram(spread), "Feb 28 (1), Feb 29 (0), Mar 1 (2)").toEqual([
      { day: MARCH_1 - 2 * 86_400, label: "2024-02-28", transfers: 1 },
      { day: MARCH_1 - 86_400, label: "2024-02-29", transfers: 0 },
      { day: MARCH_1, label: "2024-03-01", transfers: 2 },
    ]);
  });
});
