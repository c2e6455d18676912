// A pasted list as the bulk-add panel reads and reports it. Pure: the core decides what is valid;
// this only counts lines and words the outcome.

import type { PasteOutcome, RejectedLine } from "../ipc/types";
import { countOf } from "./format";

/** The most lines one paste may hold (the core refuses more: `MAX_PASTE_LINES`). */
export const MAX_PASTE_LINES = 500;

/** Lines that hold something (blank lines are skipped, but still counted in line numbers). */
export function pastedLines(text: string): number {
  return text.split(/\r?\n/).filter((l) => l.trim() !== "").length;
}

/** `Line 3 · not-an-address: <the core's message>`. */
export function rejectedText(r: RejectedLine): string {
  return `Line ${r.line} · ${r.input}: ${r.message}`;
}

/** One sentence: what was added, what was already there, what was refused and connected. */
export function pasteSummary(outcome: Pick<PasteOutcome, "added" | "rejected" | "connected">): string {
  const fresh = outcome.added.filter((a) => a.new).length;
  const already = outcome.added.length - fresh;
  const parts = [`Added ${countOf(fresh, "node")}`];
  if (already > 0) parts.push(`${already} already on the canvas`);
  if (outcome.connected.length > 0) parts.push(`${countOf(outcome.connected.length, "connecting transaction")} shown`);
  parts.push(outcome.rejected.length === 0 ? "no line refused" : `${countOf(outcome.rejected.length, "line")} refused`);
  return `${parts.join(" · ")}.`;
}
