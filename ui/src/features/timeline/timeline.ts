// The timeline strip under the canvas: transfers per UTC day as bars, and the global time
// filter (From / To, UTC dates, inclusive). A bad date is reported in the strip and the filter
// in force stays as it was. Clicking a day's bar shows only that day.

import type { GraphView } from "../../ipc/types";
import { type TimeWindow, dayHistogram, inWindow, isOpen, openWindow, windowOf } from "../../model/timeWindow";
import { byId, make } from "../dom";

export interface TimelineEvents {
  /** The time window changed (openWindow: no filter). */
  onWindow(w: TimeWindow): void;
}

export interface Timeline {
  /** Redraws the bars for the case's (unfiltered) graph; says how many nodes the filter hides. */
  update(graph: GraphView | null, outside: number): void;
  reset(): void;
}

const dayText = (s: number | null): string => (s === null ? "" : new Date(s * 1000).toISOString().slice(0, 10));

export function createTimeline(events: TimelineEvents): Timeline {
  const strip = byId("timeline", HTMLElement);
  const form = byId("time-filter", HTMLFormElement);
  const from = byId("time-filter-from", HTMLInputElement);
  const to = byId("time-filter-to", HTMLInputElement);
  const clear = byId("time-filter-clear", HTMLButtonElement);
  const state = byId("time-filter-state", HTMLElement);
  const bars = byId("timeline-bars", HTMLElement);

  let current: TimeWindow = openWindow;
  let graph: GraphView | null = null;
  let outside = 0;

  const describe = (): void => {
    state.classList.remove("is-error");
    state.textContent = isOpen(current)
      ? "All times (UTC)"
      : `${dayText(current.from) || "…"} – ${dayText(current.to) || "…"} UTC · ${outside} outside`;
    strip.dataset.from = dayText(current.from);
    strip.dataset.to = dayText(current.to);
    clear.disabled = isOpen(current);
  };

  const draw = (): void => {
    const bins = graph === null ? [] : dayHistogram(graph);
    const top = Math.max(1, ...bins.map((b) => b.transfers));
    const filtered = !isOpen(current);
    const nodes = bins.map((b) => {
      const bar = make("button", "timeline-bar");
      bar.type = "button";
      const shown = !filtered || inWindow(b.day, current) || inWindow(b.day + 86_399, current);
      if (filtered) bar.classList.add(shown ? "is-in" : "is-out");
      bar.title = `${b.label}: ${b.transfers} ${b.transfers === 1 ? "transfer" : "transfers"}`;
      bar.setAttribute("aria-label", bar.title);
      bar.dataset.day = b.label;
      const fill = make("span");
      fill.style.height = `${Math.round((b.transfers / top) * 100)}%`;
      bar.append(fill);
      bar.addEventListener("click", () => {
        from.value = b.label;
        to.value = b.label;
        apply();
      });
      return bar;
    });
    bars.replaceChildren(...nodes);
  };

  const apply = (): void => {
    try {
      current = windowOf(from.value, to.value);
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

  describe();
  return {
    update(next, hidden) {
      graph = next;
      outside = hidden;
      describe();
      draw();
    },
    reset() {
      from.value = "";
      to.value = "";
      current = openWindow;
      describe();
    },
  };
}
