// The undo and redo of each canvas action, as history steps. Every step goes back through the
// core (which writes the case and its audit log), never by editing what the UI holds: removing
// what an addition showed, putting removed or regrouped nodes back (restore_nodes), saving the
// old positions, hiding or showing again, retracting a note. Each step draws the graph the
// core returned.

import type { GraphView, NodePosition, NoteView, RestoreNode } from "../../ipc/types";
import { countOf } from "../../model/format";
import type { Step } from "../../model/history";
import { entityOf, snapshotOf } from "./snapshot";

/** The core calls the steps make (the app passes `ipc`). */
export interface EditCore {
  graph(): Promise<GraphView>;
  restoreNodes(nodes: RestoreNode[]): Promise<GraphView>;
  removeNodes(ids: string[]): Promise<GraphView>;
  setPositions(positions: NodePosition[]): Promise<void>;
  setHidden(ids: string[], hidden: boolean): Promise<GraphView>;
  unhideAll(): Promise<GraphView>;
  createEntity(name: string, category: string, members: string[]): Promise<GraphView>;
  setEntityCollapsed(entityId: string, collapsed: boolean): Promise<GraphView>;
  dissolveEntity(entityId: string): Promise<GraphView>;
  addNote(nodeId: string, text: string): Promise<NoteView>;
  retractNote(noteId: number): Promise<GraphView>;
}

/** Draws a graph the core returned. */
export type Show = (graph: GraphView) => void;

export function stepsFor(core: EditCore, show: Show) {
  const then = async (call: Promise<GraphView>): Promise<void> => show(await call);
  return {
    /** An addition (search, paste, expansion) that showed `added`; `after` is the graph it returned. */
    added(label: string, after: GraphView, added: readonly string[]): Step {
      const back = snapshotOf(after, added);
      const ids = back.map((n) => n.id);
      return {
        label,
        undo: () => then(core.removeNodes(ids)),
        redo: () => then(core.restoreNodes(back)),
      };
    },

    /** Nodes moved by hand or by a layout, from `before` to `after`. */
    moved(label: string, before: NodePosition[], after: NodePosition[]): Step {
      const place = async (positions: NodePosition[]) => {
        await core.setPositions(positions);
        show(await core.graph());
      };
      return { label, undo: () => place(before), redo: () => place(after) };
    },

    hidden(ids: readonly string[]): Step {
      const list = [...ids];
      return {
        label: `Hide ${countOf(list.length, "node")}`,
        undo: () => then(core.setHidden(list, false)),
        redo: () => then(core.setHidden(list, true)),
      };
    },

    /** Show hidden: `hidden` were the nodes hidden before. */
    unhidAll(hidden: readonly string[]): Step {
      const list = [...hidden];
      return {
        label: `Show ${countOf(list.length, "hidden node")}`,
        undo: () => then(core.setHidden(list, true)),
        redo: () => then(core.unhideAll()),
      };
    },

    /** A grouping of `members`; `before` is how they were (in which entity, if any). */
    grouped(name: string, category: string, members: readonly string[], before: GraphView): Step {
      const back = snapshotOf(before, members);
      const list = [...members];
      return {
        label: `Group ${countOf(list.length, "node")} as “${name.trim()}”`,
        undo: () => then(core.restoreNodes(back)),
        redo: () => then(core.createEntity(name, category, list)),
      };
    },

    collapsed(entityId: string, collapsed: boolean): Step {
      return {
        label: collapsed ? "Collapse entity" : "Expand entity",
        undo: () => then(core.setEntityCollapsed(entityId, !collapsed)),
        redo: () => then(core.setEntityCollapsed(entityId, collapsed)),
      };
    },

    /** An ungrouping; `before` is the graph with the entity still there. */
    dissolved(entityId: string, before: GraphView): Step {
      const members = before.entities.find((e) => e.id === entityId)?.members ?? [];
      const back = snapshotOf(before, members);
      // Putting the members back may re-create the entity under another number.
      let current = entityId;
      return {
        label: "Ungroup entity",
        undo: async () => {
          const g = await core.restoreNodes(back);
          current = entityOf(g, members[0] ?? "") ?? current;
          show(g);
        },
        redo: () => then(core.dissolveEntity(current)),
      };
    },

    /** A removal of `ids`; `before` is the graph they were still on. */
    removed(ids: readonly string[], before: GraphView): Step {
      const back = snapshotOf(before, ids);
      const list = back.map((n) => n.id);
      return {
        label: `Remove ${countOf(list.length, "node")}`,
        undo: () => then(core.restoreNodes(back)),
        redo: () => then(core.removeNodes(list)),
      };
    },

    /** A note attached to `target`: undo retracts it (it stays in the case, marked retracted);
     * redo attaches the same text again as a new note. */
    noted(note: NoteView): Step {
      let id = note.id;
      return {
        label: "Add note",
        undo: () => then(core.retractNote(id)),
        redo: async () => {
          id = (await core.addNote(note.target, note.text)).id;
          show(await core.graph());
        },
      };
    },
  };
}

export type Steps = ReturnType<typeof stepsFor>;
