// EVM sources in the real app, beyond spec 17: `sim:evm-usdt:1` without a URL makes the app start
// the simulator itself (the victim is then fetched from it), and a running EVM expansion over a
// slow loopback proxy in front of `tracebench sim serve --scenario evm-usdt` is stopped by
// Cancel: the fetch in flight is dropped, the canvas and the case stay as they were.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import http from "node:http";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { TIMEOUT, nodeCount, select, visibleNodes } from "../app.mjs";
import { FreshDemo } from "../fresh.mjs";

const DELAY_MS = 4000;

let browser;
let sim;
let proxy;
let proxyUrl;
let truth;
let requests = 0;
let answered = 0;

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
  const simUrl = new URL(JSON.parse(first).url);
  proxy = http.createServer((req, res) => {
    requests += 1;
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      setTimeout(() => {
        const forward = http.request(
          { host: simUrl.hostname, port: simUrl.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answered += 1;
          },
        );
        forward.on("error", () => res.destroy());
        forward.end(Buffer.concat(chunks));
      }, DELAY_MS);
    });
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${proxy.address().port}`;
  // A demo case of its own: an earlier spec may have fetched the thief's history into the
  // shared one, and then expanding the thief would ask the source nothing.
  browser = await new FreshDemo("evm-cancel").open();
});
after(async () => {
  await browser?.deleteSession();
  sim?.kill();
  proxy?.close();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const addrId = (a) => `eth:addr:${a}`;

async function useEvmSource(text) {
  const spec = await $("evm-source");
  await spec.clearValue();
  await spec.setValue(text);
  await (await $("evm-source-apply")).click();
}

async function search(text) {
  const input = await $("search-input");
  await input.clearValue();
  await input.setValue(text);
  await (await browser.$("#search-add")).click();
}

test("sim:evm-usdt:1 without a URL: the app starts the simulator and fetches the victim from it", async () => {
  await (await $("sources-toggle")).click();
  await useEvmSource("sim:evm-usdt:1");
  const state = await $("evm-source-state");
  await browser.waitUntil(async () => (await state.getAttribute("data-source-id")) === "sim:evm-usdt:1", {
    timeout: TIMEOUT,
    timeoutMsg: `the app never started the simulator: ${await (await $("evm-source-error")).getText()}`,
  });
  await search(truth.roles.victim);
  await browser.waitUntil(async () => (await visibleNodes(browser)).some((n) => n.id === addrId(truth.roles.victim)), {
    timeout: TIMEOUT,
    timeoutMsg: `the victim was never fetched from the app's simulator: ${await (await $("search-error")).getText()}`,
  });
});

test("Cancel stops a running EVM expansion and keeps the case as it was", async () => {
  await useEvmSource(`sim:evm-usdt:1=${proxyUrl}`);
  // Expanding the victim (its history is in the case) shows the thief, whose history is not.
  await select(browser, addrId(truth.roles.victim));
  const bar = await $("expansion");
  await (await $("expand")).click();
  await bar.waitForDisplayed({ timeout: TIMEOUT });
  await browser.waitUntil(async () => (await visibleNodes(browser)).some((n) => n.id === addrId(truth.roles.thief)), {
    timeout: TIMEOUT + 8 * DELAY_MS,
    timeoutMsg: "expanding the victim never showed the thief",
  });
  await browser.waitUntil(async () => (await bar.getAttribute("data-state")) === "idle", {
    timeout: TIMEOUT + 8 * DELAY_MS,
    timeoutMsg: "the victim's expansion never finished",
  });
  await select(browser, addrId(truth.roles.thief));
  const before = await nodeCount(browser);
  const sent = requests;
  await (await $("expand")).click();
  await browser.waitUntil(async () => requests > sent, { timeout: TIMEOUT, timeoutMsg: "the expansion never asked the EVM source" });
  const cancel = await $("cancel");
  await browser.waitUntil(async () => cancel.isEnabled(), { timeout: TIMEOUT, timeoutMsg: "Cancel never became available" });
  const answeredBefore = answered;
  await cancel.click();
  await browser.waitUntil(async () => (await bar.getAttribute("data-state")) !== "running", {
    timeout: TIMEOUT,
    timeoutMsg: "the EVM expansion did not stop on Cancel",
  });
  assert.ok(answered <= answeredBefore + 1, "the expansion stopped without waiting for the slow source's remaining answers");
  assert.equal(await nodeCount(browser), before, "the cancelled expansion added nothing to the canvas");
});
