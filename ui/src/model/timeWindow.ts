// The global time filter: a window of UTC days or of block heights (either end open) and the
// graph it leaves on the canvas; the timeline strip's histogram (bins of 10 minutes, hours or
// days, whichever fits) and the elements in a range selected on it. Pure: no DOM, no canvas
// library. Heights come from the shell by transaction node id (`canvas_heights`, Bitcoin and EVM
// transactions): a transfer's height is its transaction's, an address is placed by its
// transfers. Heights of different chains cannot share one range, so a height window names its
// chain (the node id's prefix: `btc`, `eth`, `bsc`, …) and counts heights on that chain only; the
// other chains' transfers are judged by the UTC span of the window's blocks as far as the canvas
// knows their times (its transactions of that chain in the window), or kept when no block of the
// window has a known time (`heightNote` says which).

import type { GraphView } from "../ipc/types";

/** What a window measures: UTC seconds, or block heights. */
export type WindowScale = "time" | "height";

export interface TimeWindow {
  /** First second (UTC) or first block height shown, or null for no lower bound. */
  readonly from: number | null;
  /** Last second (UTC) or last block height shown, or null for no upper bound. */
  readonly to: number | null;
  readonly scale: WindowScale;
  /** A height window's chain (node id prefix, e.g. `btc`); null for a time window */
  readonly chain: string | null;
}

export const openWindow: TimeWindow = { from: null, to: null, scale: "time", chain: null };

/** Block heights by transaction node id (`btc:tx:…`, `eth:tx:0x…`). */
export type Heights = ReadonlyMap<string, number>;

const noHeights: Heights = new Map();

const DAY = 86_400;

/**
 * Reads a `YYYY-MM-DD` UTC date: its first second, or its last (`end`). Empty means no bound
 * (null); anything else is an error that names the input.
 */
export function parseUtcDay(text: string, end: boolean): number | null {
  const t = text.trim();
  if (t === "") return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (!m) throw new Error(`'${t}' is not a date (YYYY-MM-DD, UTC)`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new Error(`'${t}' is not a calendar date`);
  }
  const start = ms / 1000;
  return end ? start + DAY - 1 : start;
}

/** The window from two date fields; an error names the bad field, or a window that ends before it starts. */
export function windowOf(fromText: string, toText: string): TimeWindow {
  let from: number | null;
  let to: number | null;
  try {
    from = parseUtcDay(fromText, false);
  } catch (err) {
    throw new Error(`From: ${(err as Error).message}`);
  }
  try {
    to = parseUtcDay(toText, true);
  } catch (err) {
    throw new Error(`To: ${(err as Error).message}`);
  }
  if (from !== null && to !== null && from > to) throw new Error("From is after To");
  return { from, to, scale: "time", chain: null };
}

/** Reads a block height: a whole number; empty means no bound (null). */
export function parseHeight(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  if (!/^\d{1,9}$/.test(t)) throw new Error(`'${t}' is not a block height (a whole number, e.g. 840000)`);
  return Number(t);
}

/** The window from two height fields (inclusive) on `chain`'s blocks; an error names the bad field, or From above To. */
export function heightWindowOf(fromText: string, toText: string, chain: string): TimeWindow {
  let from: number | null;
  let to: number | null;
  try {
    from = parseHeight(fromText);
  } catch (err) {
    throw new Error(`From: ${(err as Error).message}`);
  }
  try {
    to = parseHeight(toText);
  } catch (err) {
    throw new Error(`To: ${(err as Error).message}`);
  }
  if (from !== null && to !== null && from > to) throw new Error("From is above To");
  return from === null && to === null ? openWindow : { from, to, scale: "height", chain };
}

/** The chain of a node id: its prefix (`btc` of `btc:tx:…`, `eth` of `eth:addr:0x…`). */
export function chainOf(id: string): string {
  const i = id.indexOf(":");
  return i < 0 ? id : id.slice(0, i);
}

/** The chains whose transactions on the canvas have heights, in the graph's order (the case's
 * own chain first), each once: what a height window may name. */
export function heightChains(graph: GraphView, heights: Heights): string[] {
  const out: string[] = [];
  for (const n of graph.nodes) {
    const c = chainOf(n.id);
    if (n.kind === "transaction" && heights.has(n.id) && !out.includes(c)) out.push(c);
  }
  return out;
}

/**
 * The UTC span of a height window's blocks, as far as the canvas knows their times: from the
 * earliest to the latest time of the window chain's transactions inside it (an open end stays
 * open); null when none of them has a known time.
 */
export function heightSpan(graph: GraphView, w: TimeWindow, heights: Heights): TimeWindow | null {
  let lo: number | null = null;
  let hi: number | null = null;
  for (const n of graph.nodes) {
    if (n.kind !== "transaction" || n.time === null || chainOf(n.id) !== w.chain) continue;
    const h = heights.get(n.id);
    if (h === undefined || !inWindow(h, w)) continue;
    lo = lo === null ? n.time : Math.min(lo, n.time);
    hi = hi === null ? n.time : Math.max(hi, n.time);
  }
  if (lo === null || hi === null) return null;
  return { from: w.from === null ? null : lo, to: w.to === null ? null : hi, scale: "time", chain: null };
}

/** How a window judges an element: the key it reads and the window it compares it with. */
type Judge = (id: string, time: number | null, height: () => number | null) => [number | null, TimeWindow];

function judgeOf(graph: GraphView, w: TimeWindow, heights: Heights): Judge {
  if (w.scale === "time") return (_, time) => [time, w];
  const span = heightSpan(graph, w, heights);
  return (id, time, height) => {
    if (chainOf(id) === w.chain) return [height(), w];
    // Another chain: by the window's UTC span, or kept (no key) when that is unknown.
    return span === null ? [null, w] : [time, span];
  };
}

/** Whether a transfer lies in the window (its transaction's height on the window's chain). */
function edgeIn(judge: Judge, e: GraphView["edges"][number], heights: Heights): [boolean, boolean] {
  const [key, win] = judge(e.source, e.time, () => heights.get(e.source) ?? heights.get(e.target) ?? null);
  return [inWindow(key, win), key !== null];
}

/** Whether a node lies in the window (a transaction's time or height; an address's first time). */
function nodeIn(judge: Judge, n: GraphView["nodes"][number], heights: Heights): [boolean, boolean] {
  const [key, win] = judge(n.id, n.time, () => heights.get(n.id) ?? null);
  return [inWindow(key, win), key !== null];
}

/** What a height window does to the chains it does not count, for the filter's status line
 * (empty for a time window or a graph of one chain). */
export function heightNote(graph: GraphView, w: TimeWindow, heights: Heights): string {
  if (w.scale !== "height" || isOpen(w)) return "";
  const others = [...new Set(graph.nodes.map((n) => chainOf(n.id)))].filter((c) => c !== w.chain).sort();
  if (others.length === 0) return "";
  const span = heightSpan(graph, w, heights);
  const list = others.join(", ");
  if (span === null) return `${list} kept: no ${w.chain} block of the window has a known time`;
  const end = (t: number | null): string => (t === null ? "…" : utcMinute(t));
  return `${list} by UTC ${end(span.from)} – ${end(span.to)} (the window's ${w.chain} blocks on the canvas)`;
}

export function isOpen(w: TimeWindow): boolean {
  return w.from === null && w.to === null;
}

/** True when a time is in the window; an unknown time (unconfirmed) is kept. */
export function inWindow(time: number | null, w: TimeWindow): boolean {
  if (time === null) return true;
  return (w.from === null || time >= w.from) && (w.to === null || time <= w.to);
}

/**
 * The graph restricted to the window: transfers outside it are left out, a transaction outside
 * it too, and an address that only has transfers outside it. Returns the graph and how many
 * nodes were left out.
 */
export function withinWindow(
  graph: GraphView,
  w: TimeWindow,
  heights: Heights = noHeights,
): { graph: GraphView; outside: number } {
  if (isOpen(w)) return { graph, outside: 0 };
  const judge = judgeOf(graph, w, heights);
  const edges = graph.edges.filter((e) => edgeIn(judge, e, heights)[0]);
  const touched = new Set<string>();
  const anyEdge = new Set<string>();
  for (const e of graph.edges) {
    anyEdge.add(e.source);
    anyEdge.add(e.target);
  }
  for (const e of edges) {
    touched.add(e.source);
    touched.add(e.target);
  }
  const nodes = graph.nodes.filter((n) => {
    if (n.kind === "transaction") return nodeIn(judge, n, heights)[0];
    return anyEdge.has(n.id) ? touched.has(n.id) : nodeIn(judge, n, heights)[0];
  });
  const kept = new Set(nodes.map((n) => n.id));
  return {
    graph: { ...graph, nodes, edges: edges.filter((e) => kept.has(e.source) && kept.has(e.target)) },
    outside: graph.nodes.length - nodes.length,
  };
}

export interface DayBin {
  /** First second of the UTC day. */
  day: number;
  /** `YYYY-MM-DD`. */
  label: string;
  transfers: number;
}

/** Transfers per UTC day, earliest first, days without transfers between included (at most `max`
 * bins: longer spans are cut to the last `max` days). */
export function dayHistogram(graph: GraphView, max = 120): DayBin[] {
  const counts = new Map<number, number>();
  for (const e of graph.edges) {
    if (e.time === null) continue;
    const day = Math.floor(e.time / DAY) * DAY;
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  if (counts.size === 0) return [];
  const days = [...counts.keys()].sort((a, b) => a - b);
  const last = days[days.length - 1] as number;
  const first = Math.max(days[0] as number, last - (max - 1) * DAY);
  const bins: DayBin[] = [];
  for (let d = first; d <= last; d += DAY) {
    bins.push({ day: d, label: new Date(d * 1000).toISOString().slice(0, 10), transfers: counts.get(d) ?? 0 });
  }
  return bins;
}

/** `2024-03-05 14:02Z`: a UTC minute, compact enough for an edge label. */
export function utcMinute(time: number): string {
  const iso = new Date(time * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
}

/** Each edge's time by edge id, to label drawn edges without a search per edge. */
export function edgeTimes(graph: GraphView): Map<string, number | null> {
  return new Map(graph.edges.map((e) => [e.id, e.time]));
}

/**
 * The time line of a drawn edge standing for the case's edges `ids`: one UTC minute, or the
 * first and last when summed transfers differ (`a – b`); "unconfirmed" when none has a time.
 */
export function edgeWhen(times: ReadonlyMap<string, number | null>, ids: readonly string[]): string {
  const known = ids.map((id) => times.get(id)).filter((t): t is number => typeof t === "number");
  if (known.length === 0) return ids.length === 0 ? "" : "unconfirmed";
  const first = Math.min(...known);
  const last = Math.max(...known);
  return first === last ? utcMinute(first) : `${utcMinute(first)} – ${utcMinute(last)}`;
}

/**
 * What a range selected on the timeline covers (both ends inclusive, known keys only): the
 * transfers in it, their ends, and the transactions in it. Sorted ids; nothing is hidden.
 */
export function inRange(graph: GraphView, w: TimeWindow, heights: Heights = noHeights): string[] {
  const judge = judgeOf(graph, w, heights);
  const inside = ([inWin, known]: [boolean, boolean]): boolean => known && inWin;
  const ids = new Set<string>();
  for (const e of graph.edges) {
    if (!inside(edgeIn(judge, e, heights))) continue;
    ids.add(e.id);
    ids.add(e.source);
    ids.add(e.target);
  }
  for (const n of graph.nodes) {
    if (n.kind === "transaction" && inside(nodeIn(judge, n, heights))) ids.add(n.id);
  }
  return [...ids].sort();
}

export interface TimeBin {
  /** First second of the bin (UTC). */
  start: number;
  /** Last second of the bin. */
  end: number;
  /** The UTC day the bin starts on, `YYYY-MM-DD`. */
  day: string;
  /** `2024-05-01` for a day bin, `2024-05-01 19:10Z` for a shorter one. */
  label: string;
  transfers: number;
}

/** Bin widths the strip may use, finest first: 10 minutes, an hour, 6 hours, a day. */
const STEPS = [600, 3_600, 21_600, DAY];

/**
 * Transfers per bin, earliest first, empty bins between included: the finest width that
 * spans the transfers in at most `max` bins (days beyond that, cut to the last `max` days).
 */
export function histogram(graph: GraphView, max = 120): TimeBin[] {
  const times = graph.edges.map((e) => e.time).filter((t): t is number => t !== null);
  if (times.length === 0) return [];
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const step = STEPS.find((s) => Math.floor(hi / s) - Math.floor(lo / s) < max) ?? DAY;
  const last = Math.floor(hi / step) * step;
  const first = Math.max(Math.floor(lo / step) * step, last - (max - 1) * step);
  const counts = new Map<number, number>();
  for (const t of times) {
    const bin = Math.floor(t / step) * step;
    counts.set(bin, (counts.get(bin) ?? 0) + 1);
  }
  const bins: TimeBin[] = [];
  for (let b = first; b <= last; b += step) {
    const day = new Date(b * 1000).toISOString().slice(0, 10);
    bins.push({ start: b, end: b + step - 1, day, label: step === DAY ? day : utcMinute(b), transfers: counts.get(b) ?? 0 });
  }
  return bins;
}
