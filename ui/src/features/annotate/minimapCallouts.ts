// Callouts on the minimap: a small violet mark where each callout lies (and a dashed stub to its
// anchor), drawn over the navigator's thumbnail with the same fit-and-centre mapping
// (`model/calloutPicture.ts::onMinimap`). Redrawn when the callouts change and, while any are
// shown, twice a second (the graph's extent moves when nodes do).

import type { CalloutView } from "../../ipc/types";
import { type GraphBox, type Point, onMinimap } from "../../model/calloutPicture";

const SVG_NS = "http://www.w3.org/2000/svg";

export interface MinimapCallouts {
  show(callouts: readonly CalloutView[]): void;
}

/** Marks in `minimap` (the navigator's panel); `graphBox()` is the graph's extent, or null. */
export function createMinimapCallouts(
  minimap: HTMLElement,
  graphBox: () => GraphBox | null,
  anchorAt: (id: string) => Point | null,
): MinimapCallouts {
  const overlay = document.createElementNS(SVG_NS, "svg");
  overlay.classList.add("minimap-callouts");
  overlay.dataset.testid = "minimap-callouts";
  overlay.setAttribute("aria-hidden", "true");
  let shown: readonly CalloutView[] = [];
  let lastKey = "";

  const draw = (): void => {
    if (!overlay.isConnected) minimap.append(overlay);
    const width = minimap.clientWidth;
    const height = minimap.clientHeight;
    const box = width > 0 && height > 0 ? graphBox() : null;
    const key = `${JSON.stringify(box)} ${width} ${height} ${shown.map((c) => `${c.id}:${c.x},${c.y},${c.anchor ?? ""}`).join(" ")}`;
    if (key === lastKey) return;
    lastKey = key;
    const marks: SVGElement[] = [];
    for (const c of shown) {
      const at = box === null ? null : onMinimap(box, width, height, c);
      if (at === null) continue;
      const anchor = c.anchor === null || box === null ? null : anchorAt(c.anchor);
      const to = anchor === null || box === null ? null : onMinimap(box, width, height, anchor);
      if (to !== null) {
        const line = document.createElementNS(SVG_NS, "line");
        line.classList.add("minimap-callout-leader");
        line.setAttribute("x1", String(at.x));
        line.setAttribute("y1", String(at.y));
        line.setAttribute("x2", String(to.x));
        line.setAttribute("y2", String(to.y));
        marks.push(line);
      }
      const mark = document.createElementNS(SVG_NS, "rect");
      mark.classList.add("minimap-callout");
      mark.dataset.testid = "minimap-callout";
      mark.dataset.calloutId = String(c.id);
      mark.setAttribute("x", String(at.x));
      mark.setAttribute("y", String(at.y));
      mark.setAttribute("width", "7");
      mark.setAttribute("height", "5");
      marks.push(mark);
    }
    overlay.replaceChildren(...marks);
    minimap.dataset.calloutCount = String(marks.filter((m) => m.tagName === "rect").length);
  };
  window.setInterval(() => {
    if (shown.length > 0 || overlay.childElementCount > 0) draw();
  }, 500);
  return {
    show(callouts) {
      shown = [...callouts];
      draw();
    },
  };
}
