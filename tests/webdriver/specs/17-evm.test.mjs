// EVM in the real app: the evm-usdt simulator served by the CLI on loopback (Etherscan v2 and
// JSON-RPC shapes) chosen under Sources, a mistyped EIP-55 checksum refused, the victim added
// from the search box and expanded with exact token amounts on the edges, the offline switch
// (a fetch refused, an incomplete node marked), and a haircut trace from the victim that gives
// the exchange exactly the scenario's truth.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { TIMEOUT, nodeCount, openDemo, select, visibleNodes } from "../app.mjs";

let browser;
let sim;
let url;
let truth;
before(async () => {
  const cli = process.env.TRACEBENCH_CLI;
  assert.ok(cli, "run.sh sets TRACEBENCH_CLI");
  truth = JSON.parse(
    execFileSync(cli, ["sim", "truth", "--scenario", "evm-usdt", "--seed", "1", "--json"], { env: process.env }).toString(),
  );
  sim = spawn(cli, ["sim", "serve", "--scenario", "evm-usdt", "--seed", "1"], {
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const first = await new Promise((resolve, reject) => {
    createInterface({ input: sim.stdout }).once("line", resolve);
    sim.once("exit", (code) => reject(new Error(`tracebench sim serve exited with ${code}`)));
  });
  url = JSON.parse(first).url;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, "the simulator serves on loopback only");
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
  sim?.kill();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const addrId = (a) => `eth:addr:${a}`;
const txId = (t) => `eth:tx:${t}`;

/** Base units as the token's decimal text, exactly (the core's format: trailing zeros dropped). */
function units(base, decimals) {
  const digits = BigInt(base).toString().padStart(decimals + 1, "0");
  const frac = digits.slice(-decimals).replace(/0+$/, "");
  return `${digits.slice(0, -decimals)}${frac === "" ? "" : `.${frac}`}`;
}

async function search(text) {
  const input = await $("search-input");
  await input.clearValue();
  await input.setValue(text);
  await (await browser.$("#search-add")).click();
}

async function expandSelected() {
  const bar = await $("expansion");
  await (await $("expand")).click();
  await bar.waitForDisplayed({ timeout: TIMEOUT });
  await browser.waitUntil(async () => (await bar.getAttribute("data-state")) === "idle", {
    timeout: TIMEOUT,
    timeoutMsg: "the expansion never finished",
  });
}

async function onCanvas(id) {
  return (await visibleNodes(browser)).some((n) => n.id === id);
}

test("the simulator as EVM source: a wrong checksum is refused, the victim is added and expanded with exact token edges", async () => {
  await (await $("sources-toggle")).click();
  const spec = await $("evm-source");
  await spec.setValue(`sim:evm-usdt:1=${url}`);
  await (await $("evm-source-apply")).click();
  const state = await $("evm-source-state");
  await browser.waitUntil(async () => (await state.getAttribute("data-source-id")) === "sim:evm-usdt:1", {
    timeout: TIMEOUT,
    timeoutMsg: "the EVM source was never set",
  });
  assert.match(await state.getText(), /Ethereum \(eip155:1\)/, "the sources menu names the chain");

  const victim = truth.roles.victim;
  const before = await nodeCount(browser);
  // One letter upper-cased in an otherwise lower-case address: mixed case must pass EIP-55.
  const letter = victim.slice(2).search(/[a-f]/) + 2;
  const mistyped = `${victim.slice(0, letter)}${victim[letter].toUpperCase()}${victim.slice(letter + 1)}`;
  await search(mistyped);
  const error = await $("search-error");
  await browser.waitUntil(async () => (await error.getText()).includes("checksum"), {
    timeout: TIMEOUT,
    timeoutMsg: "a mistyped checksum was not refused",
  });
  const checksummed = /is (0x[0-9a-fA-F]{40})/.exec(await error.getText())?.[1];
  assert.ok(checksummed, `the error names the checksummed form: ${await error.getText()}`);
  assert.equal(await nodeCount(browser), before, "a refused address adds nothing");

  await search(checksummed);
  await browser.waitUntil(async () => onCanvas(addrId(victim)), { timeout: TIMEOUT, timeoutMsg: "the victim never appeared" });
  assert.equal(await (await $("search-error")).getText(), "", "the checksummed address is accepted");

  await select(browser, addrId(victim));
  await expandSelected();
  assert.ok(await onCanvas(txId(truth.roles.theft_txid)), "expanding the victim shows the theft transaction");
  assert.ok(await onCanvas(addrId(truth.roles.thief)), "and the thief it paid");
  const edges = await browser.execute(() => window.__tracebench.edges());
  const drain = edges.find((e) => e.source === addrId(victim) && e.target === txId(truth.roles.theft_txid));
  assert.ok(drain, "the drain is drawn from the victim into the theft transaction");
  assert.equal(
    drain.amount,
    `${units(truth.expected.stolen, truth.token.decimals)} ${truth.token.symbol}`,
    "the edge shows exactly the stolen token units in the token's decimals",
  );
});

test("offline: a fetch is refused, the thief's missing history is marked, and the case answers alone", async () => {
  const offline = await $("offline");
  await offline.click();
  await browser.waitUntil(async () => (await browser.$("body").getAttribute("data-offline")) === "true", {
    timeout: TIMEOUT,
    timeoutMsg: "the offline switch never took effect",
  });
  const before = await nodeCount(browser);
  await search(truth.roles.exchange_hot_wallet);
  const error = await $("search-error");
  await browser.waitUntil(async () => (await error.getText()).includes("offline"), {
    timeout: TIMEOUT,
    timeoutMsg: "an address the case lacks was not refused offline",
  });
  assert.equal(await nodeCount(browser), before, "offline, nothing was fetched or added");

  await select(browser, addrId(truth.roles.thief));
  const flag = await browser.$("#details-flag");
  await browser.waitUntil(async () => (await flag.getText()).includes("history not fetched"), {
    timeout: TIMEOUT,
    timeoutMsg: "the thief's incomplete history is not marked in the details",
  });
  const drawn = await browser.execute((id) => window.__tracebench.drawnAs(id), addrId(truth.roles.thief));
  assert.ok(drawn, "the thief is drawn on the canvas");

  await offline.click();
  await browser.waitUntil(async () => (await browser.$("body").getAttribute("data-offline")) === "false", {
    timeout: TIMEOUT,
    timeoutMsg: "the offline switch never turned off",
  });
});

test("a haircut trace from the victim gives the exchange exactly the scenario's truth", async () => {
  await select(browser, addrId(truth.roles.victim));
  const start = await $("trace-start");
  await browser.waitUntil(async () => (await start.getValue()) === truth.roles.victim, {
    timeout: TIMEOUT,
    timeoutMsg: "the trace start never followed the selected EVM address",
  });
  await (await $("trace-model")).selectByAttribute("value", "haircut");
  const hops = await $("trace-hops");
  await hops.clearValue();
  await hops.setValue("10");
  await (await $("trace-run")).click();
  const status = await $("trace-status");
  await browser.waitUntil(async () => (await status.getAttribute("data-state")) === "done", {
    timeout: TIMEOUT,
    timeoutMsg: `the EVM trace never finished: ${await status.getText()}`,
  });
  assert.match(await status.getText(), /balanced/, "haircut conserves the seeded taint");
  const row = await browser.$(
    `[data-testid="trace-results"] li[data-node-id="${addrId(truth.roles.exchange_deposit)}"][data-asset="${truth.token.asset}"]`,
  );
  assert.ok(await row.isExisting(), "the trace reaches the exchange deposit address");
  assert.equal(
    await row.getAttribute("data-received"),
    truth.expected.reaching_exchange_haircut,
    "what reaches the exchange under haircut is the scenario's truth, in exact base units",
  );
  assert.ok(
    (await row.getText()).includes(`${units(truth.expected.reaching_exchange_haircut, truth.token.decimals)} ${truth.token.symbol}`),
    "the panel shows it in the token's units",
  );
});
