// The canvas's export menu (View ▾ in the toolbar): a PNG or SVG picture of the current view,
// and the visible transfers as CSV. The app draws the picture (canvas viewport) or names the visible nodes and
// hands the work to the shell, which writes the file and audits it with its SHA-256; this
// module only wires the buttons and says what happened.

import { byId } from "../dom";

export type ViewExportKind = "png" | "svg" | "csv";

export interface ViewExportEvents {
  /** Writes the export; resolves with the path, or null when the save dialog was cancelled. */
  onExport(kind: ViewExportKind): Promise<string | null>;
  onDone(kind: ViewExportKind, path: string | null): void;
  onError(kind: ViewExportKind, message: string): void;
}

export interface ViewExportTools {
  setEnabled(enabled: boolean): void;
}

const LABEL: Record<ViewExportKind, string> = {
  png: "PNG picture of the view",
  svg: "SVG picture of the view",
  csv: "CSV of the visible transfers",
};

export function exportLabel(kind: ViewExportKind): string {
  return LABEL[kind];
}

export function createViewExportTools(events: ViewExportEvents): ViewExportTools {
  const buttons: Record<ViewExportKind, HTMLButtonElement> = {
    png: byId("export-png", HTMLButtonElement),
    svg: byId("export-svg", HTMLButtonElement),
    csv: byId("export-csv", HTMLButtonElement),
  };
  const toggle = byId("export-view", HTMLButtonElement);
  const menu = byId("export-view-menu", HTMLElement);
  const showMenu = (shown: boolean): void => {
    menu.hidden = !shown;
    toggle.setAttribute("aria-expanded", String(shown));
  };
  toggle.addEventListener("click", () => showMenu(menu.hidden));
  menu.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      showMenu(false);
      toggle.focus();
    }
  });
  document.addEventListener("click", (e) => {
    if (!menu.hidden && e.target instanceof Node && !menu.contains(e.target) && !toggle.contains(e.target)) showMenu(false);
  });
  let running = false;
  let enabled = true;
  const refresh = (): void => {
    for (const b of Object.values(buttons)) b.disabled = running || !enabled;
    toggle.disabled = !enabled;
  };
  for (const [kind, button] of Object.entries(buttons) as [ViewExportKind, HTMLButtonElement][]) {
    button.addEventListener("click", () => {
      if (running) return;
      running = true;
      showMenu(false);
      refresh();
      events
        .onExport(kind)
        .then((path) => events.onDone(kind, path))
        .catch((err: unknown) => events.onError(kind, err instanceof Error ? err.message : String(err)))
        .finally(() => {
          running = false;
          refresh();
        });
    });
  }
  return {
    setEnabled(value) {
      enabled = value;
      refresh();
    },
  };
}
