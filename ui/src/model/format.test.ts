import { describe, expect, it } from "vitest";
import { countOf, formatIsoUtc, formatUnixUtc, middleEllipsis } from "./format";

describe("format", () => {
  it("shows block times in UTC, whatever the machine's time zone", () => {
    expect(formatUnixUtc(1_709_283_600), "investigators compare times across agencies in UTC").toBe(
      "2024-03-01 09:00:00 UTC",
    );
    expect(formatUnixUtc(null), "a missing time is said, not shown as 1970").toMatch(/^time unknown/);
  });

  it("shortens ISO timestamps to the minute and leaves junk alone", () => {
    expect(formatIsoUtc("2024-03-01T09:00:59Z"), "minutes are enough in headers").toBe("2024-03-01 09:00 UTC");
    expect(formatIsoUtc("not a date"), "unparsable input is shown as it came").toBe("not a date");
  });

  it("keeps both ends of long identifiers", () => {
    expect(middleEllipsis("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", 6)).toBe("bc1qar…wf5mdq");
    expect(middleEllipsis("short", 6), "short text is not touched").toBe("short");
  });

  it("counts in words", () => {
    expect(countOf(1, "node")).toBe("1 node");
    expect(countOf(3, "node"), "plural for anything but one").toBe("3 nodes");
  });
});
