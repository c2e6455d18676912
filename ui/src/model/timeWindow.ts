// The global time filter: a window of UTC days (either end open) and the graph it leaves on the
// canvas, plus the timeline strip's day histogram. Pure: no DOM, no canvas library.

import type { GraphView } from "../ipc/types";

export interface TimeWindow {
  /** First second shown (UTC), or null for no lower bound. */
  readonly from: number | null;
  /** Last second shown (UTC), or null for no upper bound. */
  readonly to: number | null;
}

export const openWindow: TimeWindow = { from: null, to: null };

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
  return { from, to };
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
export function withinWindow(graph: GraphView, w: TimeWindow): { graph: GraphView; outside: number } {
  if (isOpen(w)) return { graph, outside: 0 };
  const edges = graph.edges.filter((e) => inWindow(e.time, w));
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
    if (n.kind === "transaction") return inWindow(n.time, w);
    return anyEdge.has(n.id) ? touched.has(n.id) : inWindow(n.time, w);
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
