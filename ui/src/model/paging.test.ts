import { describe, expect, it } from "vitest";
import { nextOffset, nextPageSize, pagingText, parseLimit, percentShown } from "./paging";

const busy = { nodeId: "btc:addr:x", shown: 25, total: 312, limit: 25 };

describe("paging", () => {
  it("says how much of a busy address is shown", () => {
    expect(pagingText(busy), "the bar's words").toBe("25 of 312");
    expect(percentShown(busy), "the progress bar's value, rounded down").toBe(8);
    expect(percentShown({ ...busy, shown: 0, total: 0 }), "nothing to show is complete").toBe(100);
  });

  it("continues where the last page stopped and stops at the end", () => {
    expect(nextOffset(busy), "the next page starts after what is shown").toBe(25);
    expect(nextPageSize(busy), "a full page").toBe(25);
    const last = { ...busy, shown: 300 };
    expect(nextPageSize(last), "the last page is smaller").toBe(12);
    expect(nextOffset({ ...busy, shown: 312 }), "no page after the last").toBeNull();
  });

  it("accepts only a whole limit from 1 to 200", () => {
    expect(parseLimit(" 50 "), "a plain number").toBe(50);
    for (const bad of ["0", "201", "2.5", "-3", "", "ten"]) {
      expect(parseLimit(bad), `${JSON.stringify(bad)} is refused`).toBeNull();
    }
  });
});
