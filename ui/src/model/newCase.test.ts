import { describe, expect, it } from "vitest";
import { newCaseFrom } from "./newCase";

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
