import { describe, expect, it } from "vitest";
import { historyPercent, historyText, isHistoryOf } from "./historyProgress";

const at = (pages: number, pagesTotal: number | null, txs: number, txsTotal: number | null) => ({
  address: "bc1qexample",
  pages,
  pages_total: pagesTotal,
  txs,
  txs_total: txsTotal,
});

describe("history paging progress", () => {
  it("says page k of ~n while paging and page n of n at the end", () => {
    expect(historyText(at(2, 4, 50, 77)), "the page total is an estimate until the last page").toBe(
      "History: page 2 of ~4 · 50 of 77 transactions fetched",
    );
    expect(historyText(at(4, 4, 77, 77)), "the last page states what was fetched").toBe("History: page 4 of 4 · 77 of 77 transactions fetched");
  });

  it("counts without totals when the source cannot state them", () => {
    expect(historyText(at(3, null, 75, null)), "no invented total").toBe("History: page 3 · 75 transactions fetched");
    expect(historyPercent(at(3, null, 75, null)), "an unknown total gives no percentage").toBeNull();
    expect(historyText(at(1, 1, 1, 1)), "one transaction is singular").toBe("History: page 1 of 1 · 1 of 1 transaction fetched");
  });

  it("gives the bar the whole percent fetched, never above 100", () => {
    expect(historyPercent(at(2, 4, 50, 77)), "50 of 77 rounds down").toBe(64);
    expect(historyPercent(at(4, 4, 80, 77)), "more than stated (new transactions) is full").toBe(100);
    expect(historyPercent(at(1, 1, 0, 0)), "an empty history is done").toBe(100);
  });

  it("belongs to the expanded address node only", () => {
    expect(isHistoryOf(at(1, 1, 1, 1), "btc:addr:bc1qexample"), "the address node being expanded").toBe(true);
    expect(isHistoryOf(at(1, 1, 1, 1), "btc:addr:bc1qother"), "another address").toBe(false);
    expect(isHistoryOf(at(1, 1, 1, 1), "btc:tx:bc1qexample"), "never a transaction node").toBe(false);
  });
});
