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
import { type Canvas, type NodePlace, createCanvas } from "./features/canvas/canvas";
import { createDetailsPanel } from "./features/details/details";
import { byId } from "./features/dom";
import { createScreeningPanel } from "./features/screening/screening";
import { createSearchBox } from "./features/search/search";
import { createStartScreen } from "./features/start/start";
import { createStatusLine } from "./features/status/status";
import { createToolbar } from "./features/toolbar/toolbar";

declare global {
  interface Window {
    /** Installed only with TRACEBENCH_TEST=1: canvas nodes are pixels, so tests select by id. */
    __tracebench?: {
      select(id: string): boolean;
      nodes(): { id: string; kind: string }[];
      whereIs(id: string): NodePlace | null;
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
    if (inv.graph !== null) canvas?.show(inv.graph);
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
  }

  function summary(graph: GraphView): string {
    const { nodes, edges } = counts(graph);
    return `${countOf(nodes, "node")}, ${countOf(edges, "transfer")}`;
  }

  async function busy<T>(text: string, work: () => Promise<T>): Promise<T> {
    status.busy(text);
    toolbar.setBusy(true);
    search.setEnabled(false);
    try {
      return await work();
    } finally {
      toolbar.setBusy(false);
      search.setEnabled(true);
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

  async function expand(nodeId: string): Promise<void> {
    try {
      const outcome = await busy(`Expanding ${nodeId}…`, () => ipc.expandNode(nodeId, 1));
      render(withGraph(inv, outcome.graph));
      if (outcome.added.length > 0) void screen();
      if (outcome.added.length > 0) canvas?.fit([nodeId, ...outcome.added]);
      const missing =
        outcome.missing.length > 0 ? ` · ${countOf(outcome.missing.length, "item")} not in the case (offline)` : "";
      status.info(
        outcome.added.length > 0
          ? `Expanded: ${countOf(outcome.added.length, "new node")} · ${summary(outcome.graph)}${missing}`
          : `Nothing new next to ${nodeId} · ${summary(outcome.graph)}${missing}`,
      );
    } catch (err) {
      status.error(`Not expanded: ${messageOf(err)}`);
    }
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
    });
    toolbar.showCase(graph.case);
    hits = new Map();
    records = new Map();
    canvas.setFlags(new Map());
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
