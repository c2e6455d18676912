// A node's transaction list as the details panel sorts it. Pure: the rows come from the core
// (`NodeDetails.rows`); sorting never changes a row, and ties fall back to time, then label, so
// the order is the same on every run.

import type { FlowRow } from "../ipc/types";

export type FlowSortKey = "time" | "direction" | "amount" | "counterpart";

export interface FlowSort {
  readonly key: FlowSortKey;
  readonly descending: boolean;
}

/** The core's order: earliest first. */
export const defaultFlowSort: FlowSort = { key: "time", descending: false };

/** Clicking the column already sorted on reverses it; another column sorts ascending. */
export function nextSort(current: FlowSort, key: FlowSortKey): FlowSort {
  return current.key === key ? { key, descending: !current.descending } : { key, descending: false };
}

function cmp<T extends number | string | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Unconfirmed (no time) sorts after every confirmed row, whichever way the list runs. */
function byTime(a: FlowRow, b: FlowRow): number {
  if (a.time === null || b.time === null) return a.time === b.time ? 0 : a.time === null ? 1 : -1;
  return cmp(a.time, b.time);
}

function primary(key: FlowSortKey, a: FlowRow, b: FlowRow): number {
  switch (key) {
    case "time":
      return byTime(a, b);
    case "direction":
      return cmp(a.direction, b.direction);
    case "amount":
      // EVM rows: by asset, then exact base units (BigInt; wei exceed a float's precision).
      if (a.amount_base !== "" || b.amount_base !== "") {
        return cmp(a.asset, b.asset) || cmp(BigInt(a.amount_base || "0"), BigInt(b.amount_base || "0"));
      }
      return cmp(a.amount_sat, b.amount_sat);
    case "counterpart":
      return cmp(a.label, b.label);
  }
}

/** A sorted copy of `rows`. */
export function sortFlows(rows: readonly FlowRow[], sort: FlowSort): FlowRow[] {
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const p = primary(sort.key, a, b);
    if (p !== 0) {
      // Missing times stay last even when the time column runs backwards.
      if (sort.key === "time" && (a.time === null || b.time === null)) return p;
      return sign * p;
    }
    return byTime(a, b) || cmp(a.direction, b.direction) || cmp(a.label, b.label);
  });
}
