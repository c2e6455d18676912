// The expansion bar: a node's neighbours page by page ("25 of 312"), "Load more" for the next
// page, "Load all" to fetch every page in the background with a progress bar, and Cancel, which
// stops a background run after the page in flight (pages already loaded stay in the case).
// While the first page of an address waits for its history to be paged from the source, the
// bar counts the history's pages and transactions ("page 2 of ~4 · 50 of 77 transactions"), from
// the `fetch-progress` events, and keeps the last count beside the paging once the page is shown.

import type { FetchProgress, PageOutcome } from "../../ipc/types";
import { countOf, middleEllipsis } from "../../model/format";
import { historyPercent, historyText, isHistoryOf } from "../../model/historyProgress";
import {
  DEFAULT_PAGE_LIMIT,
  type Paging,
  nextOffset,
  nextPageSize,
  pagingText,
  parseLimit,
  percentShown,
} from "../../model/paging";
import { byId } from "../dom";

export interface ExpansionEvents {
  /** Loads one page; resolves with the core's outcome (the app renders its graph). */
  onPage(nodeId: string, offset: number, limit: number): Promise<PageOutcome>;
  /** A page failed: the message to show. */
  onError(message: string): void;
  /** A run finished (after one page or many): what to say in the status line. */
  onDone(text: string): void;
}

export interface ExpansionBar {
  /** Expands `nodeId` from its first page. */
  start(nodeId: string): Promise<void>;
  /** A new case is open: forget the expansion. */
  reset(): void;
  /** A `fetch-progress` event: counts the expanded address's history while a page waits for it. */
  progress(p: FetchProgress): void;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createExpansionBar(events: ExpansionEvents): ExpansionBar {
  const bar = byId("expansion", HTMLElement);
  const what = byId("expansion-what", HTMLElement);
  const progress = byId("expansion-progress", HTMLProgressElement);
  const count = byId("expansion-count", HTMLElement);
  const fetched = byId("expansion-fetched", HTMLElement);
  const more = byId("expand-more", HTMLButtonElement);
  const all = byId("expand-all", HTMLButtonElement);
  const cancel = byId("expand-cancel", HTMLButtonElement);
  const limitInput = byId("expand-limit", HTMLInputElement);
  const close = byId("expansion-close", HTMLButtonElement);

  let paging: Paging | null = null;
  let running = false;
  let cancelled = false;

  const limit = (): number => {
    const n = parseLimit(limitInput.value);
    if (n === null) {
      limitInput.value = String(DEFAULT_PAGE_LIMIT);
      return DEFAULT_PAGE_LIMIT;
    }
    return n;
  };

  const refresh = (): void => {
    bar.dataset.state = running ? "running" : "idle";
    if (paging === null) return;
    bar.dataset.shown = String(paging.shown);
    bar.dataset.total = String(paging.total);
    what.textContent = `Expanded ${middleEllipsis(paging.nodeId.replace(/^[a-z0-9]+:(addr|tx):/, ""), 8)}`;
    what.title = paging.nodeId;
    count.textContent = pagingText(paging);
    progress.value = percentShown(paging);
    progress.setAttribute("aria-valuetext", `${pagingText(paging)} neighbours shown`);
    const left = nextPageSize(paging);
    more.textContent = left > 0 ? `Load ${left} more` : "All shown";
    more.disabled = running || left === 0;
    all.disabled = running || left === 0;
    cancel.disabled = !running;
    limitInput.disabled = running;
  };

  const load = async (nodeId: string, offset: number): Promise<PageOutcome> => {
    const outcome = await events.onPage(nodeId, offset, limit());
    paging = { nodeId, shown: outcome.shown, total: outcome.total, limit: limit() };
    refresh();
    return outcome;
  };

  const run = async (work: () => Promise<string>): Promise<void> => {
    running = true;
    cancelled = false;
    refresh();
    try {
      events.onDone(await work());
    } catch (err) {
      bar.dataset.state = "error";
      events.onError(errorText(err));
    } finally {
      running = false;
      refresh();
    }
  };

  more.addEventListener("click", () => {
    const p = paging;
    const offset = p === null ? null : nextOffset(p);
    if (p === null || offset === null) return;
    void run(async () => {
      const o = await load(p.nodeId, offset);
      return `${pagingText({ ...p, shown: o.shown, total: o.total })} shown · ${countOf(o.added.length, "new node")}`;
    });
  });

  all.addEventListener("click", () => {
    const p = paging;
    if (p === null) return;
    void run(async () => {
      let added = 0;
      let current: Paging = p;
      for (;;) {
        const offset = nextOffset(current);
        if (offset === null) return `All ${current.total} shown · ${countOf(added, "new node")}`;
        if (cancelled) return `Cancelled at ${pagingText(current)} · ${countOf(added, "new node")} kept`;
        const o = await load(current.nodeId, offset);
        added += o.added.length;
        current = { ...current, shown: o.shown, total: o.total };
        // A page that shows nothing new (the neighbours ran out early) ends the run.
        if (o.shown <= offset) return `All ${current.shown} shown`;
      }
    });
  });

  cancel.addEventListener("click", () => {
    cancelled = true;
    cancel.disabled = true;
    cancel.textContent = "Cancelling…";
    window.setTimeout(() => {
      cancel.textContent = "Cancel";
    }, 600);
  });

  close.addEventListener("click", () => {
    if (running) cancelled = true;
    bar.hidden = true;
  });

  return {
    async start(nodeId) {
      if (running) {
        events.onError("An expansion is still running: cancel it first.");
        return;
      }
      bar.hidden = false;
      paging = { nodeId, shown: 0, total: 0, limit: limit() };
      count.textContent = "…";
      progress.removeAttribute("value");
      progress.removeAttribute("aria-valuetext");
      for (const key of ["pages", "pagesTotal", "fetched", "fetchTotal"]) delete progress.dataset[key];
      fetched.textContent = "";
      fetched.hidden = true;
      await run(async () => {
        const o = await load(nodeId, 0);
        return o.added.length > 0
          ? `Expanded: ${countOf(o.added.length, "new node")} · ${pagingText({ nodeId, shown: o.shown, total: o.total, limit: limit() })} neighbours shown`
          : `Nothing new next to ${nodeId} · ${o.shown} of ${o.total} neighbours shown`;
      });
    },
    reset() {
      if (running) cancelled = true;
      paging = null;
      bar.hidden = true;
    },
    progress(p) {
      const h = p.history;
      // Not tied to `running`: an event may arrive after the page it belongs to has returned.
      if (h === null || paging === null || !isHistoryOf(h, paging.nodeId)) return;
      const text = historyText(h);
      fetched.textContent = text;
      fetched.hidden = false;
      progress.setAttribute("aria-valuetext", text);
      progress.dataset.pages = String(h.pages);
      progress.dataset.pagesTotal = h.pages_total === null ? "" : String(h.pages_total);
      progress.dataset.fetched = String(h.txs);
      progress.dataset.fetchTotal = h.txs_total === null ? "" : String(h.txs_total);
      // While the first page waits for the history, the bar fills with it.
      if (running && paging.total === 0) {
        const percent = historyPercent(h);
        if (percent === null) progress.removeAttribute("value");
        else progress.value = percent;
      }
    },
  };
}
