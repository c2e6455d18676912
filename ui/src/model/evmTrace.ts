// An account-model (EVM) trace as the trace panel and the canvas show it. Pure: the core sends
// exact base units and their text in the asset's units; nothing is summed or rounded here.

import type { EvmTraceView } from "../ipc/types";

/** Starts that go to the EVM trace: a `0x` address, an EVM canvas id or a transfer id `eip155:…`. */
export function isEvmTraceStart(start: string): boolean {
  const s = start.trim();
  return /^0[xX][0-9a-fA-F]{40}$/.test(s) || /^eip155:/.test(s) || /^[a-z0-9]+:addr:0x[0-9a-f]{40}$/.test(s);
}

/** What each canvas node received, per asset: `72809.96 USDT` (assets joined with " + "). */
export function evmTracedByNode(t: EvmTraceView): Map<string, string> {
  const parts = new Map<string, string[]>();
  for (const asset of t.assets) {
    for (const a of asset.addresses) {
      if (a.received === "0") continue;
      const list = parts.get(a.node_id) ?? [];
      list.push(a.received_text);
      parts.set(a.node_id, list);
    }
  }
  return new Map([...parts].map(([id, texts]) => [id, texts.join(" + ")]));
}

/** The summary line: model, direction, hops, and per asset what was seeded and whether it balances. */
export function evmTraceStatus(t: EvmTraceView): string {
  const assets = t.assets.map(
    (a) => `${a.symbol}: seeded ${a.seeded_text}, ${a.addresses.length} address${a.addresses.length === 1 ? "" : "es"} reached, ${a.balanced ? "balanced" : "not balanced (poison taints whole transfers)"}`,
  );
  const fetched = t.fetched.length > 0 ? ` · fetched ${t.fetched.length} histor${t.fetched.length === 1 ? "y" : "ies"}` : "";
  const missing = t.missing.length > 0 ? ` · ${t.missing.length} missing (offline or over the limit)` : "";
  const failed = t.failed.length > 0 ? ` · ${t.failed.length} failed` : "";
  return `${t.model} · ${t.direction} · up to ${t.max_hops} hops on ${t.chain} · ${assets.join("; ") || "nothing reached"}${fetched}${missing}${failed}`;
}
