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
