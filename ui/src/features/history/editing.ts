// Editing: the one undo history of the canvas, its buttons and keys, the shortcut help overlay,
// and the autosave of what is only in the UI until saved (positions during a drag, the
// viewport). Every action is written to the case by the core at once; this adds the steps back
// and the saves of the in-between state, so killing the app loses at most the last second.

import type { GraphView, NodePosition, Viewport } from "../../ipc/types";
import { Autosave, Queue } from "../../model/autosave";
import { countOf } from "../../model/format";
import type { History, Step } from "../../model/history";
import { type ShortcutHandlers, dispatch } from "../../model/shortcuts";
import type { Camera } from "../canvas/camera";
import { createHelpOverlay } from "../help/help";
import { createHistoryControls } from "./controls";
import { positionsOf } from "./snapshot";
import { type EditCore, type Show, type Steps, stepsFor } from "./steps";

/** The longest a change waits for its autosave: well inside the promised second. */
export const AUTOSAVE_MS = 400;

export interface EditingDeps {
  /** The app's one undo history (other features record their steps in it too). */
  history: History;
  core: EditCore & {
    setViewport(view: Viewport): Promise<void>;
  };
  /** Draws a graph the core returned. */
  show: Show;
  /** The graph the UI holds now. */
  graph(): GraphView | null;
  /** Puts moved positions into the UI's graph (they are on screen already). */
  applyPositions(positions: NodePosition[]): void;
  camera(): Camera | null;
  /** The canvas container, where Delete acts. */
  canvasElement: HTMLElement;
  /** The other keys' actions. */
  keys: Pick<ShortcutHandlers, "remove" | "fit" | "zoom-in" | "zoom-out">;
  status: { info(text: string): void; error(text: string): void };
}

export interface Editing {
  readonly history: History;
  readonly steps: Steps;
  record(step: Step): void;
  /** Nodes were released after a drag or placed by a layout (several calls for one gesture
   * become one step). */
  moved(positions: NodePosition[]): void;
  /** The next `moved` is a layout's, named so in the history. */
  nameNextMove(label: string): void;
  /** Nodes moved under a drag not yet released. */
  dragging(positions: NodePosition[]): void;
  viewChanged(view: Viewport): void;
  /** A case was opened and drawn at its saved viewport: forget the old history and the view
   * save that drawing it queued. */
  opened(): void;
  /** Saves whatever is pending; resolves when it is written. */
  flush(): Promise<void>;
  /** Whether a position or view change is still waiting to be saved. */
  pending(): boolean;
}

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["button", "checkbox", "radio", "submit", "reset", "range", "color"].includes(target.type);
}

export function createEditing(deps: EditingDeps): Editing {
  const history = deps.history;
  const steps = stepsFor(deps.core, deps.show);
  const report = (what: string) => (err: unknown) =>
    deps.status.error(`${what} not saved: ${err instanceof Error ? err.message : String(err)}`);
  // Every position write goes through one queue, so a save from the middle of a drag can never
  // land after the save of where the drag ended.
  const positions = new Queue();
  const dragSave = new Autosave<Map<string, NodePosition>>(
    (moved) => positions.run(() => deps.core.setPositions([...moved.values()])),
    AUTOSAVE_MS,
    report("Position"),
    (older, newer) => new Map([...older, ...newer]),
  );
  const viewSave = new Autosave<Viewport>((v) => deps.core.setViewport(v), AUTOSAVE_MS, report("View"));

  const controls = createHistoryControls(history, { onDone: deps.status.info, onError: deps.status.error });
  const help = createHelpOverlay();
  const handlers: ShortcutHandlers = {
    undo: () => controls.undo(),
    redo: () => controls.redo(),
    help: () => help.open(),
    close: () => help.close(),
    ...deps.keys,
  };
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.repeat) return;
    // While the overlay is open, only its own keys act; while it is closed, Escape is left to
    // the panel that has the focus.
    if (help.isOpen() ? e.key !== "Escape" && e.key !== "?" : e.key === "Escape") return;
    const focus = { inTextField: isTextField(e.target), onCanvas: e.target instanceof Node && deps.canvasElement.contains(e.target) };
    if (dispatch(e, focus, handlers) !== null) e.preventDefault();
  });
  // Moves of one gesture arrive as one call per released node: gather them for one step.
  let batch = new Map<string, NodePosition>();
  let batchTimer: ReturnType<typeof setTimeout> | null = null;
  let nextLabel: string | null = null;
  let lastMove: Promise<void> = Promise.resolve();

  // Closing the window: write what is pending at once (the debounce, and the gathering of a
  // released drag, would otherwise hold it back), the release's positions included.
  const flush = async (): Promise<void> => {
    if (batchTimer !== null) {
      clearTimeout(batchTimer);
      endMove();
    }
    await Promise.all([dragSave.flush(), viewSave.flush(), lastMove]);
  };
  window.addEventListener("pagehide", () => void flush());
  window.addEventListener("beforeunload", () => void flush());

  function endMove(): void {
    batchTimer = null;
    const after = [...batch.values()];
    batch = new Map();
    const label = nextLabel ?? `Move ${countOf(after.length, "node")}`;
    nextLabel = null;
    const graph = deps.graph();
    if (graph === null || after.length === 0) return;
    const before = positionsOf(graph, after.map((p) => p.id));
    deps.applyPositions(after);
    lastMove = positions.run(() => deps.core.setPositions(after)).then(
      () => history.record(steps.moved(label, before, after)),
      report("Position"),
    );
  }

  return {
    history,
    steps,
    record: (step) => history.record(step),
    moved(moved) {
      // The release supersedes what the drag was about to save.
      dragSave.drop();
      for (const p of moved) batch.set(p.id, p);
      batchTimer ??= setTimeout(endMove, 0);
    },
    nameNextMove(label) {
      nextLabel = label;
    },
    dragging(moved) {
      dragSave.push(new Map(moved.map((p) => [p.id, p])));
    },
    viewChanged(view) {
      viewSave.push(view);
    },
    opened() {
      history.clear();
      // The canvas drew the case at its saved view (asked for before the drawing): setting it
      // queued a save of the same values, and nothing of the case before is pending. Asking the
      // core for the view again here would undo a pan or Fit made while that answer was on its
      // way, and hold the first frame for a round trip.
      viewSave.drop();
    },
    flush,
    pending: () => batchTimer !== null || dragSave.pending() || viewSave.pending(),
  };
}
