// Node ids as the core writes them: `btc:addr:<address>`, `btc:tx:<txid>`, `entity:<n>`.

export type NodeRef =
  | { kind: "address"; chain: string; address: string }
  | { kind: "transaction"; chain: string; txid: string }
  | { kind: "entity"; n: number };

export function parseNodeId(id: string): NodeRef | null {
  const entity = /^entity:(\d+)$/.exec(id);
  if (entity?.[1] !== undefined) return { kind: "entity", n: Number(entity[1]) };
  const onChain = /^([a-z0-9]+):(addr|tx):(.+)$/.exec(id);
  if (!onChain) return null;
  const [, chain, what, value] = onChain;
  if (chain === undefined || value === undefined) return null;
  return what === "addr"
    ? { kind: "address", chain, address: value }
    : { kind: "transaction", chain, txid: value };
}

/** Entities are compound parents drawn around their members, not nodes of the flow. */
export function isCompound(id: string): boolean {
  return parseNodeId(id)?.kind === "entity";
}
