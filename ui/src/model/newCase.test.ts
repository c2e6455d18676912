import { describe, expect, it } from "vitest";
import { chainName, newCaseFrom } from "./newCase";

describe("newCaseFrom", () => {
  it("keeps the chosen network and trims the text fields", () => {
    expect(newCaseFrom("  Ransom 7 ", " Ann ", " Unit ", "testnet")).toEqual({
      title: "Ransom 7",
      investigator: "Ann",
      agency: "Unit",
      network: "testnet",
    });
  });

  it("refuses a case without a title, naming what is missing", () => {
    expect(newCaseFrom("   ", "Ann", "Unit", "mainnet")).toBe("A new case needs a title.");
  });

  it("refuses a network it does not know, naming it", () => {
    expect(newCaseFrom("T", "", "", "testnet4")).toMatch(/'testnet4' is not a Bitcoin network/);
  });
});

describe("chainName", () => {
  it("names each Bitcoin network by its CAIP-2 id, as the core stores it (chain.rs)", () => {
    // The ids are the core's `BtcNetwork::caip2`: a mismatch would show a raw id in the header.
    expect(chainName("bip122:000000000019d6689c085ae165831e93")).toBe("Bitcoin mainnet");
    expect(chainName("bip122:000000000933ea01ad0ee984209779ba")).toBe("Bitcoin testnet");
    expect(chainName("bip122:00000008819873e925422c1ff0f99f7c")).toBe("Bitcoin signet");
    expect(chainName("bip122:0f9188f13cb7b2c71f2a335e3a4fc328")).toBe("Bitcoin regtest");
  });

  it("shows an id it does not know as it is, never a guessed name", () => {
    expect(chainName("eip155:56")).toBe("eip155:56");
  });
});
