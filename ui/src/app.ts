// The app: wires the features to the IPC and keeps the one Investigation state.
// Each user action is: call the shell, then render the state it returned (or show the error).

import { CommandError, commandNamesInFlight, commandsInFlight, commandsSettled, ipc } from "./ipc/commands";
import { appWindow } from "./ipc/window";
import type { CaseScreening, ExchangeRecordView, GraphView, Hit, Launch, Viewport } from "./ipc/types";
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
import type { DrawnAs } from "./features/canvas/viewport";
import { startOpening } from "./features/canvas/opening";
import { watchIntegrity } from "./features/start/integrity";
import { createAnalysisView } from "./features/details/analysis";
import { createAnnotations } from "./features/annotate/annotate";
import { isEdgeId } from "./model/story";
import { createDetailsPanel } from "./features/details/details";
import { byId } from "./features/dom";
import { createExpansionBar } from "./features/expansion/expansion";
import { createEditing } from "./features/history/editing";
import { saveBeforeClosing } from "./features/history/closing";
import { hiddenIds } from "./features/history/snapshot";
import type { Step } from "./model/history";
import { createViewExportTools, exportLabel } from "./features/export/export";
import { acceptNodeDrops } from "./features/drag/nodeDrag";
import type { DraggedNode } from "./model/dragNode";
import { History } from "./model/history";
import { attachMinimap } from "./features/minimap/minimap";
import { createThemeSwitch } from "./features/theme/theme";
import { visibleNodeIds } from "./model/viewExport";
import { createOrganiseTools } from "./features/organise/organise";
import { createTimeline } from "./features/timeline/timeline";
import { type TimeWindow, heightChains, heightNote, inRange, isOpen, openWindow, withinWindow } from "./model/timeWindow";
import { createHeightSource } from "./features/timeline/heights";
import { createPastePanel } from "./features/paste/paste";
import { createScreeningPanel } from "./features/screening/screening";
import { createSearchBox } from "./features/search/search";
import { createStartScreen } from "./features/start/start";
import { createNewCaseForm } from "./features/start/newCase";
import { createStatusLine } from "./features/status/status";
import { createToolbar } from "./features/toolbar/toolbar";
import { createReportBuilder } from "./features/report/builder";
import type { ReportSettings } from "./model/reportSettings";
import { createTracePanel } from "./features/trace/trace";
import { traceStartFor, tracedByNode } from "./model/trace";
import { evmIpc, sourcesIpc } from "./ipc/commands";
import { createSourcesPanel } from "./features/sources/sources";
import { createBundleMenu } from "./features/bundle/bundle";
import { bundleIpc } from "./ipc/commands";
import { createGraphSensePanel } from "./features/details/graphsense";
import { evmTracedByNode } from "./model/evmTrace";
import { evmTraceStart, isEvmNodeId, isEvmQuery } from "./model/sources";

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
      edges(): { id: string; source: string; target: string; amount: string; label: string }[];
      /** Imports exchange records from an explicit path (the shell accepts one in test mode only). */
      importExchangeRecords(path: string, source: string): Promise<unknown>;
      /** The canvas's size in CSS pixels (what the PNG/SVG exports measure), or null. */
      viewSize(): { width: number; height: number } | null;
      /** How an element is drawn: label text, fill and line colour, range highlight, a node's
       * border style and width and fill opacity (incomplete: dashed, pale); or null. */
      drawnAs(id: string): DrawnAs | null;
      /** The canvas's zoom and pan (what the autosave keeps in the case), or null. */
      camera(): Viewport | null;
      /** Shows the canvas with this zoom and pan (as a user's pan or zoom would). */
      setCamera(view: Viewport): void;
      /** Whether a command is unanswered or an edit still waits to be saved (tests wait for
       * false before they restart the app, instead of sleeping). */
      busy(): boolean;
      /** The names of the commands sent to the core and not answered yet. */
      inFlight(): string[];
      closeWindow(): void;
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
  const history = new History();
  // Before the canvas exists, so it is created in the remembered (or the OS's) theme.
  createThemeSwitch(() => canvas?.viewport.restyle());
  const status = createStatusLine(byId("status", HTMLElement));
  // The undo history (`history`, above) gets its buttons, keys and the canvas's steps here.
  const editing = createEditing({
    history,
    core: ipc,
    show: (g) => render(withGraph(inv, g)),
    graph: () => inv.graph,
    applyPositions: (p) => {
      if (inv.graph !== null) inv = { ...inv, graph: withPositions(inv.graph, p) };
    },
    camera: () => canvas?.camera ?? null,
    canvasElement: byId("canvas", HTMLElement),
    keys: {
      remove: () => tools.removeSelected(),
      fit: () => canvas?.fit(),
      "zoom-in": () => canvas?.zoomBy(1.25),
      "zoom-out": () => canvas?.zoomBy(0.8),
    },
    status,
  });
  // Closing the window (its close button, or `close()`) waits until the pending saves are in,
  // and a running fetch is cancelled so that edits queued behind it reach the case.
  void saveBeforeClosing(
    { flush: editing.flush, inFlight: commandNamesInFlight, cancelFetch: () => evmIpc.cancelFetch(), settled: commandsSettled },
    (err) => console.error("saving before closing failed:", err),
  );
  const steps = editing.steps;
  const details = createDetailsPanel({
    onAddNote: async (nodeId, text) => {
      if (isEdgeId(nodeId)) return annotations.addEdgeNote(nodeId, text);
      try {
        const note = await ipc.addNote(nodeId, text);
        if (inv.graph !== null) render(withGraph(inv, withNote(inv.graph, note)));
        history.record(steps.noted(note));
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
    onRunEvm: (start, model, hops, backward) => evmIpc.evmTrace(start, model, hops, backward),
    onEvmResult: (result) => {
      const reached = evmTracedByNode(result);
      canvas?.setTraced(reached);
      const shown = canvas?.nodes().filter((n) => reached.has(n.id)).length ?? 0;
      status.info(`Trace drawn: ${countOf(shown, "node")} on the canvas carry traced value.`);
      // Histories the trace fetched may draw new edges between nodes already shown.
      if (result.fetched.length > 0) void ipc.graph().then((g) => render(withGraph(inv, g)));
    },
  });
  const sources = createSourcesPanel({
    onSetSource: (spec) => evmIpc.setEvmSource(spec),
    onCancel: () => evmIpc.cancelFetch(),
    btcSource: () => sourcesIpc.btcSource(),
    onSetBtcSource: (spec, cookie) => sourcesIpc.setBtcSource(spec, cookie),
    graphsense: () => sourcesIpc.graphsenseSource(),
    onSetGraphsense: (url) => sourcesIpc.setGraphsense(url),
    onOffline: async (offline) => {
      const state = await evmIpc.setOffline(offline);
      status.info(offline ? "Offline: every source is cache-only; nodes whose data is incomplete are dashed." : "Online: sources are asked again.");
      return state;
    },
  });
  void evmIpc.evmSource().then((s) => sources.show(s));
  // "Ask GraphSense" in the details panel (features/details/graphsense.ts).
  const graphsense = createGraphSensePanel({ onLookup: (nodeId) => sourcesIpc.graphsenseLookup(nodeId) });
  void evmIpc.onFetchProgress((p) => sources.progress(p));
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
    onExport: () => void exportReport(null).catch(() => undefined),
  });
  // The report builder (its button sits beside "Export report"): settings kept in the case,
  // chapters, story order, preview, export.
  createReportBuilder({
    load: () => ipc.reportBuilder(),
    preview: (settings) => ipc.previewReport(settings),
    export: (settings) => exportReport(settings),
    steps: () => inv.graph?.story ?? [],
    moveStep: async (id, to) => {
      const from = inv.graph?.story.find((st) => st.id === id)?.position;
      render(withGraph(inv, await ipc.moveStoryStep(id, to)));
      if (from === undefined) return;
      history.record({
        label: "Move story step",
        undo: async () => render(withGraph(inv, await ipc.moveStoryStep(id, from))),
        redo: async () => render(withGraph(inv, await ipc.moveStoryStep(id, to))),
      });
    },
  });
  const search = createSearchBox({
    onAdd: async (query) => {
      const before = inv.graph;
      status.busy(`Adding ${query}…`);
      try {
        const outcome = isEvmQuery(query) ? await evmIpc.evmAdd(query) : await ipc.addNode(query);
        render(withGraph(inv, outcome.graph));
        canvas?.select(outcome.node_id);
        canvas?.fit([outcome.node_id]);
        const fresh = addedNodeIds(before, outcome.graph);
        const added = fresh.length;
        if (added > 0) history.record(steps.added(`Add ${outcome.node_id}`, outcome.graph, fresh));
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
          history.record(steps.added(`Paste ${countOf(fresh.length, "node")}`, outcome.graph, fresh));
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
  /** Runs a canvas change in the core, draws the graph it returns and records its undo step
   * (made from the graph as it was before). */
  async function organise(
    text: string,
    done: (g: GraphView) => string,
    work: () => Promise<GraphView>,
    step: (before: GraphView) => Step,
  ): Promise<string | null> {
    const before = inv.graph;
    try {
      const graph = await busy(text, work);
      render(withGraph(inv, graph));
      if (before !== null) history.record(step(before));
      status.info(`${done(graph)} · ${summary(graph)}`);
      return null;
    } catch (err) {
      status.error(`Not changed: ${messageOf(err)}`);
      return messageOf(err);
    }
  }
  let selectedMany: string[] = [];
  let timeWindow: TimeWindow = openWindow;
  /** The range selected on the timeline strip: highlighted on the canvas, nothing hidden. */
  let timeRange: TimeWindow | null = null;
  const heights = createHeightSource(() => ipc.canvasHeights());
  const timeline = createTimeline({
    onWindow: (w) => {
      void (async () => {
        if (w.scale === "height" && inv.graph !== null) {
          try {
            await heights.ensure(inv.graph);
          } catch (err) {
            status.error(`Block heights not loaded: ${messageOf(err)}`);
            return;
          }
        }
        timeWindow = w;
        render(inv);
        const outside = inv.graph === null ? 0 : withinWindow(inv.graph, w, heights.current()).outside;
        status.info(isOpen(w) ? "Time filter cleared: every node is shown." : `Time filter: ${countOf(outside, "node")} outside the window hidden.`);
      })();
    },
    onRange: (w) => {
      timeRange = w;
      highlightRange();
    },
    heightChains: async () => {
      if (inv.graph === null) return [];
      await heights.ensure(inv.graph);
      return heightChains(inv.graph, heights.current());
    },
  });
  /** Highlights the timeline's selected range among what is drawn. */
  function highlightRange(): void {
    const drawn = inv.graph === null ? null : withinWindow(inv.graph, timeWindow, heights.current()).graph;
    const ids = timeRange === null || drawn === null ? [] : inRange(drawn, timeRange);
    const count = canvas?.viewport.highlight(ids) ?? 0;
    timeline.showRange(count);
  }
  const tools = createOrganiseTools({
    onLayout: (name) => {
      editing.nameNextMove(name === "flow" ? "Flow layout" : "Force layout");
      canvas?.layout(name);
      status.info(name === "flow" ? "Flow layout: money left to right, earlier first; positions saved." : "Force layout; positions saved.");
    },
    onZoom: (factor) => canvas?.zoomBy(factor),
    onCreateEntity: (name, category, members) =>
      organise(
        "Grouping…",
        (g) => `Entity “${name.trim()}” created (${countOf(members.length, "node")}); ${countOf(g.entities.length, "entity", "entities")} in the case`,
        () => ipc.createEntity(name, category, members),
        (before) => steps.grouped(name, category, members, before),
      ),
    onSetCollapsed: (id, collapsed) =>
      void organise(
        collapsed ? "Collapsing…" : "Expanding…",
        () => (collapsed ? `Collapsed ${id}` : `Expanded ${id}`),
        () => ipc.setEntityCollapsed(id, collapsed),
        () => steps.collapsed(id, collapsed),
      ),
    onDissolve: (id) =>
      void organise(
        "Ungrouping…",
        () => `Ungrouped ${id}; its nodes stay on the canvas`,
        () => ipc.dissolveEntity(id),
        (before) => steps.dissolved(id, before),
      ),
    onHide: (ids) =>
      void organise(
        "Hiding…",
        () => `Hid ${countOf(ids.length, "node")} (Show hidden brings them back)`,
        () => ipc.setHidden(ids, true),
        () => steps.hidden(ids),
      ),
    onUnhideAll: () =>
      void organise(
        "Showing hidden nodes…",
        () => "Every hidden node is shown again",
        () => ipc.unhideAll(),
        (before) => steps.unhidAll(hiddenIds(before)),
      ),
    onRemove: (ids) =>
      void organise(
        "Removing…",
        () => `Removed ${countOf(ids.length, "node")} from the canvas (their data and notes stay in the case)`,
        () => ipc.removeNodes(ids),
        (before) => steps.removed(ids, before),
      ),
  });
  // Callouts, notes on transfers and the storyboard (features/annotate), each undoable.
  const annotations = createAnnotations({
    core: ipc,
    history,
    show: (g) => render(withGraph(inv, g)),
    graph: () => inv.graph,
    view: () => canvas?.shownView() ?? null,
    selectPath: (ids, nodes) => {
      if (canvas === null || !canvas.selectMany(ids)) return false;
      canvas.fit(nodes);
      return true;
    },
    anchorAt: (id) => canvas?.whereIs(id)?.model ?? null,
    graphBox: () => canvas?.viewport.graphBox() ?? null,
    status,
  });
  const expansion = createExpansionBar({
    onPage: async (nodeId, offset, limit) => {
      const outcome = isEvmNodeId(nodeId)
        ? await evmIpc.evmExpandPage(nodeId, offset, limit)
        : await ipc.expandPage(nodeId, offset, limit);
      render(withGraph(inv, outcome.graph));
      if (outcome.added.length > 0) {
        history.record(steps.added(`Expand ${findNode(outcome.graph, nodeId)?.short ?? nodeId}`, outcome.graph, outcome.added));
        void screen();
        canvas?.fit([nodeId, ...outcome.added]);
      }
      return outcome;
    },
    onError: (message) => status.error(`Not expanded: ${message}`),
    onDone: (text) => status.info(inv.graph === null ? text : `${text} · ${summary(inv.graph)}`),
  });
  // An address's history paged for the expansion: "page 2 of ~4 · 50 of 77 transactions".
  void evmIpc.onFetchProgress((p) => expansion.progress(p));
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
  // The new-case form: a case on the chosen Bitcoin network, opened like any other.
  createNewCaseForm({
    onCreate: (meta) =>
      void open(() => ipc.createCase(meta), `Creating the Bitcoin ${meta.network} case ${meta.title}…`),
    onInvalid: (message) => start.error(message),
  });

  const viewExports = createViewExportTools({
    onExport: async (kind) => {
      if (canvas === null || inv.graph === null) throw new Error("no case is open");
      if (kind === "csv") return ipc.exportViewCsv(visibleNodeIds(withinWindow(inv.graph, timeWindow, heights.current()).graph));
      // The graph's picture with the callouts drawn over it (features/annotate/picture.ts).
      const width = canvas.viewport.size().width;
      const bytes =
        kind === "png"
          ? await annotations.pngWithCallouts(await canvas.viewport.png(), width)
          : new TextEncoder().encode(annotations.svgWithCallouts(canvas.viewport.svg(), width));
      return ipc.exportViewPicture(kind, bytes);
    },
    onDone: (kind, path) => {
      if (path === null) {
        status.info("Export cancelled.");
        return;
      }
      toolbar.showLastExport(path);
      status.info(`${exportLabel(kind)} written to ${path}`);
    },
    onError: (kind, message) => status.error(`${exportLabel(kind)} not written: ${message}`),
  });

  function render(next: Investigation): void {
    inv = next;
    if (inv.graph !== null) {
      const { graph, outside } = withinWindow(inv.graph, timeWindow, heights.current());
      canvas?.show(graph);
      timeline.update(inv.graph, outside, heightNote(inv.graph, timeWindow, heights.current()));
      byId("canvas", HTMLElement).dataset.timeOutside = String(outside);
      highlightRange();
      // New transactions under a height window: ask their heights, then draw again.
      if (timeWindow.scale === "height") {
        void heights.ensure(inv.graph).then(
          (changed) => {
            if (changed) render(inv);
          },
          (err: unknown) => status.error(`Block heights not loaded: ${messageOf(err)}`),
        );
      }
    }
    tools.update(inv.graph, selectedMany);
    annotations.update(inv.graph, selectedMany);
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
    const selId = selectedNode?.id ?? null;
    trace.suggest(selId !== null && isEvmNodeId(selId) ? evmTraceStart(selId) : traceStartFor(selId));
    graphsense.select(selId);
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
    viewExports.setEnabled(false);
    search.setEnabled(false);
    paste.setEnabled(false);
    try {
      return await work();
    } finally {
      toolbar.setBusy(false);
      tools.setBusy(false);
      viewExports.setEnabled(true);
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

  /** Writes the report under the case's stored settings, or stores `settings` first (the
   * builder's); errors go to the status line and to the caller. */
  async function exportReport(settings: ReportSettings | null): Promise<string | null> {
    try {
      const path = await busy("Writing the report…", () => ipc.exportReport(settings));
      if (path === null) {
        status.info("Export cancelled.");
        return null;
      }
      toolbar.showLastExport(path);
      status.info(`Report written to ${path}`);
      return path;
    } catch (err) {
      status.error(`Report not written: ${messageOf(err)}`);
      throw err;
    }
  }

  /** Adds a node dropped on the canvas through the add path and places it at the drop point. */
  async function dropNode(node: DraggedNode, clientX: number, clientY: number): Promise<void> {
    const at = canvas?.viewport.modelAt(clientX, clientY) ?? null;
    if (at === null) return;
    const onCanvas = inv.graph !== null && findNode(inv.graph, node.id) !== undefined;
    // The transactions shown with the node to connect it to the canvas go with it on undo.
    let connected: string[] = [];
    const place = async (): Promise<void> => {
      const outcome = await ipc.addNode(node.label);
      connected = outcome.connected;
      const position = { id: outcome.node_id, x: at.x, y: at.y };
      await ipc.setPositions([position]);
      render(withGraph(inv, withPositions(outcome.graph, [position])));
      canvas?.select(outcome.node_id);
    };
    try {
      if (onCanvas) {
        canvas?.select(node.id);
        status.info(`${node.id} is already on the canvas; selected it.`);
        return;
      }
      await busy(`Adding ${node.label}…`, place);
      void screen();
      status.info(inv.graph === null ? `Added ${node.id}.` : `Added ${node.id} where it was dropped · ${summary(inv.graph)}`);
      // Redo puts the node back from the case (restore_nodes, at its drop point): no refetch.
      if (inv.graph !== null) history.record(steps.added(`Add ${node.id}`, inv.graph, [node.id, ...connected]));
    } catch (err) {
      status.error(`Not added: ${messageOf(err)}`);
    }
  }

  function showWorkbench(graph: GraphView, view: Viewport | null): void {
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
      onMoved: (positions) => editing.moved(positions),
      onDragging: (positions) => editing.dragging(positions),
      onView: (view) => editing.viewChanged(view),
      onSelectMany: (ids) => {
        selectedMany = ids;
        tools.update(inv.graph, ids);
        annotations.update(inv.graph, ids);
      },
    });
    toolbar.showCase(graph.case);
    hits = new Map();
    records = new Map();
    canvas.setFlags(new Map());
    trace.reset();
    expansion.reset();
    timeWindow = openWindow;
    timeRange = null;
    heights.reset();
    timeline.reset();
    // Nothing stays selected from the case before: another case may hold the same node ids
    // (an imported bundle of the open case), and the details panel starts empty.
    canvas.select(null);
    canvas.openAt(view);
    render(withGraph(noInvestigation, graph));
    status.info(`Opened ${graph.case.title} · ${summary(graph)}`);
  }

  async function open(load: () => Promise<GraphView>, text: string): Promise<void> {
    start.setBusy(true);
    start.error("");
    status.busy(text);
    try {
      // What the open case has not saved yet goes to it before another case opens.
      await editing.flush();
      const opening = startOpening();
      const graph = await opening.partAsync("ipc", load);
      // The open case's Bitcoin source, its requests wired to the progress line and Cancel.
      await opening.partAsync("sources", () => sources.caseOpened());
      // The saved view is asked for before drawing, so the first frame shows it.
      const view = await opening.partAsync("viewport", () => ipc.viewport().catch(() => null));
      opening.part("draw", () => showWorkbench(graph, view));
      opening.part("opened", () => editing.opened());
      await opening.firstFrame();
      // What the first frame does not show waits until it was drawn.
      opening.part("after", () => {
        // The minimap draws a thumbnail of the whole graph: after the first frame, not before.
        if (canvas !== null) attachMinimap(canvas.viewport);
        void watchIntegrity(ipc.caseIntegrity, workbench, (err) =>
          status.error(`${messageOf(err)} — the case is shown read-only: nothing will be saved to it.`),
        );
        void screen();
        void loadRecords();
      });
    } catch (err) {
      workbench.hidden = true;
      start.show(await ipc.recentCases().catch(() => []));
      start.error(`Could not open the case: ${messageOf(err)}`);
    } finally {
      start.setBusy(false);
    }
  }

  acceptNodeDrops(byId("canvas", HTMLElement), (node, x, y) => void dropNode(node, x, y));

  const flags = await ipc.appFlags();
  // The Case ▾ menu: bundles out of and into the app (features/bundle).
  createBundleMenu(
    byId("case-menu-root", HTMLElement),
    {
      exportBundle: () => bundleIpc.exportBundle(),
      importBundle: (path) => bundleIpc.importBundle(path),
      openCase: async (path) => {
        await open(() => ipc.openCase(path), `Opening the imported case ${path}…`);
        if (workbench.hidden) throw new Error(`the imported case ${path} could not be opened`);
      },
      info: (text) => status.info(text),
      error: (text) => status.error(text),
    },
    flags.test_mode,
  );
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
      viewSize: () => canvas?.viewport.size() ?? null,
      drawnAs: (id) => canvas?.viewport.drawnAs(id) ?? null,
      camera: () => canvas?.camera.view() ?? null,
      setCamera: (view) => canvas?.camera.setView(view),
      busy: () => commandsInFlight() > 0 || editing.pending(),
      inFlight: commandNamesInFlight,
      // Closes the window the way its close button does (Tauri's close request), not the way
      // WebDriver's "close window" does (the webview torn down without asking). After the
      // test's script returned, so the answer is not lost with the window.
      closeWindow: () => void setTimeout(() => void appWindow().close(), 0),
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
