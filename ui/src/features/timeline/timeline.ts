// The timeline strip under the canvas: transfers per time bin as bars (10 minutes, hours or
// days, whichever fits the case), and the global time filter: From / To as UTC dates or, with
// the mode switch, as block heights (inclusive). A bad entry is reported in the strip and the
// filter in force stays as it was. Clicking a bar shows only that bar's UTC day; pressing on
// a bar and dragging across others (or Shift-clicking one bar) selects that time range, which
// the canvas highlights without hiding anything (Clear or Escape drops the highlight). A height
// window names its chain (`time-filter-chain`: the chains whose canvas transactions have
// heights, the case's own first); the status line says how the other chains were judged.

import type { GraphView } from "../../ipc/types";
import {
  type TimeBin,
  type TimeWindow,
  type WindowScale,
  heightWindowOf,
  histogram,
  inWindow,
  isOpen,
  openWindow,
  utcMinute,
  windowOf,
} from "../../model/timeWindow";
import { byId, make } from "../dom";
import "./timeline.css";

export interface TimelineEvents {
  /** The time window changed (openWindow: no filter). */
  onWindow(w: TimeWindow): void;
  /** A range was selected on the strip (null: the highlight was cleared). */
  onRange(w: TimeWindow | null): void;
  /** The chains a height window may name (node id prefixes), the case's own first. */
  heightChains(): Promise<string[]>;
}

export interface Timeline {
  /** Redraws the bars for the case's (unfiltered) graph; says how many nodes the filter hides
   * and, for a height window, how the other chains were judged (`note`). */
  update(graph: GraphView | null, outside: number, note?: string): void;
  /** Says how many drawn elements the selected range highlights. */
  showRange(count: number): void;
  reset(): void;
}

const dayText = (s: number | null): string => (s === null ? "" : new Date(s * 1000).toISOString().slice(0, 10));

const boundText = (w: TimeWindow, v: number | null): string =>
  v === null ? "" : w.scale === "height" ? String(v) : dayText(v);

const PLACEHOLDER: Record<WindowScale, string> = { time: "YYYY-MM-DD", height: "block height" };

export function createTimeline(events: TimelineEvents): Timeline {
  const strip = byId("timeline", HTMLElement);
  const form = byId("time-filter", HTMLFormElement);
  const mode = byId("time-filter-mode", HTMLSelectElement);
  const chainSelect = byId("time-filter-chain", HTMLSelectElement);
  const from = byId("time-filter-from", HTMLInputElement);
  const to = byId("time-filter-to", HTMLInputElement);
  const clear = byId("time-filter-clear", HTMLButtonElement);
  const state = byId("time-filter-state", HTMLElement);
  const bars = byId("timeline-bars", HTMLElement);
  const rangeState = byId("timeline-range", HTMLElement);
  const rangeClear = byId("timeline-range-clear", HTMLButtonElement);

  let current: TimeWindow = openWindow;
  let graph: GraphView | null = null;
  let outside = 0;
  let note = "";
  let bins: TimeBin[] = [];
  /** The selected range as bin indexes (inclusive), or null. */
  let range: { a: number; b: number } | null = null;
  /** The bin a press started on, while the pointer is down. */
  let anchor: number | null = null;
  let dragged = false;
  /** Set when a drag ended, so the click that may follow it does not filter. */
  let swallowClick = false;

  const scale = (): WindowScale => (mode.value === "height" ? "height" : "time");

  const describe = (): void => {
    state.classList.remove("is-error");
    const unit = current.scale === "height" ? `${current.chain ?? ""} blocks` : "UTC";
    state.textContent = isOpen(current)
      ? "All times (UTC)"
      : `${boundText(current, current.from) || "…"} – ${boundText(current, current.to) || "…"} ${unit} · ${outside} outside${note === "" ? "" : ` · ${note}`}`;
    state.title = state.textContent;
    strip.dataset.chain = current.chain ?? "";
    strip.dataset.from = boundText(current, current.from);
    strip.dataset.to = boundText(current, current.to);
    strip.dataset.scale = current.scale;
    clear.disabled = isOpen(current);
  };

  const rangeWindow = (): TimeWindow | null => {
    if (range === null) return null;
    const lo = bins[Math.min(range.a, range.b)];
    const hi = bins[Math.max(range.a, range.b)];
    return lo === undefined || hi === undefined ? null : { from: lo.start, to: hi.end, scale: "time", chain: null };
  };

  const markRange = (): void => {
    const lo = range === null ? -1 : Math.min(range.a, range.b);
    const hi = range === null ? -2 : Math.max(range.a, range.b);
    bars.querySelectorAll<HTMLElement>(".timeline-bar").forEach((bar, i) => {
      bar.classList.toggle("is-selected", i >= lo && i <= hi);
    });
    const w = rangeWindow();
    rangeClear.hidden = w === null;
    strip.dataset.rangeFrom = w?.from === null || w === null ? "" : utcMinute(w.from);
    strip.dataset.rangeTo = w?.to === null || w === null ? "" : utcMinute(w.to + 1);
    if (w === null) rangeState.textContent = "";
  };

  const setRange = (next: { a: number; b: number } | null): void => {
    range = next;
    markRange();
    events.onRange(rangeWindow());
  };

  const draw = (): void => {
    bins = graph === null ? [] : histogram(graph);
    const top = Math.max(1, ...bins.map((b) => b.transfers));
    const filtered = !isOpen(current) && current.scale === "time";
    const nodes = bins.map((b, i) => {
      const bar = make("button", "timeline-bar");
      bar.type = "button";
      const shown = !filtered || inWindow(b.start, current) || inWindow(b.end, current);
      if (filtered) bar.classList.add(shown ? "is-in" : "is-out");
      bar.title = `${b.label}: ${b.transfers} ${b.transfers === 1 ? "transfer" : "transfers"}`;
      bar.setAttribute("aria-label", bar.title);
      bar.dataset.day = b.day;
      bar.dataset.index = String(i);
      const fill = make("span");
      fill.style.height = `${Math.round((b.transfers / top) * 100)}%`;
      bar.append(fill);
      bar.addEventListener("click", (e) => {
        if (swallowClick) return;
        // Shift-click: highlight this bar's range alone, hiding nothing.
        if (e.shiftKey) {
          setRange({ a: i, b: i });
          return;
        }
        mode.value = "time";
        syncPlaceholders();
        from.value = b.day;
        to.value = b.day;
        apply();
      });
      return bar;
    });
    bars.replaceChildren(...nodes);
    if (range !== null && (range.a >= bins.length || range.b >= bins.length)) setRange(null);
    else markRange();
  };

  const barIndex = (target: EventTarget | null): number | null => {
    const bar = target instanceof Element ? target.closest<HTMLElement>(".timeline-bar") : null;
    const i = bar?.dataset.index;
    return i === undefined ? null : Number(i);
  };

  /** The bar under a page x position (clamped to the first and last bar), or null without bars. */
  const barAtX = (clientX: number): number | null => {
    const all = [...bars.querySelectorAll<HTMLElement>(".timeline-bar")];
    if (all.length === 0) return null;
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    all.forEach((bar, i) => {
      const r = bar.getBoundingClientRect();
      const distance = clientX < r.left ? r.left - clientX : clientX > r.right ? clientX - r.right : 0;
      if (distance < bestDistance) {
        best = i;
        bestDistance = distance;
      }
    });
    return best;
  };

  // Range selection: press on a bar, move along the strip, release (the bars under the pointer's
  // x count, so the pointer may stray above or below). A press released on the bar it started
  // on is a click (the day filter above). Mouse events on the window, so a release anywhere ends
  // the drag.
  bars.addEventListener("mousedown", (e) => {
    const i = barIndex(e.target);
    if (i === null || e.button !== 0) return;
    e.preventDefault();
    anchor = i;
    dragged = false;
  });
  window.addEventListener("mousemove", (e) => {
    if (anchor === null) return;
    const i = barAtX(e.clientX);
    if (i === null) return;
    if (i !== anchor) dragged = true;
    if (dragged) {
      range = { a: anchor, b: i };
      markRange();
    }
  });
  window.addEventListener("mouseup", (e) => {
    if (anchor === null) return;
    const i = barAtX(e.clientX) ?? anchor;
    if (i !== anchor) dragged = true;
    const start = anchor;
    anchor = null;
    if (!dragged) return;
    dragged = false;
    swallowClick = true;
    setTimeout(() => {
      swallowClick = false;
    }, 0);
    setRange({ a: start, b: i });
  });
  rangeClear.addEventListener("click", () => setRange(null));
  strip.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && range !== null) setRange(null);
  });

  const syncPlaceholders = (): void => {
    from.placeholder = PLACEHOLDER[scale()];
    to.placeholder = PLACEHOLDER[scale()];
    const what = scale() === "height" ? "block height" : "UTC date";
    from.setAttribute("aria-label", `Show from this ${what}`);
    to.setAttribute("aria-label", `Show up to this ${what}`);
  };
  /** Fills the chain choice in height mode (keeping the one chosen while it is offered). */
  const syncChains = async (): Promise<void> => {
    chainSelect.hidden = scale() !== "height";
    if (chainSelect.hidden) return;
    const chains = await events.heightChains();
    const chosen = chainSelect.value;
    chainSelect.replaceChildren(
      ...chains.map((c) => {
        const option = make("option");
        option.value = c;
        option.textContent = c;
        return option;
      }),
    );
    chainSelect.value = chains.includes(chosen) ? chosen : (chains[0] ?? "");
    chainSelect.disabled = chains.length < 2;
  };
  mode.addEventListener("change", () => {
    from.value = "";
    to.value = "";
    syncPlaceholders();
    void syncChains().catch((err: unknown) => {
      state.textContent = `Block heights not loaded: ${(err as Error).message}`;
      state.classList.add("is-error");
    });
  });

  const apply = (): void => {
    try {
      if (scale() === "height" && chainSelect.value === "") throw new Error("no transaction on the canvas has a block height yet");
      current = scale() === "height" ? heightWindowOf(from.value, to.value, chainSelect.value) : windowOf(from.value, to.value);
    } catch (err) {
      state.textContent = `${(err as Error).message}; filter unchanged`;
      state.classList.add("is-error");
      return;
    }
    events.onWindow(current);
  };

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    apply();
  });
  clear.addEventListener("click", () => {
    from.value = "";
    to.value = "";
    current = openWindow;
    events.onWindow(current);
  });

  syncPlaceholders();
  describe();
  return {
    update(next, hidden, why = "") {
      graph = next;
      outside = hidden;
      note = why;
      describe();
      draw();
      if (scale() === "height") void syncChains().catch(() => undefined);
    },
    showRange(count) {
      const w = rangeWindow();
      if (w === null || w.from === null || w.to === null) return;
      const start = utcMinute(w.from);
      const end = utcMinute(w.to + 1);
      // Compact on the strip (within one day: the times only), in full in the tooltip.
      const span = start.slice(0, 10) === end.slice(0, 10) ? `${start.slice(11, 16)}–${end.slice(11)}` : `${start} – ${end}`;
      rangeState.textContent = `▣ ${span} · ${count}`;
      rangeState.title = `Highlighted ${start} – ${end}: ${count} on the canvas`;
      strip.dataset.rangeCount = String(count);
    },
    reset() {
      from.value = "";
      to.value = "";
      mode.value = "time";
      chainSelect.hidden = true;
      chainSelect.replaceChildren();
      syncPlaceholders();
      current = openWindow;
      range = null;
      markRange();
      describe();
    },
  };
}
