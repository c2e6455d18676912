// Typed wrappers over the shell's commands: the only module that imports @tauri-apps/api.
// Every command either resolves with its value or rejects with a CommandError.

import { invoke } from "@tauri-apps/api/core";
import type {
  AddOutcome,
  AppFlags,
  CaseScreening,
  CommandErrorBody,
  ExchangeImport,
  ExchangeRecordView,
  ExpandOutcome,
  Explanation,
  Exposure,
  GraphView,
  NodeDetails,
  NodePosition,
  NoteView,
  PageOutcome,
  PasteOutcome,
  RecentCase,
  TaintModel,
  Trace,
  Veto,
} from "./types";

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

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    if (isErrorBody(raw)) throw new CommandError(raw);
    // Tauri itself rejects with a plain string (unknown command, refused by a capability…).
    throw new CommandError({ code: "ipc", message: String(raw) });
  }
}

export const ipc = {
  appFlags: () => call<AppFlags>("app_flags"),
  recentCases: () => call<RecentCase[]>("recent_cases"),
  openDemo: () => call<GraphView>("open_demo"),
  openCase: (path: string, sourceUrl: string | null = null) =>
    call<GraphView>("open_case", { path, sourceUrl }),
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
  exportReport: () => call<string | null>("export_report"),
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
};

export type Ipc = typeof ipc;
