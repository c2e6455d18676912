// The workbench's header: the case, and the actions on the selection and the case.

import type { CaseInfo } from "../../ipc/types";
import { formatIsoUtc } from "../../model/format";
import { chainName } from "../../model/newCase";
import { byId } from "../dom";

export interface ToolbarEvents {
  onExpand(): void;
  onFit(): void;
  onExport(): void;
}

export interface Toolbar {
  showCase(info: CaseInfo): void;
  /** Expand needs a selected node. */
  setCanExpand(can: boolean): void;
  setBusy(busy: boolean): void;
  showLastExport(path: string): void;
}

export function createToolbar(events: ToolbarEvents): Toolbar {
  const title = byId("case-title", HTMLElement);
  const sub = byId("case-sub", HTMLElement);
  const expand = byId("expand", HTMLButtonElement);
  const fit = byId("fit", HTMLButtonElement);
  const exportReport = byId("export-report", HTMLButtonElement);
  const lastExport = byId("last-export", HTMLElement);
  const banner = byId("synthetic-banner", HTMLElement);

  let canExpand = false;
  let busy = false;
  const refresh = (): void => {
    expand.disabled = busy || !canExpand;
    exportReport.disabled = busy;
  };

  // The legend panel: shown and hidden from the toolbar, Escape closes it.
  const legendToggle = byId("legend-toggle", HTMLButtonElement);
  const legend = byId("legend", HTMLElement);
  const showLegend = (shown: boolean): void => {
    legend.hidden = !shown;
    legendToggle.setAttribute("aria-expanded", String(shown));
  };
  legendToggle.addEventListener("click", () => showLegend(legend.hidden));
  legend.addEventListener("keydown", (e) => {
    if (e.key === "Escape") showLegend(false);
  });

  expand.addEventListener("click", () => events.onExpand());
  fit.addEventListener("click", () => events.onFit());
  exportReport.addEventListener("click", () => events.onExport());

  return {
    showCase(info) {
      title.textContent = info.title;
      title.title = info.path;
      const source = info.source === null ? "offline (case data only)" : `source ${info.source}`;
      sub.textContent = `${info.investigator} · ${info.agency} · ${chainName(info.chain)} · ${source} · created ${formatIsoUtc(info.created_utc)}`;
      banner.hidden = !info.synthetic;
      document.title = `${info.title} – Tracebench`;
    },
    setCanExpand(can) {
      canExpand = can;
      refresh();
    },
    setBusy(value) {
      busy = value;
      refresh();
    },
    showLastExport(path) {
      lastExport.textContent = path;
      lastExport.title = path;
    },
  };
}
