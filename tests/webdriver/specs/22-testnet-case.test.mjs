// The start screen's new-case form creates a case on Bitcoin testnet; a mainnet address is then
// refused with a message naming both networks, and nothing is added. Independent of the demo
// case: the app starts without arguments and the case is new (a unique title each run).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { remote } from "webdriverio";
import { TIMEOUT, nodeCount } from "../app.mjs";

// BIP-173's P2WPKH example on mainnet and the same program on testnet.
const MAINNET_ADDRESS = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
const TESTNET_ADDRESS = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx";

let browser;
before(async () => {
  browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: process.env.TRACEBENCH_APP, args: [] },
    },
  });
});
after(async () => {
  await browser?.deleteSession();
});

const $ = (id) => browser.$(`[data-testid="${id}"]`);

/** Submits `query` in the search box and returns the error shown for it. */
async function searchError(query) {
  const input = await $("search-input");
  await input.setValue(query);
  await browser.keys("Enter");
  const error = await $("search-error");
  await browser.waitUntil(async () => (await error.getText()).includes(query), {
    timeout: TIMEOUT,
    timeoutMsg: `no error naming ${query} was shown`,
  });
  return error.getText();
}

test("a testnet case made in the app refuses a mainnet address, naming both networks", async () => {
  const network = await $("case-network");
  await network.waitForDisplayed({ timeout: TIMEOUT, timeoutMsg: "no network choice on the start screen" });
  assert.equal(await network.getValue(), "mainnet", "a new case is on mainnet unless chosen otherwise");
  await (await $("case-title-input")).setValue(`Testnet case ${Date.now()}`);
  await network.selectByAttribute("value", "testnet");
  await (await $("create-case")).click();
  const workbench = await browser.$("#workbench");
  await browser.waitUntil(async () => workbench.isDisplayed(), {
    timeout: TIMEOUT,
    timeoutMsg: `the new case did not open: ${await (await browser.$("#start-error")).getText()}`,
  });
  assert.equal(await nodeCount(browser), 0, "a new case starts with an empty canvas");
  // The header names the case's network, so the analyst sees which chain the case is on.
  const header = () => browser.execute(() => document.getElementById("case-sub")?.textContent ?? "");
  await browser.waitUntil(async () => /Bitcoin testnet/.test(await header()), {
    timeout: TIMEOUT,
    timeoutMsg: "the header never named the case's network (Bitcoin testnet)",
  });

  const refused = await searchError(MAINNET_ADDRESS);
  assert.match(
    refused,
    /is a Bitcoin mainnet address; this case is Bitcoin testnet/,
    "the refusal names the address's network and the case's",
  );
  assert.equal(await nodeCount(browser), 0, "the refused address adds nothing");

  // A testnet address passes the network check; the new case has no source yet, so the core says
  // it cannot fetch it (not that it is of the wrong network).
  const offline = await searchError(TESTNET_ADDRESS);
  assert.doesNotMatch(offline, /this case is Bitcoin/, "a testnet address is of the case's network");
  assert.equal(await nodeCount(browser), 0, "nothing could be fetched offline");
});
