import { describe, expect, it } from "vitest";
import { dragPayload, parseDragPayload } from "./dragNode";

const TX = "4a57734753b83753e132db0c8efbbfbd97991fda2dba64cc6e2b5ddf31f332d4";

describe("node drag payload", () => {
  it("round-trips an address and a transaction", () => {
    const addr = { id: "btc:addr:bc1qk78vya4lfm2ety25h037dhjhhkx90mhexu3n3p", label: "bc1qk78vya4lfm2ety25h037dhjhhkx90mhexu3n3p" };
    expect(parseDragPayload(dragPayload(addr)), "what was dragged is what is dropped").toEqual(addr);
    const tx = { id: `btc:tx:${TX}`, label: TX };
    expect(parseDragPayload(dragPayload(tx))).toEqual(tx);
  });

  it("refuses what is not a node of the canvas", () => {
    expect(parseDragPayload(""), "no payload").toBeNull();
    expect(parseDragPayload("bc1q…"), "plain text from elsewhere").toBeNull();
    expect(parseDragPayload(JSON.stringify({ id: "entity:1", label: "Exchange" })), "an entity is not added by drop").toBeNull();
    expect(parseDragPayload(JSON.stringify({ id: `btc:tx:${TX}`, label: "other" })), "the label must be the id's address or txid").toBeNull();
    expect(parseDragPayload(JSON.stringify({ id: 5, label: TX })), "the id must be text").toBeNull();
    expect(parseDragPayload("[1,2]"), "not an object").toBeNull();
  });
});
