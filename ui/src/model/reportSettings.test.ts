import { describe, expect, it } from "vitest";

import {
  includes,
  MAX_SUMMARY_CHARS,
  movedPosition,
  problem,
  textOrNull,
  withSection,
  type ReportSettings,
} from "./reportSettings";

const base: ReportSettings = {
  exhibit_id: "",
  classification: "",
  paper: "a4",
  question: null,
  summary: null,
};

describe("report settings", () => {
  it("leaves chapters out and back in, keeping the omitted keys sorted", () => {
    const a = withSection(withSection(base, "transactions", false), "coverage", false);
    expect(a.omit, "sorted so the same choice hashes the same").toEqual(["coverage", "transactions"]);
    expect(includes(a, "transactions"), "an omitted chapter is not included").toBe(false);
    expect(includes(a, "figures"), "others stay").toBe(true);
    const b = withSection(a, "transactions", true);
    expect(b.omit, "ticking it again brings it back").toEqual(["coverage"]);
    expect(includes(base, "transactions"), "no omit list means every chapter").toBe(true);
  });

  it("treats blank text as not set", () => {
    expect(textOrNull("  \n "), "blank is no summary").toBeNull();
    expect(textOrNull("Line 1\nLine 2"), "text is kept exactly").toBe("Line 1\nLine 2");
  });

  it("names an over-long field before it is sent", () => {
    expect(problem(base), "defaults are fine").toBeNull();
    const long = { ...base, summary: "x".repeat(MAX_SUMMARY_CHARS + 1) };
    expect(problem(long), "the message names the field and the limit").toMatch(/summary .* at most 20000/);
  });

  it("moves a story step within the list only", () => {
    expect(movedPosition(1, -1, 3), "the first step cannot go up").toBeNull();
    expect(movedPosition(3, 1, 3), "the last cannot go down").toBeNull();
    expect(movedPosition(2, -1, 3), "up is one place earlier").toBe(1);
    expect(movedPosition(2, 1, 3), "down is one place later").toBe(3);
  });
});
