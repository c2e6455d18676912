import { describe, expect, it } from "vitest";
import { balanceCaption, balanceFacts, fiatCaption, fiatFact } from "./readings";

const btc = (amount: string, complete: boolean) => ({
  asset: "BTC",
  symbol: "BTC",
  decimals: 8,
  base: "50000000",
  amount,
  complete,
  basis: complete ? "case data: …; full history fetched 2026-11-21T12:00:00Z" : "case data: …; history incomplete",
});

describe("balances", () => {
  it("shows the exact amount, and says partial when the history is incomplete", () => {
    expect(balanceCaption({ balance: [btc("0.50000000 BTC", true)] }), "complete: the amount alone").toBe("bal 0.50000000 BTC");
    expect(balanceCaption({ balance: [btc("0.50000000 BTC", false)] }), "incomplete history is never shown as a plain balance").toBe(
      "bal 0.50000000 BTC (partial)",
    );
    expect(balanceCaption({ balance: [] }), "a transaction has no balance line").toBeNull();
  });

  it("names the number of further assets and lists each in the details with the basis", () => {
    const usdt = { ...btc("5 USDT", true), asset: "eip155:1/erc20:0xdac1", symbol: "USDT" };
    const eth = { ...btc("1.5 ETH", true), asset: "eip155:1/slip44:60", symbol: "ETH" };
    expect(balanceCaption({ balance: [eth, usdt] }), "several assets are counted, never summed").toBe("bal 1.5 ETH + 1 asset");
    const facts = balanceFacts({ balance: [eth, usdt] });
    expect(facts.map((f) => f.term), "one fact per asset, then the basis").toEqual(["Balance (ETH)", "Balance (USDT)", "Balance basis"]);
    expect(balanceFacts({ balance: [btc("0.5 BTC", false)] })[0]?.value, "the details say what the figure rests on").toBe(
      "0.5 BTC (case data; history incomplete)",
    );
  });
});

describe("fiat", () => {
  const fiat = {
    value: "32500.00",
    currency: "USD",
    rate: "65000.00",
    rate_time_utc: "2024-05-03T23:59:59Z",
    source: "sim:prices:1",
    rule: "daily UTC close",
  };
  it("labels a valued edge and cites the rate's source and date in the details", () => {
    expect(fiatCaption({ fiat, no_rate: "" }), "value and currency on the label").toBe("32500.00 USD");
    const fact = fiatFact({ fiat, no_rate: "" });
    expect(fact, "the source is cited").toContain("sim:prices:1");
    expect(fact, "the rate's date is cited").toContain("2024-05-03T23:59:59Z");
  });
  it("never shows a number without a rate", () => {
    expect(fiatCaption({ fiat: null, no_rate: "no rate: no USD daily close on 2024-05-03" }), "no label part").toBeNull();
    expect(fiatFact({ fiat: null, no_rate: "no rate: no USD daily close on 2024-05-03" }), "the reason instead").toBe(
      "no rate: no USD daily close on 2024-05-03",
    );
  });
});
