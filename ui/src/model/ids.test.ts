import { describe, expect, it } from "vitest";
import { isCompound, parseNodeId } from "./ids";

describe("parseNodeId", () => {
  it("reads the three kinds of id the core writes", () => {
    expect(parseNodeId("btc:addr:bc1qxyz"), "an address id names chain and address").toEqual({
      kind: "address",
      chain: "btc",
      address: "bc1qxyz",
    });
    expect(parseNodeId("btc:tx:00ff"), "a transaction id names chain and txid").toEqual({
      kind: "transaction",
      chain: "btc",
      txid: "00ff",
    });
    expect(parseNodeId("entity:12"), "an entity id carries its number").toEqual({ kind: "entity", n: 12 });
  });

  it("refuses anything else rather than guessing", () => {
    for (const id of ["", "bc1qxyz", "btc:addr:", "entity:x", "btc:block:1"]) {
      expect(parseNodeId(id), `${JSON.stringify(id)} is not a node id`).toBeNull();
    }
  });

  it("treats only entities as compound", () => {
    expect(isCompound("entity:1"), "entities are drawn around their members").toBe(true);
    expect(isCompound("btc:addr:bc1q"), "addresses are flow nodes").toBe(false);
  });
});
