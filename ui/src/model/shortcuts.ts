// The app's keyboard shortcuts, in one table: the help overlay (`?`) lists it and the one key
// handler dispatches through it, so what the overlay says cannot drift from what the keys do.
// Pure: an event is matched by its `key` and modifier flags only.

/** What a shortcut does; the app supplies one handler per action (`ShortcutHandlers`). */
export type ShortcutAction =
  | "undo"
  | "redo"
  | "help"
  | "close"
  | "remove"
  | "fit"
  | "zoom-in"
  | "zoom-out";

/** The parts of a KeyboardEvent a shortcut is matched on. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** Where the focus must be for a shortcut to act: anywhere but a text field, or on the canvas. */
export type ShortcutScope = "app" | "canvas";

interface Combo {
  /** `KeyboardEvent.key`, compared without case for letters. */
  readonly key: string;
  /** Ctrl (or Cmd on a Mac). */
  readonly mod: boolean;
  /** Shift must be down (true), up (false), or either (undefined: for keys like `?` and `+`
   * whose character already depends on Shift). */
  readonly shift?: boolean;
}

export interface Shortcut {
  readonly action: ShortcutAction;
  /** What the overlay prints, one entry per key combination: "Ctrl+Shift+Z". */
  readonly keys: readonly string[];
  readonly description: string;
  readonly scope: ShortcutScope;
  readonly combos: readonly Combo[];
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    action: "undo",
    keys: ["Ctrl+Z"],
    description: "Undo the last canvas action",
    scope: "app",
    combos: [{ key: "z", mod: true, shift: false }],
  },
  {
    action: "redo",
    keys: ["Ctrl+Shift+Z", "Ctrl+Y"],
    description: "Redo the last undone action",
    scope: "app",
    combos: [
      { key: "z", mod: true, shift: true },
      { key: "y", mod: true, shift: false },
    ],
  },
  {
    action: "remove",
    keys: ["Delete", "Backspace"],
    description: "Remove the selected nodes from the canvas (their data stays in the case)",
    scope: "canvas",
    combos: [
      { key: "Delete", mod: false },
      { key: "Backspace", mod: false },
    ],
  },
  {
    action: "fit",
    keys: ["F"],
    description: "Fit the whole graph in view",
    scope: "app",
    combos: [{ key: "f", mod: false, shift: false }],
  },
  {
    action: "zoom-in",
    keys: ["+"],
    description: "Zoom in",
    scope: "app",
    combos: [
      { key: "+", mod: false },
      { key: "=", mod: false },
    ],
  },
  {
    action: "zoom-out",
    keys: ["-"],
    description: "Zoom out",
    scope: "app",
    combos: [{ key: "-", mod: false }],
  },
  {
    action: "help",
    keys: ["?"],
    description: "Show this list of shortcuts",
    scope: "app",
    combos: [{ key: "?", mod: false }],
  },
  {
    action: "close",
    keys: ["Escape"],
    description: "Close this list (and other open panels)",
    scope: "app",
    combos: [{ key: "Escape", mod: false }],
  },
];

/** Mouse gestures, listed in the overlay beside the keys; the canvas handles them itself. */
export const GESTURES: readonly { readonly gesture: string; readonly description: string }[] = [
  { gesture: "Double-click a node", description: "Expand it one hop" },
  { gesture: "Drag a node", description: "Move it (the position is saved in the case)" },
  { gesture: "Shift- or Ctrl-click", description: "Add a node to the selection" },
  { gesture: "Shift-drag on the background", description: "Select the nodes in a box" },
  { gesture: "Mouse wheel", description: "Zoom" },
];

/** Every action must have a handler: the app cannot install a table entry that does nothing. */
export type ShortcutHandlers = Readonly<Record<ShortcutAction, () => void>>;

function matches(combo: Combo, e: KeyPress): boolean {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (key !== combo.key) return false;
  if ((e.ctrlKey || e.metaKey) !== combo.mod || e.altKey) return false;
  return combo.shift === undefined || combo.shift === e.shiftKey;
}

/** Where the key press happened, as far as shortcuts care. */
export interface Focus {
  /** In a text input, textarea, select or editable element: typing there is never a shortcut. */
  readonly inTextField: boolean;
  /** On the canvas (its container has the focus). */
  readonly onCanvas: boolean;
}

/** The shortcut a key press asks for, or null (no match, or the focus is where it does not act). */
export function shortcutFor(e: KeyPress, focus: Focus): Shortcut | null {
  if (focus.inTextField) return null;
  for (const s of SHORTCUTS) {
    if (s.scope === "canvas" && !focus.onCanvas) continue;
    if (s.combos.some((c) => matches(c, e))) return s;
  }
  return null;
}

/** Runs the handler of the shortcut a key press asks for; returns its action, or null. */
export function dispatch(e: KeyPress, focus: Focus, handlers: ShortcutHandlers): ShortcutAction | null {
  const s = shortcutFor(e, focus);
  if (s === null) return null;
  handlers[s.action]();
  return s.action;
}

/** The key press an overlay entry such as "Ctrl+Shift+Z" or "+" stands for. */
export function pressOf(printed: string): KeyPress {
  const parts = printed === "+" ? ["+"] : printed.split("+");
  const key = parts[parts.length - 1] ?? "";
  return {
    key: key.length === 1 ? key.toLowerCase() : key,
    ctrlKey: parts.includes("Ctrl"),
    metaKey: false,
    shiftKey: parts.includes("Shift"),
    altKey: false,
  };
}
