// The Case ▾ menu of the toolbar: "Export bundle…" writes the open case as one .tbbundle (the
// shell picks the file with the save dialog, or TRACEBENCH_EXPORT_DIR under the test contract)
// and shows its path, size, SHA-256 and the audit head printed on it; "Import bundle…" has the
// shell verify a bundle completely and write its case, then opens that case through the app's
// usual open path (which puts it on the recent-cases list). A refused bundle shows the core's
// message, which names the damaged entry; nothing was written then.
//
// In test mode (TRACEBENCH_TEST=1) an input with test id `bundle-import-path` takes the bundle's
// path instead of the open dialog; the shell accepts an explicit path only in that mode.

import "./bundle.css";
import { type BundleAction, type BundleReceipt, receiptLines, receiptSummary } from "../../model/bundle";
import { make } from "../dom";

export interface BundleMenuEvents {
  /** Resolves with what was written, or null when the save dialog was cancelled. */
  exportBundle(): Promise<BundleReceipt | null>;
  /** Verifies and writes; null when a dialog was cancelled. `path` only in test mode. */
  importBundle(path: string | null): Promise<BundleReceipt | null>;
  /** Opens the imported case file as any case is opened. */
  openCase(path: string): Promise<void>;
  info(text: string): void;
  error(text: string): void;
}

export interface BundleMenu {
  setEnabled(enabled: boolean): void;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Builds the menu inside `root` (an empty element of the toolbar). */
export function createBundleMenu(root: HTMLElement, events: BundleMenuEvents, testMode: boolean): BundleMenu {
  const toggle = make("button", undefined, "Case ▾");
  toggle.type = "button";
  toggle.id = "case-menu-toggle";
  toggle.dataset.testid = "case-menu";
  toggle.title = "Case bundles: carry the whole case to another machine, verified";
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", "case-menu");

  const menu = make("div", "view-export-menu bundle-menu");
  menu.id = "case-menu";
  menu.setAttribute("role", "group");
  menu.setAttribute("aria-label", "Case");
  menu.hidden = true;

  const exportButton = make("button", undefined, "Export bundle…");
  exportButton.type = "button";
  exportButton.dataset.testid = "bundle-export";
  exportButton.title = "Write the open case, every raw response and their hashes into one .tbbundle file";
  const importButton = make("button", undefined, "Import bundle…");
  importButton.type = "button";
  importButton.dataset.testid = "bundle-import";
  importButton.title = "Verify a .tbbundle completely, save its case and open it";

  const pathInput = make("input", "bundle-path mono");
  pathInput.type = "text";
  pathInput.spellcheck = false;
  pathInput.dataset.testid = "bundle-import-path";
  pathInput.setAttribute("aria-label", "Bundle to import (test mode)");
  pathInput.placeholder = "/path/to/case.tbbundle (test mode)";
  pathInput.hidden = !testMode;

  const error = make("p", "error bundle-error");
  error.dataset.testid = "bundle-error";
  error.setAttribute("role", "alert");
  const result = make("dl", "bundle-result");
  result.dataset.testid = "bundle-result";
  result.dataset.state = "idle";
  result.hidden = true;

  menu.append(exportButton, importButton, pathInput, error, result);
  root.append(toggle, menu);

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
    if (!menu.hidden && e.target instanceof Node && !root.contains(e.target)) showMenu(false);
  });

  let running = false;
  let enabled = true;
  const refresh = (): void => {
    exportButton.disabled = running || !enabled;
    importButton.disabled = running || !enabled;
  };

  const showReceipt = (r: BundleReceipt, action: BundleAction): void => {
    result.replaceChildren(
      ...receiptLines(r, action).flatMap((line) => {
        const dd = make("dd", "mono", line.value);
        dd.dataset.key = line.key;
        return [make("dt", undefined, line.term), dd];
      }),
    );
    result.dataset.action = action;
    result.dataset.path = action === "export" ? r.bundle : r.case_path;
    result.dataset.sha256 = r.sha256;
    result.dataset.bytes = String(r.bytes);
    result.dataset.auditHead = r.audit_head ?? "";
    result.hidden = false;
  };

  /** Runs one menu action; the result box and the error line say how it went. */
  const run = async (action: BundleAction, work: () => Promise<void>): Promise<void> => {
    if (running) return;
    running = true;
    refresh();
    error.textContent = "";
    result.dataset.state = "busy";
    try {
      await work();
    } catch (err) {
      result.dataset.state = "error";
      const verb = action === "export" ? "Bundle not exported" : "Bundle not imported";
      error.textContent = `${verb}: ${messageOf(err)}`;
      events.error(error.textContent);
    } finally {
      running = false;
      refresh();
    }
  };

  exportButton.addEventListener("click", () => {
    void run("export", async () => {
      const receipt = await events.exportBundle();
      if (receipt === null) {
        result.dataset.state = "cancelled";
        events.info("Bundle export cancelled.");
        return;
      }
      showReceipt(receipt, "export");
      result.dataset.state = "exported";
      events.info(receiptSummary(receipt, "export"));
    });
  });

  importButton.addEventListener("click", () => {
    void run("import", async () => {
      const typed = pathInput.value.trim();
      const receipt = await events.importBundle(testMode && typed !== "" ? typed : null);
      if (receipt === null) {
        result.dataset.state = "cancelled";
        events.info("Bundle import cancelled.");
        return;
      }
      showReceipt(receipt, "import");
      result.dataset.state = "imported";
      events.info(receiptSummary(receipt, "import"));
      await events.openCase(receipt.case_path);
      result.dataset.state = "opened";
    });
  });

  return {
    setEnabled(value) {
      enabled = value;
      refresh();
    },
  };
}
