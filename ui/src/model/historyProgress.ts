// How far the paging of a Bitcoin address's history has got, as the expansion bar says it:
// "History: page 2 of ~4 · 50 of 77 transactions fetched". Pure: the counts come from the
// core's `fetch-progress` events (`HistoryProgress`, src/source/policy.rs), whose totals Esplora
// states before paging (`/address/:a`); until the last page the page total is an estimate (~).

import type { HistoryFetchProgress } from "../ipc/types";

/** Whether `h` is the history of the address canvas node `nodeId` (`btc:addr:<address>`). */
export function isHistoryOf(h: HistoryFetchProgress, nodeId: string): boolean {
  return nodeId.endsWith(`:addr:${h.address}`);
}

/** `page 2 of ~4 · 50 of 77 transactions fetched`; without totals `page 2 · 50 transactions fetched`. */
export function historyText(h: HistoryFetchProgress): string {
  const finished = h.pages_total !== null && h.pages >= h.pages_total;
  const pages = h.pages_total === null ? `page ${h.pages}` : `page ${h.pages} of ${finished ? "" : "~"}${h.pages_total}`;
  const noun = (n: number): string => `transaction${n === 1 ? "" : "s"}`;
  const txs = h.txs_total === null ? `${h.txs} ${noun(h.txs)}` : `${h.txs} of ${h.txs_total} ${noun(h.txs_total)}`;
  return `History: ${pages} · ${txs} fetched`;
}

/** Whole percent of the stated transactions fetched, or null while the total is unknown. */
export function historyPercent(h: HistoryFetchProgress): number | null {
  if (h.txs_total === null) return null;
  if (h.txs_total <= 0) return 100;
  return Math.floor((Math.min(h.txs, h.txs_total) * 100) / h.txs_total);
}
