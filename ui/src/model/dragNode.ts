// What an HTML drag carries when an address or transaction is dragged from a list onto the
// canvas, pure: `application/x-tracebench-node` holds `{id, label}` (the canvas id and the full
// address or txid the add path takes).

export const NODE_MIME = "application/x-tracebench-node";

export interface DraggedNode {
  /** The canvas id (`btc:addr:…`, `btc:tx:…`). */
  readonly id: string;
  /** The full address or txid, as typed into the search box. */
  readonly label: string;
}

export function dragPayload(node: DraggedNode): string {
  return JSON.stringify({ id: node.id, label: node.label });
}

/** Reads a drag's payload; null when it is not a node (e.g. text dragged from elsewhere). */
export function parseDragPayload(text: string): DraggedNode | null {
  if (text.trim() === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { id, label } = value as Record<string, unknown>;
  if (typeof id !== "string" || typeof label !== "string") return null;
  if (!/^[a-z0-9]+:(addr|tx):\S+$/.test(id) || label.trim() === "" || !id.endsWith(`:${label}`)) return null;
  return { id, label };
}
