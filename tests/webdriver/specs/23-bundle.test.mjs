// Case bundles through the app's Case ▾ menu, on a demo case of this spec's own: "Export bundle…"
// writes the open case into TRACEBENCH_EXPORT_DIR (the test contract's stand-in for the save
// dialog), shows the bundle's path, size, SHA-256 and audit head, and is recorded in the case's
// audit log; a copy with one byte flipped inside the database entry, and one with a byte flipped
// inside the trailing hash, are each refused with the damaged entry named and no case file
// created; the intact bundle imports, opens with the same canvas and the same cluster for the
// seed, and joins the recent-cases list.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { after, before, test } from "node:test";
import { TIMEOUT, canvas, demoTruth, nodeCount, select } from "../app.mjs";
import { FreshDemo } from "../fresh.mjs";

const demo = new FreshDemo("23-bundle");
const exportDir = process.env.TRACEBENCH_EXPORT_DIR;
const cli = process.env.TRACEBENCH_CLI;
let browser;
let seedId;
/** What the original case shows, before anything is imported. */
let original;
/** The exported bundle's path and what the menu printed on it. */
let exported;

before(async () => {
  assert.ok(exportDir, "run.sh sets TRACEBENCH_EXPORT_DIR");
  assert.ok(cli, "run.sh sets TRACEBENCH_CLI");
  seedId = `btc:addr:${demoTruth().seed_address}`;
  browser = await demo.open();
});
after(async () => {
  await browser?.deleteSession();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);

async function counts() {
  const c = await canvas(browser);
  return {
    nodes: Number(await c.getAttribute("data-node-count")),
    edges: Number(await c.getAttribute("data-edge-count")),
  };
}

/** The cluster the details panel shows for `id`: its size, title and merges as listed. */
async function clusterShown(id) {
  await select(browser, id);
  const section = await $("node-analysis");
  await browser
    .waitUntil(async () => (await section.getAttribute("data-state")) === "done" && (await section.getAttribute("data-node")) === id, {
      timeout: TIMEOUT,
    })
    .catch(async () => {
      const state = await section.getAttribute("data-state");
      const text = await section.getProperty("textContent");
      throw new Error(`the details of ${id} never loaded (state ${state}): ${text.slice(0, 400)}`);
    });
  const cluster = await $("cluster");
  assert.ok(await cluster.isDisplayed(), `the details panel shows a cluster for ${id}`);
  return {
    size: await cluster.getAttribute("data-size"),
    title: await (await browser.$("#cluster-title")).getText(),
    merges: await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="cluster-merges"] li')].map((li) => li.textContent),
    ),
  };
}

async function openMenu() {
  if (!(await (await $("bundle-export")).isDisplayed())) await (await $("case-menu")).click();
  await (await $("bundle-export")).waitForDisplayed({ timeout: TIMEOUT, timeoutMsg: "the Case menu did not open" });
}

/** Waits until the result box reaches one of `states`; fails with the error line otherwise. */
async function resultState(states) {
  const result = await $("bundle-result");
  await browser.waitUntil(async () => states.includes(await result.getAttribute("data-state")), {
    timeout: TIMEOUT,
    timeoutMsg: `the bundle action never reached ${states.join("/")}: ${await (await $("bundle-error")).getProperty("textContent")}`,
  });
  return result.getAttribute("data-state");
}

async function importBundle(path) {
  await openMenu();
  const input = await $("bundle-import-path");
  await input.clearValue();
  await input.setValue(path);
  // The previous action's state must not satisfy the wait below.
  await browser.execute(() => {
    document.querySelector('[data-testid="bundle-result"]').dataset.state = "idle";
  });
  await (await $("bundle-import")).click();
}

function caseVerify(caseFile, ...extra) {
  return JSON.parse(execFileSync(cli, ["--case", caseFile, "--json", "case", "verify", ...extra], { env: process.env, encoding: "utf8" }));
}

test("Export bundle writes the open case with its path, size, SHA-256 and audit head, audited as an export", async () => {
  original = { ...(await counts()), cluster: await clusterShown(seedId) };
  assert.ok(original.nodes > 0 && original.edges > 0, "the demo case shows a graph");
  await openMenu();
  await (await $("bundle-export")).click();
  assert.equal(await resultState(["exported", "error"]), "exported", "the export succeeded");
  const result = await $("bundle-result");
  const path = await result.getAttribute("data-path");
  assert.ok(path.startsWith(exportDir) && path.endsWith(".tbbundle"), `the bundle is written into the export directory: ${path}`);
  const bytes = readFileSync(path);
  assert.equal(Number(await result.getAttribute("data-bytes")), statSync(path).size, "the size shown is the file's");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  assert.equal(await result.getAttribute("data-sha256"), sha256, "the SHA-256 shown is the file's");
  const text = await result.getProperty("textContent");
  assert.ok(text.includes(path) && text.includes(sha256), `the result box prints the path and the hash: ${text}`);
  const head = await result.getAttribute("data-audit-head");
  assert.match(head, /^[0-9a-f]{64}$/, "the audit head printed on the bundle is a SHA-256");
  assert.ok(text.includes(head), "the audit head is printed in the result box");
  // The export itself is the newest audit entry: the case's log holds the printed head and
  // exactly one entry after it.
  const entries = Number(/\((\d+) entr(?:y|ies)\)/.exec(text)?.[1]);
  const verdict = caseVerify(demo.caseFile, "--expect-head", head);
  assert.ok(verdict.ok, `the case's audit log verifies and holds the printed head: ${JSON.stringify(verdict.findings)}`);
  assert.equal(verdict.entries, entries + 1, "the export was appended to the audit log after the bundle was made");
  exported = { path, bytes, head, entries };
  // For a person to look at: the Case menu with the export's receipt (kept with the run's artefacts).
  await browser.saveScreenshot(join(demo.dir, "case-menu-export.png"));
});

test("a bundle with one flipped byte, in the database or in the trailing hash, is refused naming the entry; nothing is written", async () => {
  assert.ok(exported, "the export test ran first");
  const hashData = exported.bytes.length - 4 * 512 + 512;
  const cases = [
    // The database entry's data starts after the first 512-byte header.
    { name: `23-flipped-db-${process.pid}`, at: 512 + 3000, flip: (b) => b ^ 0x01, entry: "case.tbcase" },
    // The trailing hash's first hex digit, changed to another hex digit.
    { name: `23-flipped-hash-${process.pid}`, at: hashData, flip: (b) => (b === 0x30 ? 0x31 : 0x30), entry: "SHA256" },
  ];
  const before = await counts();
  for (const c of cases) {
    const copy = Buffer.from(exported.bytes);
    copy[c.at] = c.flip(copy[c.at]);
    assert.notEqual(copy[c.at], exported.bytes[c.at], "the copy differs in one byte");
    const file = join(exportDir, `${c.name}.tbbundle`);
    writeFileSync(file, copy);
    await importBundle(file);
    assert.equal(await resultState(["error", "opened"]), "error", `${c.name} was refused`);
    const message = await (await $("bundle-error")).getProperty("textContent");
    assert.ok(message.includes(c.entry), `the refusal names the damaged entry ${c.entry}: ${message}`);
    assert.match(message, /nothing was written/, `the refusal says nothing was written: ${message}`);
    const written = readdirSync(exportDir).filter((n) => n.includes(c.name) && n !== basename(file));
    assert.deepEqual(written, [], "no case file (nor a partial one) was created for the refused bundle");
    assert.deepEqual(await counts(), before, "the open case's canvas is unchanged");
  }
});

test("the intact bundle imports, opens with the same graph and cluster, and joins the recent cases", async () => {
  assert.ok(exported, "the export test ran first");
  const target = join(exportDir, basename(exported.path).replace(/\.tbbundle$/, ".tbcase"));
  assert.ok(!existsSync(target), "the import target does not exist yet");
  await importBundle(exported.path);
  assert.equal(await resultState(["opened", "error"]), "opened", "the intact bundle was imported and opened");
  assert.equal(await (await $("bundle-result")).getAttribute("data-path"), target, "the case was written beside the bundle's name in the export directory");
  assert.ok(existsSync(target), "the imported case file exists");
  const title = await browser.$("#case-title");
  await browser.waitUntil(async () => (await title.getAttribute("title")) === target, {
    timeout: TIMEOUT,
    timeoutMsg: "the toolbar never showed the imported case",
  });
  await browser.waitUntil(async () => (await nodeCount(browser)) === original.nodes, {
    timeout: TIMEOUT,
    timeoutMsg: "the imported case's canvas does not have the original's node count",
  });
  assert.deepEqual(await counts(), { nodes: original.nodes, edges: original.edges }, "the same nodes and edges as the original case");
  assert.deepEqual(await clusterShown(seedId), original.cluster, "the same cluster for the seed as the original case");
  const recent = JSON.parse(readFileSync(join(process.env.TRACEBENCH_CONFIG_DIR, "recent-cases.json"), "utf8"));
  assert.equal(recent[0]?.path, target, "the imported case is at the top of the recent-cases list");
  const verdict = caseVerify(target, "--expect-head", exported.head);
  assert.ok(verdict.ok, `the imported case verifies and holds the bundle's audit head: ${JSON.stringify(verdict.findings)}`);
  assert.ok(verdict.entries >= exported.entries, "the imported case carries the bundled audit log");
});
