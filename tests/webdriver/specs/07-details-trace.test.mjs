// The details panel and the trace panel against the real app and the demo case: the seed's full
// id, first/last seen and sortable transaction list from the case; its cluster's merges, an
// explanation between two members, and a veto (refused without a reason, then recorded) whose
// effect shows at once; a taint trace from the seed drawn on the canvas, and a bad start refused
// with the core's message and nothing drawn; an address's balance (exact, with its basis) equal to
// what the chain's own Esplora server says for a fully fetched address.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { TIMEOUT, canvas, demoTruth, openDemo, select, visibleNodes } from "../app.mjs";

let browser;
let seed;
let seedId;
let sim;
before(async () => {
  seed = demoTruth().seed_address;
  seedId = `btc:addr:${seed}`;
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
  sim?.kill();
});

/** The demo chain's own Esplora server (the CLI serves the same scenario and seed). */
async function simUrl() {
  sim = spawn(process.env.TRACEBENCH_CLI, ["sim", "serve", "--scenario", "ransomware", "--seed", "1"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let json = "";
  for await (const line of createInterface({ input: sim.stdout })) {
    json += line;
    try {
      return JSON.parse(json).url;
    } catch {
      // The JSON may span several lines: keep reading.
    }
  }
  throw new Error("the sim server printed no URL");
}

/** The chain's balance of an address (funded − spent outputs), in satoshi, as BigInt. */
async function chainBalance(url, address) {
  const stats = (await (await fetch(`${url}/address/${address}`)).json()).chain_stats;
  return BigInt(stats.funded_txo_sum) - BigInt(stats.spent_txo_sum);
}

const btc = (sats) => `${sats / 100_000_000n}.${String(sats % 100_000_000n).padStart(8, "0")} BTC`;

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);

async function detailsLoaded(id) {
  const section = await $("node-analysis");
  await browser.waitUntil(
    async () => (await section.getAttribute("data-state")) === "done" && (await section.getAttribute("data-node")) === id,
    { timeout: TIMEOUT, timeoutMsg: `the details of ${id} never loaded` },
  );
}

async function amounts() {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="tx-list"] tbody tr')].map((tr) => Number(tr.dataset.amount)),
  );
}

test("the details panel shows the full id, first/last seen and a sortable transaction list", async () => {
  await select(browser, seedId);
  await detailsLoaded(seedId);
  assert.ok(await (await $("details-panel")).isDisplayed(), "selecting a node opens the details panel");
  assert.equal(await (await $("full-id")).getText(), seed, "the panel shows the full address, not a short form");

  const copy = await $("copy-id");
  await copy.click();
  await browser.waitUntil(async () => (await copy.getAttribute("data-copied")) !== null, {
    timeout: TIMEOUT,
    timeoutMsg: "the copy button never reported a result",
  });
  assert.equal(await copy.getAttribute("data-copied"), seed, "Copy puts the full address on the clipboard");

  const seen = await (await $("seen")).getText();
  assert.match(seen, /First seen\s*\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, `first seen is a UTC time: ${seen}`);
  assert.match(seen, /Last seen\s*\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, `last seen is a UTC time: ${seen}`);

  const before = await amounts();
  assert.ok(before.length >= 2, `the seed has several transactions in the case (${before.length})`);
  await (await $("sort-amount")).click();
  const ascending = await amounts();
  assert.deepEqual(ascending, [...before].sort((a, b) => a - b), "one click sorts by amount, smallest first");
  await (await $("sort-amount")).click();
  const descending = await amounts();
  assert.deepEqual(descending, [...before].sort((a, b) => b - a), "a second click reverses the order");
});

test("a cluster lists its merges, explains two members and splits at once when a merge is vetoed", async () => {
  await select(browser, seedId);
  await detailsLoaded(seedId);
  const cluster = await $("cluster");
  assert.ok(await cluster.isDisplayed(), "the seed is in a multi-input cluster in the demo case");
  const size = Number(await cluster.getAttribute("data-size"));
  assert.ok(size >= 2, `a cluster has two or more addresses (${size})`);
  const merges = await browser.$$('[data-testid="cluster-merges"] li');
  assert.ok(merges.length >= 1, "the cluster lists the merges that made it");

  const other = await (await $("explain-b")).getValue();
  assert.notEqual(other, seed, "the explanation offers another member by default");
  await (await $("explain-run")).click();
  await browser.waitUntil(
    async () => (await browser.$$('[data-testid="explanation"] li[data-txid]')).length > 0,
    { timeout: TIMEOUT, timeoutMsg: "no chain of merges was shown between the two members" },
  );
  const chain = await (await $("explanation")).getText();
  assert.match(chain, /multi-input|change:/, `each link names its heuristic: ${chain}`);

  // A veto without a reason is refused in place; the cluster is unchanged.
  const firstMerge = merges[0];
  const txid = await firstMerge.getAttribute("data-txid");
  await (await firstMerge.$('[data-testid="veto"]')).click();
  await (await firstMerge.$('[data-testid="veto-confirm"]')).click();
  assert.match(
    await (await firstMerge.$('[data-testid="veto-error"]')).getText(),
    /reason/i,
    "a veto without a reason is refused and says why",
  );
  assert.equal(Number(await cluster.getAttribute("data-size")), size, "a refused veto changes nothing");

  await (await firstMerge.$('[data-testid="veto-reason"]')).setValue("PayJoin with the victim's exchange (test)");
  await (await firstMerge.$('[data-testid="veto-confirm"]')).click();
  await browser.waitUntil(
    async () =>
      !(await cluster.isDisplayed()) || Number(await cluster.getAttribute("data-size")) < size,
    { timeout: TIMEOUT, timeoutMsg: "the cluster did not split after the veto" },
  );
  const status = await browser.execute(() => document.querySelector('[data-testid="status"]').textContent);
  assert.ok(status.includes(txid), `the status line names the vetoed transaction: ${status}`);
});

test("a trace from the seed marks the nodes it reaches; a bad start is refused and draws nothing", async () => {
  await select(browser, seedId);
  const start = await $("trace-start");
  assert.equal(await start.getValue(), seed, "the trace starts from the selected address");
  const status = await $("trace-status");
  const traced = async () => Number((await (await canvas(browser)).getAttribute("data-traced")) ?? "0");

  await start.setValue("not-an-address-in-this-case");
  await (await $("trace-run")).click();
  await browser.waitUntil(async () => (await status.getAttribute("data-state")) === "error", {
    timeout: TIMEOUT,
    timeoutMsg: "a start the case does not hold was not refused",
  });
  assert.match(await status.getText(), /not-an-address-in-this-case/, "the error names the bad start");
  assert.equal(await traced(), 0, "a refused trace marks nothing on the canvas");

  await start.setValue(seed);
  await (await $("trace-model")).selectByAttribute("value", "haircut");
  await (await $("trace-hops")).setValue("3");
  await (await $("trace-run")).click();
  await browser.waitUntil(async () => (await status.getAttribute("data-state")) === "done", {
    timeout: TIMEOUT,
    timeoutMsg: "the trace never finished",
  });
  assert.match(await status.getText(), /haircut · forward/, "the result names its model and direction");
  assert.ok((await traced()) >= 2, `the nodes the seed's funds reached carry traced value (${await traced()})`);
  const amountsOnCanvas = await browser.execute(() =>
    window.__tracebench
      .nodes()
      .map((n) => window.__tracebench.traced(n.id))
      .filter((sat) => sat !== null),
  );
  assert.ok(
    amountsOnCanvas.length >= 2 && amountsOnCanvas.every((sat) => Number.isInteger(sat) && sat > 0),
    `traced amounts on the canvas are exact satoshi: ${JSON.stringify(amountsOnCanvas)}`,
  );

  await (await $("trace-clear")).click();
  assert.equal(await traced(), 0, "Clear removes the trace from the canvas");
});

test("the details panel shows an address's exact balance and its basis, as the chain has it", async () => {
  const url = await simUrl();
  const truth = demoTruth();
  await select(browser, seedId);
  const balance = await $("balance");
  const basis = await $("balance-basis");
  assert.equal(await balance.getText(), btc(await chainBalance(url, seed)), "the seed's balance is the chain's, to the satoshi");
  assert.match(await basis.getText(), /full history fetched/, "the basis says the whole history is in the case");

  // An address with coins left, added from the search box (so its history is fetched).
  const drawn = new Set((await visibleNodes(browser)).map((n) => n.id));
  let rich = null;
  for (const address of Object.keys(truth.owners).sort()) {
    if (drawn.has(`btc:addr:${address}`)) continue;
    const sats = await chainBalance(url, address);
    if (sats > 0n) {
      rich = { address, sats };
      break;
    }
  }
  assert.ok(rich, "the demo chain leaves coins on some address");
  await (await $("search-input")).setValue(rich.address);
  await browser.keys("Enter");
  const richId = `btc:addr:${rich.address}`;
  await browser.waitUntil(async () => (await visibleNodes(browser)).some((n) => n.id === richId), {
    timeout: TIMEOUT,
    timeoutMsg: "the address was never added",
  });
  await select(browser, richId);
  await browser.waitUntil(async () => (await (await $("balance")).getText()) !== "", { timeout: TIMEOUT });
  assert.equal(await (await $("balance")).getText(), btc(rich.sats), "a non-zero balance is exact too");
});
