// Amounts of several assets, summed exactly: Bitcoin in satoshi, ether in wei, tokens in their
// base units, each as a BigInt and never mixed with another asset or turned into a float. Pure.

import type { EdgeView } from "../ipc/types";

/** An edge's asset and exact amount, as the fields the sums need. */
export type AssetEdge = Pick<EdgeView, "amount_sat"> &
  Partial<Pick<EdgeView, "asset" | "symbol" | "decimals" | "amount_base">>;

export interface AssetTotal {
  /** `BTC`, or the CAIP-19 id of an EVM asset. */
  asset: string;
  symbol: string;
  decimals: number | null;
  /** Exact base units. */
  base: bigint;
  /** Transfers summed. */
  count: number;
}

/** The asset of an edge; an edge from before assets were named is Bitcoin. */
export function assetOf(e: AssetEdge): { asset: string; symbol: string; decimals: number | null } {
  if (e.asset === undefined || e.asset === "") return { asset: "BTC", symbol: "BTC", decimals: 8 };
  return { asset: e.asset, symbol: e.symbol ?? e.asset, decimals: e.decimals ?? null };
}

/** The edge's exact amount in base units. */
export function baseOf(e: AssetEdge): bigint {
  const text = e.amount_base ?? "";
  if (/^\d+$/.test(text)) return BigInt(text);
  return BigInt(e.amount_sat);
}

/** Sums per asset, by asset id. */
export function sumByAsset(edges: readonly AssetEdge[]): AssetTotal[] {
  const totals = new Map<string, AssetTotal>();
  for (const e of edges) {
    const a = assetOf(e);
    const t = totals.get(a.asset) ?? { ...a, base: 0n, count: 0 };
    t.base += baseOf(e);
    t.count += 1;
    totals.set(a.asset, t);
  }
  return [...totals.values()].sort((x, y) => (x.asset < y.asset ? -1 : x.asset > y.asset ? 1 : 0));
}

/** `base` in units of `decimals`, exactly; trailing zeros dropped (Bitcoin keeps its 8). */
export function formatUnits(base: bigint, decimals: number | null, keepZeros = false): string {
  const negative = base < 0n;
  const digits = (negative ? -base : base).toString();
  if (decimals === null) return `${negative ? "-" : ""}${digits} base units`;
  if (decimals === 0) return `${negative ? "-" : ""}${digits}`;
  const padded = digits.padStart(decimals + 1, "0");
  const int = padded.slice(0, -decimals);
  let frac = padded.slice(-decimals);
  if (!keepZeros) frac = frac.replace(/0+$/, "");
  return `${negative ? "-" : ""}${int}${frac === "" ? "" : `.${frac}`}`;
}

/** One total with its symbol: `1.50000000 BTC`, `72809.96 USDT`. */
export function formatTotal(t: Pick<AssetTotal, "asset" | "symbol" | "decimals" | "base">): string {
  const btc = t.asset === "BTC";
  const number = formatUnits(t.base, t.decimals, btc);
  return t.decimals === null ? `${number} of ${t.symbol}` : `${number} ${t.symbol}`;
}

/** Several totals on one line, by asset id: `1.00000000 BTC + 5 USDT`. */
export function totalsText(totals: readonly AssetTotal[]): string {
  return totals.map(formatTotal).join(" + ");
}
