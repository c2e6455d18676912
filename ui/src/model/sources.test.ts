import { describe, expect, it } from "vitest";
import type { GraphSenseLookupView } from "../ipc/types";
import {
  btcSourceLine,
  evmTraceStart,
  graphsenseAddress,
  graphsenseEntityLine,
  graphsenseLine,
  graphsenseTagSource,
  graphsenseTagWhat,
  isEvmNodeId,
  isEvmQuery,
  progressText,
  sourceLine,
} from "./sources";

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
    expect(sourceLine({ ...base, has_key: true }), "a key found in the keyring or config.toml").toBe(
      "BNB Smart Chain (eip155:56) · etherscan:56 · API key from the keyring or config.toml",
    );
    expect(sourceLine({ ...base, spec: null, source_id: null, chain: null, chain_name: null, has_key: false }), "no source").toContain(
      "No EVM source",
    );
  });

  it("counts fetches as `n of m requests` when the total is known", () => {
    expect(progressText({ source_id: "sim:evm-usdt:1", done: 12, total: 40, retries: 0, failed: 0, history: null }), "a batch").toBe(
      "12 of 40 requests · sim:evm-usdt:1",
    );
    expect(progressText({ source_id: "etherscan:1", done: 1, total: null, retries: 2, failed: 1, history: null }), "a gate's running count").toBe(
      "1 request (2 retries, 1 failed) · etherscan:1",
    );
    const history = { address: "bc1qexample", pages: 2, pages_total: 4, txs: 50, txs_total: 77 };
    expect(progressText({ source_id: "sim:ransomware:1", done: 3, total: null, retries: 0, failed: 0, history }), "a history paged").toBe(
      "History: page 2 of ~4 · 50 of 77 transactions fetched · sim:ransomware:1",
    );
  });
});

describe("the Bitcoin source", () => {
  const base = { network: "mainnet", keyring_note: null } as const;
  it("names kind, id and how the network is known, never a password", () => {
    expect(
      btcSourceLine({ ...base, source_id: "esplora:https://mempool.space/api", kind: "esplora", network_from: "case", auth: null }),
      "an Esplora URL without a network path is taken as the case's network, and says so",
    ).toBe("Esplora · esplora:https://mempool.space/api · mainnet (the case's network; the source is not asked)");
    expect(
      btcSourceLine({ ...base, network: "signet", source_id: "esplora:https://mempool.space/signet/api", kind: "esplora", network_from: "url", auth: null }),
      "a URL that names its network says it was checked",
    ).toContain("signet (named by the URL)");
    expect(
      btcSourceLine({ ...base, source_id: "core:http://127.0.0.1:8332", kind: "bitcoin-core", network_from: "case", auth: "user-password" }),
      "a node says where its credentials came from, not what they are",
    ).toBe("Bitcoin Core · core:http://127.0.0.1:8332 · mainnet (the case's network; the source is not asked) · user and password (keyring or config.toml)");
    expect(btcSourceLine({ ...base, source_id: null, kind: null, network_from: "case", auth: null }), "offline").toContain("No Bitcoin source");
  });
});

describe("GraphSense", () => {
  const answer: GraphSenseLookupView = {
    currency: "btc",
    address: "1Archive1n2C579dMsAu3iC6tWzuQJz8dN",
    entity: 2_345_678,
    root_address: null,
    no_addresses: 1,
    tags: [
      { label: "Internet Archive", category: "organization", abuse: null, source: "https://archive.org/donate/", actor: "internet_archive", confidence: "service_data", tagpack_title: null },
    ],
    source_id: "graphsense:http://127.0.0.1:9",
    retrieved_utc: "2026-11-22T08:00:00Z",
  };
  it("asks about Bitcoin mainnet addresses only", () => {
    expect(graphsenseAddress("btc:addr:bc1qxyz"), "a mainnet address").toBe("bc1qxyz");
    expect(graphsenseAddress("btc:tx:abcd"), "not a transaction").toBeNull();
    expect(graphsenseAddress("eth:addr:0xabc"), "not an EVM address").toBeNull();
    expect(graphsenseAddress(null), "nothing selected").toBeNull();
  });
  it("shows the entity, and each tag with its source, actor, confidence and retrieval", () => {
    expect(graphsenseEntityLine(answer), "entity id and size, singular").toBe("GraphSense entity 2345678 · 1 address");
    expect(graphsenseTagWhat(answer.tags[0]!), "label and category").toBe("Internet Archive (organization)");
    expect(graphsenseTagSource(answer.tags[0]!, answer), "provenance on every attribution").toBe(
      "source https://archive.org/donate/ · actor internet_archive · confidence service_data · via graphsense:http://127.0.0.1:9, retrieved 2026-11-22T08:00:00Z",
    );
    expect(graphsenseLine({ source_id: null, has_key: false }), "none set").toBe("No GraphSense instance set.");
    expect(graphsenseLine({ source_id: "graphsense:http://x", has_key: true }), "key found, never shown").toBe(
      "graphsense:http://x · API key from the keyring or config.toml",
    );
  });
});
