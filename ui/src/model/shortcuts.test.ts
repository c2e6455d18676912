import { describe, expect, it } from "vitest";
import { type KeyPress, SHORTCUTS, type ShortcutAction, type ShortcutHandlers, dispatch, pressOf, shortcutFor } from "./shortcuts";

const press = (key: string, mods: Partial<Omit<KeyPress, "key">> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});
const app = { inTextField: false, onCanvas: false };
const canvas = { inTextField: false, onCanvas: true };
const field = { inTextField: true, onCanvas: false };

describe("shortcuts", () => {
  it("every key the overlay prints runs its own handler, and every handler is in the table", () => {
    const ran: ShortcutAction[] = [];
    const log = (a: ShortcutAction) => () => void ran.push(a);
    // The record's type requires a handler for every action, as the app's own record does.
    const handlers: ShortcutHandlers = {
      undo: log("undo"),
      redo: log("redo"),
      help: log("help"),
      close: log("close"),
      remove: log("remove"),
      fit: log("fit"),
      "zoom-in": log("zoom-in"),
      "zoom-out": log("zoom-out"),
    };
    for (const s of SHORTCUTS) {
      for (const printed of s.keys) {
        ran.length = 0;
        const focus = s.scope === "canvas" ? canvas : app;
        expect(dispatch(pressOf(printed), focus, handlers), `"${printed}" is what the overlay says ${s.action} is`).toBe(s.action);
        expect(ran, `"${printed}" ran exactly the ${s.action} handler`).toEqual([s.action]);
      }
    }
    const inTable = SHORTCUTS.map((s) => s.action).sort();
    expect(inTable, "each action has one row in the overlay").toEqual([...new Set(inTable)]);
    expect(inTable, "every handler is reachable from a row of the overlay").toEqual(Object.keys(handlers).sort());
  });

  it("tells undo from redo by Shift and accepts Ctrl+Y and Cmd", () => {
    expect(shortcutFor(press("z", { ctrlKey: true }), app)?.action, "Ctrl+Z undoes").toBe("undo");
    expect(shortcutFor(press("Z", { ctrlKey: true, shiftKey: true }), app)?.action, "Ctrl+Shift+Z redoes (key arrives upper-case)").toBe("redo");
    expect(shortcutFor(press("y", { ctrlKey: true }), app)?.action, "Ctrl+Y redoes").toBe("redo");
    expect(shortcutFor(press("z", { metaKey: true }), app)?.action, "Cmd+Z undoes on a Mac").toBe("undo");
    expect(shortcutFor(press("z"), app), "a plain z is no shortcut").toBeNull();
    expect(shortcutFor(press("z", { ctrlKey: true, altKey: true }), app), "Ctrl+Alt+Z is not undo").toBeNull();
  });

  it("never fires while typing in a text field", () => {
    for (const e of [press("z", { ctrlKey: true }), press("?", { shiftKey: true }), press("Delete"), press("f")]) {
      expect(shortcutFor(e, field), `${e.key} typed into a field stays text`).toBeNull();
    }
  });

  it("removes nodes only when the canvas has the focus", () => {
    expect(shortcutFor(press("Delete"), app), "Delete on a button removes nothing").toBeNull();
    expect(shortcutFor(press("Delete"), canvas)?.action, "Delete on the canvas removes the selection").toBe("remove");
    expect(shortcutFor(press("Backspace"), canvas)?.action, "so does Backspace").toBe("remove");
  });

  it("opens help with ? whatever Shift the layout needs for it", () => {
    expect(shortcutFor(press("?", { shiftKey: true }), app)?.action, "US layout: Shift+/").toBe("help");
    expect(shortcutFor(press("?"), app)?.action, "a layout with its own ? key").toBe("help");
  });
});
