// Paged expansion as the expansion bar shows it: "25 of 312", what the next page starts at, and
// how far a background run has got. Pure: the counts come from the core (`PageOutcome`).

/** Where an expansion stands: `shown` of `total` neighbours of `nodeId`, `limit` per page. */
export interface Paging {
  readonly nodeId: string;
  readonly shown: number;
  readonly total: number;
  readonly limit: number;
}

/** The per-expansion limit the bar starts with. */
export const DEFAULT_PAGE_LIMIT = 25;
/** The core's `MAX_PAGE_LIMIT`. */
export const MAX_PAGE_LIMIT = 200;

/** `25 of 312`. */
export function pagingText(p: Paging): string {
  return `${p.shown} of ${p.total}`;
}

/** The offset of the next page, or null when every neighbour is shown. */
export function nextOffset(p: Paging): number | null {
  return p.shown < p.total ? p.shown : null;
}

/** How many the next page would show ("Load 25 more", or fewer at the end). */
export function nextPageSize(p: Paging): number {
  return Math.max(0, Math.min(p.limit, p.total - p.shown));
}

/** Whole percent shown, 100 when there is nothing to show. */
export function percentShown(p: Paging): number {
  if (p.total <= 0) return 100;
  return Math.floor((Math.min(p.shown, p.total) * 100) / p.total);
}

/** The limit typed into the bar: a whole number from 1 to the core's maximum, else null. */
export function parseLimit(value: string): number | null {
  if (!/^\s*\d+\s*$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= MAX_PAGE_LIMIT ? n : null;
}
