// Offline Bitcoin in the app, on a demo case of this spec's own. The demo's chain is served by
// `tracebench sim serve` behind a loopback proxy that counts every request, and the case's
// Bitcoin source is set to the proxy. With the Offline switch on: expanding a transaction brings
// back a counterparty whose history the case does not hold, marked incomplete as the legend
// explains; expanding that address lists its history as missing; adding an address the case
// lacks is refused with "offline: … not in the case" and changes nothing; and not one request
// reaches the source. With the switch off again, expanding the same address fetches.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { TIMEOUT, canvas, demoTruth, nodeCount, select, visibleNodes } from "../app.mjs";
import { FreshDemo } from "../fresh.mjs";

const demo = new FreshDemo("24-offline-btc");
let browser;
let sim;
let proxy;
let proxyUrl;
/** Every request the app sent to its Bitcoin source. */
let requests = 0;
let truth;

before(async () => {
  const cli = process.env.TRACEBENCH_CLI;
  assert.ok(cli, "run.sh sets TRACEBENCH_CLI");
  truth = demoTruth();
  sim = spawn(cli, ["sim", "serve", "--scenario", "ransomware", "--seed", "1"], {
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const first = await new Promise((resolve, reject) => {
    createInterface({ input: sim.stdout }).once("line", resolve);
    sim.once("exit", (code) => reject(new Error(`tracebench sim serve exited with ${code}`)));
  });
  const simUrl = JSON.parse(first).url;
  proxy = http.createServer((req, res) => {
    requests += 1;
    http
      .get(`${simUrl}${req.url}`, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      })
      .on("error", () => res.destroy());
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${proxy.address().port}`;
  browser = await demo.open();
});
after(async () => {
  await browser?.deleteSession();
  sim?.kill();
  proxy?.close();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);

async function counts() {
  const c = await canvas(browser);
  return {
    nodes: Number(await c.getAttribute("data-node-count")),
    edges: Number(await c.getAttribute("data-edge-count")),
  };
}

async function setOffline(wanted) {
  const box = await $("offline");
  if ((await box.isSelected()) !== wanted) await box.click();
  await browser.waitUntil(async () => (await browser.execute(() => document.body.dataset.offline)) === String(wanted), {
    timeout: TIMEOUT,
    timeoutMsg: `the Offline switch never became ${wanted}`,
  });
}

/** Expands the selected node and waits until the expansion bar has finished with it. */
async function expand(id) {
  await select(browser, id);
  const bar = await $("expansion");
  // The bar's previous run must not satisfy the wait below.
  await browser.execute(() => {
    document.querySelector('[data-testid="expansion"]').dataset.state = "pending";
  });
  await (await $("expand")).click();
  await browser.waitUntil(async () => ["idle", "error"].includes(await bar.getAttribute("data-state")), {
    timeout: TIMEOUT,
    timeoutMsg: `the expansion of ${id} never finished`,
  });
  return bar.getAttribute("data-state");
}

async function incompleteFlag(id) {
  await select(browser, id);
  const flag = await browser.$("#details-flag");
  await browser.waitUntil(async () => (await flag.getProperty("textContent")).includes("history not fetched") && (await flag.isDisplayed()), {
    timeout: TIMEOUT,
    timeoutMsg: `${id} is not marked incomplete in the details panel`,
  });
  return flag.getText();
}

/** How the canvas draws a node: its computed Cytoscape style (border style and width, fill opacity). */
const drawnAs = (id) => browser.execute((n) => window.__tracebench.drawnAs(n), id);

/** Asserts that `id` is drawn as incomplete (a dashed border, a pale fill: not colour alone) and
 * `complete` as a complete node (a solid border, an opaque fill). */
async function drawnIncomplete(id, complete) {
  const incomplete = await drawnAs(id);
  const whole = await drawnAs(complete);
  assert.ok(incomplete && whole, `both ${id} and ${complete} are drawn`);
  assert.equal(incomplete.borderStyle, "dashed", `the incomplete node's border is drawn dashed: ${JSON.stringify(incomplete)}`);
  assert.ok(incomplete.borderWidth >= 2, `the dashed border is wide enough to see: ${incomplete.borderWidth}px`);
  assert.ok(incomplete.fillOpacity < 1, `the incomplete node's fill is pale: ${incomplete.fillOpacity}`);
  assert.equal(whole.borderStyle, "solid", `a node whose history was fetched keeps a solid border: ${JSON.stringify(whole)}`);
  assert.equal(whole.fillOpacity, 1, "and an opaque fill");
}

/** A counterparty of the seed's transactions (history not fetched) and a transaction joining it. */
let counterparty;
let joiningTx;

test("the case's Bitcoin source is the counting proxy in front of the demo's chain", async () => {
  await (await $("sources-toggle")).click();
  const input = await $("btc-source");
  await input.clearValue();
  await input.setValue(proxyUrl);
  await (await $("btc-source-apply")).click();
  const state = await $("btc-source-state");
  await browser.waitUntil(async () => (await state.getAttribute("data-source-id")) === `esplora:${proxyUrl}/`, {
    timeout: TIMEOUT,
    timeoutMsg: `the proxy was never set as the source: ${await (await $("btc-source-error")).getProperty("textContent")}`,
  });
  await (await $("sources-toggle")).click();

  const seedId = `btc:addr:${truth.seed_address}`;
  const edges = await browser.execute(() => window.__tracebench.edges());
  const nodes = await visibleNodes(browser);
  const kinds = new Map(nodes.map((n) => [n.id, n.kind]));
  for (const e of edges) {
    const ends = [e.source, e.target];
    const address = ends.find((id) => kinds.get(id) === "address" && id !== seedId);
    const tx = ends.find((id) => kinds.get(id) === "transaction");
    if (address !== undefined && tx !== undefined) {
      counterparty = address;
      joiningTx = tx;
      break;
    }
  }
  assert.ok(counterparty && joiningTx, "the demo canvas joins a counterparty address to one of the seed's transactions");
  await incompleteFlag(counterparty);
  await drawnIncomplete(counterparty, seedId);
});

test("offline, expansions answer from the case alone: a neighbour whose history the case lacks comes back marked incomplete, and no request is sent", async () => {
  // The counterparty leaves the canvas (its data stays in the case); the transaction that joins
  // it is then expanded offline and must bring it back from the case.
  const removed = await browser.execute((id) => window.__tracebench.selectMany([id]), counterparty);
  assert.ok(removed, "the counterparty is selectable");
  const before = await nodeCount(browser);
  await (await $("remove-nodes")).click();
  await browser.waitUntil(async () => (await nodeCount(browser)) < before, {
    timeout: TIMEOUT,
    timeoutMsg: "the counterparty was not removed from the canvas",
  });

  await setOffline(true);
  const sent = requests;
  assert.equal(await expand(joiningTx), "idle", "the transaction expands offline from the case");
  await browser.waitUntil(async () => (await visibleNodes(browser)).some((n) => n.id === counterparty), {
    timeout: TIMEOUT,
    timeoutMsg: "offline expansion did not bring the counterparty back from the case",
  });
  const flag = await incompleteFlag(counterparty);
  assert.match(flag, /Incomplete/, `the details panel says the node is incomplete: ${flag}`);
  const legend = await (await browser.$("#legend")).getProperty("textContent");
  assert.match(legend, /Dashed border, pale: incomplete, history not fetched/, "the legend explains how incomplete nodes are drawn");
  await drawnIncomplete(counterparty, `btc:addr:${truth.seed_address}`);

  // Expanding the incomplete address itself: its history is not in the case, so nothing is
  // added and the case's missing data is reported, not fetched.
  const shown = await counts();
  await expand(counterparty);
  assert.deepEqual(await counts(), shown, "offline, an address whose history the case lacks adds nothing");
  assert.equal(requests, sent, "offline, not one request reached the source");
});

test("offline, adding an address the case lacks is refused with the reason and changes nothing", async () => {
  const onCanvas = new Set((await visibleNodes(browser)).map((n) => n.id));
  const address = Object.keys(truth.owners).find((a) => !onCanvas.has(`btc:addr:${a}`));
  assert.ok(address, "the demo chain has an address that is not on the canvas");
  const shown = await counts();
  const sent = requests;
  const input = await $("search-input");
  await input.clearValue();
  await input.setValue(address);
  await browser.keys("Enter");
  const error = await $("search-error");
  await browser.waitUntil(async () => (await error.getProperty("textContent")).includes("offline:"), {
    timeout: TIMEOUT,
    timeoutMsg: `adding ${address} offline was not refused`,
  });
  const message = await error.getProperty("textContent");
  assert.ok(message.includes(address) && message.includes("not in the case"), `the refusal names the address and why: ${message}`);
  assert.deepEqual(await counts(), shown, "the refused address changed nothing on the canvas");
  assert.equal(requests, sent, "the refused address sent no request");
  // Typing clears the refusal, which otherwise sits over the toolbar.
  await input.setValue(" ");
  await browser.waitUntil(async () => (await error.getProperty("textContent")) === "", {
    timeout: TIMEOUT,
    timeoutMsg: "typing did not clear the refusal",
  });
});

test("with the Offline switch off again, expanding the same address fetches it from the source", async () => {
  await setOffline(false);
  const shown = await counts();
  const sent = requests;
  assert.equal(await expand(counterparty), "idle", "the expansion online succeeds");
  assert.ok(requests > sent, "online, the expansion asked the source");
  await browser.waitUntil(async () => (await nodeCount(browser)) > shown.nodes, {
    timeout: TIMEOUT,
    timeoutMsg: "the fetched history added nothing to the canvas",
  });
  await select(browser, counterparty);
  const flag = await browser.$("#details-flag");
  await browser.waitUntil(async () => !(await flag.isDisplayed()), {
    timeout: TIMEOUT,
    timeoutMsg: "the fetched address is still marked incomplete",
  });
  await browser.waitUntil(async () => (await drawnAs(counterparty))?.borderStyle === "solid", {
    timeout: TIMEOUT,
    timeoutMsg: "the fetched address is still drawn with a dashed border",
  });
  assert.equal((await drawnAs(counterparty)).fillOpacity, 1, "the fetched address is drawn with an opaque fill again");
});
