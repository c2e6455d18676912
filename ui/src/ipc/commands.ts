// Typed wrappers over the shell's commands: the only module that imports @tauri-apps/api.
// Every command either resolves with its value or rejects with a CommandError.

import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  AddOutcome,
  Annotated,
  AppFlags,
  CaseScreening,
  CommandErrorBody,
  ExchangeImport,
  ExchangeRecordView,
  EvmAddOutcome,
  EvmSourceView,
  BtcSourceView,
  GraphSenseLookupView,
  GraphSenseView,
  EvmTraceView,
  ExpandOutcome,
  FetchProgress,
  Explanation,
  Exposure,
  GraphView,
  NewCase,
  NodeDetails,
  NodePosition,
  NoteView,
  PageOutcome,
  PasteOutcome,
  RecentCase,
  RestoreNode,
  TaintModel,
  Trace,
  Veto,
  Viewport,
} from "./types";
import type { ReportBuilderView, ReportSettings } from "../model/reportSettings";
import type { BundleReceipt } from "../model/bundle";

export class CommandError extends Error {
  readonly code: string;

  constructor(body: CommandErrorBody) {
    super(body.message);
    this.name = "CommandError";
    this.code = body.code;
  }
}

function isErrorBody(value: unknown): value is CommandErrorBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === "string" &&
    typeof (value as Record<string, unknown>).message === "string"
  );
}

/** The commands in flight by name, with how many of each. */
const inFlightNamed = new Map<string, number>();
/** Who waits for the commands in flight to be answered, all but the ones they ignore. */
let waiters: Array<{ ignoring: ReadonlySet<string>; resolve: () => void }> = [];

/** How many commands have been sent to the core and not answered yet. */
export function commandsInFlight(): number {
  let count = 0;
  for (const n of inFlightNamed.values()) count += n;
  return count;
}

/** The names of the commands in flight (tests and diagnostics). */
export function commandNamesInFlight(): string[] {
  return [...inFlightNamed.keys()].sort();
}

const onlyIgnored = (ignoring: ReadonlySet<string>): boolean => [...inFlightNamed.keys()].every((name) => ignoring.has(name));

/** Resolves once every command in flight has its answer, the ones named in `ignoring` apart (at
 * once when no other one is in flight). */
export function commandsSettled(ignoring: ReadonlySet<string> = new Set()): Promise<void> {
  if (onlyIgnored(ignoring)) return Promise.resolve();
  return new Promise((resolve) => waiters.push({ ignoring, resolve }));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  inFlightNamed.set(command, (inFlightNamed.get(command) ?? 0) + 1);
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    if (isErrorBody(raw)) throw new CommandError(raw);
    // Tauri itself rejects with a plain string (unknown command, refused by a capability…).
    throw new CommandError({ code: "ipc", message: String(raw) });
  } finally {
    const left = (inFlightNamed.get(command) ?? 1) - 1;
    if (left === 0) inFlightNamed.delete(command);
    else inFlightNamed.set(command, left);
    const done = waiters.filter((w) => onlyIgnored(w.ignoring));
    waiters = waiters.filter((w) => !done.includes(w));
    for (const w of done) w.resolve();
  }
}

export const ipc = {
  appFlags: () => call<AppFlags>("app_flags"),
  recentCases: () => call<RecentCase[]>("recent_cases"),
  openDemo: () => call<GraphView>("open_demo"),
  openCase: (path: string, sourceUrl: string | null = null) =>
    call<GraphView>("open_case", { path, sourceUrl }),
  /** Creates a case on the chosen Bitcoin network (at `path`, else in the data dir's cases/). */
  createCase: (meta: NewCase, path: string | null = null) =>
    call<GraphView>("create_case", { meta, path }),
  /** The open case's page check (it runs after opening): rejects naming the damage. */
  caseIntegrity: () => call<void>("case_integrity"),
  pickCaseFile: () => call<string | null>("pick_case_file"),
  graph: () => call<GraphView>("graph"),
  addNode: (query: string) => call<AddOutcome>("add_node", { query }),
  /** Adds a pasted list, one address or txid per line; bad lines come back in `rejected`. */
  addMany: (text: string) => call<PasteOutcome>("add_many", { text }),
  expandNode: (nodeId: string, hops: number) =>
    call<ExpandOutcome>("expand_node", { nodeId, hops }),
  /** Shows neighbours `offset .. offset + limit` of a node; says how many there are in all. */
  expandPage: (nodeId: string, offset: number, limit: number) =>
    call<PageOutcome>("expand_page", { nodeId, offset, limit }),
  setPositions: (positions: NodePosition[]) => call<void>("set_positions", { positions }),
  addNote: (nodeId: string, text: string) => call<NoteView>("add_note", { nodeId, text }),
  /** Resolves with the written file's path, or null when the save dialog was cancelled. */
  /** Writes the report; with `settings`, stores them in the case first (audited). */
  exportReport: (settings: ReportSettings | null = null) =>
    call<string | null>("export_report", settings === null ? {} : { settings }),
  /** The stored exhibit settings and the chapters the builder offers. */
  reportBuilder: () => call<ReportBuilderView>("report_builder"),
  /** Stores the exhibit settings in the case (audited); returns the ones in force. */
  saveReportSettings: (settings: ReportSettings) =>
    call<ReportSettings>("save_report_settings", { settings }),
  /** The exhibit under `settings` (not stored) as PDF bytes, for the preview. */
  previewReport: async (settings: ReportSettings) =>
    new Uint8Array(await call<ArrayBuffer>("preview_report", { settings })),
  /** Writes a picture of the canvas (PNG or SVG bytes); the path, or null when the dialog was cancelled. */
  exportViewPicture: (format: "png" | "svg", bytes: Uint8Array) =>
    call<string | null>("export_view_picture", { format, bytes: Array.from(bytes) }),
  /** Writes the transfers between the visible nodes as CSV; the path, or null when cancelled. */
  exportViewCsv: (visible: string[]) => call<string | null>("export_view_csv", { visible }),
  /** Block heights of the canvas's confirmed transactions, by canvas id. */
  canvasHeights: () => call<Record<string, number>>("canvas_heights"),
  /** Screens every address of the open case against the label store (installs the built-in pack on first use). */
  screenCase: () => call<CaseScreening>("screen_case"),
  exposure: (address: string, hops: number, incoming: boolean) =>
    call<Exposure>("exposure", { address, hops, incoming }),
  exchangeRecords: () => call<ExchangeRecordView[]>("exchange_records"),
  /**
   * Imports an exchange's CSV of deposits and withdrawals as evidence from `source`. Without a
   * path the shell asks with the open dialog (null when cancelled); an explicit path is accepted
   * only in test mode.
   */
  importExchangeRecords: (source: string, path: string | null = null) =>
    call<ExchangeImport | null>("import_exchange_records", { path, source }),
  /** The selected node's transactions, first/last seen, cluster or findings, from the case. */
  nodeDetails: (nodeId: string) => call<NodeDetails>("node_details", { nodeId }),
  /** The chain of merges joining two addresses of one cluster. */
  explainMerge: (a: string, b: string) => call<Explanation>("explain_merge", { a, b }),
  /** Vetoes transaction `txid`'s merges (it named `a` and `b`); the reason is required. */
  vetoMerge: (txid: string, a: string, b: string, reason: string) =>
    call<Veto>("veto_merge", { txid, a, b, reason }),
  /** Taint tracing over the case (nothing fetched): start is an address or `<txid>:<vout>`. */
  traceFunds: (start: string, model: TaintModel, hops: number, backward: boolean) =>
    call<Trace>("trace_funds", { start, model, hops, backward }),
  /** Groups canvas nodes into a named entity with a category. */
  createEntity: (name: string, category: string, members: string[]) =>
    call<GraphView>("create_entity", { name, category, members }),
  setEntityCollapsed: (entityId: string, collapsed: boolean) =>
    call<GraphView>("set_entity_collapsed", { entityId, collapsed }),
  dissolveEntity: (entityId: string) => call<GraphView>("dissolve_entity", { entityId }),
  /** Hides canvas nodes (they stay in the case), or shows them again. */
  setHidden: (ids: string[], hidden: boolean) => call<GraphView>("set_hidden", { ids, hidden }),
  unhideAll: () => call<GraphView>("unhide_all"),
  /** Takes nodes off the canvas; their data and notes stay in the case. */
  removeNodes: (ids: string[]) => call<GraphView>("remove_nodes", { ids }),
  // Editing (src-tauri/src/commands/editing.rs): undo's way back, and the autosaved viewport.
  /** Puts nodes back on the canvas with their position, entity and hidden flag. */
  restoreNodes: (nodes: RestoreNode[]) => call<GraphView>("restore_nodes", { nodes }),
  /** The canvas viewport saved in the case, or null when none was saved. */
  viewport: () => call<Viewport | null>("viewport"),
  setViewport: (viewport: Viewport) => call<void>("set_viewport", { viewport }),
  // Annotations (src-tauri/src/commands/annotate.rs): analyst notes, never facts.
  /** Places a free-text callout at (x, y) in model coordinates; resolves with its id and the graph. */
  addCallout: (text: string, x: number, y: number, anchor: string | null = null) =>
    call<Annotated>("add_callout", { text, x, y, anchor }),
  editCallout: (id: number, text: string) => call<GraphView>("edit_callout", { id, text }),
  moveCallout: (id: number, x: number, y: number) => call<GraphView>("move_callout", { id, x, y }),
  /** Takes a callout off the canvas (kept in the case), or puts it back. */
  setCalloutRemoved: (id: number, removed: boolean) =>
    call<GraphView>("set_callout_removed", { id, removed }),
  addEdgeNote: (edgeId: string, text: string) => call<NoteView>("add_edge_note", { edgeId, text }),
  /** Retracts a note: it stays in the case, marked retracted, and is no longer shown. */
  retractNote: (noteId: number) => call<GraphView>("retract_note", { noteId }),
  /** Appends a story step whose path is the selected nodes and edges. */
  addStoryStep: (title: string, caption: string, nodes: string[], edges: string[]) =>
    call<Annotated>("add_story_step", { title, caption, nodes, edges }),
  renameStoryStep: (id: number, title: string, caption: string) =>
    call<GraphView>("rename_story_step", { id, title, caption }),
  /** Moves a story step to 1-based `toPosition`; the other steps keep their order. */
  moveStoryStep: (id: number, toPosition: number) =>
    call<GraphView>("move_story_step", { id, toPosition }),
  removeStoryStep: (id: number) => call<GraphView>("remove_story_step", { id }),
  restoreStoryStep: (id: number, position: number) =>
    call<GraphView>("restore_story_step", { id, position }),
};

/** EVM sources, the offline switch and fetch progress (src-tauri/src/commands/evm.rs). */
export const evmIpc = {
  evmSource: () => call<EvmSourceView>("evm_source"),
  /** `etherscan:<chainid>[=<url>]`, `evm-rpc:<chainid>=<url>` or `sim:evm-usdt:<seed>[=<url>]`; "" clears. */
  setEvmSource: (spec: string) => call<EvmSourceView>("set_evm_source", { spec }),
  setOffline: (offline: boolean) => call<EvmSourceView>("set_offline", { offline }),
  cancelFetch: () => call<void>("cancel_fetch"),
  evmAdd: (query: string) => call<EvmAddOutcome>("evm_add", { query }),
  evmExpandPage: (nodeId: string, offset: number, limit: number) =>
    call<PageOutcome>("evm_expand_page", { nodeId, offset, limit }),
  evmTrace: (start: string, model: TaintModel, hops: number, backward: boolean) =>
    call<EvmTraceView>("evm_trace", { start, model, hops, backward }),
  /** Calls `handler` with every `fetch-progress` event; resolves with the function that stops listening. */
  onFetchProgress: (handler: (p: FetchProgress) => void) =>
    listen<FetchProgress>("fetch-progress", (event) => handler(event.payload)),
};

/** The Bitcoin source and GraphSense (src-tauri/src/commands/sources.rs). */
export const sourcesIpc = {
  /** The open case's Bitcoin source; wires its requests to the progress line and Cancel. */
  btcSource: () => call<BtcSourceView>("btc_source"),
  /** `https://…` (Esplora), `core:http://[user@]host:port` or `sim:<scenario>:<seed>`; a cookie file for a node. */
  setBtcSource: (spec: string, cookie: string | null) => call<BtcSourceView>("set_btc_source", { spec, cookie }),
  graphsenseSource: () => call<GraphSenseView>("graphsense_source"),
  /** A GraphSense REST base URL; "" clears. */
  setGraphsense: (url: string) => call<GraphSenseView>("set_graphsense", { url }),
  graphsenseLookup: (nodeId: string) => call<GraphSenseLookupView>("graphsense_lookup", { nodeId }),
};

/** Case bundles (src-tauri/src/commands/bundle.rs): export the open case, verify and import one. */
export const bundleIpc = {
  /** Writes the open case as a .tbbundle (audited); null when the save dialog was cancelled. */
  exportBundle: () => call<BundleReceipt | null>("export_bundle"),
  /** Verifies a bundle and writes its case; `path` is accepted in test mode only (else the open dialog asks). */
  importBundle: (path: string | null = null) => call<BundleReceipt | null>("import_bundle", { path }),
};

export type Ipc = typeof ipc;
