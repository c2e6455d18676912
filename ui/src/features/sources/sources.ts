// The Sources menu and the offline switch. The open case's Bitcoin source (Esplora, a Bitcoin
// Core node, the simulator: the CLI's `--source` syntax; passwords never typed here) and the
// GraphSense instance (its key from the keyring or config.toml, never shown). Which EVM source `0x…` addresses and
// transactions are fetched through (Etherscan v2 with a chain id, a node's JSON-RPC, or the
// simulator's evm-usdt scenario for demos and classes), typed in the CLI's `--source` syntax;
// the Etherscan key is read from config.toml by the shell and never shown. Offline: one switch
// that makes every fetch cache-only. Fetch progress: the sources' request counts as they arrive.

import type { BtcSourceView, EvmSourceView, FetchProgress, GraphSenseView } from "../../ipc/types";
import { btcSourceLine, graphsenseLine, progressText, sourceLine } from "../../model/sources";
import { byId } from "../dom";

export interface SourcesEvents {
  /** Sets the EVM source ("" clears); resolves with the new state or rejects with the reason. */
  onSetSource(spec: string): Promise<EvmSourceView>;
  /** Turns the offline switch; resolves with the new state. */
  onOffline(offline: boolean): Promise<EvmSourceView>;
  /** Cancel (the expansion bar's button) also stops the EVM and Bitcoin requests under way. */
  onCancel(): Promise<void>;
  /** The open case's Bitcoin source (and wires its requests to the progress line). */
  btcSource(): Promise<BtcSourceView>;
  /** Sets the open case's Bitcoin source; rejects with the reason, the source before staying. */
  onSetBtcSource(spec: string, cookie: string | null): Promise<BtcSourceView>;
  graphsense(): Promise<GraphSenseView>;
  /** Sets the GraphSense base URL ("" clears); rejects with the reason. */
  onSetGraphsense(url: string): Promise<GraphSenseView>;
}

export interface SourcesPanel {
  /** Shows the shell's state (after start or a case change). */
  show(state: EvmSourceView): void;
  /** A `fetch-progress` event. */
  progress(p: FetchProgress): void;
  /** A fetch finished: the progress line goes quiet. */
  idle(): void;
  /** A case was opened: show (and wire) its Bitcoin source. */
  caseOpened(): Promise<void>;
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

  const btcForm = byId("btc-source-form", HTMLFormElement);
  const btcInput = byId("btc-source", HTMLInputElement);
  const btcCookie = byId("btc-cookie", HTMLInputElement);
  const btcState = byId("btc-source-state", HTMLElement);
  const btcError = byId("btc-source-error", HTMLElement);
  const gsForm = byId("graphsense-form", HTMLFormElement);
  const gsInput = byId("graphsense-url", HTMLInputElement);
  const gsState = byId("graphsense-state", HTMLElement);
  const gsError = byId("graphsense-error", HTMLElement);
  const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

  const renderBtc = (b: BtcSourceView): void => {
    btcState.textContent = btcSourceLine(b);
    btcState.dataset.sourceId = b.source_id ?? "";
    btcState.dataset.network = b.network;
    btcState.title = b.keyring_note ?? "";
  };
  const renderGraphsense = (g: GraphSenseView): void => {
    gsState.textContent = graphsenseLine(g);
    gsState.dataset.sourceId = g.source_id ?? "";
  };
  btcForm.addEventListener("submit", (evt) => {
    evt.preventDefault();
    btcError.textContent = "";
    const cookie = btcCookie.value.trim();
    void events
      .onSetBtcSource(btcInput.value.trim(), cookie === "" ? null : cookie)
      .then(renderBtc)
      .catch((err: unknown) => {
        btcError.textContent = messageOf(err);
      });
  });
  gsForm.addEventListener("submit", (evt) => {
    evt.preventDefault();
    gsError.textContent = "";
    void events
      .onSetGraphsense(gsInput.value.trim())
      .then(renderGraphsense)
      .catch((err: unknown) => {
        gsError.textContent = messageOf(err);
      });
  });
  void events.graphsense().then(renderGraphsense, () => undefined);

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
      progressLine.dataset.state = "running";
      progressLine.dataset.sourceId = p.source_id;
      progressLine.textContent = progressText(p);
      progressLine.dataset.done = String(p.done);
      progressLine.dataset.total = p.total === null ? "" : String(p.total);
    },
    idle() {
      progressLine.dataset.state = "idle";
    },
    async caseOpened() {
      btcError.textContent = "";
      try {
        renderBtc(await events.btcSource());
      } catch (err) {
        btcError.textContent = messageOf(err);
      }
    },
    offline: () => current?.offline ?? offline.checked,
  };
}
