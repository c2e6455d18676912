// The graph canvas: the only module that imports Cytoscape.js. It draws what the core returned
// (positions included; it computes no layout of its own), reports the investigator's gestures,
// and keeps the container's data attributes current for the tests:
// `data-node-count` (non-compound nodes), `data-edge-count`, `data-selected` (id or ""),
// `data-node-flagged` (visible nodes that carry a screening flag).

import cytoscape from "cytoscape";
import type { Core, ElementDefinition, EventObject } from "cytoscape";
import "./canvas.css";
import type { GraphView, NodePosition } from "../../ipc/types";
import type { Flag } from "../../model/attribution";
import { counts } from "../../model/investigation";
import { isCompound } from "../../model/ids";
import { graphStyle } from "./style";

export interface CanvasEvents {
  /** The selection changed (a node or edge id, or null). */
  onSelect(id: string | null): void;
  /** A node was double-clicked. */
  onExpand(id: string): void;
  /** Nodes were dragged and released. */
  onMoved(positions: NodePosition[]): void;
}

export interface Canvas {
  /** Draws `graph`: adds, updates and removes elements to match it. */
  show(graph: GraphView): void;
  /** Flags labelled nodes (by node id); nodes not in the map carry no flag. */
  setFlags(flags: ReadonlyMap<string, Flag>): void;
  /** Selects an element (null clears); returns false when the id is not on the canvas. */
  select(id: string | null): boolean;
  /** Brings these nodes (all when empty) into view. */
  fit(ids?: readonly string[]): void;
  /** Visible nodes, for the test hooks. */
  nodes(): { id: string; kind: string }[];
  /** Where a node is: in graph coordinates and in pixels from the container's top left. */
  whereIs(id: string): NodePlace | null;
}

export interface NodePlace {
  model: { x: number; y: number };
  rendered: { x: number; y: number };
}

export function createCanvas(container: HTMLElement, events: CanvasEvents): Canvas {
  const cy: Core = cytoscape({
    container,
    style: graphStyle,
    selectionType: "single",
    boxSelectionEnabled: false,
    minZoom: 0.15,
    maxZoom: 3,
    wheelSensitivity: 0.3,
    layout: { name: "preset" },
  });

  let lastGraph: GraphView | null = null;
  let flags: ReadonlyMap<string, Flag> = new Map();

  // The label under a node: its short id, and on a second line the flag's text marker, so a
  // flag reads without colour (and in greyscale print-outs of the screen).
  const flagData = (id: string, short: string) => {
    const flag = flags.get(id);
    return {
      flagged: flag !== undefined,
      severe: flag?.severe ?? false,
      display: flag === undefined ? short : `${flag.text}\n${short}`,
    };
  };
  let reportedSelection: string | null = null;

  const currentSelection = (): string | null => cy.$(":selected").first().id() || null;

  const publish = (): void => {
    const { nodes, edges } = counts(lastGraph);
    container.dataset.nodeCount = String(nodes);
    container.dataset.edgeCount = String(edges);
    container.dataset.nodeFlagged = String(
      cy.nodes().filter((n) => !isCompound(n.id()) && n.data("flagged") === true).length,
    );
    container.dataset.selected = currentSelection() ?? "";
  };

  const reportSelection = (): void => {
    const id = currentSelection();
    container.dataset.selected = id ?? "";
    if (id !== reportedSelection) {
      reportedSelection = id;
      events.onSelect(id);
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
    const moved = evt.target.union(evt.target.descendants()).filter((n: cytoscape.NodeSingular) => !n.isParent());
    events.onMoved(
      moved.map((n: cytoscape.NodeSingular) => ({ id: n.id(), x: n.position("x"), y: n.position("y") })),
    );
  });

  const show = (graph: GraphView): void => {
    const first = lastGraph === null;
    lastGraph = graph;
    const wanted = new Set<string>([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id)]);
    cy.batch(() => {
      cy.elements().filter((el) => !wanted.has(el.id())).remove();
      const added: ElementDefinition[] = [];
      for (const node of graph.nodes) {
        const data = {
          id: node.id,
          kind: node.kind,
          short: node.short,
          label: node.label,
          incomplete: !node.complete,
          noteCount: node.notes.length,
          ...flagData(node.id, node.short),
        };
        const existing = cy.getElementById(node.id);
        if (existing.nonempty()) {
          existing.data(data);
          existing.position({ x: node.x, y: node.y });
        } else {
          added.push({ group: "nodes", data, position: { x: node.x, y: node.y } });
        }
      }
      for (const edge of graph.edges) {
        const data = { id: edge.id, source: edge.source, target: edge.target, amount: edge.amount };
        const existing = cy.getElementById(edge.id);
        if (existing.nonempty()) existing.data(data);
        else added.push({ group: "edges", data });
      }
      cy.add(added);
    });
    if (first) cy.fit(undefined, 36);
    publish();
    reportSelection();
  };

  const setFlags = (next: ReadonlyMap<string, Flag>): void => {
    flags = next;
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        n.data(flagData(n.id(), String(n.data("short"))));
      });
    });
    publish();
  };

  const select = (id: string | null): boolean => {
    const target = id === null ? cy.collection() : cy.getElementById(id);
    if (id !== null && target.empty()) return false;
    cy.batch(() => {
      cy.elements(":selected").unselect();
      target.select();
    });
    reportSelection();
    return true;
  };

  const fit = (ids: readonly string[] = []): void => {
    const focus =
      ids.length === 0
        ? cy.elements()
        : ids.reduce((acc, id) => acc.union(cy.getElementById(id)), cy.collection());
    // Not animated: an animation that never gets a frame (hidden or throttled window) would
    // leave the view wherever it was.
    cy.fit(focus.union(focus.connectedEdges()), 36);
  };

  const nodes = (): { id: string; kind: string }[] =>
    cy
      .nodes()
      .filter((n) => !isCompound(n.id()))
      .map((n) => ({ id: n.id(), kind: String(n.data("kind")) }));

  const whereIs = (id: string): NodePlace | null => {
    const node = cy.getElementById(id);
    if (node.empty() || !node.isNode()) return null;
    return { model: { ...node.position() }, rendered: { ...node.renderedPosition() } };
  };

  publish();
  return { show, setFlags, select, fit, nodes, whereIs };
}
