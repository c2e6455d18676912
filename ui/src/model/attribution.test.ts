import { describe, expect, it } from "vitest";
import type { Hit } from "../ipc/types";
import {
  exposureLine,
  flagOf,
  flaggedCount,
  formatBtc,
  formatShare,
  hitsByNode,
  hopsText,
  provenance,
  recordsByNode,
  screeningRows,
} from "./attribution";

const hit = (address: string, category: string, source: string, label = `${category} label`): Hit => ({
  address,
  chain: "BTC",
  label,
  category,
  source,
  source_date: "2024-03-01",
  confidence: 90,
});

describe("attribution", () => {
  it("groups hits by the canvas id of their address, gravest first", () => {
    const byNode = hitsByNode([
      hit("bc1qa", "exchange", "GraphSense"),
      hit("bc1qb", "mixer", "GraphSense"),
      hit("bc1qa", "sanctioned", "OFAC SDN"),
    ]);
    expect([...byNode.keys()].sort(), "node ids are btc:addr:<address>").toEqual(["btc:addr:bc1qa", "btc:addr:bc1qb"]);
    expect(
      byNode.get("btc:addr:bc1qa")?.map((h) => h.category),
      "two sources for one address stay two labels, the sanction first",
    ).toEqual(["sanctioned", "exchange"]);
  });

  it("flags a node with its gravest category, in words, and says when there are more", () => {
    expect(flagOf(undefined), "an unlabelled node carries no flag").toBeNull();
    expect(flagOf([]), "no hits, no flag").toBeNull();
    expect(flagOf([hit("a", "exchange", "X")]), "a lone exchange label").toEqual({
      category: "exchange",
      severe: false,
      text: "⚑ exchange",
    });
    const both = flagOf([hit("a", "exchange", "X"), hit("a", "darknet_market", "Y")]);
    expect(both?.text, "the marker is text, readable without colour").toBe("⚑ darknet market +1");
    expect(both?.severe, "darknet markets are drawn in the alarm style").toBe(true);
  });

  it("counts flagged nodes among the visible ones only", () => {
    const byNode = hitsByNode([hit("a", "exchange", "X"), hit("gone", "mixer", "X")]);
    expect(flaggedCount(["btc:addr:a", "btc:addr:b", "btc:tx:00"], byNode), "hits off the canvas do not count").toBe(1);
  });

  it("sorts screening rows by address, then gravity", () => {
    const rows = screeningRows({
      screened: 3,
      hits: [hit("b", "exchange", "X"), hit("a", "exchange", "X"), hit("a", "sanctioned", "Y")],
      packs: [],
    });
    expect(rows.map((r) => `${r.address}/${r.category}`), "stable, reviewable order").toEqual([
      "a/sanctioned",
      "a/exchange",
      "b/exchange",
    ]);
    expect(screeningRows(null), "before screening there are no rows").toEqual([]);
  });

  it("formats satoshi as BTC with 8 decimals, without floating point", () => {
    expect(formatBtc(123_456_789)).toBe("1.23456789 BTC");
    expect(formatBtc(1), "one satoshi keeps all its zeros").toBe("0.00000001 BTC");
    expect(formatBtc(0)).toBe("0.00000000 BTC");
    expect(formatBtc(2_099_999_997_690_000), "the whole supply is exact").toBe("20999999.97690000 BTC");
  });

  it("shows shares as percentages with two decimals, rounded half up", () => {
    expect(formatShare("0.25")).toBe("25.00 %");
    expect(formatShare("1"), "all of it").toBe("100.00 %");
    expect(formatShare("0.123456"), "rounded, not truncated").toBe("12.35 %");
    expect(formatShare("0.00004")).toBe("0.00 %");
    expect(formatShare("42.5%"), "a share already in percent is kept").toBe("42.5%");
  });

  it("writes exposure rows and label provenance as text", () => {
    expect(hopsText(0)).toBe("direct");
    expect(hopsText(1)).toBe("1 hop");
    expect(hopsText(3)).toBe("3 hops");
    expect(
      exposureLine({ category: "exchange", direct_sat: 50_000_000, indirect_sat: 1, share: "0.5", min_hops: 2, via: [] }),
      "every number an investigator cites is in the line",
    ).toBe("exchange: 50.00 % · direct 0.50000000 BTC · indirect 0.00000001 BTC · nearest 2 hops");
    expect(provenance({ ...hit("a", "exchange", "GraphSense"), source_date: null }), "an undated label says so").toBe(
      "GraphSense · undated · confidence 90",
    );
  });

  it("groups exchange records by address, in time order", () => {
    const rec = (address: string, time: string) => ({
      source: "Exchange LE response",
      account_id: "U1",
      address,
      txid: "00",
      amount_sat: 1,
      time_utc: time,
      direction: "deposit",
      on_chain: true,
    });
    const byNode = recordsByNode([rec("a", "2024-02-01T00:00:00Z"), rec("a", "2024-01-01T00:00:00Z")]);
    expect(byNode.get("btc:addr:a")?.map((r) => r.time_utc), "earliest first").toEqual([
      "2024-01-01T00:00:00Z",
      "2024-02-01T00:00:00Z",
    ]);
  });
});
