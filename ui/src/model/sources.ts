// Sources in the UI, pure: which node ids and search queries are EVM, and the texts of the
// sources menu (EVM, Bitcoin, GraphSense), the fetch-progress line and GraphSense's attributions.

import type { BtcSourceView, EvmSourceView, FetchProgress, GraphSenseLookupView, GraphSenseTag, GraphSenseView } from "../ipc/types";
import { historyText } from "./historyProgress";

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
  const key = s.spec.startsWith("etherscan:") ? (s.has_key ? " · API key from the keyring or config.toml" : " · no API key") : "";
  return `${s.chain_name ?? "?"} (${s.chain ?? "?"}) · ${s.source_id ?? s.spec}${key}`;
}

/** `12 of 40 requests` when the total is known, else `12 requests`; retries and failures after; an
 * address's history paged: `History: page 2 of ~4 · 50 of 77 transactions fetched`. */
export function progressText(p: FetchProgress): string {
  if (p.history !== null) return `${historyText(p.history)} · ${p.source_id}`;
  const head = p.total === null ? `${p.done} request${p.done === 1 ? "" : "s"}` : `${p.done} of ${p.total} requests`;
  const extra = [
    ...(p.retries > 0 ? [`${p.retries} retr${p.retries === 1 ? "y" : "ies"}`] : []),
    ...(p.failed > 0 ? [`${p.failed} failed`] : []),
  ];
  return `${head}${extra.length > 0 ? ` (${extra.join(", ")})` : ""} · ${p.source_id}`;
}


/** The Bitcoin source line: kind, id, network and how it is known, a node's authentication. */
export function btcSourceLine(s: BtcSourceView): string {
  if (s.source_id === null) return `No Bitcoin source: the case answers alone (${s.network}).`;
  const kind = s.kind === "bitcoin-core" ? "Bitcoin Core" : s.kind === "sim" ? "Simulator" : "Esplora";
  const network = s.network_from === "url" ? `${s.network} (named by the URL)` : `${s.network} (the case's network; the source is not asked)`;
  const auth =
    s.auth === null ? "" : s.auth === "none" ? " · no credentials found" : s.auth === "cookie" ? " · cookie file" : " · user and password (keyring or config.toml)";
  return `${kind} · ${s.source_id} · ${network}${auth}`;
}

/** The GraphSense line: the instance and whether a key was found (never the key). */
export function graphsenseLine(g: GraphSenseView): string {
  if (g.source_id === null) return "No GraphSense instance set.";
  return `${g.source_id} · ${g.has_key ? "API key from the keyring or config.toml" : "no API key"}`;
}

/** A GraphSense node id question: only Bitcoin mainnet addresses (`btc:addr:…`) are asked. */
export function graphsenseAddress(nodeId: string | null): string | null {
  const m = nodeId === null ? null : /^btc:addr:(\S+)$/.exec(nodeId);
  return m === null ? null : (m[1] ?? null);
}

/** The entity line of a GraphSense answer. */
export function graphsenseEntityLine(v: GraphSenseLookupView): string {
  const size = v.no_addresses === null ? "size unknown" : `${v.no_addresses} address${v.no_addresses === 1 ? "" : "es"}`;
  return `GraphSense entity ${v.entity} · ${size}${v.root_address === null ? "" : ` · root ${v.root_address}`}`;
}

/** What a tag says: its label, category and abuse. */
export function graphsenseTagWhat(t: GraphSenseTag): string {
  const extra = [t.category, t.abuse === null ? null : `abuse ${t.abuse}`].filter((x): x is string => x !== null && x !== "");
  return `${t.label}${extra.length > 0 ? ` (${extra.join(", ")})` : ""}`;
}

/** Where a tag comes from: its source, actor and confidence, the instance and retrieval time. */
export function graphsenseTagSource(t: GraphSenseTag, v: GraphSenseLookupView): string {
  const parts = [
    `source ${t.source ?? "not given"}`,
    ...(t.actor === null ? [] : [`actor ${t.actor}`]),
    `confidence ${t.confidence ?? "not given"}`,
    ...(t.tagpack_title === null ? [] : [`TagPack ${t.tagpack_title}`]),
  ];
  return `${parts.join(" · ")} · via ${v.source_id}, retrieved ${v.retrieved_utc}`;
}
