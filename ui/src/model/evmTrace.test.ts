import { describe, expect, it } from "vitest";
import type { EvmTraceView } from "../ipc/types";
import { evmTraceStatus, evmTracedByNode, isEvmTraceStart } from "./evmTrace";

const A = "0x52908400098527886e0f7030069857d2e4169ee7";
const B = "0x00000000000000000000000000000000000000b2";

const view: EvmTraceView = {
  chain: "eip155:1",
  model: "haircut",
  direction: "forward",
  max_hops: 6,
  seeds: ["eip155:1:0xaa:0"],
  assets: [
    {
      asset: "eip155:1/erc20:0xaa",
      symbol: "USDT",
      decimals: 6,
      seeded: "100000000",
      seeded_text: "100 USDT",
      unresolved: "100000000",
      held_at_hop_limit: "0",
      balanced: true,
      addresses: [
        { node_id: `eth:addr:${A}`, address: A, received: "72809960000", received_text: "72809.96 USDT", remaining: "0", held_at_hop_limit: "0", hop: 1 },
        { node_id: `eth:addr:${B}`, address: B, received: "0", received_text: "0 USDT", remaining: "0", held_at_hop_limit: "0", hop: 2 },
      ],
    },
    {
      asset: "eip155:1/slip44:60",
      symbol: "ETH",
      decimals: 18,
      seeded: "1",
      seeded_text: "0.000000000000000001 ETH",
      unresolved: "1",
      held_at_hop_limit: "0",
      balanced: true,
      addresses: [{ node_id: `eth:addr:${A}`, address: A, received: "1", received_text: "0.000000000000000001 ETH", remaining: "1", held_at_hop_limit: "0", hop: 1 }],
    },
  ],
  fetched: [A],
  failed: [],
  missing: [],
};

describe("EVM traces", () => {
  it("routes EVM starts to the account-model trace", () => {
    expect(isEvmTraceStart(A), "a 0x address").toBe(true);
    expect(isEvmTraceStart(`eth:addr:${A}`), "an EVM canvas id").toBe(true);
    expect(isEvmTraceStart(`eip155:1:0x${"ab".repeat(32)}:0`), "a transfer id").toBe(true);
    expect(isEvmTraceStart("bc1qxyz"), "a Bitcoin address is not").toBe(false);
    expect(isEvmTraceStart(`${"ab".repeat(32)}:0`), "a Bitcoin outpoint is not").toBe(false);
  });

  it("labels each reached node with every asset's exact text, leaving out zero", () => {
    expect([...evmTracedByNode(view)], "per node, assets side by side, never summed together").toEqual([
      [`eth:addr:${A}`, "72809.96 USDT + 0.000000000000000001 ETH"],
    ]);
  });

  it("summarises the trace per asset", () => {
    expect(evmTraceStatus(view), "model, chain and per-asset seed").toContain("USDT: seeded 100 USDT, 2 addresses reached, balanced");
    expect(evmTraceStatus(view), "what was fetched").toContain("fetched 1 history");
  });
});
