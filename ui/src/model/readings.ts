// What the canvas and the details panel read out of a node's balance and an edge's fiat value,
// both computed in the core (view_balance.rs, view_fiat.rs): exact texts, never re-computed
// here and never a float. A balance from an incomplete history says so; an edge without a rate
// shows no number, only (in the details) the reason. Pure.

import type { EdgeView, NodeView } from "../ipc/types";

type Balanced = Pick<NodeView, "balance">;
type Valued = Pick<EdgeView, "fiat" | "no_rate">;

/** The node label's balance line: `bal 0.50000000 BTC`, `(partial)` when the case lacks part of
 * the address's history, `+ 2 assets` when it holds several; null without a balance. */
export function balanceCaption(node: Balanced): string | null {
  const [first, ...rest] = node.balance;
  if (first === undefined) return null;
  const more = rest.length === 0 ? "" : ` + ${rest.length} ${rest.length === 1 ? "asset" : "assets"}`;
  return `bal ${first.amount}${more}${first.complete ? "" : " (partial)"}`;
}

/** The details panel's balance facts: one exact amount per asset, and the basis it rests on. */
export function balanceFacts(node: Balanced): { term: string; value: string }[] {
  const out: { term: string; value: string }[] = [];
  for (const b of node.balance) {
    const term = node.balance.length === 1 ? "Balance" : `Balance (${b.symbol})`;
    out.push({ term, value: b.complete ? b.amount : `${b.amount} (case data; history incomplete)` });
  }
  const first = node.balance[0];
  if (first !== undefined) out.push({ term: "Balance basis", value: first.basis });
  return out;
}

/** The edge label's fiat part, `32500.00 USD`, or null when no rate is known. */
export function fiatCaption(edge: Valued): string | null {
  return edge.fiat === null || edge.fiat === undefined ? null : `${edge.fiat.value} ${edge.fiat.currency}`;
}

/** The details panel's fiat fact: value, rate, rate time and source; or the reason there is none. */
export function fiatFact(edge: Valued): string {
  const f = edge.fiat;
  if (f === null || f === undefined) return edge.no_rate === "" ? "no rate" : edge.no_rate;
  return `${f.value} ${f.currency} at ${f.rate} ${f.currency} (daily UTC close, ${f.rate_time_utc}; source: ${f.source})`;
}
