// The canvas tools over the canvas's top left corner: the layouts, zoom, and what the analyst
// does with the selection (group into an entity, collapse or ungroup it, hide, show hidden,
// remove). Each button is enabled only when it has something to act on.

import type { GraphView } from "../../ipc/types";
import { ENTITY_CATEGORIES, type Targets, targetsOf } from "../../model/organise";
import { byId, make } from "../dom";
import type { LayoutName } from "../canvas/canvas";

export interface OrganiseEvents {
  onLayout(name: LayoutName): void;
  onZoom(factor: number): void;
  /** Creates an entity; resolves with the error message, or null when it was created. */
  onCreateEntity(name: string, category: string, members: string[]): Promise<string | null>;
  onSetCollapsed(entityId: string, collapsed: boolean): void;
  onDissolve(entityId: string): void;
  onHide(ids: string[]): void;
  onUnhideAll(): void;
  onRemove(ids: string[]): void;
}

export interface OrganiseTools {
  /** The graph or the selection changed. */
  update(graph: GraphView | null, selected: readonly string[]): void;
  /** The Delete key: removes the selected nodes, if any. */
  removeSelected(): void;
  setBusy(busy: boolean): void;
}

export function createOrganiseTools(events: OrganiseEvents): OrganiseTools {
  const flow = byId("layout-flow", HTMLButtonElement);
  const force = byId("layout-force", HTMLButtonElement);
  const zoomIn = byId("zoom-in", HTMLButtonElement);
  const zoomOut = byId("zoom-out", HTMLButtonElement);
  const count = byId("selection-count", HTMLElement);
  const create = byId("entity-create", HTMLButtonElement);
  const collapse = byId("entity-collapse", HTMLButtonElement);
  const dissolve = byId("entity-dissolve", HTMLButtonElement);
  const hide = byId("hide-nodes", HTMLButtonElement);
  const unhide = byId("unhide-all", HTMLButtonElement);
  const remove = byId("remove-nodes", HTMLButtonElement);
  const form = byId("entity-form", HTMLFormElement);
  const name = byId("entity-name", HTMLInputElement);
  const category = byId("entity-category", HTMLSelectElement);
  const confirm = byId("entity-confirm", HTMLButtonElement);
  const cancel = byId("entity-cancel", HTMLButtonElement);
  const error = byId("entity-error", HTMLElement);

  for (const c of ENTITY_CATEGORIES) {
    const option = make("option", undefined, c.mark);
    option.value = c.id;
    category.append(option);
  }
  category.value = "other";

  let targets: Targets = { nodes: [], entity: null };
  let hidden = 0;
  let busy = false;

  const refresh = (): void => {
    const n = targets.nodes.length;
    count.textContent = n === 1 ? "1 selected" : `${n} selected`;
    create.disabled = busy || n === 0;
    hide.disabled = busy || n === 0;
    remove.disabled = busy || n === 0;
    collapse.disabled = busy || targets.entity === null;
    dissolve.disabled = busy || targets.entity === null;
    collapse.textContent = targets.entity?.collapsed === true ? "Expand entity" : "Collapse";
    unhide.disabled = busy || hidden === 0;
    unhide.textContent = hidden === 0 ? "Show hidden" : `Show hidden (${hidden})`;
    confirm.disabled = busy || n === 0;
    flow.disabled = busy;
    force.disabled = busy;
  };

  const setFormOpen = (open: boolean): void => {
    form.hidden = !open;
    create.setAttribute("aria-expanded", String(open));
    error.textContent = "";
    if (open) {
      name.value = "";
      name.focus();
    }
  };

  flow.addEventListener("click", () => events.onLayout("flow"));
  force.addEventListener("click", () => events.onLayout("force"));
  zoomIn.addEventListener("click", () => events.onZoom(1.25));
  zoomOut.addEventListener("click", () => events.onZoom(0.8));
  create.addEventListener("click", () => setFormOpen(form.hidden));
  cancel.addEventListener("click", () => setFormOpen(false));
  form.addEventListener("keydown", (e) => {
    if (e.key === "Escape") setFormOpen(false);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const members = [...targets.nodes];
    void events.onCreateEntity(name.value, category.value, members).then((err) => {
      if (err === null) setFormOpen(false);
      else error.textContent = err;
    });
  });
  collapse.addEventListener("click", () => {
    if (targets.entity !== null) events.onSetCollapsed(targets.entity.id, !targets.entity.collapsed);
  });
  dissolve.addEventListener("click", () => {
    if (targets.entity !== null) events.onDissolve(targets.entity.id);
  });
  hide.addEventListener("click", () => events.onHide([...targets.nodes]));
  unhide.addEventListener("click", () => events.onUnhideAll());
  remove.addEventListener("click", () => events.onRemove([...targets.nodes]));

  refresh();
  return {
    update(graph, selected) {
      targets = targetsOf(graph, selected);
      hidden = graph?.nodes.filter((n) => n.hidden).length ?? 0;
      refresh();
    },
    removeSelected() {
      if (!busy && targets.nodes.length > 0) events.onRemove([...targets.nodes]);
    },
    setBusy(value) {
      busy = value;
      refresh();
    },
  };
}
