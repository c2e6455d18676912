// Case bundles as the Case menu shows them: what an export wrote or an import verified.
// Mirrors `BundleReceipt` of src-tauri/src/commands/bundle.rs (a shell type, not a core DTO).

export interface BundleReceipt {
  /** The bundle file. */
  bundle: string;
  /** Export: the open case's file; import: the new case file. */
  case_path: string;
  case_id: string;
  /** Size of the bundle in bytes. */
  bytes: number;
  /** SHA-256 of the whole bundle file. */
  sha256: string;
  raw_responses: number;
  content_hash: string | null;
  /** The newest audit-log entry of the bundled case (null for an empty log). */
  audit_head: string | null;
  audit_entries: number;
}

export type BundleAction = "export" | "import";

export interface ReceiptLine {
  term: string;
  value: string;
  /** A stable key for tests and styling. */
  key: string;
}

/** Exact bytes, grouped, with a binary-unit reading beside them: "1,234,567 bytes (1.2 MiB)". */
export function formatBytes(bytes: number): string {
  const exact = `${bytes.toLocaleString("en-US")} ${bytes === 1 ? "byte" : "bytes"}`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = "";
  for (const u of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  return unit === "" ? exact : `${exact} (${value.toFixed(1)} ${unit})`;
}

/** What the result box lists, in order. */
export function receiptLines(r: BundleReceipt, action: BundleAction): ReceiptLine[] {
  const lines: ReceiptLine[] = [];
  if (action === "export") {
    lines.push({ key: "bundle", term: "Bundle", value: r.bundle });
  } else {
    lines.push({ key: "case", term: "Imported case", value: r.case_path });
    lines.push({ key: "bundle", term: "From bundle", value: r.bundle });
  }
  lines.push({ key: "bytes", term: "Size", value: formatBytes(r.bytes) });
  lines.push({ key: "sha256", term: "SHA-256", value: r.sha256 });
  lines.push({
    key: "audit-head",
    term: "Audit head",
    value: r.audit_head === null ? "(empty log)" : `${r.audit_head} (${r.audit_entries} ${r.audit_entries === 1 ? "entry" : "entries"})`,
  });
  lines.push({ key: "content-hash", term: "Content hash", value: r.content_hash ?? "(not recorded)" });
  lines.push({ key: "raw", term: "Raw responses", value: String(r.raw_responses) });
  return lines;
}

/** One sentence for the status line. */
export function receiptSummary(r: BundleReceipt, action: BundleAction): string {
  return action === "export"
    ? `Bundle of case ${r.case_id} written to ${r.bundle} (${formatBytes(r.bytes)}, SHA-256 ${r.sha256})`
    : `Bundle verified (SHA-256 ${r.sha256}); case ${r.case_id} imported to ${r.case_path}`;
}
