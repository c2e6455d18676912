// Types that cross the IPC boundary.
//
// The core's DTOs are generated from Rust (ts-rs) into ../bindings by the lead; this file only
// re-exports them, so the rest of the UI has one place to import from. The shell's own types
// (AppFlags, Launch, RecentCase, CommandErrorBody) are declared here and mirror
// src-tauri/src/{commands/case.rs,launch.rs,recent.rs,error.rs}.

export type { AddOutcome } from "../bindings/AddOutcome";
export type { Annotated } from "../bindings/Annotated";
export type { CalloutView } from "../bindings/CalloutView";
export type { StoryStepView } from "../bindings/StoryStepView";
export type { CaseInfo } from "../bindings/CaseInfo";
export type { NewCase } from "../bindings/NewCase";
export type { BtcNetwork } from "../bindings/BtcNetwork";
export type { EdgeView } from "../bindings/EdgeView";
export type { EntityView } from "../bindings/EntityView";
export type { ExpandOutcome } from "../bindings/ExpandOutcome";
export type { GraphView } from "../bindings/GraphView";
export type { NodeKind } from "../bindings/NodeKind";
export type { NodePosition } from "../bindings/NodePosition";
export type { RestoreEntity } from "../bindings/RestoreEntity";
export type { RestoreNode } from "../bindings/RestoreNode";
export type { Viewport } from "../bindings/Viewport";
export type { NodeView } from "../bindings/NodeView";
export type { NoteView } from "../bindings/NoteView";
export type { ExchangeImport } from "../bindings/ExchangeImport";
export type { ExchangeRecordView } from "../bindings/ExchangeRecordView";
export type { Cluster } from "../bindings/Cluster";
export type { Explanation } from "../bindings/Explanation";
export type { Finding } from "../bindings/Finding";
export type { FlowDirection } from "../bindings/FlowDirection";
export type { FlowRow } from "../bindings/FlowRow";
export type { Merge } from "../bindings/Merge";
export type { NodeDetails } from "../bindings/NodeDetails";
export type { PasteOutcome } from "../bindings/PasteOutcome";
export type { PageOutcome } from "../bindings/PageOutcome";
export type { PastedNode } from "../bindings/PastedNode";
export type { RejectedLine } from "../bindings/RejectedLine";
export type { Veto } from "../bindings/Veto";

/** What the command line asked the shell to open. */
export type Launch =
  | { kind: "start" }
  | { kind: "demo" }
  | { kind: "case"; path: string; source_url: string | null };

export interface AppFlags {
  test_mode: boolean;
  launch: Launch;
}

export interface RecentCase {
  path: string;
  title: string;
  case_id: string;
  opened_utc: string;
}

/** The `{code, message}` every failing command rejects with. */
export interface CommandErrorBody {
  code: string;
  message: string;
}

// Attribution: mirror tracebench_labels' screening and exposure DTOs (serde's JSON shapes;
// amounts in satoshi as integers). The labels crate does not generate bindings yet.

/** A label category as tracebench_labels serialises it (snake_case): `exchange`, `sanctioned`, … */
export type Category = string;

/** One label of a screened address: one hit per label, so two sources make two hits. */
export interface Hit {
  address: string;
  /** The chain as the label's list named it. */
  chain: string;
  label: string;
  category: Category;
  source: string;
  source_date: string | null;
  /** 0–100. */
  confidence: number;
}

export interface PackUse {
  pack_id: string;
  version: string;
}

/** What `screen_case` returns: every address of the case screened, hits only. */
export interface CaseScreening {
  screened: number;
  hits: Hit[];
  packs: PackUse[];
}

export interface CategoryExposure {
  category: Category;
  direct_sat: number;
  indirect_sat: number;
  /** The share of the total as the core formats it. */
  share: string;
  min_hops: number;
  /** Labelled addresses the exposure runs through. */
  via: string[];
}

export interface Exposure {
  address: string;
  direction: string;
  total_sat: number;
  categories: CategoryExposure[];
  model: string;
  hops: number;
  decay_percent: number | null;
}


// Taint tracing: mirrors tracebench_core::analysis::trace (serde's JSON shapes; satoshi as
// integers). The engine's trace types are not API DTOs, so they have no generated bindings.

export type TaintModel = "poison" | "haircut" | "fifo";

export interface TracedAddress {
  address: string;
  /** Satoshi of tainted value the address received. */
  tainted: number;
  outputs: number;
  hop: number;
}

export interface TracedTx {
  txid: string;
  hop: number;
  tainted_in: number;
  fee_tainted: number;
}

export interface TraceSource {
  outpoint: string;
  address: string | null;
  value: number;
}

export interface Conservation {
  seeded: number;
  fees: number;
  held_at_hop_limit: number;
  unresolved: number;
  unresolved_outputs: number;
  coinbase: number;
  stopped: number;
  balanced: boolean;
}

export interface Trace {
  model: TaintModel;
  direction: "forward" | "backward";
  max_hops: number;
  offline: boolean;
  sources: TraceSource[];
  addresses: TracedAddress[];
  txs: TracedTx[];
  conservation: Conservation;
}

// EVM sources, the offline switch and fetch progress: src-tauri/src/commands/evm.rs (the trace
// and add outcomes are generated from the core).

export type { EvmAddOutcome } from "../bindings/EvmAddOutcome";
export type { EvmAssetTrace } from "../bindings/EvmAssetTrace";
export type { EvmTaintAt } from "../bindings/EvmTaintAt";
export type { EvmTraceView } from "../bindings/EvmTraceView";

/** The EVM source the app fetches through (never its key), and the offline switch. */
export interface EvmSourceView {
  spec: string | null;
  source_id: string | null;
  chain: string | null;
  chain_name: string | null;
  has_key: boolean;
  offline: boolean;
}

/** The open case's Bitcoin source (src-tauri/src/commands/sources.rs); never a password. */
export interface BtcSourceView {
  source_id: string | null;
  kind: "esplora" | "bitcoin-core" | "sim" | null;
  network: string;
  /** `url`: the Esplora URL names the network; `case`: taken to be the case's. */
  network_from: "url" | "case";
  auth: "cookie" | "user-password" | "none" | null;
  keyring_note: string | null;
}

/** The GraphSense instance set (never its key). */
export interface GraphSenseView {
  source_id: string | null;
  has_key: boolean;
}

/** One GraphSense attribution tag. */
export interface GraphSenseTag {
  label: string;
  category: string | null;
  abuse: string | null;
  source: string | null;
  actor: string | null;
  confidence: string | null;
  tagpack_title: string | null;
}

/** GraphSense's answer for an address, stored in the case as evidence. */
export interface GraphSenseLookupView {
  currency: string;
  address: string;
  entity: number;
  root_address: string | null;
  no_addresses: number | null;
  tags: GraphSenseTag[];
  source_id: string;
  retrieved_utc: string;
}

/** One progress report of a source's gate (`fetch-progress` events). */
export interface FetchProgress {
  source_id: string;
  done: number;
  total: number | null;
  retries: number;
  failed: number;
  /** Set when the event reports an address's history paged from the source. */
  history: HistoryFetchProgress | null;
}

/** Pages and transactions of one address's history fetched so far, of those the source states. */
export interface HistoryFetchProgress {
  address: string;
  pages: number;
  pages_total: number | null;
  txs: number;
  txs_total: number | null;
}
