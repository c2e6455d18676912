import { describe, expect, it } from "vitest";
import type { Trace } from "../ipc/types";
import { conservationLine, traceStartFor, tracedByNode } from "./trace";

const trace: Trace = {
  model: "haircut",
  direction: "forward",
  max_hops: 2,
  offline: true,
  sources: [{ outpoint: `${"a".repeat(64)}:0`, address: "bc1qseed", value: 100_000 }],
  addresses: [
    { address: "bc1qone", tainted: 60_000, outputs: 1, hop: 1 },
    { address: "bc1qzero", tainted: 0, outputs: 1, hop: 1 },
  ],
  txs: [{ txid: "b".repeat(64), hop: 1, tainted_in: 100_000, fee_tainted: 1_000 }],
  conservation: {
    seeded: 100_000,
    fees: 1_000,
    held_at_hop_limit: 99_000,
    unresolved: 0,
    unresolved_outputs: 0,
    coinbase: 0,
    stopped: 0,
    balanced: true,
  },
};

describe("trace", () => {
  it("maps traced amounts onto canvas node ids, leaving untouched nodes out", () => {
    const byNode = tracedByNode(trace);
    expect(byNode.get("btc:addr:bc1qone"), "an address carries what it received").toBe(60_000);
    expect(byNode.get(`btc:tx:${"b".repeat(64)}`), "a transaction carries what entered it").toBe(100_000);
    expect(byNode.has("btc:addr:bc1qzero"), "zero taint is no mark on the canvas").toBe(false);
  });

  it("starts from the selected address or a transaction's first output", () => {
    expect(traceStartFor("btc:addr:bc1qseed"), "an address is traced as is").toBe("bc1qseed");
    expect(traceStartFor(`btc:tx:${"c".repeat(64)}`), "a transaction from output 0").toBe(`${"c".repeat(64)}:0`);
    expect(traceStartFor("entity:1"), "an entity is no start").toBeNull();
    expect(traceStartFor(null), "nothing selected").toBeNull();
  });

  it("accounts for every seeded satoshi in words", () => {
    expect(conservationLine(trace.conservation), "exact amounts and the balance verdict").toBe(
      "seeded 0.00100000 BTC · fees 0.00001000 BTC · held at the hop limit 0.00099000 BTC · unresolved 0.00000000 BTC · balanced",
    );
  });
});
