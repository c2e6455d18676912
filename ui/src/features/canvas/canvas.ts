// The graph canvas: the only module that imports Cytoscape.js. It draws what the core returned
// (positions included; it computes no layout of its own), reports the investigator's gestures,
// and keeps the container's data attributes current for the tests:
// `data-node-count` (non-compound nodes), `data-edge-count`, `data-selected` (id or ""),
// `data-node-flagged` (visible nodes that carry a screening flag), `data-traced` (visible nodes a
// trace reached), `data-selected-count`, `data-hidden-count` (nodes the analyst hid) and
// `data-entity-count`. What is drawn comes from model/organise (hidden nodes left out, entities
// as compound or collapsed nodes); the layouts (flow by time through dagre, force-directed) are
// run on request and their positions reported like a drag, so the case keeps them.

import cytoscape from "cytoscape";
import type { Core, ElementDefinition, EventObject, NodeSingular } from "cytoscape";
import dagre from "cytoscape-dagre";
import "./canvas.css";
import type { GraphView, NodePosition, Viewport as SavedView } from "../../ipc/types";
import { type Flag, formatBtc } from "../../model/attribution";
import { isCompound } from "../../model/ids";
import { type Drawing, type DrawnNode, drawingOf, drawnCounts, entityCaption } from "../../model/organise";
import { edgeTimes, edgeWhen } from "../../model/timeWindow";
import { tunePerformance } from "./performance";
import { edgeLabel, edgeText, themedStyle } from "./style";
import { QUIET, labelsOf } from "./labels";
import { drawFirstFrameInView, profileRenderer } from "./firstFrame";
import { type RestOfGraph, type Waiting, drawRestLater } from "./restOfGraph";
import { type FirstBatch, firstBatch, viewExtent } from "../../model/firstBatch";
import { balanceCaption, fiatCaption } from "../../model/readings";
import { type Viewport, viewportOf } from "./viewport";
import { attachWheelZoom } from "./wheelZoom";
import { type Camera, type CameraEvents, cameraOf } from "./camera";
import { openingFrameParts, openingPart } from "./opening";

export interface CanvasEvents extends CameraEvents {
  /** The selection changed (a node or edge id, or null). */
  onSelect(id: string | null): void;
  /** A node was double-clicked. */
  onExpand(id: string): void;
  /** Nodes were dragged and released, or a layout placed them. */
  onMoved(positions: NodePosition[]): void;
  /** The set of selected elements changed (ids, in selection order). */
  onSelectMany(ids: string[]): void;
}

export type LayoutName = "flow" | "force";

export interface Canvas {
  /** Draws `graph`: adds, updates and removes elements to match it. */
  show(graph: GraphView): void;
  /**
   * The next `show` draws a case just opened: at its saved view (set before the first frame, so
   * no other view is drawn first), or fitted to the canvas when it has none.
   */
  openAt(view: SavedView | null): void;
  /** Flags labelled nodes (by node id); nodes not in the map carry no flag. */
  setFlags(flags: ReadonlyMap<string, Flag>): void;
  /**
   * Marks the nodes a trace reached with the traced satoshi, or with the exact text of an EVM
   * trace's amounts (`72809.96 USDT`); an empty map clears.
   */
  setTraced(traced: ReadonlyMap<string, number | string>): void;
  /** The traced satoshi on a node, or null when the trace did not reach it. */
  tracedAt(id: string): number | null;
  /** How many edges join a node (-1 when it is not on the canvas). */
  degree(id: string): number;
  /** Selects an element (null clears); returns false when the id is not on the canvas. */
  select(id: string | null): boolean;
  /** Brings these nodes (all when empty) into view. */
  fit(ids?: readonly string[]): void;
  /** Visible nodes, for the test hooks. */
  nodes(): { id: string; kind: string }[];
  /** Where a node is: in graph coordinates and in pixels from the container's top left. */
  whereIs(id: string): NodePlace | null;
  /** Selects exactly these elements; returns false (and selects nothing) when one is not drawn. */
  selectMany(ids: readonly string[]): boolean;
  /** Selected element ids, in selection order. */
  selectedIds(): string[];
  /** Places every drawn node with a layout, fits the view and reports the new positions. */
  layout(name: LayoutName): void;
  /** Zooms in (factor > 1) or out around the view's centre. */
  zoomBy(factor: number): void;
  /** Drawn entities, for the test hooks: drawn children of an expanded one, or collapsed. */
  entities(): DrawnEntity[];
  /** Drawn edges (source and target as drawn), for the test hooks. */
  edges(): { id: string; source: string; target: string; amount: string; label: string }[];
  /** Pictures, minimap, range highlight, theme and drop points (features/canvas/viewport). */
  viewport: Viewport;
  /** Zoom and pan, saved in the case and restored on reopening (features/canvas/camera). */
  camera: Camera;
  /** The view the investigator sees: during a wheel zoom the one its scaled picture shows
   * (features/canvas/wheelZoom), else the camera's. What lies over the canvas is placed in it. */
  shownView(): SavedView;
}

export interface DrawnEntity {
  id: string;
  caption: string;
  collapsed: boolean;
  children: string[];
}

export interface NodePlace {
  model: { x: number; y: number };
  rendered: { x: number; y: number };
}

cytoscape.use(dagre);

/** Pixels kept free around the graph when it is fitted (as `cy.fit(…, 36)` elsewhere). */
const FIT_PADDING = 36;
/** Graph units around the outermost node positions: half a node and its label. */
const FIT_MARGIN = 40;
/** Cytoscape's `wheelSensitivity`: the wheel zoom (features/canvas/wheelZoom) steps by it. */
const WHEEL_SENSITIVITY = 0.3;

export function createCanvas(container: HTMLElement, events: CanvasEvents): Canvas {
  const cy: Core = cytoscape({
    container,
    style: themedStyle(),
    // Shift-, Ctrl- or Cmd-click adds to the selection; Shift-drag selects a box.
    selectionType: "single",
    boxSelectionEnabled: true,
    minZoom: 0.15,
    maxZoom: 3,
    // The wheel zoom is the canvas's own (features/canvas/wheelZoom.ts), with Cytoscape's steps.
    userZoomingEnabled: false,
    wheelSensitivity: WHEEL_SENSITIVITY,
    layout: { name: "preset" },
  });
  const wheelZoom = attachWheelZoom(cy, container, WHEEL_SENSITIVITY);

  let lastGraph: GraphView | null = null;
  /** Set by `openAt` for the next `show`: the saved view, null to fit, undefined for neither. */
  let opened: SavedView | null | undefined;
  const camera = cameraOf(cy, events);
  /** A big opened graph's elements still to add after its first frame (features/canvas/restOfGraph). */
  let rest: RestOfGraph | null = null;
  const labels = labelsOf(cy, container, () => cy.elements().length + (rest?.waiting() ?? 0));
  /** Adds what is still waiting, for what needs the whole graph drawn. */
  const whole = (): void => rest?.flush();
  /** `cy` with the whole graph in it. */
  const wholeGraph = (): Core => {
    whole();
    return cy;
  };
  /** The viewport's parts that read the whole graph, after adding what is still waiting. */
  const wholeFor = (viewport: Viewport): Viewport => ({
    ...viewport,
    png: () => (whole(), viewport.png()),
    svg: () => (whole(), viewport.svg()),
    // Clearing the highlight (no ids, as every drawing of the graph does) needs only what is
    // drawn: the rest comes without the class. Adding everything here defeated a big case's
    // first batch (spec 25).
    highlight: (ids) => (ids.length > 0 && whole(), viewport.highlight(ids)),
    graphBox: () => (whole(), viewport.graphBox()),
    drawnAs: (id) => (whole(), viewport.drawnAs(id)),
  });
  // For the tests: whether the first frame draws only the view ("1"), as it does in the app.
  container.dataset.firstFrameInView = drawFirstFrameInView(cy) ? "1" : "0";
  // An opening's first frame, split by the renderer's parts (features/canvas/opening.ts).
  const renderProfile = profileRenderer(cy);
  let drawing: Drawing = { nodes: [], edges: [], hidden: 0 };
  /** Selected ids in the order they were selected (Cytoscape keeps no order). */
  let selectionOrder: string[] = [];
  let flags: ReadonlyMap<string, Flag> = new Map();
  let traced: ReadonlyMap<string, number | string> = new Map();

  // The label under a node: its short id, and on a second line the flag's text marker, so a
  // flag reads without colour (and in greyscale print-outs of the screen).
  // A traced node gets a `⇢ amount` line under its id, for the same reason.
  // An address's balance (from the core, exact, `(partial)` when its history is incomplete) is
  // the line under its id.
  const flagData = (id: string, short: string, balance: string | null = null) => {
    const flag = flags.get(id);
    const sat = traced.get(id);
    const amount = sat === undefined ? null : typeof sat === "string" ? sat : formatBtc(sat);
    const lines = [
      ...(flag === undefined ? [] : [flag.text]),
      short,
      ...(balance === null ? [] : [balance]),
      ...(amount === null ? [] : [`⇢ ${amount}`]),
    ];
    return {
      flagged: flag !== undefined,
      severe: flag?.severe ?? false,
      traced: sat !== undefined,
      tracedSat: typeof sat === "number" ? sat : null,
      tracedText: amount,
      display: lines.join("\n"),
    };
  };
  let reportedSelection: string | null = null;

  const currentSelection = (): string | null => selectedIds()[0] ?? null;

  const selectedIds = (): string[] => {
    const now = new Set(cy.$(":selected").map((el) => el.id()));
    const kept = selectionOrder.filter((id) => now.has(id));
    const fresh = [...now].filter((id) => !kept.includes(id)).sort();
    selectionOrder = [...kept, ...fresh];
    return selectionOrder;
  };

  const publish = (): void => {
    const { nodes, edges } = drawnCounts(drawing);
    container.dataset.nodeCount = String(nodes);
    container.dataset.edgeCount = String(edges);
    container.dataset.nodeFlagged = String(
      cy.nodes().filter((n) => !isCompound(n.id()) && n.data("flagged") === true).length,
    );
    container.dataset.traced = String(
      cy.nodes().filter((n) => !isCompound(n.id()) && n.data("traced") === true).length,
    );
    container.dataset.selected = currentSelection() ?? "";
    container.dataset.selectedCount = String(selectedIds().length);
    container.dataset.hiddenCount = String(drawing.hidden);
    container.dataset.entityCount = String(lastGraph?.entities.length ?? 0);
  };

  let reportedMany = "";
  const reportSelection = (): void => {
    const ids = selectedIds();
    const id = ids[0] ?? null;
    container.dataset.selected = id ?? "";
    container.dataset.selectedCount = String(ids.length);
    if (id !== reportedSelection) {
      reportedSelection = id;
      events.onSelect(id);
    }
    const many = ids.join("\n");
    if (many !== reportedMany) {
      reportedMany = many;
      events.onSelectMany([...ids]);
    }
  };

  // Selecting B while A is selected fires unselect(A) and select(B): report once, afterwards.
  let pending = false;
  cy.on("select unselect", () => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      reportSelection();
    });
  });
  cy.on("dbltap", "node", (evt: EventObject) => {
    const id = evt.target.id() as string;
    if (!isCompound(id)) events.onExpand(id);
  });
  cy.on("dragfree", "node", (evt: EventObject) => {
    const target = evt.target as NodeSingular;
    events.onMoved(placesOf(target.union(target.descendants()).nodes()));
  });
  container.tabIndex = 0;

  /** Saved positions of drawn nodes: a collapsed entity moves its members by as much as it moved. */
  const placesOf = (moved: cytoscape.NodeCollection): NodePosition[] => {
    const out: NodePosition[] = [];
    moved.forEach((n) => {
      if (n.isParent()) return;
      const id = n.id();
      if (!isCompound(id)) {
        out.push({ id, x: n.position("x"), y: n.position("y") });
        return;
      }
      const from = n.scratch("_tbPlaced") as { x: number; y: number } | undefined;
      const members = (n.data("members") as string[] | undefined) ?? [];
      if (from === undefined || lastGraph === null) return;
      const dx = n.position("x") - from.x;
      const dy = n.position("y") - from.y;
      for (const m of lastGraph.nodes) {
        if (members.includes(m.id) && !m.hidden) out.push({ id: m.id, x: m.x + dx, y: m.y + dy });
      }
      n.scratch("_tbPlaced", { ...n.position() });
    });
    return out;
  };

  const memberData = (d: Extract<DrawnNode, { kind: "member" }>) => ({
    id: d.node.id,
    kind: d.node.kind,
    short: d.node.short,
    label: d.node.label,
    incomplete: !d.node.complete,
    noteCount: d.node.notes.length,
    balanceText: balanceCaption(d.node),
    ...flagData(d.node.id, d.node.short, balanceCaption(d.node)),
  });

  const entityData = (d: Extract<DrawnNode, { kind: "entity" }>) => ({
    id: d.entity.id,
    kind: "entity",
    short: d.entity.name,
    label: d.entity.name,
    category: d.entity.category,
    collapsed: d.collapsed,
    members: d.entity.members,
    display: entityCaption(d.entity),
  });

  /**
   * Fits the view to where the nodes are, with room for a node and its label around them: what
   * `cy.fit` shows, without measuring every label and edge first (seconds at a thousand nodes
   * in software rendering, before the first frame).
   */
  const fitPositions = (): void => {
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    cy.nodes().forEach((n) => {
      if (n.isParent()) return;
      const p = n.position();
      x1 = Math.min(x1, p.x);
      y1 = Math.min(y1, p.y);
      x2 = Math.max(x2, p.x);
      y2 = Math.max(y2, p.y);
    });
    if (!Number.isFinite(x1)) return;
    const margin = FIT_MARGIN;
    const w = Math.max(1, cy.width() - 2 * FIT_PADDING);
    const h = Math.max(1, cy.height() - 2 * FIT_PADDING);
    const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), Math.min(w / (x2 - x1 + 2 * margin), h / (y2 - y1 + 2 * margin))));
    cy.viewport({
      zoom,
      pan: { x: (cy.width() - zoom * (x1 + x2)) / 2, y: (cy.height() - zoom * (y1 + y2)) / 2 },
    });
  };

  /** What a saved view shows of the drawing first; null (draw all at once) while the canvas
   * has no size yet. */
  const firstOf = (view: SavedView): FirstBatch | null => {
    const width = container.clientWidth;
    const height = container.clientHeight;
    if (width <= 0 || height <= 0 || !(view.zoom > 0)) return null;
    // The zoom as camera.setView will set it, within the canvas's bounds.
    const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), view.zoom));
    const placed = drawing.nodes.map((n) =>
      n.kind === "member" ? { id: n.node.id, x: n.node.x, y: n.node.y } : { id: n.entity.id, x: n.x, y: n.y },
    );
    return firstBatch(placed, drawing.edges, viewExtent({ ...view, zoom }, width, height));
  };

  const show = (graph: GraphView): void => {
    const first = lastGraph === null;
    const view = opened;
    opened = undefined;
    // A new drawing adds every element it is missing itself.
    rest?.cancel();
    rest = null;
    if (view !== undefined) {
      renderProfile.start();
      openingFrameParts(() => renderProfile.stop());
    }
    lastGraph = graph;
    drawing = openingPart("organise", () => drawingOf(graph));
    const wanted = new Set<string>([
      ...drawing.nodes.map((n) => (n.kind === "member" ? n.node.id : n.entity.id)),
      ...drawing.edges.map((e) => e.id),
    ]);
    // A big graph's elements come without label text (features/canvas/labels.ts): the first
    // frame measures only the labels the view shows.
    const total = drawing.nodes.length + drawing.edges.length;
    const quiet = labels.quietOnAdd(total) ? QUIET : "";
    // A big case just opened at its saved view: the elements that view shows (and those near
    // it) before the first frame, the rest after it (model/firstBatch).
    const batch = first && quiet !== "" && view !== undefined && view !== null ? openingPart("batch", () => firstOf(view)) : null;
    const laterNodes: Waiting[] = [];
    const laterEdges: Waiting[] = [];
    // The performance options before the elements: a big graph's straight edges change the
    // stylesheet, and a stylesheet change re-styles every element already drawn.
    container.dataset.performance = openingPart("tune", () => (tunePerformance(cy, total).big ? "big" : "normal"));
    openingPart("add", () => cy.batch(() => {
      // Order matters with compound nodes: parents exist before children move into them, and
      // no wanted child is inside a parent when that parent is removed.
      for (const d of drawing.nodes) {
        if (d.kind !== "entity") continue;
        const data = entityData(d);
        const existing = cy.getElementById(d.entity.id);
        if (existing.nonempty()) existing.data(data);
        else cy.add({ group: "nodes", data, position: { x: d.x, y: d.y } });
        const node = cy.getElementById(d.entity.id);
        if (d.collapsed) {
          node.position({ x: d.x, y: d.y });
          node.scratch("_tbPlaced", { x: d.x, y: d.y });
        }
      }
      const added: ElementDefinition[] = [];
      for (const d of drawing.nodes) {
        if (d.kind !== "member") continue;
        const data = memberData(d);
        const existing = cy.getElementById(d.node.id);
        if (existing.nonempty()) {
          const parent = existing.parent().first().id() || null;
          if (parent !== d.parent) existing.move({ parent: d.parent });
          const node = cy.getElementById(d.node.id);
          node.data(data);
          node.position({ x: d.node.x, y: d.node.y });
        } else {
          const define = (data: ReturnType<typeof memberData>): ElementDefinition => ({
            group: "nodes",
            data: d.parent === null ? data : { ...data, parent: d.parent },
            position: { x: d.node.x, y: d.node.y },
            classes: quiet,
          });
          // Defined when added, so flags and traces set meanwhile are in it.
          if (batch === null || batch.nodes.has(d.node.id)) added.push(define(data));
          else laterNodes.push({ id: d.node.id, define: () => define(memberData(d)) });
        }
      }
      cy.elements().filter((el) => !wanted.has(el.id())).remove();
      cy.add(added);
      const edges: ElementDefinition[] = [];
      const times = edgeTimes(graph);
      const byId = new Map(graph.edges.map((e) => [e.id, e]));
      const edgeData = (edge: (typeof drawing.edges)[number]) => {
        const when = edgeWhen(times, edge.edges);
        // A single transfer's fiat value (a sum of several is not valued).
        const one = edge.edges.length === 1 && edge.edges[0] !== undefined ? byId.get(edge.edges[0]) : undefined;
        const fiat = one === undefined ? "" : (fiatCaption(one) ?? "");
        const display = edgeText(edge.amount, fiat, when);
        return { id: edge.id, source: edge.source, target: edge.target, amount: edge.amount, when, fiat, display };
      };
      for (const edge of drawing.edges) {
        const existing = cy.getElementById(edge.id);
        if (existing.nonempty()) {
          const { amount, when, fiat, display } = edgeData(edge);
          existing.data({ amount, when, fiat, display });
        } else if (batch === null || batch.edges.has(edge.id)) edges.push({ group: "edges", data: edgeData(edge), classes: quiet });
        else laterEdges.push({ id: edge.id, define: () => ({ group: "edges", data: edgeData(edge), classes: quiet }) });
      }
      cy.add(edges);
    }));
    if (laterNodes.length + laterEdges.length > 0) {
      const since = performance.now();
      container.dataset.waiting = String(laterNodes.length + laterEdges.length);
      // For the benchmark: how many elements the first frame had.
      container.dataset.firstBatch = String(cy.elements().length);
      rest = drawRestLater(cy, laterNodes, laterEdges, () => {
        rest = null;
        container.dataset.waiting = "0";
        labels.settle();
        publish();
        // From the end of drawing the first batch until the whole graph is in (BENCHMARKS.md).
        performance.measure("case-open-rest", { start: since, end: performance.now() });
      });
    } else container.dataset.waiting = "0";
    // A case just opened shows its saved view, else the whole graph fitted by node positions.
    openingPart("view", () => {
      if (view !== undefined && view !== null) camera.setView(view);
      else if (first || view === null) fitPositions();
    });
    openingPart("labels", () => labels.settle());
    openingPart("publish", () => {
      publish();
      reportSelection();
    });
  };

  const setFlags = (next: ReadonlyMap<string, Flag>): void => {
    flags = next;
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        if (!isCompound(n.id())) n.data(flagData(n.id(), String(n.data("short")), (n.data("balanceText") as string | null) ?? null));
      });
    });
    publish();
  };

  const setTraced = (next: ReadonlyMap<string, number | string>): void => {
    traced = next;
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        if (!isCompound(n.id())) n.data(flagData(n.id(), String(n.data("short")), (n.data("balanceText") as string | null) ?? null));
      });
    });
    publish();
  };

  const tracedAt = (id: string): number | null => {
    const node = wholeGraph().getElementById(id);
    if (node.empty()) return null;
    const sat: unknown = node.data("tracedSat");
    return typeof sat === "number" ? sat : null;
  };

  const degree = (id: string): number => {
    const node = wholeGraph().getElementById(id);
    return node.empty() || !node.isNode() ? -1 : node.connectedEdges().length;
  };

  const select = (id: string | null): boolean => {
    const target = id === null ? cy.collection() : wholeGraph().getElementById(id);
    if (id !== null && target.empty()) return false;
    cy.batch(() => {
      cy.elements(":selected").unselect();
      target.select();
    });
    selectionOrder = id === null ? [] : [id];
    reportSelection();
    return true;
  };

  const fit = (ids: readonly string[] = []): void => {
    whole();
    const focus =
      ids.length === 0
        ? cy.elements()
        : ids.reduce((acc, id) => acc.union(cy.getElementById(id)), cy.collection());
    // Not animated: an animation that never gets a frame (hidden or throttled window) would
    // leave the view wherever it was.
    cy.fit(focus.union(focus.connectedEdges()), 36);
  };

  const nodes = (): { id: string; kind: string }[] =>
    wholeGraph()
      .nodes()
      .filter((n) => !isCompound(n.id()))
      .map((n) => ({ id: n.id(), kind: String(n.data("kind")) }));

  const whereIs = (id: string): NodePlace | null => {
    const node = wholeGraph().getElementById(id);
    if (node.empty() || !node.isNode()) return null;
    return { model: { ...node.position() }, rendered: { ...node.renderedPosition() } };
  };

  const selectMany = (ids: readonly string[]): boolean => {
    whole();
    const targets = ids.map((id) => cy.getElementById(id));
    if (targets.some((t) => t.empty())) return false;
    cy.batch(() => {
      cy.elements(":selected").unselect();
      for (const t of targets) t.select();
    });
    selectionOrder = [...ids];
    reportSelection();
    return true;
  };

  const layout = (name: LayoutName): void => {
    const time = (n: NodeSingular): number => {
      const id = n.id();
      const node = lastGraph?.nodes.find((v) => v.id === id);
      return node?.time ?? Number.MAX_SAFE_INTEGER;
    };
    const options =
      name === "flow"
        ? {
            name: "dagre",
            rankDir: "LR",
            nodeSep: 28,
            rankSep: 90,
            edgeSep: 12,
            // Within a rank, earlier first; ties on the id so the result is the same every time.
            sort: (a: NodeSingular, b: NodeSingular) => time(a) - time(b) || (a.id() < b.id() ? -1 : 1),
            fit: false,
            animate: false,
          }
        : { name: "cose", animate: false, randomize: false, fit: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 90 };
    wholeGraph().layout(options as cytoscape.LayoutOptions).run();
    cy.fit(undefined, 36);
    events.onMoved(placesOf(cy.nodes()));
  };

  const zoomBy = (factor: number): void => {
    wheelZoom.settle();
    const level = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor));
    cy.zoom({ level, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } });
  };

  publish();
  return {
    viewport: wholeFor(viewportOf(cy, container, { settleWheel: wheelZoom.settle, labels })),
    camera,
    shownView: () => {
      const v = wheelZoom.view();
      return { zoom: v.zoom, pan_x: v.panX, pan_y: v.panY };
    },
    show,
    openAt: (view) => {
      opened = view;
    },
    setFlags,
    setTraced,
    tracedAt,
    degree,
    select,
    fit,
    nodes,
    whereIs,
    selectMany,
    selectedIds: () => [...selectedIds()],
    layout,
    zoomBy,
    entities: () =>
      wholeGraph()
        .nodes("[kind = 'entity']")
        .map((n) => ({
          id: n.id(),
          caption: String(n.data("display")),
          collapsed: n.data("collapsed") === true,
          children: n.children().map((c) => c.id()).sort(),
        })),
    edges: () =>
      wholeGraph().edges().map((e) => ({
        id: e.id(),
        source: e.source().id(),
        target: e.target().id(),
        amount: String(e.data("amount")),
        label: edgeLabel(e),
      })),
  };
}
