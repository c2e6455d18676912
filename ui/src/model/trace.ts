// A taint trace as the canvas shows it: the amount of traced value that reached each node.
// Pure: amounts are the core's satoshi integers, summed nowhere and only formatted for display.

import type { Conservation, Trace } from "../ipc/types";
import { formatBtc } from "./attribution";
import { parseNodeId } from "./ids";

/**
 * Tainted satoshi per canvas node id: what each address received and what entered each
 * transaction. `prefix` is the chain part of the case's node ids (`btc`).
 */
export function tracedByNode(trace: Trace, prefix = "btc"): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of trace.addresses) {
    if (a.tainted > 0) out.set(`${prefix}:addr:${a.address}`, a.tainted);
  }
  for (const t of trace.txs) {
    if (t.tainted_in > 0) out.set(`${prefix}:tx:${t.txid}`, t.tainted_in);
  }
  return out;
}

/**
 * Where a trace from the selected node starts: an address as it is; a transaction's first
 * output (`<txid>:0`), which the investigator edits to pick another. Null for anything else.
 */
export function traceStartFor(nodeId: string | null): string | null {
  if (nodeId === null) return null;
  const ref = parseNodeId(nodeId);
  if (ref?.kind === "address") return ref.address;
  if (ref?.kind === "transaction") return `${ref.txid}:0`;
  return null;
}

/** The trace's account of every seeded satoshi, in one line. */
export function conservationLine(c: Conservation): string {
  const parts = [
    `seeded ${formatBtc(c.seeded)}`,
    `fees ${formatBtc(c.fees)}`,
    `held at the hop limit ${formatBtc(c.held_at_hop_limit)}`,
    `unresolved ${formatBtc(c.unresolved)}`,
  ];
  if (c.coinbase > 0) parts.push(`coinbase ${formatBtc(c.coinbase)}`);
  if (c.stopped > 0) parts.push(`stopped ${formatBtc(c.stopped)}`);
  return `${parts.join(" · ")} · ${c.balanced ? "balanced" : "not balanced (poison taints whole outputs)"}`;
}
