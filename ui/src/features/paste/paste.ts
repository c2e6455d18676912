// The bulk-add panel under the search box: paste many addresses or txids, one per line. The core
// adds each good line and reports each bad one with its line number; the panel lists those and
// keeps the text, so the investigator can fix the bad lines and add again.

import type { PasteOutcome } from "../../ipc/types";
import { MAX_PASTE_LINES, pasteSummary, pastedLines, rejectedText } from "../../model/paste";
import { countOf } from "../../model/format";
import { byId, make } from "../dom";

export interface PasteEvents {
  /** Adds the pasted text; rejects with the error when the paste was refused whole. */
  onAddMany(text: string): Promise<PasteOutcome>;
}

export interface PastePanel {
  setEnabled(enabled: boolean): void;
}

export function createPastePanel(events: PasteEvents): PastePanel {
  const open = byId("bulk-open", HTMLButtonElement);
  const panel = byId("bulk-panel", HTMLElement);
  const text = byId("bulk-paste", HTMLTextAreaElement);
  const add = byId("bulk-add", HTMLButtonElement);
  const close = byId("bulk-close", HTMLButtonElement);
  const count = byId("bulk-count", HTMLElement);
  const summary = byId("bulk-summary", HTMLElement);
  const result = byId("bulk-result", HTMLOListElement);

  const setOpen = (shown: boolean): void => {
    panel.hidden = !shown;
    open.setAttribute("aria-expanded", String(shown));
    if (shown) text.focus();
  };
  const recount = (): void => {
    const n = pastedLines(text.value);
    count.textContent = n > MAX_PASTE_LINES ? `${n} lines: at most ${MAX_PASTE_LINES}` : countOf(n, "line");
    count.classList.toggle("is-error", n > MAX_PASTE_LINES);
  };
  open.addEventListener("click", () => setOpen(panel.hidden));
  close.addEventListener("click", () => setOpen(false));
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") setOpen(false);
  });
  text.addEventListener("input", recount);

  add.addEventListener("click", () => {
    const n = pastedLines(text.value);
    result.replaceChildren();
    if (n === 0) {
      summary.className = "bulk-summary error";
      summary.textContent = "Paste addresses or transaction ids, one per line.";
      return;
    }
    add.disabled = true;
    summary.className = "bulk-summary muted";
    summary.dataset.state = "busy";
    summary.textContent = `Adding ${countOf(n, "line")}…`;
    events
      .onAddMany(text.value)
      .then((outcome) => {
        summary.dataset.state = "done";
        summary.className = outcome.rejected.length > 0 ? "bulk-summary warn" : "bulk-summary";
        summary.textContent = pasteSummary(outcome);
        result.replaceChildren(
          ...outcome.rejected.map((r) => {
            const item = make("li", "bulk-error", rejectedText(r));
            item.dataset.testid = "bulk-error";
            item.dataset.line = String(r.line);
            return item;
          }),
        );
        // Keep only the refused lines in the box, so they can be fixed and added again.
        if (outcome.rejected.length === 0) text.value = "";
        else text.value = outcome.rejected.map((r) => r.input).join("\n");
        recount();
      })
      .catch((err: unknown) => {
        summary.dataset.state = "error";
        summary.className = "bulk-summary error";
        summary.textContent = `Nothing added: ${err instanceof Error ? err.message : String(err)}`;
      })
      .finally(() => {
        add.disabled = false;
      });
  });

  return {
    setEnabled(enabled) {
      add.disabled = !enabled;
      open.disabled = !enabled;
    },
  };
}
