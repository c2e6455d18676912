// The selected node as the case knows it (`NodeDetails` from the core): first and last seen, the
// sortable transaction list, a transaction's heuristic results, and for an address in a cluster
// the merges that made it, an explanation between two members and a veto per merge. Findings
// and merges are inferences and are styled apart from the facts (the transaction list).

import type { Explanation, Finding, Merge, NodeDetails } from "../../ipc/types";
import { formatBtc } from "../../model/attribution";
import { type FlowSort, type FlowSortKey, defaultFlowSort, nextSort, sortFlows } from "../../model/flows";
import { countOf, formatUnixUtc, middleEllipsis } from "../../model/format";
import { byId, make } from "../dom";
import { makeDraggable } from "../drag/nodeDrag";

export interface AnalysisEvents {
  /** A counterpart in the transaction list was clicked. */
  onFocus(id: string): void;
  /** Explains why two addresses are one cluster. */
  onExplain(a: string, b: string): Promise<Explanation>;
  /** Vetoes a merge; resolves with an error message to show, or null once the veto is saved. */
  onVeto(merge: Merge, reason: string): Promise<string | null>;
}

export interface AnalysisView {
  /** Waiting for the core's answer about `nodeId`. */
  loading(nodeId: string): void;
  show(details: NodeDetails): void;
  error(message: string): void;
  clear(): void;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createAnalysisView(events: AnalysisEvents): AnalysisView {
  const section = byId("analysis-section", HTMLElement);
  const seen = byId("seen", HTMLElement);
  const findingsSection = byId("findings-section", HTMLElement);
  const findings = byId("findings", HTMLUListElement);
  const clusterSection = byId("cluster-section", HTMLElement);
  const clusterTitle = byId("cluster-title", HTMLElement);
  const merges = byId("cluster-merges", HTMLOListElement);
  const explainForm = byId("explain-form", HTMLFormElement);
  const explainA = byId("explain-a", HTMLSelectElement);
  const explainB = byId("explain-b", HTMLSelectElement);
  const explainRun = byId("explain-run", HTMLButtonElement);
  const explanation = byId("explanation", HTMLOListElement);
  const txTitle = byId("tx-title", HTMLElement);
  const txRows = byId("tx-rows", HTMLElement);
  const sortButtons = [...document.querySelectorAll<HTMLButtonElement>("#tx-list button.sort")];

  let current: NodeDetails | null = null;
  let sort: FlowSort = defaultFlowSort;

  const mergeItem = (m: Merge, withVeto: boolean): HTMLLIElement => {
    const item = make("li", "merge inference");
    item.dataset.txid = m.txid;
    item.append(
      make("div", "merge-what mono", `${middleEllipsis(m.a, 6)} ↔ ${middleEllipsis(m.b, 6)}`),
      make("div", "merge-why", `tx ${middleEllipsis(m.txid, 8)} · ${m.heuristic} · confidence ${m.confidence}`),
    );
    item.title = `${m.a} ↔ ${m.b}\njoined by transaction ${m.txid} (${m.heuristic})`;
    if (withVeto) item.append(vetoControl(m));
    return item;
  };

  const vetoControl = (m: Merge): HTMLElement => {
    const box = make("div", "veto");
    const open = make("button", "small", "Veto…");
    open.type = "button";
    open.dataset.testid = "veto";
    open.title = "These addresses are not one owner (an undetected PayJoin or CoinJoin): drop every merge of this transaction";
    const form = make("form", "veto-form");
    form.hidden = true;
    const reason = make("input");
    reason.type = "text";
    reason.placeholder = "Why these are not one owner…";
    reason.setAttribute("aria-label", "Reason for the veto");
    reason.dataset.testid = "veto-reason";
    const confirm = make("button", "danger small", "Veto merge");
    confirm.type = "submit";
    confirm.dataset.testid = "veto-confirm";
    const message = make("p", "error");
    message.dataset.testid = "veto-error";
    form.append(reason, confirm, message);
    open.addEventListener("click", () => {
      form.hidden = !form.hidden;
      if (!form.hidden) reason.focus();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (reason.value.trim() === "") {
        message.textContent = "Say why: the reason is kept with the veto in the case.";
        return;
      }
      confirm.disabled = true;
      message.textContent = "";
      void events
        .onVeto(m, reason.value)
        .then((err) => {
          if (err !== null) message.textContent = err;
        })
        .finally(() => {
          confirm.disabled = false;
        });
    });
    box.append(open, form);
    return box;
  };

  const renderRows = (): void => {
    if (current === null) return;
    for (const b of sortButtons) {
      const active = b.dataset.sort === sort.key;
      b.dataset.active = String(active);
      b.setAttribute("aria-sort", active ? (sort.descending ? "descending" : "ascending") : "none");
      const base = b.textContent?.replace(/ [▲▼]$/, "") ?? "";
      b.textContent = active ? `${base} ${sort.descending ? "▼" : "▲"}` : base;
    }
    const rows = sortFlows(current.rows, sort);
    txRows.replaceChildren(
      ...rows.map((r) => {
        const tr = make("tr", `flow-${r.direction}`);
        tr.dataset.amount = String(r.amount_sat);
        tr.dataset.direction = r.direction;
        const party = make("td", "mono");
        if (r.counterpart !== null) {
          const link = make("button", "link", middleEllipsis(r.label, 8));
          link.type = "button";
          link.title = `${r.label}${r.on_canvas ? "" : " (not on the canvas)"}`;
          const target = r.counterpart;
          // Drag the row onto the canvas to add this address or transaction where it is dropped.
          makeDraggable(tr, { id: target, label: r.label });
          link.disabled = !r.on_canvas;
          link.addEventListener("click", () => events.onFocus(target));
          party.append(link);
        } else {
          party.textContent = r.label;
        }
        // Minutes in the cell (the column says UTC), seconds in the tooltip; the amount
        // without its unit (the column says BTC), exact to the satoshi.
        const when = make("td", "mono", r.time === null ? "unconfirmed" : formatUnixUtc(r.time).slice(0, 16));
        when.title = formatUnixUtc(r.time);
        // EVM rows carry their own exact text with the asset's symbol (`72809.96 USDT`).
        const evm = r.amount !== "";
        const amount = make("td", "num mono", evm ? r.amount : formatBtc(r.amount_sat).replace(/ BTC$/, ""));
        amount.title = evm ? `${r.amount} (${r.amount_base} base units of ${r.asset})` : `${formatBtc(r.amount_sat)} (${r.amount_sat} sat)`;
        if (evm) tr.dataset.amountBase = r.amount_base;
        tr.append(when, make("td", undefined, r.direction === "in" ? "→ in" : "out →"), amount, party);
        return tr;
      }),
    );
  };

  for (const b of sortButtons) {
    b.addEventListener("click", () => {
      sort = nextSort(sort, b.dataset.sort as FlowSortKey);
      renderRows();
    });
  }

  const fillSelect = (select: HTMLSelectElement, addresses: readonly string[], chosen: string): void => {
    select.replaceChildren(
      ...addresses.map((a) => {
        const o = make("option", undefined, middleEllipsis(a, 10));
        o.value = a;
        o.title = a;
        return o;
      }),
    );
    select.value = chosen;
  };

  explainForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const a = explainA.value;
    const b = explainB.value;
    explanation.hidden = false;
    if (a === b) {
      explanation.replaceChildren(make("li", "error", "Choose two different addresses."));
      return;
    }
    explainRun.disabled = true;
    explanation.replaceChildren(make("li", "muted", "Explaining…"));
    events
      .onExplain(a, b)
      .then((x) => {
        explanation.replaceChildren(
          ...(x.merges.length === 0
            ? [make("li", "muted", "Not one cluster: no chain of merges joins them.")]
            : x.merges.map((m) => mergeItem(m, false))),
        );
      })
      .catch((err: unknown) => {
        explanation.replaceChildren(make("li", "error", `Not explained: ${errorText(err)}`));
      })
      .finally(() => {
        explainRun.disabled = false;
      });
  });

  const clear = (): void => {
    current = null;
    seen.replaceChildren();
    findings.replaceChildren();
    findingsSection.hidden = true;
    clusterSection.hidden = true;
    merges.replaceChildren();
    explanation.replaceChildren();
    explanation.hidden = true;
    txRows.replaceChildren();
    txTitle.textContent = "Transactions";
  };

  return {
    loading(nodeId) {
      if (current?.id !== nodeId) clear();
      section.dataset.state = "busy";
      section.dataset.node = nodeId;
    },
    show(d) {
      const sameNode = current?.id === d.id;
      current = d;
      if (!sameNode) sort = defaultFlowSort;
      section.dataset.state = "done";
      section.dataset.node = d.id;
      // A transaction has one time (its block time, among the facts above).
      seen.replaceChildren(
        ...(d.kind === "address"
          ? [
              make("dt", undefined, "First seen"),
              make("dd", "mono", d.first_seen === null ? "not in the case" : formatUnixUtc(d.first_seen)),
              make("dt", undefined, "Last seen"),
              make("dd", "mono", d.last_seen === null ? "not in the case" : formatUnixUtc(d.last_seen)),
            ]
          : []),
      );
      txTitle.textContent =
        d.kind === "address"
          ? `Transactions (${d.rows.length})`
          : `Inputs and outputs (${d.rows.length})`;
      renderRows();
      findingsSection.hidden = d.findings.length === 0;
      // Heuristics that do not apply are listed last, folded, so the verdicts that say
      // something come first.
      const finding = (f: Finding): HTMLLIElement => {
        const item = make("li", "finding inference");
        item.dataset.heuristic = f.heuristic;
        item.append(
          make("div", "finding-what", `${f.heuristic}: ${f.verdict}`),
          make("div", "finding-why muted", `${f.confidence > 0 ? `confidence ${f.confidence} · ` : ""}${f.reason}`),
        );
        return item;
      };
      const idle = d.findings.filter((f) => f.verdict === "does not apply");
      const telling = d.findings.filter((f) => f.verdict !== "does not apply");
      const folded: HTMLElement[] = [];
      if (idle.length > 0) {
        const box = make("details", "findings-idle");
        box.append(
          make("summary", "muted", `${countOf(idle.length, "heuristic")} do${idle.length === 1 ? "es" : ""} not apply`),
          ...idle.map(finding),
        );
        const holder = make("li", "findings-fold");
        holder.append(box);
        folded.push(holder);
      }
      findings.replaceChildren(...telling.map(finding), ...folded);
      const cluster = d.cluster;
      clusterSection.hidden = cluster === null;
      if (!sameNode) {
        explanation.replaceChildren();
        explanation.hidden = true;
      }
      if (cluster !== null) {
        clusterSection.dataset.size = String(cluster.addresses.length);
        clusterTitle.textContent = `Cluster of ${countOf(cluster.addresses.length, "address", "addresses")} · ${countOf(cluster.merges.length, "merge")}`;
        merges.replaceChildren(...cluster.merges.map((m) => mergeItem(m, true)));
        const others = cluster.addresses.filter((a) => a !== d.label);
        fillSelect(explainA, cluster.addresses, d.label);
        fillSelect(explainB, cluster.addresses, others[0] ?? d.label);
      } else {
        delete clusterSection.dataset.size;
      }
    },
    error(message) {
      clear();
      section.dataset.state = "error";
      seen.replaceChildren(make("dt", undefined, "Details"), make("dd", "error", message));
    },
    clear() {
      clear();
      section.dataset.state = "idle";
      delete section.dataset.node;
    },
  };
}
