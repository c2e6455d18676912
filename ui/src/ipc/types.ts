// Types that cross the IPC boundary.
//
// The core's DTOs are generated from Rust (ts-rs) into ../bindings by the lead; this file only
// re-exports them, so the rest of the UI has one place to import from. The shell's own types
// (AppFlags, Launch, RecentCase, CommandErrorBody) are declared here and mirror
// src-tauri/src/{commands/case.rs,launch.rs,recent.rs,error.rs}.

export type { AddOutcome } from "../bindings/AddOutcome";
export type { CaseInfo } from "../bindings/CaseInfo";
export type { EdgeView } from "../bindings/EdgeView";
export type { ExpandOutcome } from "../bindings/ExpandOutcome";
export type { GraphView } from "../bindings/GraphView";
export type { NodeKind } from "../bindings/NodeKind";
export type { NodePosition } from "../bindings/NodePosition";
export type { NodeView } from "../bindings/NodeView";
export type { NoteView } from "../bindings/NoteView";

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
