// "Ask GraphSense" in the real app: a loopback server the spec starts answers in GraphSense's
// REST shapes (those of crates/tracebench-core/tests/core/graphsense.rs: the address with its
// entity, the entity, and the real TagPack tag for 3LU8wRu4… of graphsense-tagpacks
// packs/lazarus2.yaml) only to requests carrying the API key, which the spec stores in the OS
// keyring with `tracebench secret set`. The details panel shows the entity and the tag as an
// ATTRIBUTION with its source, actor, confidence and retrieval time, the answers are stored in
// the case (raw responses, audit entry) and the key is nowhere in the page or the case; a
// failing instance shows the reason and stores nothing.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { TIMEOUT, demoTruth, openDemo, select } from "../app.mjs";

const KEY = `gs-api-key-${process.pid}`;
const ENTITY = 271828;
const TAGS = {
  address_tags: [
    {
      address: "3LU8wRu4ZnXP4UM8Yo6kkTiGHM9BubgyiG",
      currency: "btc",
      label: "Lazarus group",
      category: "user",
      abuse: "sanction",
      source: "https://www.fbi.gov/news/press-releases/fbi-identifies-cryptocurrency-funds-stolen-by-dprk",
      actor: "lazarusgroup",
      confidence: "authority_data",
      tagpack_title: "FBI Identifies Cryptocurrency Funds Stolen by DPRK",
      is_public: true,
    },
  ],
  next_page: null,
};

let browser;
let server;
let url;
let seenKeys = [];
const cli = process.env.TRACEBENCH_CLI;
const casePath = join(process.env.TRACEBENCH_DATA_DIR ?? "", "demo-ransomware-1.tbcase");

function reply(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

before(async () => {
  assert.ok(cli, "run.sh sets TRACEBENCH_CLI");
  server = http.createServer((req, res) => {
    seenKeys.push(req.headers.authorization ?? "");
    // /ok/btc/addresses/<a>[/entity|/tags] answers; /broken/… fails on the tags.
    const m = /^\/(ok|broken)\/btc\/addresses\/([^/]+)(\/entity|\/tags)?$/.exec(req.url ?? "");
    if (req.headers.authorization !== KEY) return reply(res, 401, { detail: "Unauthorized" });
    if (m === null) return reply(res, 404, { detail: "not found" });
    const [, mode, address, part] = m;
    if (part === undefined) return reply(res, 200, { address, currency: "btc", entity: ENTITY, no_incoming_txs: 3, no_outgoing_txs: 3 });
    if (part === "/entity") return reply(res, 200, { entity: ENTITY, currency: "btc", root_address: address, no_addresses: 1, no_address_tags: 1 });
    if (mode === "broken") return reply(res, 500, { detail: "cassandra timed out" });
    return reply(res, 200, TAGS);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${server.address().port}`;
  for (const mode of ["ok", "broken"]) {
    execFileSync(cli, ["secret", "set", `graphsense:${url}/${mode}.api_key`], { env: process.env, input: `${KEY}\n` });
  }
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
  for (const mode of ["ok", "broken"]) {
    try {
      execFileSync(cli, ["secret", "delete", `graphsense:${url}/${mode}.api_key`], { env: process.env });
    } catch {
      // Already gone: nothing to clean.
    }
  }
  server?.close();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);

function caseInfo() {
  return JSON.parse(execFileSync(cli, ["case", "info", "--json", "--case", casePath], { env: process.env }).toString());
}

async function useGraphsense(base) {
  const input = await $("graphsense-url");
  await input.clearValue();
  await input.setValue(base);
  await (await $("graphsense-apply")).click();
  const state = await $("graphsense-state");
  await browser.waitUntil(async () => (await state.getAttribute("data-source-id")) === `graphsense:${base}`, {
    timeout: TIMEOUT,
    timeoutMsg: `GraphSense was never set: ${await (await $("graphsense-error")).getText()}`,
  });
  return state;
}

test("Ask GraphSense shows the entity and the tag as an attribution with its provenance, stored as evidence", async () => {
  await (await $("sources-toggle")).click();
  const bad = await $("graphsense-url");
  await bad.setValue("graphsense.example");
  await (await $("graphsense-apply")).click();
  await browser.waitUntil(async () => (await (await $("graphsense-error")).getText()).includes("not a GraphSense REST base URL"), {
    timeout: TIMEOUT,
    timeoutMsg: "a URL without a scheme was not refused",
  });
  const state = await useGraphsense(`${url}/ok`);
  assert.match(await state.getText(), /API key from the keyring or config\.toml/, "the key was found in the keyring");

  const address = demoTruth().seed_address;
  await select(browser, `btc:addr:${address}`);
  const section = await $("graphsense");
  await section.waitForDisplayed({ timeout: TIMEOUT });
  const before = caseInfo();
  seenKeys = [];
  await (await $("graphsense-ask")).click();
  const status = await $("graphsense-status");
  await browser.waitUntil(async () => (await status.getAttribute("data-state")) === "done", {
    timeout: TIMEOUT,
    timeoutMsg: `GraphSense was never answered: ${await status.getText()}`,
  });
  assert.equal(seenKeys.length, 3, "address, entity and tags were asked");
  assert.ok(seenKeys.every((k) => k === KEY), "every request carried the keyring's key");
  const entity = await $("graphsense-entity");
  assert.equal(await entity.getAttribute("data-entity"), String(ENTITY), "the entity id is shown");
  assert.match(await entity.getText(), /1 address/, "with the cluster size");
  const tag = await browser.$('[data-testid="graphsense-tags"] li[data-label="Lazarus group"]');
  assert.ok(await tag.isExisting(), "the tag is listed");
  assert.match(await tag.getAttribute("class"), /kind-attribution/, "styled as an attribution, apart from facts");
  const text = await tag.getText();
  assert.match(text, /ATTRIBUTION/, "tagged as an attribution");
  assert.match(text, /source https:\/\/www\.fbi\.gov/, "with its source");
  assert.match(text, /actor lazarusgroup/, "its actor");
  assert.match(text, /confidence authority_data/, "its confidence");
  assert.match(text, /retrieved \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/, "and when it was retrieved");

  const afterInfo = caseInfo();
  assert.equal(afterInfo.raw_responses, before.raw_responses + 3, "the three answers are stored as raw responses");
  assert.notEqual(afterInfo.audit_head, before.audit_head, "the lookup is in the audit log");
  assert.ok(!(await browser.getPageSource()).includes(KEY), "the key never reaches the page");
  for (const f of readdirSync(process.env.TRACEBENCH_DATA_DIR).filter((n) => n.startsWith("demo-ransomware-1.tbcase"))) {
    assert.ok(!readFileSync(join(process.env.TRACEBENCH_DATA_DIR, f)).includes(KEY), `${f} does not hold the key`);
  }
});

test("a failing GraphSense shows the reason and stores nothing", async () => {
  await useGraphsense(`${url}/broken`);
  const address = demoTruth().seed_address;
  await select(browser, `btc:addr:${address}`);
  const before = caseInfo();
  await (await $("graphsense-ask")).click();
  const status = await $("graphsense-status");
  await browser.waitUntil(async () => (await status.getAttribute("data-state")) === "error", {
    timeout: TIMEOUT,
    timeoutMsg: `the failure was not shown: ${await status.getText()}`,
  });
  assert.match(await status.getText(), /500|cassandra/, `the reason is named: ${await status.getText()}`);
  const afterInfo = caseInfo();
  assert.equal(afterInfo.raw_responses, before.raw_responses, "no answer of a failed lookup is stored");
  assert.equal(afterInfo.audit_head, before.audit_head, "and nothing is audited");
  assert.equal(await (await $("graphsense-tags")).getText(), "", "no attribution is shown");
});
