// The details panel: the selected node or transfer, its flows and its analyst notes; for an
// address also its attributions (labels and exchange records, each with its source, styled apart
// from facts and notes) and its exposure by category. Everything from the case or a label store
// (labels, notes, records) is written as text: it is data, never markup.

import type { ExchangeRecordView, Exposure, Hit, NoteView } from "../../ipc/types";
import { categoryName, exposureLine, formatBtc, hopsText, provenance } from "../../model/attribution";
import { countOf, formatIsoUtc, formatUnixUtc, middleEllipsis } from "../../model/format";
import { parseNodeId } from "../../model/ids";
import type { Selection, Transfer } from "../../model/investigation";
import { balanceFacts, fiatFact } from "../../model/readings";
import { byId, make } from "../dom";

export interface DetailsEvents {
  /** Saves a note on a node or an edge (by id); resolves with an error message to show, or null on success. */
  onAddNote(nodeId: string, text: string): Promise<string | null>;
  /** A counterpart in a flow list was clicked. */
  onFocus(id: string): void;
  /** Computes an address's exposure by category. */
  onExposure(address: string, hops: number, incoming: boolean): Promise<Exposure>;
}

/** What third parties say about the selected address. */
export interface Attribution {
  hits: readonly Hit[];
  records: readonly ExchangeRecordView[];
}

export interface DetailsPanel {
  show(selection: Selection | null, attribution?: Attribution): void;
}

const KIND_NAMES = { address: "Address", transaction: "Transaction" } as const;

export function createDetailsPanel(events: DetailsEvents): DetailsPanel {
  const empty = byId("details-empty", HTMLElement);
  const body = byId("details-body", HTMLElement);
  const kind = byId("details-kind", HTMLElement);
  const label = byId("details-label", HTMLElement);
  const flag = byId("details-flag", HTMLElement);
  const facts = byId("details-facts", HTMLElement);
  const flows = byId("details-flows", HTMLElement);
  const notesSection = byId("notes-section", HTMLElement);
  const notes = byId("notes", HTMLOListElement);
  const noteInput = byId("node-note", HTMLTextAreaElement);
  const noteAdd = byId("note-add", HTMLButtonElement);
  const attributionSection = byId("attribution-section", HTMLElement);
  const attributions = byId("attributions", HTMLUListElement);
  const exposureSection = byId("exposure-section", HTMLElement);
  const exposureForm = byId("exposure-form", HTMLFormElement);
  const exposureDirection = byId("exposure-direction", HTMLSelectElement);
  const exposureHops = byId("exposure-hops", HTMLInputElement);
  const exposureRun = byId("exposure-run", HTMLButtonElement);
  const exposureOut = byId("exposure", HTMLElement);
  const copyId = byId("copy-id", HTMLButtonElement);

  let nodeId: string | null = null;
  let address: string | null = null;

  const showExposure = (x: Exposure): void => {
    const dir = x.direction.toLowerCase().startsWith("in") ? "Incoming" : "Outgoing";
    const decay = x.decay_percent === null ? "no decay" : `decay ${x.decay_percent} % per hop`;
    const head = make(
      "p",
      "exposure-head",
      `${dir} exposure within ${hopsText(x.hops)} · ${x.model} · ${decay} · total ${formatBtc(x.total_sat)}`,
    );
    if (x.categories.length === 0) {
      exposureOut.replaceChildren(head, make("p", "muted", `No labelled address within ${hopsText(x.hops)}.`));
      return;
    }
    const list = make("ul", "exposure-rows");
    for (const c of x.categories) {
      const item = make("li");
      item.dataset.category = c.category;
      item.append(make("div", "exposure-line", exposureLine(c)));
      if (c.via.length > 0) item.append(make("div", "exposure-via mono", `via ${c.via.join(", ")}`));
      list.append(item);
    }
    exposureOut.replaceChildren(head, list);
  };

  exposureForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (address === null) return;
    const hops = Math.max(1, Math.min(10, Math.trunc(Number(exposureHops.value)) || 1));
    const asked = address;
    exposureRun.disabled = true;
    exposureOut.hidden = false;
    exposureOut.dataset.state = "busy";
    exposureOut.replaceChildren(make("p", "muted", `Tracing ${hopsText(hops)} from ${middleEllipsis(asked)}…`));
    events
      .onExposure(asked, hops, exposureDirection.value === "incoming")
      .then((x) => {
        if (address !== asked) return;
        exposureOut.dataset.state = "done";
        showExposure(x);
      })
      .catch((err: unknown) => {
        if (address !== asked) return;
        exposureOut.dataset.state = "error";
        exposureOut.replaceChildren(
          make("p", "error", `Exposure not computed: ${err instanceof Error ? err.message : String(err)}`),
        );
      })
      .finally(() => {
        exposureRun.disabled = false;
      });
  });

  const showAttributions = (attribution: Attribution | undefined): void => {
    const hits = attribution?.hits ?? [];
    const records = attribution?.records ?? [];
    attributionSection.hidden = hits.length === 0 && records.length === 0;
    attributions.replaceChildren(
      ...hits.map((hit) => {
        const item = make("li", `attribution category-${hit.category}`);
        item.dataset.testid = "attribution";
        item.append(
          make("div", "attribution-what", `⚑ ${categoryName(hit.category)}: ${hit.label}`),
          make("div", "attribution-source", `says ${provenance(hit)} · chain ${hit.chain}`),
        );
        return item;
      }),
      ...records.map((r) => {
        const item = make("li", "attribution exchange-record");
        item.dataset.testid = "exchange-record";
        item.append(
          make("div", "attribution-what", `${r.direction} ${formatBtc(r.amount_sat)} · account ${r.account_id}`),
          make("div", "attribution-source", `says ${r.source} (exchange records) · ${formatIsoUtc(r.time_utc)}`),
          make("div", "attribution-tx mono", `tx ${r.txid}${r.on_chain ? "" : " (not in the case)"}`),
        );
        return item;
      }),
    );
  };

  // The full id to the clipboard; WebKit without clipboard permission falls back to a selection
  // copy. `data-copied` tells the investigator (and the tests) that it worked.
  copyId.addEventListener("click", () => {
    const text = label.textContent ?? "";
    if (text === "") return;
    const done = (ok: boolean): void => {
      copyId.dataset.copied = ok ? text : "";
      copyId.textContent = ok ? "Copied" : "Copy failed";
      window.setTimeout(() => {
        copyId.textContent = "Copy";
      }, 1500);
    };
    const fallback = (): boolean => {
      const range = document.createRange();
      range.selectNodeContents(label);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      // execCommand is deprecated but it is WebKitGTK's only copy without a permission prompt.
      const ok = document.execCommand("copy");
      sel?.removeAllRanges();
      return ok;
    };
    if (navigator.clipboard !== undefined) {
      // WebKitGTK may leave the clipboard promise pending (no focus, no permission answer):
      // after a second the selection copy answers instead, so the button always reports.
      let settled = false;
      const settle = (ok: () => boolean): void => {
        if (settled) return;
        settled = true;
        done(ok());
      };
      const timer = window.setTimeout(() => settle(fallback), 1000);
      navigator.clipboard.writeText(text).then(
        () => {
          window.clearTimeout(timer);
          settle(() => true);
        },
        () => {
          window.clearTimeout(timer);
          settle(fallback);
        },
      );
    } else {
      done(fallback());
    }
  });

  noteAdd.addEventListener("click", () => {
    const text = noteInput.value.trim();
    if (nodeId === null || text === "") return;
    noteAdd.disabled = true;
    void events
      .onAddNote(nodeId, noteInput.value)
      .then((message) => {
        if (message === null) noteInput.value = "";
      })
      .finally(() => {
        noteAdd.disabled = false;
      });
  });

  const fact = (term: string, value: string, mono = false): HTMLElement => {
    const dd = make("dd", mono ? "mono" : undefined, value);
    facts.append(make("dt", undefined, term), dd);
    return dd;
  };

  const flowList = (title: string, transfers: readonly Transfer[], direction: "from" | "to"): void => {
    if (transfers.length === 0) return;
    flows.append(make("h3", undefined, `${title} (${transfers.length})`));
    const list = make("ul", "flows");
    for (const t of transfers) {
      const other = direction === "from" ? t.edge.source : t.edge.target;
      const item = make("li");
      const party = make("button", "flow-party link", t.counterpart?.short ?? middleEllipsis(other));
      party.type = "button";
      party.title = `${direction} ${t.counterpart?.label ?? other} · ${formatUnixUtc(t.edge.time)}`;
      party.addEventListener("click", () => events.onFocus(other));
      item.append(party, make("span", "flow-amount", t.edge.amount));
      list.append(item);
    }
    flows.append(list);
  };

  const showNotes = (list: readonly NoteView[]): void => {
    notes.replaceChildren(
      ...list.map((note) => {
        const item = make("li");
        const text = make("div", "note-text", note.text);
        text.dataset.testid = "note-text";
        item.append(text, make("div", "note-time", formatIsoUtc(note.created_at)));
        return item;
      }),
    );
  };

  return {
    show(selection, attribution) {
      empty.hidden = selection !== null;
      body.hidden = selection === null;
      // A refresh of the same selection keeps the copy result; another selection clears it.
      const shownId = selection === null ? null : selection.kind === "node" ? selection.node.id : selection.edge.id;
      if (shownId !== nodeId) delete copyId.dataset.copied;
      facts.replaceChildren();
      flows.replaceChildren();
      flag.hidden = true;
      const ref = selection?.kind === "node" ? parseNodeId(selection.node.id) : null;
      const nextAddress = ref?.kind === "address" ? ref.address : null;
      if (nextAddress !== address) {
        exposureOut.hidden = true;
        exposureOut.replaceChildren();
        delete exposureOut.dataset.state;
      }
      address = nextAddress;
      exposureSection.hidden = address === null;
      showAttributions(address === null ? undefined : attribution);
      if (selection === null) {
        nodeId = null;
        return;
      }
      if (selection.kind === "node") {
        const { node, incoming, outgoing } = selection;
        if (nodeId !== node.id) noteInput.value = "";
        nodeId = node.id;
        noteInput.placeholder = "Add a note to the selected node…";
        kind.textContent = KIND_NAMES[node.kind];
        label.textContent = node.label;
        if (!node.complete) {
          flag.hidden = false;
          flag.textContent = "Incomplete: history not fetched. Not all of this node's transactions are in the case (offline, or not expanded yet).";
        }
        // An address's first and last seen come from the case with the transaction list.
        if (node.time !== null && node.kind === "transaction") fact("Block time", formatUnixUtc(node.time));
        if (node.hop !== null) fact("Hops from seed", String(node.hop));
        for (const b of balanceFacts(node)) {
          const dd = fact(b.term, b.value, b.term !== "Balance basis");
          dd.dataset.testid = b.term === "Balance basis" ? "balance-basis" : "balance";
        }
        fact("Received", countOf(incoming.length, "transfer"));
        fact("Sent", countOf(outgoing.length, "transfer"));
        fact("Node id", node.id, true);
        flowList("Incoming", incoming, "from");
        flowList("Outgoing", outgoing, "to");
        notesSection.hidden = false;
        showNotes(node.notes);
      } else {
        const { edge, source, target } = selection;
        // A note on a transfer goes to the same note box (the app routes edge ids: annotate).
        if (nodeId !== edge.id) noteInput.value = "";
        nodeId = edge.id;
        noteInput.placeholder = "Add a note to the selected transfer…";
        kind.textContent = `Transfer · ${edge.amount}`;
        label.textContent = edge.id;
        fact("Time", formatUnixUtc(edge.time));
        fact("From", source?.label ?? edge.source, true);
        fact("To", target?.label ?? edge.target, true);
        // Exact base units of the edge's asset (satoshi, wei or token units), never mixed.
        fact("Amount", edge.asset === "" || edge.asset === "BTC" ? `${String(edge.amount_sat)} sat` : `${edge.amount_base} base units of ${edge.symbol} (${edge.asset})`, true);
        fact("Fiat value", fiatFact(edge)).dataset.testid = "fiat-value";
        notesSection.hidden = false;
        showNotes(edge.notes);
      }
    },
  };
}
