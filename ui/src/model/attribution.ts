// Attribution as the UI shows it: screening hits grouped by canvas node, the flag a labelled
// node carries, exchange records by address, and the formatting of exposure amounts and shares.
// Pure: labels, hits and amounts come from the shell as it returned them; nothing is inferred here.

import type { CaseScreening, CategoryExposure, ExchangeRecordView, Hit } from "../ipc/types";

/** The canvas id of a Bitcoin address (the case holds Bitcoin addresses only). */
export function addressNodeId(address: string): string {
  return `btc:addr:${address}`;
}

/** Most serious first: the flag on a node names the gravest category among its labels. */
const CATEGORY_ORDER = [
  "sanctioned",
  "ransomware",
  "darknet_market",
  "mixer",
  "scam",
  "hack",
  "exchange",
  "bridge",
  "gambling",
  "mining",
  "defi",
  "coinjoin",
  "service",
  "other",
] as const;

/** Categories that carry a legal duty or mark proceeds of crime; drawn in the alarm style. */
const SEVERE = new Set<string>(["sanctioned", "ransomware", "darknet_market", "mixer", "scam", "hack"]);

function rank(category: string): number {
  const i = (CATEGORY_ORDER as readonly string[]).indexOf(category);
  return i === -1 ? CATEGORY_ORDER.length : i;
}

/** `darknet_market` → `darknet market`. */
export function categoryName(category: string): string {
  return category.replaceAll("_", " ");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Gravest category first, then source, then label: a stable order for rows and flags. */
export function byGravity(a: Hit, b: Hit): number {
  return rank(a.category) - rank(b.category) || compare(a.source, b.source) || compare(a.label, b.label);
}

/** Screening rows: by address, then gravest first. */
export function screeningRows(screening: CaseScreening | null): Hit[] {
  if (screening === null) return [];
  return [...screening.hits].sort((a, b) => compare(a.address, b.address) || byGravity(a, b));
}

/** Each labelled node's hits, gravest first. */
export function hitsByNode(hits: readonly Hit[]): Map<string, Hit[]> {
  const out = new Map<string, Hit[]>();
  for (const hit of hits) {
    const id = addressNodeId(hit.address);
    const list = out.get(id);
    if (list === undefined) out.set(id, [hit]);
    else list.push(hit);
  }
  for (const list of out.values()) list.sort(byGravity);
  return out;
}

export interface Flag {
  /** The gravest category among the node's labels. */
  category: string;
  /** Drawn in the alarm style (sanctioned, ransomware, …) rather than the attribution style. */
  severe: boolean;
  /** The text line under the node: `⚑ sanctioned`, `⚑ exchange +1` when other categories too. */
  text: string;
}

/** The flag a node with these hits carries, or null when it has none. */
export function flagOf(hits: readonly Hit[] | undefined): Flag | null {
  if (hits === undefined || hits.length === 0) return null;
  const sorted = [...hits].sort(byGravity);
  const first = sorted[0];
  if (first === undefined) return null;
  const others = new Set(sorted.map((h) => h.category));
  others.delete(first.category);
  const more = others.size > 0 ? ` +${others.size}` : "";
  return { category: first.category, severe: SEVERE.has(first.category), text: `⚑ ${categoryName(first.category)}${more}` };
}

/** How many of these node ids carry a flag (what the canvas reports in `data-node-flagged`). */
export function flaggedCount(nodeIds: readonly string[], byNode: ReadonlyMap<string, readonly Hit[]>): number {
  return nodeIds.filter((id) => (byNode.get(id)?.length ?? 0) > 0).length;
}

/** Exchange records by the canvas id of their address, in time order. */
export function recordsByNode(records: readonly ExchangeRecordView[]): Map<string, ExchangeRecordView[]> {
  const out = new Map<string, ExchangeRecordView[]>();
  for (const r of records) {
    const id = addressNodeId(r.address);
    const list = out.get(id);
    if (list === undefined) out.set(id, [r]);
    else list.push(r);
  }
  for (const list of out.values()) {
    list.sort((a, b) => compare(a.time_utc, b.time_utc) || compare(a.txid, b.txid));
  }
  return out;
}

/**
 * Satoshi as BTC with all 8 decimals, by string arithmetic (no floating point on money):
 * 123456789 → `1.23456789 BTC`.
 */
export function formatBtc(sat: number | bigint): string {
  const value = BigInt(sat);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(9, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -8)}.${digits.slice(-8)} BTC`;
}

/**
 * A share as the core wrote it, for display: a fraction (`0.25`, `1`) becomes a percentage with
 * two decimals; text that already says `%` is kept as it came.
 */
export function formatShare(share: string): string {
  const text = share.trim();
  if (text.endsWith("%")) return text;
  if (!/^\d+(\.\d+)?$/.test(text)) return text;
  const [whole = "0", frac = ""] = text.split(".");
  // fraction × 100 by moving the decimal point two places, then round to 2 decimals.
  const padded = `${whole}${frac.slice(0, 2).padEnd(2, "0")}`;
  const rest = frac.length > 2 ? frac.slice(2) : "";
  const hundredths = BigInt(`${padded}${rest.padEnd(3, "0").slice(0, 3)}`);
  const rounded = (hundredths + 5n) / 10n; // percent × 100, rounded half up
  const s = rounded.toString().padStart(3, "0");
  return `${BigInt(s.slice(0, -2)).toString()}.${s.slice(-2)} %`;
}

/** `direct`, `1 hop`, `3 hops`. */
export function hopsText(hops: number): string {
  if (hops === 0) return "direct";
  return hops === 1 ? "1 hop" : `${hops} hops`;
}

/** One exposure row as text: category, direct and indirect BTC, share, nearest hop. */
export function exposureLine(c: CategoryExposure): string {
  return `${categoryName(c.category)}: ${formatShare(c.share)} · direct ${formatBtc(c.direct_sat)} · indirect ${formatBtc(
    c.indirect_sat,
  )} · nearest ${hopsText(c.min_hops)}`;
}

/** `source · 2024-03-01 · confidence 90`: where a label comes from, as one line of text. */
export function provenance(hit: Hit): string {
  return `${hit.source} · ${hit.source_date ?? "undated"} · confidence ${hit.confidence}`;
}
