// The keyboard help overlay (`?` or the toolbar's "?" button; Escape or Close shuts it): every
// shortcut of the table in model/shortcuts, which the key handler dispatches through, so the list
// is always what the keys do; then the canvas's mouse gestures.

import "./help.css";
import { GESTURES, SHORTCUTS } from "../../model/shortcuts";
import { byId, make } from "../dom";

export interface HelpOverlay {
  open(): void;
  close(): void;
  isOpen(): boolean;
}

function table(caption: string, rows: readonly (readonly [string[], string])[]): HTMLTableElement {
  const t = make("table", "help-table");
  t.append(make("caption", undefined, caption));
  const body = make("tbody");
  for (const [keys, description] of rows) {
    const tr = make("tr");
    const th = make("th");
    th.scope = "row";
    keys.forEach((k, i) => {
      if (i > 0) th.append(" or ");
      th.append(make("kbd", undefined, k));
    });
    tr.append(th, make("td", undefined, description));
    body.append(tr);
  }
  t.append(body);
  return t;
}

export function createHelpOverlay(): HelpOverlay {
  const button = byId("help", HTMLButtonElement);
  const overlay = make("div", "help-overlay");
  overlay.hidden = true;
  overlay.dataset.testid = "help-overlay";
  const dialog = make("section", "help-dialog");
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-modal", "true");
  dialog.setAttribute("aria-labelledby", "help-title");
  dialog.tabIndex = -1;
  const title = make("h2", undefined, "Keyboard shortcuts");
  title.id = "help-title";
  const close = make("button", undefined, "Close");
  close.type = "button";
  close.dataset.testid = "help-close";
  const head = make("header", "help-head");
  head.append(title, close);
  dialog.append(
    head,
    table(
      "Keys (not while typing in a field)",
      SHORTCUTS.map((s) => [[...s.keys], s.scope === "canvas" ? `${s.description} — on the canvas` : s.description] as const),
    ),
    table(
      "Mouse",
      GESTURES.map((g) => [[g.gesture], g.description] as const),
    ),
  );
  overlay.append(dialog);
  document.body.append(overlay);

  let returnFocus: HTMLElement | null = null;
  const api: HelpOverlay = {
    open() {
      if (!overlay.hidden) return;
      returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      overlay.hidden = false;
      button.setAttribute("aria-expanded", "true");
      dialog.focus();
    },
    close() {
      if (overlay.hidden) return;
      overlay.hidden = true;
      button.setAttribute("aria-expanded", "false");
      returnFocus?.focus();
    },
    isOpen: () => !overlay.hidden,
  };
  button.addEventListener("click", () => (api.isOpen() ? api.close() : api.open()));
  close.addEventListener("click", () => api.close());
  // A click on the dimmed backdrop (not the dialog) closes it too.
  overlay.addEventListener("click", (e) => {
    if (e.target === overlay) api.close();
  });
  return api;
}
