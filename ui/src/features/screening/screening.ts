// The screening panel: which addresses of the case carry a label (one row per label, with its
// address, category, label, source, source date and confidence, all as text), the packs screened
// against, and the import of an exchange's records.

import type { CaseScreening, ExchangeImport } from "../../ipc/types";
import { addressNodeId, categoryName, provenance, screeningRows } from "../../model/attribution";
import { countOf } from "../../model/format";
import { byId, make } from "../dom";

export interface ScreeningEvents {
  /** A hit was clicked: select its node. */
  onSelect(nodeId: string): void;
  /** Import an exchange's records from `source`; resolves with the outcome, null when cancelled. */
  onImportRecords(source: string): Promise<ExchangeImport | null>;
}

export interface ScreeningPanel {
  /** Screening is running (the first run installs the built-in pack). */
  busy(text: string): void;
  show(screening: CaseScreening): void;
  error(text: string): void;
}

export function createScreeningPanel(events: ScreeningEvents): ScreeningPanel {
  const status = byId("screening-status", HTMLElement);
  const hits = byId("screening-hits", HTMLOListElement);
  const packs = byId("screening-packs", HTMLDetailsElement);
  const packsSummary = byId("screening-packs-summary", HTMLElement);
  const packsList = byId("screening-packs-list", HTMLUListElement);
  const form = byId("exchange-form", HTMLFormElement);
  const source = byId("exchange-source", HTMLInputElement);
  const importButton = byId("exchange-import", HTMLButtonElement);
  const importStatus = byId("exchange-status", HTMLElement);

  const setStatus = (text: string, mode: "info" | "busy" | "error"): void => {
    status.textContent = text;
    status.dataset.mode = mode;
    status.classList.toggle("is-busy", mode === "busy");
    status.classList.toggle("is-error", mode === "error");
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = source.value.trim();
    if (name === "") {
      importStatus.textContent = "Name the exchange the records come from first.";
      source.focus();
      return;
    }
    importButton.disabled = true;
    importStatus.textContent = `Importing ${name}'s records…`;
    events
      .onImportRecords(name)
      .then((outcome) => {
        if (outcome === null) {
          importStatus.textContent = "Import cancelled.";
          return;
        }
        const rejected = outcome.invalid.map(([line, reason]) => `line ${line}: ${reason}`);
        importStatus.textContent = [
          rejected.length > 0
            ? `Nothing imported from ${name}: ${countOf(rejected.length, "invalid line")}`
            : `${countOf(outcome.rows, "record")} from ${name}, ${outcome.linked} linked to the case (SHA-256 ${outcome.sha256.slice(0, 16)}…)`,
          ...rejected,
        ].join("\n");
      })
      .catch((err: unknown) => {
        importStatus.textContent = `Not imported: ${err instanceof Error ? err.message : String(err)}`;
      })
      .finally(() => {
        importButton.disabled = false;
      });
  });

  return {
    busy: (text) => setStatus(text, "busy"),
    error: (text) => setStatus(text, "error"),
    show(screening) {
      const rows = screeningRows(screening);
      const flagged = new Set(rows.map((r) => r.address)).size;
      setStatus(
        `Screened ${countOf(screening.screened, "address", "addresses")}: ${countOf(flagged, "labelled address", "labelled addresses")}, ${countOf(rows.length, "label")}.`,
        "info",
      );
      hits.replaceChildren(
        ...rows.map((hit) => {
          const item = make("li", `screening-hit category-${hit.category}`);
          item.dataset.testid = "screening-hit";
          item.dataset.address = hit.address;
          const button = make("button", "screening-hit-button");
          button.type = "button";
          button.title = "Select this address on the canvas";
          button.append(
            make("span", "hit-flag", `⚑ ${categoryName(hit.category)} · ${hit.chain}`),
            make("span", "hit-label", hit.label),
            make("span", "hit-address mono", hit.address),
            make("span", "hit-source", provenance(hit)),
          );
          button.addEventListener("click", () => events.onSelect(addressNodeId(hit.address)));
          item.append(button);
          return item;
        }),
      );
      // The pack versions are recorded in the case (and the report); listed here on request.
      packs.hidden = screening.packs.length === 0;
      packsSummary.textContent = `Checked against ${countOf(screening.packs.length, "label pack")}`;
      packsList.replaceChildren(...screening.packs.map((p) => make("li", "mono", `${p.pack_id} ${p.version}`)));
    },
  };
}
