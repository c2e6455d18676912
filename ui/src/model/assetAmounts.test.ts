import { describe, expect, it } from "vitest";
import { baseOf, formatTotal, formatUnits, sumByAsset, totalsText } from "./assetAmounts";

const USDT = "eip155:1/erc20:0x00000000000000000000000000000000000000aa";
const ETH = "eip155:1/slip44:60";

const token = (amount: string) => ({
  amount_sat: 0,
  asset: USDT,
  symbol: "USDT",
  decimals: 6,
  amount_base: amount,
});
const ether = (wei: string) => ({ amount_sat: 0, asset: ETH, symbol: "ETH", decimals: 18, amount_base: wei });
const btc = (sat: number) => ({ amount_sat: sat, asset: "BTC", symbol: "BTC", decimals: 8, amount_base: String(sat) });

describe("per-asset sums", () => {
  it("never mixes assets and sums each exactly", () => {
    const totals = sumByAsset([token("72809960000"), btc(150_000_000), token("1"), ether("1"), btc(1)]);
    expect(totals.map((t) => [t.asset, t.base, t.count]), "one total per asset, sorted by asset id").toEqual([
      ["BTC", 150_000_001n, 2],
      [USDT, 72_809_960_001n, 2],
      [ETH, 1n, 1],
    ]);
  });

  it("keeps wei amounts past 2^53 exact (a float would round them)", () => {
    // 9007199254740993 wei is 2^53 + 1: Number() would make it ...992.
    const totals = sumByAsset([ether("9007199254740993"), ether("115792089237316195423570985008687907853269984665640564039457584007913129639935")]);
    expect(totals[0]?.base, "BigInt sums are exact at 256 bits").toBe(
      115792089237316195423570985008687907853269984665640564039457593015112384380928n,
    );
  });

  it("reads an edge without asset fields as Bitcoin in satoshi", () => {
    expect(baseOf({ amount_sat: 42 }), "amount_sat is the fallback").toBe(42n);
    expect(sumByAsset([{ amount_sat: 5 }])[0]?.asset, "an edge of an older core is Bitcoin").toBe("BTC");
  });
});

describe("formatting", () => {
  it("formats base units in the asset's units without floats", () => {
    expect(formatUnits(72_809_960_000n, 6), "6-decimal token").toBe("72809.96");
    expect(formatUnits(1n, 18), "one wei").toBe("0.000000000000000001");
    expect(formatUnits(0n, 18), "zero").toBe("0");
    expect(formatUnits(500n, null), "unknown decimals say so").toBe("500 base units");
    expect(formatTotal({ asset: "BTC", symbol: "BTC", decimals: 8, base: 150_000_000n }), "BTC keeps 8 places").toBe(
      "1.50000000 BTC",
    );
  });

  it("joins totals of several assets", () => {
    expect(totalsText(sumByAsset([btc(100_000_000), token("5000000")])), "BTC and USDT side by side").toBe(
      "1.00000000 BTC + 5 USDT",
    );
  });
});

describe("collapsed entities sum per asset", () => {
  it("draws one summed edge per asset between a collapsed entity and the rest", async () => {
    const { drawingOf } = await import("./organise");
    const { paymentGraph, PAYMENT, RANSOM, CHANGE } = await import("./paymentGraph.fixture");
    const g = paymentGraph();
    // The change address also received a token in the same transaction (a mixed-asset case).
    g.edges.push({ ...token("72809960000"), id: "e-token", source: PAYMENT, target: CHANGE, amount: "72809.96 USDT", time: null, notes: [], fiat: null, no_rate: "" });
    g.entities.push({ id: "entity:1", name: "Wallet", category: "suspect", collapsed: true, members: [RANSOM, CHANGE] });
    const d = drawingOf(g);
    const into = d.edges.filter((e) => e.target === "entity:1").map((e) => [e.id, e.amount]);
    expect(into, "BTC and the token reach the entity on separate edges, each summed exactly").toEqual([
      [`${PAYMENT}>entity:1#sum`, "1.49990000 BTC (2 transfers)"],
      [`${PAYMENT}>entity:1#${USDT}#sum`, "72809.96 USDT"],
    ]);
  });
});
