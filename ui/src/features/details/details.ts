// The details panel: the selected node or transfer, its flows and its analyst notes.
// Everything from the case (labels, notes) is written as text: notes are data, never markup.

import type { NoteView } from "../../ipc/types";
import { countOf, formatIsoUtc, formatUnixUtc, middleEllipsis } from "../../model/format";
import type { Selection, Transfer } from "../../model/investigation";
import { byId, make } from "../dom";

export interface DetailsEvents {
  /** Saves a note on a node; resolves with an error message to show, or null on success. */
  onAddNote(nodeId: string, text: string): Promise<string | null>;
  /** A counterpart in a flow list was clicked. */
  onFocus(id: string): void;
}

export interface DetailsPanel {
  show(selection: Selection | null): void;
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

  let nodeId: string | null = null;

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

  const fact = (term: string, value: string, mono = false): void => {
    facts.append(make("dt", undefined, term), make("dd", mono ? "mono" : undefined, value));
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
    show(selection) {
      empty.hidden = selection !== null;
      body.hidden = selection === null;
      facts.replaceChildren();
      flows.replaceChildren();
      flag.hidden = true;
      if (selection === null) {
        nodeId = null;
        return;
      }
      if (selection.kind === "node") {
        const { node, incoming, outgoing } = selection;
        if (nodeId !== node.id) noteInput.value = "";
        nodeId = node.id;
        kind.textContent = KIND_NAMES[node.kind];
        label.textContent = node.label;
        if (!node.complete) {
          flag.hidden = false;
          flag.textContent = "Data incomplete: not all of this node's transactions are in the case (offline).";
        }
        if (node.time !== null) fact(node.kind === "transaction" ? "Block time" : "First seen", formatUnixUtc(node.time));
        if (node.hop !== null) fact("Hops from seed", String(node.hop));
        fact("Received", countOf(incoming.length, "transfer"));
        fact("Sent", countOf(outgoing.length, "transfer"));
        fact("Node id", node.id, true);
        flowList("Incoming", incoming, "from");
        flowList("Outgoing", outgoing, "to");
        notesSection.hidden = false;
        showNotes(node.notes);
      } else {
        const { edge, source, target } = selection;
        nodeId = null;
        kind.textContent = "Transfer";
        label.textContent = edge.amount;
        fact("Time", formatUnixUtc(edge.time));
        fact("From", source?.label ?? edge.source, true);
        fact("To", target?.label ?? edge.target, true);
        fact("Amount", `${String(edge.amount_sat)} sat`, true);
        notesSection.hidden = true;
        notes.replaceChildren();
      }
    },
  };
}
