// Callouts on the canvas: free-text boxes styled as analyst notes (a NOTE tag, the notes' violet
// rule), drawn in a layer over the graph at their saved graph coordinates, following pan and
// zoom; a callout anchored to a node has a thin dashed leader line to it (test id
// `callout-leader`). Drag a box to move it (saved on release); ✎ edits, ✕ removes. Text is set
// as text. `shapes()` is what the PNG/SVG exports draw of them.

import type { CalloutView } from "../../ipc/types";
import { type CalloutShape, type Point, type Rect, PAD, leaderLine, wrapText } from "../../model/calloutPicture";
import { type View, calloutPreview, toScreen } from "../../model/story";
import { make } from "../dom";

const SVG_NS = "http://www.w3.org/2000/svg";

export interface CalloutEvents {
  /** A box was dragged and released at graph coordinates (x, y). */
  onMove(id: number, x: number, y: number): void;
  onEdit(callout: CalloutView): void;
  onRemove(callout: CalloutView): void;
}

export interface CalloutLayer {
  show(callouts: readonly CalloutView[]): void;
  /** The callouts as a picture of the view draws them, in canvas (CSS) pixels. */
  shapes(): CalloutShape[];
  /** The callouts shown, at their graph coordinates. */
  shown(): readonly CalloutView[];
}

/** The layer inside `container` (the canvas); `view()` is the canvas's zoom and pan, or null;
 * `anchorAt(id)` is where a node is drawn (graph coordinates), or null when it is not. */
export function createCalloutLayer(
  container: HTMLElement,
  view: () => View | null,
  anchorAt: (id: string) => Point | null,
  events: CalloutEvents,
): CalloutLayer {
  const layer = make("div", "callout-layer");
  layer.dataset.testid = "callout-layer";
  const leaders = document.createElementNS(SVG_NS, "svg");
  leaders.classList.add("callout-leaders");
  leaders.setAttribute("aria-hidden", "true");
  layer.append(leaders);
  container.append(layer);
  let shown: CalloutView[] = [];
  const boxes = new Map<number, HTMLElement>();
  const lines = new Map<number, SVGLineElement>();
  /** The callout being dragged, with its position as the drag has it. */
  let dragging: { id: number; x: number; y: number } | null = null;
  let lastKey = "";
  let shownKey = "";

  /** Where callout `c`'s anchor is drawn on screen, or null (no anchor, or not drawn). */
  const anchorOnScreen = (v: View, c: CalloutView): Point | null => {
    if (c.anchor === null) return null;
    const at = anchorAt(c.anchor);
    if (at === null) return null;
    const { left, top } = toScreen(v, at.x, at.y);
    return { x: left, y: top };
  };

  const place = (force: boolean): void => {
    const v = view();
    if (v === null) return;
    const anchors = shown.map((c) => anchorOnScreen(v, c));
    const key = `${v.zoom} ${v.pan_x} ${v.pan_y} ${anchors.map((a) => (a === null ? "-" : `${a.x},${a.y}`)).join(" ")}`;
    if (!force && key === lastKey && dragging === null) return;
    lastKey = key;
    shown.forEach((c, i) => {
      const box = boxes.get(c.id);
      if (box === undefined) return;
      const at = dragging?.id === c.id ? dragging : c;
      const { left, top } = toScreen(v, at.x, at.y);
      box.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
      const line = lines.get(c.id);
      if (line === undefined) return;
      const anchor = anchors[i] ?? null;
      const rect = { left: Math.round(left), top: Math.round(top), width: box.offsetWidth, height: box.offsetHeight };
      const leader = anchor === null ? null : leaderLine(rect, anchor);
      line.style.display = leader === null ? "none" : "";
      if (leader !== null) {
        line.setAttribute("x1", String(leader.x1));
        line.setAttribute("y1", String(leader.y1));
        line.setAttribute("x2", String(leader.x2));
        line.setAttribute("y2", String(leader.y2));
      }
      line.dataset.drawn = String(leader !== null);
    });
  };
  // The canvas pans and zooms without telling this layer: follow it frame by frame (cheap:
  // nothing is done while the view stands still). During a wheel zoom `view()` is the view the
  // canvas's scaled picture shows, so the boxes move with the picture at every frame.
  const follow = (): void => {
    place(false);
    window.requestAnimationFrame(follow);
  };
  window.requestAnimationFrame(follow);

  const boxOf = (c: CalloutView): HTMLElement => {
    const box = make("div", "callout");
    box.dataset.testid = "callout";
    box.dataset.calloutId = String(c.id);
    box.title = `Analyst note (callout) · ${c.anchor === null ? "on the canvas" : `at ${c.anchor}`} · drag to move`;
    const tag = make("span", "callout-tag", "NOTE");
    const text = make("div", "callout-text", calloutPreview(c));
    text.dataset.testid = "callout-text-shown";
    const edit = make("button", "callout-edit", "✎");
    edit.type = "button";
    edit.title = "Edit this callout";
    edit.dataset.testid = "callout-edit";
    edit.addEventListener("click", () => events.onEdit(c));
    const remove = make("button", "callout-remove", "✕");
    remove.type = "button";
    remove.title = "Remove this callout (it stays in the case; Undo brings it back)";
    remove.dataset.testid = "callout-remove";
    remove.addEventListener("click", () => events.onRemove(c));
    box.append(tag, edit, remove, text);
    // A press on a callout is not a press on the graph: the canvas must not take it as a tap on
    // its background (which clears the selection and redraws the callouts mid-click).
    for (const kind of ["mousedown", "touchstart"] as const) box.addEventListener(kind, (e) => e.stopPropagation());
    box.addEventListener("pointerdown", (down: PointerEvent) => {
      if (down.button !== 0 || down.target instanceof HTMLButtonElement) return;
      const v = view();
      if (v === null) return;
      down.preventDefault();
      box.setPointerCapture(down.pointerId);
      box.classList.add("dragging");
      dragging = { id: c.id, x: c.x, y: c.y };
      const start = { x: down.clientX, y: down.clientY };
      const move = (e: PointerEvent): void => {
        if (dragging === null) return;
        dragging.x = c.x + (e.clientX - start.x) / v.zoom;
        dragging.y = c.y + (e.clientY - start.y) / v.zoom;
        place(true);
      };
      const up = (): void => {
        box.removeEventListener("pointermove", move);
        box.removeEventListener("pointerup", up);
        box.removeEventListener("pointercancel", up);
        box.classList.remove("dragging");
        const done = dragging;
        dragging = null;
        if (done !== null && (done.x !== c.x || done.y !== c.y)) events.onMove(c.id, done.x, done.y);
        else place(true);
      };
      box.addEventListener("pointermove", move);
      box.addEventListener("pointerup", up);
      box.addEventListener("pointercancel", up);
    });
    return box;
  };

  const lineOf = (c: CalloutView): SVGLineElement => {
    const line = document.createElementNS(SVG_NS, "line");
    line.classList.add("callout-leader");
    line.dataset.testid = "callout-leader";
    line.dataset.calloutId = String(c.id);
    line.dataset.anchor = c.anchor ?? "";
    return line;
  };

  /** The measure of text in the callouts' text font. */
  const measurer = (): ((s: string) => number) => {
    const probe = layer.querySelector(".callout-text");
    const ctx = document.createElement("canvas").getContext("2d");
    if (probe === null || ctx === null) return (s) => s.length * 7;
    const style = getComputedStyle(probe);
    ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return (s) => ctx.measureText(s).width;
  };

  return {
    show(callouts) {
      // Unchanged callouts keep their boxes (a redraw mid-click would lose the click).
      const key = JSON.stringify(callouts);
      if (key === shownKey) return;
      shownKey = key;
      shown = [...callouts];
      boxes.clear();
      lines.clear();
      leaders.replaceChildren(
        ...shown
          .filter((c) => c.anchor !== null)
          .map((c) => {
            const line = lineOf(c);
            lines.set(c.id, line);
            return line;
          }),
      );
      layer.replaceChildren(
        leaders,
        ...shown.map((c) => {
          const box = boxOf(c);
          boxes.set(c.id, box);
          return box;
        }),
      );
      container.dataset.calloutCount = String(shown.length);
      place(true);
    },
    shown: () => shown,
    shapes() {
      const v = view();
      if (v === null) return [];
      const measure = measurer();
      const out: CalloutShape[] = [];
      for (const c of shown) {
        const box = boxes.get(c.id);
        const textEl = box?.querySelector<HTMLElement>(".callout-text");
        if (box === undefined || textEl === undefined || textEl === null) continue;
        const { left, top } = toScreen(v, c.x, c.y);
        const lineHeight = Number.parseFloat(getComputedStyle(textEl).lineHeight) || 15.6;
        const width = box.offsetWidth;
        const text = wrapText(calloutPreview(c), Math.max(width - PAD.left - 6, 20), measure);
        const rect: Rect = { left, top, width, height: PAD.top + PAD.tag + lineHeight * text.length + 6 };
        const anchor = anchorOnScreen(v, c);
        out.push({ id: c.id, box: rect, lines: text, leader: anchor === null ? null : leaderLine(rect, anchor) });
      }
      return out;
    },
  };
}
