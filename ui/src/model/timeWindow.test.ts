import { describe, expect, it } from "vitest";
import { dayHistogram, heightChains, heightNote, heightWindowOf, histogram, inRange, inWindow, openWindow, parseUtcDay, windowOf, withinWindow } from "./timeWindow";
import { CHANGE, PAYMENT, RANSOM, btcEdge, paymentGraph } from "./paymentGraph.fixture";
import type { GraphView } from "../ipc/types";

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

describe("heightWindowOf", () => {
  it("reads whole block heights, inclusive, and names a bad field", () => {
    expect(heightWindowOf("840000", " 840010 ", "btc"), "both bounds").toEqual({ from: 840_000, to: 840_010, scale: "height", chain: "btc" });
    expect(heightWindowOf("", "", "btc"), "two empty fields are no filter").toEqual(openWindow);
    expect(() => heightWindowOf("84O000", "", "btc"), "a letter O is not a digit").toThrow("From: '84O000' is not a block height");
    expect(() => heightWindowOf("", "-1", "btc"), "no negative heights").toThrow(/^To: '-1' is not a block height/);
    expect(() => heightWindowOf("2024-05-01", "", "btc"), "a date is not a height").toThrow(/^From: '2024-05-01'/);
    expect(() => heightWindowOf("10", "9", "btc"), "inverted").toThrow("From is above To");
  });
});

describe("withinWindow by block height", () => {
  const heights = new Map([[PAYMENT, 830_001]]);
  it("keeps a transaction in its block's window, with its transfers and addresses", () => {
    const { graph, outside } = withinWindow(paymentGraph(), heightWindowOf("830001", "830001", "btc"), heights);
    expect(outside, "the window holds the payment's block").toBe(0);
    expect(graph.edges.length, "all three transfers carry the payment's height").toBe(3);
  });

  it("leaves out what lies in other blocks", () => {
    const { graph, outside } = withinWindow(paymentGraph(), heightWindowOf("830002", "", "btc"), heights);
    expect(graph.edges, "the payment is in an earlier block").toEqual([]);
    expect(outside, "the payment and its three addresses are outside").toBe(4);
  });

  it("keeps a transaction whose height is unknown (unconfirmed), as the date filter does", () => {
    const { outside } = withinWindow(paymentGraph(), heightWindowOf("830002", "", "btc"), new Map());
    expect(outside, "no height known: nothing can be placed outside").toBe(0);
  });
});

describe("inRange", () => {
  it("names the transfers in the range, their ends and the transactions in it", () => {
    const g = paymentGraph();
    const spread = { ...g, edges: g.edges.map((e) => (e.id === "e-in" ? { ...e, time: MARCH_1 - 86_400 } : e)) };
    const ids = inRange(spread, windowOf("2024-03-01", "2024-03-01"));
    expect(ids, "the two outputs of March 1st and their ends; the earlier input is not in it").toEqual(
      ["e-change", "e-ransom", PAYMENT, RANSOM, CHANGE].sort(),
    );
  });

  it("highlights nothing for unknown times", () => {
    const g = paymentGraph();
    const unknown = { ...g, edges: g.edges.map((e) => ({ ...e, time: null })) };
    expect(inRange(unknown, windowOf("2024-03-01", "2024-03-01")), "an unconfirmed transfer is in no range").toEqual([]);
  });
});

describe("histogram", () => {
  it("uses 10-minute bins for a short span, with empty bins between", () => {
    const g = paymentGraph();
    const t = 1_714_590_807; // 2024-05-01 19:13:27Z
    const short = { ...g, edges: g.edges.map((e, i) => ({ ...e, time: t + i * 900 })) };
    const bins = histogram(short);
    // 19:13:27, 19:28:27 and 19:43:27 UTC.
    expect(bins.map((b) => [b.label, b.transfers]), "19:10 (1), 19:20 (1), 19:30 (0), 19:40 (1)").toEqual([
      ["2024-05-01 19:10Z", 1],
      ["2024-05-01 19:20Z", 1],
      ["2024-05-01 19:30Z", 0],
      ["2024-05-01 19:40Z", 1],
    ]);
    expect(bins.every((b) => b.day === "2024-05-01" && b.end === b.start + 599), "each bin knows its day and its last second").toBe(true);
  });

  it("uses day bins for a long span, counting every transfer once", () => {
    const g = paymentGraph();
    const spread = { ...g, edges: g.edges.map((e, i) => (i === 0 ? { ...e, time: MARCH_1 - 30 * 86_400 } : e)) };
    const bins = histogram(spread);
    expect(bins.at(-1)?.label, "the last bin is a whole UTC day").toBe("2024-03-01");
    expect(bins.reduce((n, b) => n + b.transfers, 0), "every transfer is counted").toBe(3);
    expect(bins.length, "Jan 31 00:00 to Mar 1 09:00 needs 122 six-hour bins (> 120), so 31 day bins").toBe(31);
  });
});

describe("a height window names its chain", () => {
  // The payment (Bitcoin block 830,001 at 2024-03-01 09:00Z) beside an Ethereum transfer in
  // block 19,000,000: one number range cannot mean both chains' heights.
  const ETH_TX = "eth:tx:0x00000000000000000000000000000000000000000000000000000000000000e1";
  const ETH_FROM = "eth:addr:0x00000000000000000000000000000000000000f1";
  const ETH_TO = "eth:addr:0x00000000000000000000000000000000000000f2";
  const PAYMENT_TIME = 1_709_283_600;
  function mixed(ethTime: number): GraphView {
    const g = paymentGraph();
    const at = (id: string, kind: "address" | "transaction", time: number | null) => ({ ...g.nodes[0]!, id, kind, time });
    return {
      ...g,
      nodes: [...g.nodes.map((n) => (n.id === PAYMENT ? { ...n, time: PAYMENT_TIME } : n)), at(ETH_FROM, "address", ethTime), at(ETH_TX, "transaction", ethTime), at(ETH_TO, "address", ethTime)],
      edges: [...g.edges, { ...btcEdge("eth-in", ETH_FROM, ETH_TX, 0, "5 USDT"), time: ethTime }, { ...btcEdge("eth-out", ETH_TX, ETH_TO, 0, "5 USDT"), time: ethTime }],
    };
  }
  const heights = new Map([
    [PAYMENT, 830_001],
    [ETH_TX, 19_000_000],
  ]);

  it("offers the chains with heights, the case's own first", () => {
    expect(heightChains(mixed(PAYMENT_TIME), heights), "Bitcoin first, in the graph's order").toEqual(["btc", "eth"]);
  });

  it("counts heights on its own chain only, never an Ethereum block number against Bitcoin heights", () => {
    const w = heightWindowOf("830001", "830001", "btc");
    const same = withinWindow(mixed(PAYMENT_TIME), w, heights);
    expect(same.outside, "an Ethereum transfer at the time of the window's Bitcoin block is inside").toBe(0);
    const later = withinWindow(mixed(PAYMENT_TIME + 3_600), w, heights);
    expect(later.outside, "one an hour after the window's last known Bitcoin block is outside, with its addresses").toBe(3);
    expect(later.graph.edges.map((e) => e.id).sort(), "the Bitcoin transfers stay, judged by height").toEqual(["e-change", "e-in", "e-ransom"]);
    expect(heightNote(mixed(PAYMENT_TIME + 3_600), w, heights), "the status line says how the other chain was judged").toBe(
      "eth by UTC 2024-03-01 09:00Z – 2024-03-01 09:00Z (the window's btc blocks on the canvas)",
    );
  });

  it("an Ethereum window judges Ethereum heights and leaves Bitcoin to the UTC span", () => {
    const w = heightWindowOf("19000000", "", "eth");
    const { outside } = withinWindow(mixed(PAYMENT_TIME + 86_400), w, heights);
    expect(outside, "the Bitcoin payment a day before the Ethereum block is outside, with its three addresses").toBe(4);
    const before = heightWindowOf("", "18999999", "eth");
    const kept = withinWindow(mixed(PAYMENT_TIME), before, heights);
    expect(kept.outside, "no Ethereum block in the window: only the Ethereum transfer is left out, Bitcoin is kept").toBe(3);
    expect(heightNote(mixed(PAYMENT_TIME), before, heights), "and the status line says Bitcoin was kept and why").toBe(
      "btc kept: no eth block of the window has a known time",
    );
  });
});
