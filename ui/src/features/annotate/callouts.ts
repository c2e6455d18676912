// Callouts on the canvas: free-text boxes styled as analyst notes (a NOTE tag, the notes' violet
// rule), drawn in a layer over the graph at their saved graph coordinates, following pan and
// zoom. Drag a box to move it (saved on release); ✎ edits, ✕ removes. Text is set as text.

import type { CalloutView } from "../../ipc/types";
import { type View, calloutPreview, toScreen } from "../../model/story";
import { make } from "../dom";

export interface CalloutEvents {
  /** A box was dragged and released at graph coordinates (x, y). */
  onMove(id: number, x: number, y: number): void;
  onEdit(callout: CalloutView): void;
  onRemove(callout: CalloutView): void;
}

export interface CalloutLayer {
  show(callouts: readonly CalloutView[]): void;
}

/** The layer inside `container` (the canvas); `view()` is the canvas's zoom and pan, or null. */
export function createCalloutLayer(
  container: HTMLElement,
  view: () => View | null,
  events: CalloutEvents,
): CalloutLayer {
  const layer = make("div", "callout-layer");
  layer.dataset.testid = "callout-layer";
  container.append(layer);
  let shown: CalloutView[] = [];
  const boxes = new Map<number, HTMLElement>();
  /** The callout being dragged, with its position as the drag has it. */
  let dragging: { id: number; x: number; y: number } | null = null;
  let lastKey = "";

  const place = (force: boolean): void => {
    const v = view();
    if (v === null) return;
    const key = `${v.zoom} ${v.pan_x} ${v.pan_y}`;
    if (!force && key === lastKey && dragging === null) return;
    lastKey = key;
    for (const c of shown) {
      const box = boxes.get(c.id);
      if (box === undefined) continue;
      const at = dragging?.id === c.id ? dragging : c;
      const { left, top } = toScreen(v, at.x, at.y);
      box.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
    }
  };
  // The canvas pans and zooms without telling this layer: follow it frame by frame (cheap:
  // nothing is done while the view stands still).
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

  return {
    show(callouts) {
      shown = [...callouts];
      boxes.clear();
      layer.replaceChildren(
        ...shown.map((c) => {
          const box = boxOf(c);
          boxes.set(c.id, box);
          return box;
        }),
      );
      container.dataset.calloutCount = String(shown.length);
      place(true);
    },
  };
}
