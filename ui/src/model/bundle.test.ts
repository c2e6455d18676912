import { describe, expect, it } from "vitest";
import { type BundleReceipt, formatBytes, receiptLines, receiptSummary } from "./bundle";

const receipt: BundleReceipt = {
  bundle: "/exports/TB-1-20261122T100000Z.tbbundle",
  case_path: "/cases/demo.tbcase",
  case_id: "TB-1",
  bytes: 1_572_864,
  sha256: "ab".repeat(32),
  raw_responses: 12,
  content_hash: "cd".repeat(32),
  audit_head: "ef".repeat(32),
  audit_entries: 7,
};

describe("bundle receipts", () => {
  it("gives the exact byte count beside a binary-unit reading", () => {
    expect(formatBytes(1_572_864), "exact bytes first, then MiB").toBe("1,572,864 bytes (1.5 MiB)");
    expect(formatBytes(512), "under 1 KiB only the exact count").toBe("512 bytes");
    expect(formatBytes(1), "one byte is singular").toBe("1 byte");
  });

  it("lists what an export printed on the bundle: path, size, SHA-256 and the audit head", () => {
    const lines = receiptLines(receipt, "export");
    expect(lines.map((l) => l.key), "the export's lines in order").toEqual([
      "bundle",
      "bytes",
      "sha256",
      "audit-head",
      "content-hash",
      "raw",
    ]);
    expect(lines.find((l) => l.key === "audit-head")?.value, "the head with its entry count").toBe(`${"ef".repeat(32)} (7 entries)`);
  });

  it("names the new case file first after an import, and says when the log is empty", () => {
    const lines = receiptLines({ ...receipt, audit_head: null, audit_entries: 0, content_hash: null }, "import");
    expect(lines[0], "the imported case comes first").toEqual({ key: "case", term: "Imported case", value: "/cases/demo.tbcase" });
    expect(lines.find((l) => l.key === "audit-head")?.value, "an empty log is said, not left blank").toBe("(empty log)");
    expect(lines.find((l) => l.key === "content-hash")?.value, "a missing hash is said").toBe("(not recorded)");
    expect(receiptSummary(receipt, "import"), "the status line names the verified hash and the new file").toContain(
      `SHA-256 ${"ab".repeat(32)}`,
    );
  });
});
