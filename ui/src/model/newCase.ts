// What the new-case form sends: trimmed fields and a known Bitcoin network, or why not.

import type { BtcNetwork, NewCase } from "../ipc/types";

export const BTC_NETWORKS: readonly BtcNetwork[] = ["mainnet", "testnet", "signet", "regtest"];

function isNetwork(value: string): value is BtcNetwork {
  return (BTC_NETWORKS as readonly string[]).includes(value);
}

/** The case to create, or a message naming what is missing or wrong. */
export function newCaseFrom(
  title: string,
  investigator: string,
  agency: string,
  network: string,
): NewCase | string {
  const t = title.trim();
  if (t === "") return "A new case needs a title.";
  if (!isNetwork(network)) return `'${network}' is not a Bitcoin network (mainnet, testnet, signet or regtest).`;
  return { title: t, investigator: investigator.trim(), agency: agency.trim(), network };
}

/** CAIP-2 ids of the Bitcoin networks (`bip122:` + the genesis hash's first 16 bytes), as the
 * core's `BtcNetwork::caip2` gives them. */
const CAIP2_NAMES: ReadonlyMap<string, string> = new Map([
  ["bip122:000000000019d6689c085ae165831e93", "Bitcoin mainnet"],
  ["bip122:000000000933ea01ad0ee984209779ba", "Bitcoin testnet"],
  ["bip122:00000008819873e925422c1ff0f99f7c", "Bitcoin signet"],
  ["bip122:0f9188f13cb7b2c71f2a335e3a4fc328", "Bitcoin regtest"],
]);

/** The name of a case's chain for the header ("Bitcoin testnet"); an unknown id is shown as is. */
export function chainName(caip2: string): string {
  return CAIP2_NAMES.get(caip2) ?? caip2;
}
