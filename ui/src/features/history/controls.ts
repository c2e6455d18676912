// The toolbar's Undo and Redo buttons: enabled only when there is a step to take, with a
// tooltip naming it ("Undo: Group 3 nodes"), disabled while a step runs.

import "./history.css";
import type { History, HistoryState } from "../../model/history";
import { byId } from "../dom";

export interface HistoryControls {
  undo(): void;
  redo(): void;
}

export interface HistoryReport {
  onDone(text: string): void;
  onError(text: string): void;
}

export function createHistoryControls(history: History, report: HistoryReport): HistoryControls {
  const undoButton = byId("undo", HTMLButtonElement);
  const redoButton = byId("redo", HTMLButtonElement);

  const refresh = (s: HistoryState): void => {
    undoButton.disabled = s.busy || s.undo === null;
    redoButton.disabled = s.busy || s.redo === null;
    undoButton.title = s.undo === null ? "Nothing to undo (Ctrl+Z)" : `Undo: ${s.undo} (Ctrl+Z)`;
    redoButton.title = s.redo === null ? "Nothing to redo (Ctrl+Shift+Z)" : `Redo: ${s.redo} (Ctrl+Shift+Z)`;
    undoButton.setAttribute("aria-label", s.undo === null ? "Undo" : `Undo: ${s.undo}`);
    redoButton.setAttribute("aria-label", s.redo === null ? "Redo" : `Redo: ${s.redo}`);
  };

  const run = (which: "undo" | "redo"): void => {
    const label = which === "undo" ? history.state().undo : history.state().redo;
    if (label === null) return;
    const step = which === "undo" ? history.undo() : history.redo();
    step.then(
      (done) => {
        if (done !== null) report.onDone(which === "undo" ? `Undone: ${done}` : `Redone: ${done}`);
      },
      (err: unknown) => report.onError(`${which === "undo" ? "Undo" : "Redo"} of “${label}” failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  };

  undoButton.addEventListener("click", () => run("undo"));
  redoButton.addEventListener("click", () => run("redo"));
  history.onChange(refresh);
  refresh(history.state());
  return { undo: () => run("undo"), redo: () => run("redo") };
}
