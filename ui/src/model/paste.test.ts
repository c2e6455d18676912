import { describe, expect, it } from "vitest";
import { pasteSummary, pastedLines, rejectedText } from "./paste";

describe("paste", () => {
  it("counts only the lines that hold something", () => {
    expect(pastedLines("a\n\n  \nb\r\nc\n"), "blank and whitespace-only lines are skipped").toBe(3);
    expect(pastedLines(""), "an empty box holds nothing").toBe(0);
  });

  it("names a refused line by its number and input, with the core's message", () => {
    expect(
      rejectedText({ line: 3, input: "xyz", code: "invalid_input", message: "'xyz' is not a Bitcoin address" }),
      "the investigator finds the line to fix by its number",
    ).toBe("Line 3 · xyz: 'xyz' is not a Bitcoin address");
  });

  it("sums up added, already present, connected and refused", () => {
    expect(
      pasteSummary({
        added: [
          { line: 1, node_id: "btc:addr:a", new: true },
          { line: 2, node_id: "btc:addr:b", new: false },
        ],
        rejected: [{ line: 3, input: "x", code: "invalid_input", message: "bad" }],
        connected: ["btc:tx:t"],
      }),
      "every part of the outcome is said",
    ).toBe("Added 1 node · 1 already on the canvas · 1 connecting transaction shown · 1 line refused.");
    expect(pasteSummary({ added: [], rejected: [], connected: [] }), "nothing refused is said too").toBe(
      "Added 0 nodes · no line refused.",
    );
  });
});
