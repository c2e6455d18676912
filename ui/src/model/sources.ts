// EVM sources in the UI, pure: which node ids and search queries are EVM, and the texts of the
// sources menu and the fetch-progress line.

import type { EvmSourceView, FetchProgress } from "../ipc/types";

/** EVM canvas ids: `eth:addr:0x…`, `bsc:tx:0x…` (the core's `view_evm` prefixes). */
const EVM_PREFIXES = ["eth", "op", "bsc", "gno", "pol", "base", "arb", "avax", "sep"];

export function isEvmNodeId(id: string): boolean {
  const m = /^([a-z0-9]+):(addr|tx):0x[0-9a-f]+$/.exec(id);
  return m !== null && EVM_PREFIXES.includes(m[1] ?? "");
}

/** A search query for an EVM source: `0x…` (the core checks length and EIP-55). */
export function isEvmQuery(query: string): boolean {
  return /^0[xX]/.test(query.trim());
}

/** Where an EVM trace starts for a selected node: its address (EIP-55 as the label shows). */
export function evmTraceStart(id: string): string | null {
  const m = /^[a-z0-9]+:addr:(0x[0-9a-f]{40})$/.exec(id);
  return m !== null && isEvmNodeId(id) ? (m[1] ?? null) : null;
}

/** The one-line description of the EVM source, e.g. `Ethereum (eip155:1) · sim:evm-usdt:1`. */
export function sourceLine(s: EvmSourceView): string {
  if (s.spec === null) return "No EVM source set: 0x addresses cannot be fetched.";
  const key = s.spec.startsWith("etherscan:") ? (s.has_key ? " · API key from config.toml" : " · no API key") : "";
  return `${s.chain_name ?? "?"} (${s.chain ?? "?"}) · ${s.source_id ?? s.spec}${key}`;
}

/** `fetched 12 of 40` when the total is known, else `fetched 12 requests`; retries and failures after. */
export function progressText(p: FetchProgress): string {
  const head = p.total === null ? `fetched ${p.done} request${p.done === 1 ? "" : "s"}` : `fetched ${p.done} of ${p.total}`;
  const extra = [
    ...(p.retries > 0 ? [`${p.retries} retr${p.retries === 1 ? "y" : "ies"}`] : []),
    ...(p.failed > 0 ? [`${p.failed} failed`] : []),
  ];
  return `${head}${extra.length > 0 ? ` (${extra.join(", ")})` : ""} · ${p.source_id}`;
}

