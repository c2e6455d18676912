// "Ask GraphSense" in the details panel: for a selected Bitcoin address, the shell asks the
// GraphSense instance set under Sources (its key never reaches the UI) and stores the answers in
// the case as evidence; the entity and each tag are shown as ATTRIBUTIONS (amber, double rule)
// with their source, actor, confidence, the instance and the retrieval time. Text from GraphSense
// is data: written with textContent only. A failure shows the reason and nothing is stored.

import type { GraphSenseLookupView } from "../../ipc/types";
import { graphsenseAddress, graphsenseEntityLine, graphsenseTagSource, graphsenseTagWhat } from "../../model/sources";
import { byId, make } from "../dom";

export interface GraphSenseEvents {
  /** Asks GraphSense about an address node; rejects with the reason. */
  onLookup(nodeId: string): Promise<GraphSenseLookupView>;
}

export interface GraphSensePanel {
  /** The selection changed: offered for a Bitcoin mainnet address only. */
  select(nodeId: string | null): void;
}

export function createGraphSensePanel(events: GraphSenseEvents): GraphSensePanel {
  const section = byId("graphsense-section", HTMLElement);
  const ask = byId("graphsense-ask", HTMLButtonElement);
  const status = byId("graphsense-status", HTMLElement);
  const entity = byId("graphsense-entity", HTMLElement);
  const tags = byId("graphsense-tags", HTMLUListElement);
  let selected: string | null = null;
  const answers = new Map<string, GraphSenseLookupView>();

  const clear = (): void => {
    status.textContent = "";
    status.dataset.state = "";
    entity.hidden = true;
    entity.textContent = "";
    tags.replaceChildren();
  };

  const show = (v: GraphSenseLookupView): void => {
    status.dataset.state = "done";
    status.textContent = `Attributions of ${v.source_id}, retrieved ${v.retrieved_utc}; stored in the case as evidence.`;
    entity.hidden = false;
    entity.textContent = graphsenseEntityLine(v);
    entity.dataset.entity = String(v.entity);
    const items = v.tags.map((t) => {
      const li = make("li", "kind-attribution");
      li.dataset.label = t.label;
      li.append(make("div", "attribution-what", `ATTRIBUTION · ${graphsenseTagWhat(t)}`), make("div", "attribution-source", graphsenseTagSource(t, v)));
      return li;
    });
    if (items.length === 0) items.push(make("li", "muted", "GraphSense holds no tag for this address."));
    tags.replaceChildren(...items);
  };

  ask.addEventListener("click", () => {
    const nodeId = selected;
    if (nodeId === null) return;
    clear();
    status.dataset.state = "running";
    status.textContent = "Asking GraphSense…";
    ask.disabled = true;
    events
      .onLookup(nodeId)
      .then(
        (v) => {
          answers.set(nodeId, v);
          if (selected === nodeId) show(v);
        },
        (err: unknown) => {
          if (selected !== nodeId) return;
          status.dataset.state = "error";
          status.textContent = `GraphSense not asked: ${err instanceof Error ? err.message : String(err)}`;
        },
      )
      .finally(() => {
        ask.disabled = false;
      });
  });

  return {
    select(nodeId) {
      const address = graphsenseAddress(nodeId);
      selected = address === null ? null : nodeId;
      section.hidden = address === null;
      clear();
      const known = nodeId === null ? undefined : answers.get(nodeId);
      if (known !== undefined) show(known);
    },
  };
}
