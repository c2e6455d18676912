// The Bitcoin source of the open case in the real app: bad text, a network other than the case's
// and a password typed into the source are each refused with the reason while the source before
// stays; a node named with its user takes its password from the OS keyring (stored with
// `tracebench secret set`, never shown); an Esplora server (the demo's simulator behind a slow
// loopback proxy) reports request counts to the progress line, and Cancel stops an expansion in
// flight: the page in flight is dropped whole (the core writes a page in one transaction), the
// canvas and the case stay as they were, and the next expansion fetches again.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import http from "node:http";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { TIMEOUT, demoTruth, nodeCount, openDemo, select, visibleNodes } from "../app.mjs";

const DELAY_MS = 4000;

let browser;
let sim;
let proxy;
let proxyUrl;
let requests = 0;
let answered = 0;
const cli = process.env.TRACEBENCH_CLI;

before(async () => {
  assert.ok(cli, "run.sh sets TRACEBENCH_CLI");
  sim = spawn(cli, ["sim", "serve", "--scenario", "ransomware", "--seed", "1"], {
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const first = await new Promise((resolve, reject) => {
    createInterface({ input: sim.stdout }).once("line", resolve);
    sim.once("exit", (code) => reject(new Error(`tracebench sim serve exited with ${code}`)));
  });
  const simUrl = JSON.parse(first).url;
  // A slow Esplora: every request waits DELAY_MS, then is answered by the simulator.
  proxy = http.createServer((req, res) => {
    requests += 1;
    setTimeout(() => {
      http
        .get(`${simUrl}${req.url}`, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answered += 1;
        })
        .on("error", () => res.destroy());
    }, DELAY_MS);
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${proxy.address().port}`;
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
  sim?.kill();
  proxy?.close();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);

async function useSource(text, cookie = "") {
  const error = await $("btc-source-error");
  await browser.execute(() => {
    document.querySelector('[data-testid="btc-source-error"]').textContent = "";
  });
  const input = await $("btc-source");
  await input.clearValue();
  await input.setValue(text);
  const cookieInput = await $("btc-cookie");
  await cookieInput.clearValue();
  if (cookie !== "") await cookieInput.setValue(cookie);
  await (await $("btc-source-apply")).click();
  return error;
}

async function stateId() {
  return (await $("btc-source-state")).getAttribute("data-source-id");
}

test("bad text, another network and a typed password are refused with the reason; the source before stays", async () => {
  await (await $("sources-toggle")).click();
  await browser.waitUntil(async () => (await stateId()) === "sim:ransomware:1", {
    timeout: TIMEOUT,
    timeoutMsg: "the demo case's Bitcoin source (the simulator) is not shown",
  });
  assert.match(await (await $("btc-source-state")).getText(), /mainnet/, "the case's network is stated");

  let error = await useSource("mempool.space");
  await browser.waitUntil(async () => (await error.getText()).includes("unknown Bitcoin source"), {
    timeout: TIMEOUT,
    timeoutMsg: "text that is no source was not refused",
  });
  assert.equal(await stateId(), "sim:ransomware:1", "a refused text leaves the source as it was");

  error = await useSource("https://mempool.space/signet/api");
  await browser.waitUntil(async () => (await error.getText()).includes("signet"), {
    timeout: TIMEOUT,
    timeoutMsg: "a signet server for a mainnet case was not refused",
  });
  assert.match(await error.getText(), /mainnet/, "the refusal names the case's network");
  assert.equal(await stateId(), "sim:ransomware:1", "still the simulator");

  const typed = "Typed-pw-5c0ffee";
  error = await useSource(`core:http://analyst:${typed}@127.0.0.1:9`);
  await browser.waitUntil(async () => (await error.getText()).includes("password"), {
    timeout: TIMEOUT,
    timeoutMsg: "a password typed into the source was not refused",
  });
  assert.ok(!(await error.getText()).includes(typed), "the refusal does not echo the password");
  assert.ok(!(await browser.getPageSource()).includes(typed), "the password is nowhere in the page");
  assert.equal(await stateId(), "sim:ransomware:1", "and the source stays");
});

test("a node named with its user takes its password from the OS keyring, which is never shown", async () => {
  const port = 9;
  const name = `core:http://127.0.0.1:${port}.rpc_password`;
  const password = `Keyring-pw-${process.pid}`;
  execFileSync(cli, ["secret", "set", name], { env: process.env, input: `${password}\n` });
  try {
    await useSource(`core:http://analyst@127.0.0.1:${port}`);
    await browser.waitUntil(async () => (await stateId()) === `core:http://127.0.0.1:${port}`, {
      timeout: TIMEOUT,
      timeoutMsg: `the node was never set: ${await (await $("btc-source-error")).getText()}`,
    });
    const state = await (await $("btc-source-state")).getText();
    assert.match(state, /Bitcoin Core/, "the kind is named");
    assert.match(state, /user and password/, `the keyring's password was found for the node's user: ${state}`);
    assert.ok(!(await browser.getPageSource()).includes(password), "the password never reaches the page");
  } finally {
    execFileSync(cli, ["secret", "delete", name], { env: process.env });
  }
});

test("an Esplora server reports request counts, and Cancel stops an expansion in flight keeping the case as it was", async () => {
  await useSource(proxyUrl);
  // The id is the URL as parsed (a bare host gets its "/").
  const id = `esplora:${proxyUrl}/`;
  await browser.waitUntil(async () => (await stateId()) === id, {
    timeout: TIMEOUT,
    timeoutMsg: `the Esplora source was never set: ${await (await $("btc-source-error")).getText()}`,
  });
  assert.match(await (await $("btc-source-state")).getText(), /case's network/, "an URL without a network path is taken as the case's, and says so");

  // An address on the canvas whose history the case does not hold: expanding it must fetch.
  const truth = demoTruth();
  const flag = await browser.$("#details-flag");
  let target = null;
  for (const n of await visibleNodes(browser)) {
    if (n.kind !== "address" || n.id.endsWith(truth.seed_address)) continue;
    await select(browser, n.id);
    await browser.pause(300);
    if ((await flag.isDisplayed()) && (await flag.getText()).includes("history not fetched")) {
      target = n.id;
      break;
    }
  }
  assert.ok(target, "the demo canvas has an address whose history was never fetched");

  const nodesBefore = await nodeCount(browser);
  const sent = requests;
  await (await $("expand")).click();
  await browser.waitUntil(async () => requests > sent, {
    timeout: TIMEOUT,
    timeoutMsg: "the expansion never asked the Esplora server",
  });
  const cancel = await $("cancel");
  await browser.waitUntil(async () => cancel.isEnabled(), { timeout: TIMEOUT, timeoutMsg: "Cancel never became available" });
  const answeredBefore = answered;
  await cancel.click();
  const bar = await $("expansion");
  await browser.waitUntil(async () => (await bar.getAttribute("data-state")) !== "running", {
    timeout: TIMEOUT,
    timeoutMsg: "the expansion did not stop on Cancel",
  });
  assert.equal(answered, answeredBefore, "the expansion stopped before the slow server answered");
  const progress = await $("fetch-progress");
  await browser.waitUntil(async () => (await progress.getAttribute("data-source-id")) === id, {
    timeout: TIMEOUT,
    timeoutMsg: "no fetch-progress event came from the Esplora source",
  });
  // textContent: the line may sit outside the visible part of the toolbar.
  const line = await progress.getProperty("textContent");
  assert.match(line, /^\d+ (of \d+ )?requests?\b.*· esplora:/, `the progress line counts requests: ${line}`);
  assert.match(line, /failed/, `the cancelled request is counted as failed: ${line}`);
  assert.equal(await nodeCount(browser), nodesBefore, "the cancelled page added nothing to the canvas");
  await select(browser, target);
  await browser.waitUntil(async () => (await flag.getText()).includes("history not fetched"), {
    timeout: TIMEOUT,
    timeoutMsg: "the cancelled expansion stored a history",
  });

  // The source is usable again after a cancel: the same expansion now completes.
  const again = requests;
  await (await $("expand")).click();
  await browser.waitUntil(async () => (await bar.getAttribute("data-state")) === "idle" && requests > again, {
    timeout: TIMEOUT + 4 * DELAY_MS,
    timeoutMsg: "after a cancel the next expansion did not fetch and finish",
  });
  assert.ok((await nodeCount(browser)) > nodesBefore, "the uncancelled expansion shows the address's transactions");
});
