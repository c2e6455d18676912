// Dragging an address or transaction from a list (the details panel's transactions) onto the
// canvas: HTML5 drag and drop with the node as `application/x-tracebench-node`. The drop
// handler hands the node and the drop point (page pixels) to the app, which adds it through the
// ordinary add path and places it there.

import { type DraggedNode, NODE_MIME, dragPayload, parseDragPayload } from "../../model/dragNode";
import "./drag.css";

/** Makes a list row draggable as `node`. */
export function makeDraggable(el: HTMLElement, node: DraggedNode): void {
  el.draggable = true;
  el.dataset.dragNode = node.id;
  el.title = el.title === "" ? "Drag onto the canvas to add it there" : el.title;
  el.addEventListener("dragstart", (e) => {
    if (e.dataTransfer === null) return;
    e.dataTransfer.setData(NODE_MIME, dragPayload(node));
    e.dataTransfer.setData("text/plain", node.label);
    e.dataTransfer.effectAllowed = "copy";
  });
}

/** Accepts node drops on `target`; anything else dragged over it is refused (no drop cursor). */
export function acceptNodeDrops(target: HTMLElement, onDrop: (node: DraggedNode, clientX: number, clientY: number) => void): void {
  const carriesNode = (e: DragEvent): boolean => e.dataTransfer?.types.includes(NODE_MIME) ?? false;
  target.addEventListener("dragover", (e) => {
    if (!carriesNode(e)) return;
    e.preventDefault();
    if (e.dataTransfer !== null) e.dataTransfer.dropEffect = "copy";
    target.classList.add("is-drop-target");
  });
  target.addEventListener("dragleave", () => target.classList.remove("is-drop-target"));
  target.addEventListener("drop", (e) => {
    target.classList.remove("is-drop-target");
    const node = parseDragPayload(e.dataTransfer?.getData(NODE_MIME) ?? "");
    if (node === null) return;
    e.preventDefault();
    onDrop(node, e.clientX, e.clientY);
  });
}
