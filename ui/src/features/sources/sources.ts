// The Sources menu and the offline switch. Sources: which EVM source `0x…` addresses and
// transactions are fetched through (Etherscan v2 with a chain id, a node's JSON-RPC, or the
// simulator's evm-usdt scenario for demos and classes), typed in the CLI's `--source` syntax;
// the Etherscan key is read from config.toml by the shell and never shown. Offline: one switch
// that makes every fetch cache-only. Fetch progress: the sources' request counts as they arrive.

import type { EvmSourceView, FetchProgress } from "../../ipc/types";
import { progressText, sourceLine } from "../../model/sources";
import { byId } from "../dom";

export interface SourcesEvents {
  /** Sets the EVM source ("" clears); resolves with the new state or rejects with the reason. */
  onSetSource(spec: string): Promise<EvmSourceView>;
  /** Turns the offline switch; resolves with the new state. */
  onOffline(offline: boolean): Promise<EvmSourceView>;
  /** Cancel (the expansion bar's button) also stops the EVM requests under way. */
  onCancel(): Promise<void>;
}

export interface SourcesPanel {
  /** Shows the shell's state (after start or a case change). */
  show(state: EvmSourceView): void;
  /** A `fetch-progress` event. */
  progress(p: FetchProgress): void;
  /** A fetch finished: the progress line goes quiet. */
  idle(): void;
  offline(): boolean;
}

export function createSourcesPanel(events: SourcesEvents): SourcesPanel {
  const toggle = byId("sources-toggle", HTMLButtonElement);
  const panel = byId("sources-panel", HTMLElement);
  const form = byId("evm-source-form", HTMLFormElement);
  const input = byId("evm-source", HTMLInputElement);
  const state = byId("evm-source-state", HTMLElement);
  const error = byId("evm-source-error", HTMLElement);
  const offline = byId("offline", HTMLInputElement);
  const progressLine = byId("fetch-progress", HTMLElement);

  const cancel = byId("expand-cancel", HTMLButtonElement);

  let current: EvmSourceView | null = null;

  cancel.addEventListener("click", () => {
    void events.onCancel().catch((err: unknown) => {
      error.textContent = err instanceof Error ? err.message : String(err);
    });
  });

  const render = (s: EvmSourceView): void => {
    current = s;
    state.textContent = sourceLine(s);
    state.dataset.sourceId = s.source_id ?? "";
    offline.checked = s.offline;
    document.body.dataset.offline = String(s.offline);
  };

  toggle.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) input.focus();
  });

  form.addEventListener("submit", (evt) => {
    evt.preventDefault();
    error.textContent = "";
    void events
      .onSetSource(input.value.trim())
      .then(render)
      .catch((err: unknown) => {
        error.textContent = err instanceof Error ? err.message : String(err);
      });
  });

  offline.addEventListener("change", () => {
    const wanted = offline.checked;
    void events
      .onOffline(wanted)
      .then(render)
      .catch((err: unknown) => {
        offline.checked = !wanted;
        error.textContent = err instanceof Error ? err.message : String(err);
      });
  });

  return {
    show: render,
    progress(p) {
      progressLine.hidden = false;
      progressLine.textContent = progressText(p);
      progressLine.dataset.done = String(p.done);
      progressLine.dataset.total = p.total === null ? "" : String(p.total);
    },
    idle() {
      progressLine.dataset.state = "idle";
    },
    offline: () => current?.offline ?? offline.checked,
  };
}
