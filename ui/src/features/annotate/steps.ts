// The undo and redo of every annotation, as history steps: each goes back through the core
// (which writes the case and its audit log), never by editing what the UI holds. Nothing is
// deleted: undoing an addition removes (or retracts) it, and redoing restores it.

import type { Annotated, GraphView, NoteView } from "../../ipc/types";
import type { Step } from "../../model/history";

/** The core calls the annotation steps make (the app passes `ipc`). */
export interface AnnotateCore {
  graph(): Promise<GraphView>;
  addCallout(text: string, x: number, y: number, anchor: string | null): Promise<Annotated>;
  editCallout(id: number, text: string): Promise<GraphView>;
  moveCallout(id: number, x: number, y: number): Promise<GraphView>;
  setCalloutRemoved(id: number, removed: boolean): Promise<GraphView>;
  addEdgeNote(edgeId: string, text: string): Promise<NoteView>;
  retractNote(noteId: number): Promise<GraphView>;
  addStoryStep(title: string, caption: string, nodes: string[], edges: string[]): Promise<Annotated>;
  renameStoryStep(id: number, title: string, caption: string): Promise<GraphView>;
  moveStoryStep(id: number, toPosition: number): Promise<GraphView>;
  removeStoryStep(id: number): Promise<GraphView>;
  restoreStoryStep(id: number, position: number): Promise<GraphView>;
}

export function annotationSteps(core: AnnotateCore, show: (graph: GraphView) => void) {
  const then = async (call: Promise<GraphView>): Promise<void> => show(await call);
  return {
    calloutAdded(id: number): Step {
      return {
        label: "Add callout",
        undo: () => then(core.setCalloutRemoved(id, true)),
        redo: () => then(core.setCalloutRemoved(id, false)),
      };
    },
    calloutEdited(id: number, before: string, after: string): Step {
      return {
        label: "Edit callout",
        undo: () => then(core.editCallout(id, before)),
        redo: () => then(core.editCallout(id, after)),
      };
    },
    calloutMoved(id: number, from: { x: number; y: number }, to: { x: number; y: number }): Step {
      return {
        label: "Move callout",
        undo: () => then(core.moveCallout(id, from.x, from.y)),
        redo: () => then(core.moveCallout(id, to.x, to.y)),
      };
    },
    calloutRemoved(id: number): Step {
      return {
        label: "Remove callout",
        undo: () => then(core.setCalloutRemoved(id, false)),
        redo: () => then(core.setCalloutRemoved(id, true)),
      };
    },
    edgeNoted(note: NoteView): Step {
      let id = note.id;
      return {
        label: "Add note on a transfer",
        undo: () => then(core.retractNote(id)),
        redo: async () => {
          id = (await core.addEdgeNote(note.target, note.text)).id;
          show(await core.graph());
        },
      };
    },
    stepAdded(id: number, position: number, title: string): Step {
      return {
        label: `Add story step “${title}”`,
        undo: () => then(core.removeStoryStep(id)),
        redo: () => then(core.restoreStoryStep(id, position)),
      };
    },
    stepRenamed(id: number, before: { title: string; caption: string }, after: { title: string; caption: string }): Step {
      return {
        label: `Rename story step “${before.title}” to “${after.title}”`,
        undo: () => then(core.renameStoryStep(id, before.title, before.caption)),
        redo: () => then(core.renameStoryStep(id, after.title, after.caption)),
      };
    },
    stepMoved(id: number, from: number, to: number): Step {
      return {
        label: "Move story step",
        undo: () => then(core.moveStoryStep(id, from)),
        redo: () => then(core.moveStoryStep(id, to)),
      };
    },
    stepRemoved(id: number, position: number, title: string): Step {
      return {
        label: `Remove story step “${title}”`,
        undo: () => then(core.restoreStoryStep(id, position)),
        redo: () => then(core.removeStoryStep(id)),
      };
    },
  };
}
