import { describe, expect, it } from "vitest";
import { evmTraceStart, isEvmNodeId, isEvmQuery, progressText, sourceLine } from "./sources";

const A = "0x52908400098527886e0f7030069857d2e4169ee7";

describe("EVM ids and queries", () => {
  it("tells EVM node ids from Bitcoin ones", () => {
    expect(isEvmNodeId(`eth:addr:${A}`), "an Ethereum address").toBe(true);
    expect(isEvmNodeId(`bsc:tx:0x${"ab".repeat(32)}`), "a BNB Smart Chain transaction").toBe(true);
    expect(isEvmNodeId("btc:addr:bc1qxyz"), "Bitcoin is not EVM").toBe(false);
    expect(isEvmNodeId("entity:1"), "entities are not EVM").toBe(false);
    expect(isEvmQuery(" 0xABC"), "0x queries go to the EVM source").toBe(true);
    expect(isEvmQuery("bc1qxyz"), "a Bitcoin address does not").toBe(false);
  });

  it("starts an EVM trace at a selected address, not at a transaction", () => {
    expect(evmTraceStart(`eth:addr:${A}`), "the address").toBe(A);
    expect(evmTraceStart(`eth:tx:0x${"ab".repeat(32)}`), "a transaction is no start").toBeNull();
  });
});

describe("texts", () => {
  it("describes the source without a key, saying whether one was found", () => {
    const base = { spec: "etherscan:56=https://api.etherscan.io", source_id: "etherscan:56", chain: "eip155:56", chain_name: "BNB Smart Chain", offline: false };
    expect(sourceLine({ ...base, has_key: true }), "a key found in config.toml").toBe(
      "BNB Smart Chain (eip155:56) · etherscan:56 · API key from config.toml",
    );
    expect(sourceLine({ ...base, spec: null, source_id: null, chain: null, chain_name: null, has_key: false }), "no source").toContain(
      "No EVM source",
    );
  });

  it("counts fetches as `fetched n of m` when the total is known", () => {
    expect(progressText({ source_id: "sim:evm-usdt:1", done: 12, total: 40, retries: 0, failed: 0 }), "a batch").toBe(
      "fetched 12 of 40 · sim:evm-usdt:1",
    );
    expect(progressText({ source_id: "etherscan:1", done: 1, total: null, retries: 2, failed: 1 }), "a gate's running count").toBe(
      "fetched 1 request (2 retries, 1 failed) · etherscan:1",
    );
  });
});
