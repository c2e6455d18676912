// A small graph in the shape the core returns, for the model tests: one payment from a victim's
// address through a transaction to two outputs (ransom address and change).

import type { EdgeView, GraphView, NodeView } from "../ipc/types";

const node = (id: string, kind: NodeView["kind"], x: number): NodeView => ({
  id,
  kind,
  label: id.split(":").at(-1) ?? id,
  short: (id.split(":").at(-1) ?? id).slice(0, 8),
  x,
  y: 0,
  pinned: false,
  hop: null,
  time: null,
  notes: [],
  complete: true,
  entity: null,
  hidden: false,
  balance: [],
});

/** A Bitcoin edge as the core draws it: satoshi in `amount_sat` and, exactly, in `amount_base`. */
export const btcEdge = (id: string, source: string, target: string, sat: number, amount: string): EdgeView => ({
  id,
  source,
  target,
  amount_sat: sat,
  amount,
  time: 1_709_283_600,
  notes: [],
  asset: "BTC",
  symbol: "BTC",
  decimals: 8,
  amount_base: String(sat),
  fiat: null,
  no_rate: "",
});

export const VICTIM = "btc:addr:bc1qvictim0000000000000000000000000000000";
export const PAYMENT = "btc:tx:aa00000000000000000000000000000000000000000000000000000000000001";
export const RANSOM = "btc:addr:bc1qransom0000000000000000000000000000000";
export const CHANGE = "btc:addr:bc1qchange0000000000000000000000000000000";

export function paymentGraph(): GraphView {
  return {
    case: {
      case_id: "case-1",
      title: "Ransom payment",
      investigator: "A. Analyst",
      agency: "Training",
      created_utc: "2024-03-01T09:00:00Z",
      chain: "bip122:000000000019d6689c085ae165831e93",
      path: "/tmp/case.tbcase",
      synthetic: true,
      source: "sim:ransomware:1",
    },
    nodes: [node(VICTIM, "address", 0), node(PAYMENT, "transaction", 100), node(RANSOM, "address", 200), node(CHANGE, "address", 200)],
    edges: [
      btcEdge("e-in", VICTIM, PAYMENT, 150_000_000, "1.50000000 BTC"),
      btcEdge("e-change", PAYMENT, CHANGE, 20_000_000, "0.20000000 BTC"),
      btcEdge("e-ransom", PAYMENT, RANSOM, 129_990_000, "1.29990000 BTC"),
    ],
    entities: [],
    callouts: [],
    story: [],
  };
}
