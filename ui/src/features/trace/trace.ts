// The trace panel: where traced funds went (or came from) under a taint model, read from the
// case only. The start follows the selection until the investigator edits it; the result is
// listed here (nearest hop first) and drawn on the canvas by the app.

import type { EvmTraceView, TaintModel, Trace } from "../../ipc/types";
import { formatBtc } from "../../model/attribution";
import { countOf, middleEllipsis } from "../../model/format";
import { evmTraceStatus, isEvmTraceStart } from "../../model/evmTrace";
import { conservationLine } from "../../model/trace";
import { byId, make } from "../dom";

export interface TraceEvents {
  onRun(start: string, model: TaintModel, hops: number, backward: boolean): Promise<Trace>;
  /** A trace result arrived (or null: cleared). */
  onResult(trace: Trace | null): void;
  onFocus(id: string): boolean;
  /** An EVM start (`0x…`, `eth:addr:…`, `eip155:…`): the account-model trace. */
  onRunEvm(start: string, model: TaintModel, hops: number, backward: boolean): Promise<EvmTraceView>;
  /** An EVM trace result arrived. */
  onEvmResult(trace: EvmTraceView): void;
}

export interface TracePanel {
  /** The selection changed: its start, unless the investigator typed one. */
  suggest(start: string | null): void;
  /** The case changed: a shown trace is stale. */
  reset(): void;
}

const MODELS: readonly string[] = ["poison", "haircut", "fifo"];

export function createTracePanel(events: TraceEvents): TracePanel {
  const form = byId("trace-form", HTMLFormElement);
  const start = byId("trace-start", HTMLInputElement);
  const model = byId("trace-model", HTMLSelectElement);
  const direction = byId("trace-direction", HTMLSelectElement);
  const hops = byId("trace-hops", HTMLInputElement);
  const run = byId("trace-run", HTMLButtonElement);
  const clearButton = byId("trace-clear", HTMLButtonElement);
  const status = byId("trace-status", HTMLElement);
  const results = byId("trace-results", HTMLOListElement);

  let typed = false;
  let runs = 0;
  start.addEventListener("input", () => {
    typed = start.value.trim() !== "";
  });

  const clear = (): void => {
    runs++;
    results.replaceChildren();
    status.textContent = "";
    status.className = "trace-status muted";
    delete status.dataset.state;
    clearButton.disabled = true;
    events.onResult(null);
  };
  clearButton.addEventListener("click", clear);

  const show = (t: Trace): void => {
    const reached = t.addresses.filter((a) => a.tainted > 0);
    status.className = "trace-status";
    status.dataset.state = "done";
    status.textContent = `${t.model} · ${t.direction} · up to ${countOf(t.max_hops, "hop")} · ${countOf(reached.length, "address", "addresses")} reached. ${conservationLine(t.conservation)}`;
    const sorted = [...reached].sort((a, b) => a.hop - b.hop || b.tainted - a.tainted || (a.address < b.address ? -1 : 1));
    results.replaceChildren(
      ...sorted.map((a) => {
        const item = make("li");
        const link = make("button", "link mono", middleEllipsis(a.address, 8));
        link.type = "button";
        link.title = a.address;
        link.addEventListener("click", () => {
          if (!events.onFocus(`btc:addr:${a.address}`)) link.title = `${a.address} (not on the canvas)`;
        });
        item.append(make("span", "trace-hop", `hop ${a.hop}`), link, make("span", "num mono", formatBtc(a.tainted)));
        return item;
      }),
    );
    clearButton.disabled = false;
  };

  const showEvm = (t: EvmTraceView): void => {
    status.className = "trace-status";
    status.dataset.state = "done";
    status.textContent = evmTraceStatus(t);
    results.replaceChildren(
      ...t.assets.flatMap((asset) =>
        asset.addresses
          .filter((a) => a.received !== "0")
          .map((a) => {
            const item = make("li");
            item.dataset.nodeId = a.node_id;
            item.dataset.asset = asset.asset;
            item.dataset.received = a.received;
            const link = make("button", "link mono", middleEllipsis(a.address, 8));
            link.type = "button";
            link.title = a.address;
            link.addEventListener("click", () => {
              if (!events.onFocus(a.node_id)) link.title = `${a.address} (not on the canvas)`;
            });
            item.append(make("span", "trace-hop", `hop ${a.hop}`), link, make("span", "num mono", a.received_text));
            return item;
          }),
      ),
    );
    clearButton.disabled = false;
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const from = start.value.trim();
    const n = Math.trunc(Number(hops.value));
    if (from === "") {
      status.className = "trace-status error";
      status.dataset.state = "error";
      status.textContent = "Select a node or type an address or <txid>:<vout> to trace from.";
      return;
    }
    if (!Number.isFinite(n) || n < 1 || n > 50) {
      status.className = "trace-status error";
      status.dataset.state = "error";
      status.textContent = "Hops must be a whole number from 1 to 50.";
      return;
    }
    const chosen = MODELS.includes(model.value) ? (model.value as TaintModel) : "haircut";
    const mine = ++runs;
    run.disabled = true;
    status.className = "trace-status muted";
    status.dataset.state = "busy";
    status.textContent = `Tracing from ${middleEllipsis(from, 10)}…`;
    const backward = direction.value === "backward";
    const running: Promise<void> = isEvmTraceStart(from)
      ? events.onRunEvm(from, chosen, n, backward).then((t) => {
          if (mine !== runs) return;
          showEvm(t);
          events.onEvmResult(t);
        })
      : events.onRun(from, chosen, n, backward).then((t) => {
          if (mine !== runs) return;
          show(t);
          events.onResult(t);
        });
    running
      .catch((err: unknown) => {
        if (mine !== runs) return;
        status.className = "trace-status error";
        status.dataset.state = "error";
        status.textContent = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        run.disabled = false;
      });
  });

  return {
    suggest(next) {
      if (!typed || start.value.trim() === "") {
        start.value = next ?? "";
        typed = false;
      }
    },
    reset() {
      if (!clearButton.disabled) clear();
    },
  };
}
