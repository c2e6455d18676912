// The app: wires the features to the IPC and keeps the one Investigation state.
// Each user action is: call the shell, then render the state it returned (or show the error).

import { CommandError, ipc } from "./ipc/commands";
import type { CaseScreening, ExchangeRecordView, GraphView, Hit, Launch } from "./ipc/types";
import { type Flag, flagOf, hitsByNode, recordsByNode } from "./model/attribution";
import { countOf } from "./model/format";
import { isCompound } from "./model/ids";
import {
  type Investigation,
  addedNodeIds,
  counts,
  describeSelection,
  findNode,
  noInvestigation,
  withGraph,
  withNote,
  withPositions,
  withSelection,
} from "./model/investigation";
import { type Canvas, type DrawnEntity, type NodePlace, createCanvas } from "./features/canvas/canvas";
import { createAnalysisView } from "./features/details/analysis";
import { createDetailsPanel } from "./features/details/details";
import { byId } from "./features/dom";
import { createExpansionBar } from "./features/expansion/expansion";
import { createOrganiseTools } from "./features/organise/organise";
import { createTimeline } from "./features/timeline/timeline";
import { type TimeWindow, isOpen, openWindow, withinWindow } from "./model/timeWindow";
import { createPastePanel } from "./features/paste/paste";
import { createScreeningPanel } from "./features/screening/screening";
import { createSearchBox } from "./features/search/search";
import { createStartScreen } from "./features/start/start";
import { createStatusLine } from "./features/status/status";
import { createToolbar } from "./features/toolbar/toolbar";
import { createTracePanel } from "./features/trace/trace";
import { traceStartFor, tracedByNode } from "./model/trace";

declare global {
  interface Window {
    /** Installed only with TRACEBENCH_TEST=1: canvas nodes are pixels, so tests select by id. */
    __tracebench?: {
      select(id: string): boolean;
      nodes(): { id: string; kind: string }[];
      whereIs(id: string): NodePlace | null;
      /** The traced satoshi a trace left on a node, or null. */
      traced(id: string): number | null;
      /** How many edges join a node on the canvas (-1 when it is not there). */
      degree(id: string): number;
      /** Where a node is drawn (graph coordinates and pixels), or null. */
      position(id: string): NodePlace | null;
      /** Selects exactly these elements (false when one is not drawn). */
      selectMany(ids: string[]): boolean;
      entities(): DrawnEntity[];
      edges(): { id: string; source: string; target: string; amount: string }[];
      /** Imports exchange records from an explicit path (the shell accepts one in test mode only). */
      importExchangeRecords(path: string, source: string): Promise<unknown>;
    };
  }
}

function messageOf(err: unknown): string {
  if (err instanceof CommandError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

export async function startApp(): Promise<void> {
  let inv: Investigation = noInvestigation;
  let canvas: Canvas | null = null;
  // Attribution, kept beside the investigation: what the label store and exchanges say.
  let hits = new Map<string, Hit[]>();
  let records = new Map<string, ExchangeRecordView[]>();
  let screeningRun = 0;
  let screenedOnce = false;

  const workbench = byId("workbench", HTMLElement);
  const status = createStatusLine(byId("status", HTMLElement));
  const details = createDetailsPanel({
    onAddNote: async (nodeId, text) => {
      try {
        const note = await ipc.addNote(nodeId, text);
        if (inv.graph !== null) render(withGraph(inv, withNote(inv.graph, note)));
        status.info("Note saved in the case.");
        return null;
      } catch (err) {
        status.error(`Note not saved: ${messageOf(err)}`);
        return messageOf(err);
      }
    },
    onFocus: (id) => {
      if (canvas?.select(id)) canvas.fit([id]);
    },
    onExposure: (address, hops, incoming) => ipc.exposure(address, hops, incoming),
  });
  let detailsRun = 0;
  const analysis = createAnalysisView({
    onFocus: (id) => {
      if (canvas?.select(id)) canvas.fit([id]);
      else status.error(`${id} is not on the canvas.`);
    },
    onExplain: (a, b) => ipc.explainMerge(a, b),
    onVeto: async (merge, reason) => {
      try {
        await ipc.vetoMerge(merge.txid, merge.a, merge.b, reason);
        status.info(`Vetoed the merges of ${merge.txid}: the cluster is recomputed without them.`);
        await loadDetails();
        return null;
      } catch (err) {
        status.error(`Veto not recorded: ${messageOf(err)}`);
        return messageOf(err);
      }
    },
  });
  const trace = createTracePanel({
    onRun: (start, model, hops, backward) => ipc.traceFunds(start, model, hops, backward),
    onResult: (result) => {
      canvas?.setTraced(result === null ? new Map() : tracedByNode(result));
      if (result !== null) {
        const reached = tracedByNode(result);
        const shown = canvas?.nodes().filter((n) => reached.has(n.id)).length ?? 0;
        status.info(`Trace drawn: ${countOf(shown, "node")} on the canvas carry traced value.`);
      }
    },
    onFocus: (id) => {
      if (canvas?.select(id)) {
        canvas.fit([id]);
        return true;
      }
      status.error(`${id} is not on the canvas.`);
      return false;
    },
  });
  const screening = createScreeningPanel({
    onSelect: (id) => {
      if (canvas?.select(id)) canvas.fit([id]);
      else status.error(`${id} is not on the canvas.`);
    },
    onImportRecords: async (source) => {
      const outcome = await ipc.importExchangeRecords(source);
      if (outcome !== null) await loadRecords();
      return outcome;
    },
  });
  const toolbar = createToolbar({
    onExpand: () => {
      if (inv.selected !== null) void expand(inv.selected);
    },
    onFit: () => canvas?.fit(),
    onExport: () => void exportReport(),
  });
  const search = createSearchBox({
    onAdd: async (query) => {
      const before = inv.graph;
      status.busy(`Adding ${query}…`);
      try {
        const outcome = await ipc.addNode(query);
        render(withGraph(inv, outcome.graph));
        canvas?.select(outcome.node_id);
        canvas?.fit([outcome.node_id]);
        const added = addedNodeIds(before, outcome.graph).length;
        if (added > 0) void screen();
        status.info(added > 0 ? `Added ${outcome.node_id}.` : `${outcome.node_id} was already in the case; selected it.`);
        return null;
      } catch (err) {
        status.error(`Not added: ${messageOf(err)}`);
        return messageOf(err);
      }
    },
  });
  const paste = createPastePanel({
    onAddMany: async (text) => {
      const before = inv.graph;
      try {
        const outcome = await busy("Adding the pasted list…", () => ipc.addMany(text));
        render(withGraph(inv, outcome.graph));
        const fresh = addedNodeIds(before, outcome.graph);
        if (fresh.length > 0) {
          void screen();
          canvas?.fit(fresh);
        }
        status.info(`Pasted list: ${countOf(outcome.added.length, "line")} added, ${countOf(outcome.rejected.length, "line")} refused · ${summary(outcome.graph)}`);
        return outcome;
      } catch (err) {
        status.error(`Pasted list not added: ${messageOf(err)}`);
        throw err;
      }
    },
  });
  /** Runs a canvas change in the core and draws the graph it returns. */
  async function organise(text: string, done: (g: GraphView) => string, work: () => Promise<GraphView>): Promise<string | null> {
    try {
      const graph = await busy(text, work);
      render(withGraph(inv, graph));
      status.info(`${done(graph)} · ${summary(graph)}`);
      return null;
    } catch (err) {
      status.error(`Not changed: ${messageOf(err)}`);
      return messageOf(err);
    }
  }
  let selectedMany: string[] = [];
  let timeWindow: TimeWindow = openWindow;
  const timeline = createTimeline({
    onWindow: (w) => {
      timeWindow = w;
      render(inv);
      const outside = inv.graph === null ? 0 : withinWindow(inv.graph, w).outside;
      status.info(isOpen(w) ? "Time filter cleared: every node is shown." : `Time filter: ${countOf(outside, "node")} outside the window hidden.`);
    },
  });
  const tools = createOrganiseTools({
    onLayout: (name) => {
      canvas?.layout(name);
      status.info(name === "flow" ? "Flow layout: money left to right, earlier first; positions saved." : "Force layout; positions saved.");
    },
    onZoom: (factor) => canvas?.zoomBy(factor),
    onCreateEntity: (name, category, members) =>
      organise("Grouping…", (g) => `Entity “${name.trim()}” created (${countOf(members.length, "node")}); ${countOf(g.entities.length, "entity", "entities")} in the case`, () =>
        ipc.createEntity(name, category, members),
      ),
    onSetCollapsed: (id, collapsed) =>
      void organise(collapsed ? "Collapsing…" : "Expanding…", () => (collapsed ? `Collapsed ${id}` : `Expanded ${id}`), () =>
        ipc.setEntityCollapsed(id, collapsed),
      ),
    onDissolve: (id) => void organise("Ungrouping…", () => `Ungrouped ${id}; its nodes stay on the canvas`, () => ipc.dissolveEntity(id)),
    onHide: (ids) => void organise("Hiding…", () => `Hid ${countOf(ids.length, "node")} (Show hidden brings them back)`, () => ipc.setHidden(ids, true)),
    onUnhideAll: () => void organise("Showing hidden nodes…", () => "Every hidden node is shown again", () => ipc.unhideAll()),
    onRemove: (ids) =>
      void organise("Removing…", () => `Removed ${countOf(ids.length, "node")} from the canvas (their data and notes stay in the case)`, () =>
        ipc.removeNodes(ids),
      ),
  });
  const expansion = createExpansionBar({
    onPage: async (nodeId, offset, limit) => {
      const outcome = await ipc.expandPage(nodeId, offset, limit);
      render(withGraph(inv, outcome.graph));
      if (outcome.added.length > 0) {
        void screen();
        canvas?.fit([nodeId, ...outcome.added]);
      }
      return outcome;
    },
    onError: (message) => status.error(`Not expanded: ${message}`),
    onDone: (text) => status.info(inv.graph === null ? text : `${text} · ${summary(inv.graph)}`),
  });
  const start = createStartScreen({
    onDemo: () => void open(() => ipc.openDemo(), "Opening the demo case…"),
    onOpen: (path) => void open(() => ipc.openCase(path), `Opening ${path}…`),
    onBrowse: () => {
      void ipc
        .pickCaseFile()
        .then((path) => {
          if (path !== null) return open(() => ipc.openCase(path), `Opening ${path}…`);
          return undefined;
        })
        .catch((err: unknown) => start.error(messageOf(err)));
    },
  });

  function render(next: Investigation): void {
    inv = next;
    if (inv.graph !== null) {
      const { graph, outside } = withinWindow(inv.graph, timeWindow);
      canvas?.show(graph);
      timeline.update(inv.graph, outside);
      byId("canvas", HTMLElement).dataset.timeOutside = String(outside);
    }
    tools.update(inv.graph, selectedMany);
    onSelectionChanged();
  }

  function onSelectionChanged(): void {
    const id = inv.selected;
    details.show(
      describeSelection(inv),
      id === null ? undefined : { hits: hits.get(id) ?? [], records: records.get(id) ?? [] },
    );
    const selectedNode = inv.graph !== null && inv.selected !== null ? findNode(inv.graph, inv.selected) : undefined;
    toolbar.setCanExpand(selectedNode !== undefined && !isCompound(selectedNode.id));
    trace.suggest(traceStartFor(selectedNode?.id ?? null));
    void loadDetails();
  }

  /** Asks the core about the selected node; a later selection supersedes an answer in flight. */
  async function loadDetails(): Promise<void> {
    const run = ++detailsRun;
    const node = inv.graph !== null && inv.selected !== null ? findNode(inv.graph, inv.selected) : undefined;
    if (node === undefined || isCompound(node.id)) {
      analysis.clear();
      return;
    }
    analysis.loading(node.id);
    try {
      const d = await ipc.nodeDetails(node.id);
      if (run === detailsRun) analysis.show(d);
    } catch (err) {
      if (run === detailsRun) analysis.error(`Details not loaded: ${messageOf(err)}`);
    }
  }

  function summary(graph: GraphView): string {
    const { nodes, edges } = counts(graph);
    return `${countOf(nodes, "node")}, ${countOf(edges, "transfer")}`;
  }

  async function busy<T>(text: string, work: () => Promise<T>): Promise<T> {
    status.busy(text);
    toolbar.setBusy(true);
    tools.setBusy(true);
    search.setEnabled(false);
    paste.setEnabled(false);
    try {
      return await work();
    } finally {
      toolbar.setBusy(false);
      tools.setBusy(false);
      search.setEnabled(true);
      paste.setEnabled(true);
    }
  }

  /** Screens the case's addresses; a later run supersedes one still in flight. */
  async function screen(): Promise<void> {
    const run = ++screeningRun;
    screening.busy(
      screenedOnce
        ? "Screening the case's addresses…"
        : "Screening the case's addresses (the first run installs the built-in label pack)…",
    );
    try {
      const result = await ipc.screenCase();
      if (run !== screeningRun) return;
      screenedOnce = true;
      applyScreening(result);
    } catch (err) {
      if (run === screeningRun) screening.error(`Not screened: ${messageOf(err)}`);
    }
  }

  function applyScreening(result: CaseScreening): void {
    hits = hitsByNode(result.hits);
    const flags = new Map<string, Flag>();
    for (const [id, list] of hits) {
      const flag = flagOf(list);
      if (flag !== null) flags.set(id, flag);
    }
    canvas?.setFlags(flags);
    screening.show(result);
    onSelectionChanged();
  }

  async function loadRecords(): Promise<void> {
    try {
      records = recordsByNode(await ipc.exchangeRecords());
      onSelectionChanged();
    } catch (err) {
      status.error(`Exchange records not loaded: ${messageOf(err)}`);
    }
  }

  /** Expands a node page by page through the expansion bar (the first page at once). */
  async function expand(nodeId: string): Promise<void> {
    status.busy(`Expanding ${nodeId}…`);
    await expansion.start(nodeId);
  }

  async function exportReport(): Promise<void> {
    try {
      const path = await busy("Writing the report…", () => ipc.exportReport());
      if (path === null) {
        status.info("Export cancelled.");
        return;
      }
      toolbar.showLastExport(path);
      status.info(`Report written to ${path}`);
    } catch (err) {
      status.error(`Report not written: ${messageOf(err)}`);
    }
  }

  async function moved(positions: { id: string; x: number; y: number }[]): Promise<void> {
    if (inv.graph === null) return;
    inv = { ...inv, graph: withPositions(inv.graph, positions) };
    try {
      await ipc.setPositions(positions);
    } catch (err) {
      status.error(`Position not saved: ${messageOf(err)}`);
    }
  }

  function showWorkbench(graph: GraphView): void {
    start.hide();
    workbench.hidden = false;
    canvas ??= createCanvas(byId("canvas", HTMLElement), {
      onSelect: (id) => {
        inv = withSelection(inv, id);
        onSelectionChanged();
      },
      onExpand: (id) => {
        canvas?.select(id);
        void expand(id);
      },
      onMoved: (positions) => void moved(positions),
      onSelectMany: (ids) => {
        selectedMany = ids;
        tools.update(inv.graph, ids);
      },
      onDelete: () => tools.removeSelected(),
    });
    toolbar.showCase(graph.case);
    hits = new Map();
    records = new Map();
    canvas.setFlags(new Map());
    trace.reset();
    expansion.reset();
    timeWindow = openWindow;
    timeline.reset();
    render(withGraph(noInvestigation, graph));
    status.info(`Opened ${graph.case.title} · ${summary(graph)}`);
    void screen();
    void loadRecords();
  }

  async function open(load: () => Promise<GraphView>, text: string): Promise<void> {
    start.setBusy(true);
    start.error("");
    status.busy(text);
    try {
      showWorkbench(await load());
    } catch (err) {
      workbench.hidden = true;
      start.show(await ipc.recentCases().catch(() => []));
      start.error(`Could not open the case: ${messageOf(err)}`);
    } finally {
      start.setBusy(false);
    }
  }

  const flags = await ipc.appFlags();
  if (flags.test_mode) {
    window.__tracebench = {
      select: (id) => canvas?.select(id) ?? false,
      nodes: () => canvas?.nodes() ?? [],
      whereIs: (id) => canvas?.whereIs(id) ?? null,
      traced: (id) => canvas?.tracedAt(id) ?? null,
      degree: (id) => canvas?.degree(id) ?? -1,
      position: (id) => canvas?.whereIs(id) ?? null,
      selectMany: (ids) => canvas?.selectMany(ids) ?? false,
      entities: () => canvas?.entities() ?? [],
      edges: () => canvas?.edges() ?? [],
      importExchangeRecords: async (path, source) => {
        const outcome = await ipc.importExchangeRecords(source, path);
        await loadRecords();
        return outcome;
      },
    };
  }
  await launch(flags.launch);

  async function launch(what: Launch): Promise<void> {
    switch (what.kind) {
      case "demo":
        return open(() => ipc.openDemo(), "Opening the demo case…");
      case "case":
        return open(() => ipc.openCase(what.path, what.source_url), `Opening ${what.path}…`);
      case "start":
        start.show(await ipc.recentCases());
        return;
    }
  }
}
