import { describe, expect, it } from "vitest";
import type { FlowRow } from "../ipc/types";
import { defaultFlowSort, nextSort, sortFlows } from "./flows";

const row = (label: string, direction: "in" | "out", amount_sat: number, time: number | null): FlowRow => ({
  direction,
  counterpart: `btc:tx:${label}`,
  label,
  amount_sat,
  time,
  on_canvas: false,
  amount: "",
  amount_base: "",
  asset: "",
});

const rows = [
  row("cc", "out", 500, 300),
  row("aa", "in", 70_000, 100),
  row("bb", "in", 20, null),
  row("dd", "in", 500, 200),
];

describe("flows", () => {
  it("sorts by time with unconfirmed rows last, both ways", () => {
    expect(sortFlows(rows, defaultFlowSort).map((r) => r.label), "earliest first").toEqual(["aa", "dd", "cc", "bb"]);
    expect(
      sortFlows(rows, { key: "time", descending: true }).map((r) => r.label),
      "latest first, but a row without a time is never mistaken for the latest",
    ).toEqual(["cc", "dd", "aa", "bb"]);
  });

  it("sorts amounts as integers and breaks ties by time", () => {
    expect(
      sortFlows(rows, { key: "amount", descending: true }).map((r) => r.label),
      "70,000 sat is more than 500 (a string sort would put 500 first); equal 500s by time",
    ).toEqual(["aa", "dd", "cc", "bb"]);
  });

  it("sorts by direction and by counterpart", () => {
    expect(sortFlows(rows, { key: "direction", descending: false }).map((r) => r.direction), "in before out").toEqual([
      "in",
      "in",
      "in",
      "out",
    ]);
    expect(sortFlows(rows, { key: "counterpart", descending: false }).map((r) => r.label), "by id").toEqual([
      "aa",
      "bb",
      "cc",
      "dd",
    ]);
  });

  it("toggles the column clicked twice and starts a new one ascending", () => {
    const once = nextSort(defaultFlowSort, "amount");
    expect(once, "a new column sorts ascending").toEqual({ key: "amount", descending: false });
    expect(nextSort(once, "amount"), "the same column again reverses").toEqual({ key: "amount", descending: true });
  });

  it("never changes the rows it sorts", () => {
    const before = JSON.stringify(rows);
    sortFlows(rows, { key: "amount", descending: true });
    expect(JSON.stringify(rows), "the panel keeps the core's rows as they came").toBe(before);
  });
});

describe("EVM rows", () => {
  it("sort by exact base units within an asset, beyond a float's precision", () => {
    const evm = (label: string, base: string): FlowRow => ({
      ...row(label, "in", 0, 1),
      amount: `${base} wei`,
      amount_base: base,
      asset: "eip155:1/slip44:60",
    });
    // 2^53 and 2^53 + 1 are the same float: a float sort would tie and fall back to the label.
    const rows = [evm("a", "9007199254740993"), evm("b", "9007199254740992")];
    expect(
      sortFlows(rows, { key: "amount", descending: false }).map((r) => r.label),
      "BigInt comparison keeps the exact order",
    ).toEqual(["b", "a"]);
  });
});
