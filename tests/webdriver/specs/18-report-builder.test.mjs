// The report builder in the real app: open it, edit the analyst's summary, leave an optional
// chapter out, preview the pages (pdf.js in the webview), export twice. Under a fixed
// SOURCE_DATE_EPOCH the two exports are byte-identical, the summary is in the PDF's text and
// the left-out chapter is not, the preview's page count is the PDF's, and `tracebench report`
// on the same case (settings now stored in it) writes the very same bytes.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { remote } from "webdriverio";
import { TIMEOUT, nodeCount } from "../app.mjs";

const EPOCH = "1700000000";
const SUMMARY = "Spec 18 summary: the ransom reached the exchange deposit in four hops.";
// Kept with the run's artefacts (run.sh makes a fresh temp dir per run).
const work = mkdtempSync(join(process.env.TRACEBENCH_EXPORT_DIR ?? tmpdir(), "spec18-"));
let browser;

before(async () => {
  // tauri-driver passes no environment of its own: a wrapper fixes the report time for the app.
  const wrapper = join(work, "app-with-epoch.sh");
  writeFileSync(wrapper, `#!/bin/sh\nSOURCE_DATE_EPOCH=${EPOCH} exec "${process.env.TRACEBENCH_APP}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: wrapper, args: ["--demo"] },
    },
  });
  await browser.waitUntil(async () => (await nodeCount(browser)) > 0, {
    timeout: TIMEOUT,
    timeoutMsg: "the demo case never appeared on the canvas",
  });
});
after(async () => {
  await browser?.deleteSession();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");
const text = (pdf) => execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"]).toString("utf8");
const flat = (s) => s.replace(/\s+/g, " ");

/** Clicks Export in the builder and returns the written file's path. */
async function exportOnce() {
  const message = await $("rb-message");
  await browser.execute(() => delete document.querySelector('[data-testid="rb-message"]').dataset.path);
  await (await $("rb-export")).click();
  await browser.waitUntil(async () => ((await message.getAttribute("data-path")) ?? "") !== "", {
    timeout: 4 * TIMEOUT,
    timeoutMsg: `the builder never reported a written report: ${await message.getText()}`,
  });
  return message.getAttribute("data-path");
}

let exported;
let previewPages;

test("the builder opens with the stored settings and the chapters to choose", async () => {
  await (await $("open-report-builder")).click();
  const builder = await $("report-builder");
  await builder.waitForDisplayed({ timeout: TIMEOUT });
  await browser.waitUntil(async () => (await $("rb-section-transactions")).isExisting(), {
    timeout: TIMEOUT,
    timeoutMsg: "the optional chapters were never listed",
  });
  assert.equal(await (await $("rb-section-transactions")).isSelected(), true, "every chapter is in by default");
  const why = await builder.getText();
  assert.match(why, /Appendix D · Audit log excerpt/, "the mandatory chapters are listed");
  assert.match(why, /always: ties every figure to the exact bytes/, "with the reason they cannot be left out");
});

test("edit the summary, leave the transaction appendix out, preview the pages", async () => {
  await (await $("rb-summary")).setValue(SUMMARY);
  await (await $("rb-section-transactions")).click();
  assert.equal(await (await $("rb-section-transactions")).isSelected(), false, "the box is unticked");
  await (await $("rb-preview")).click();
  const count = await $("rb-preview-count");
  await browser.waitUntil(async () => Number((await count.getAttribute("data-pages")) ?? "0") > 0, {
    timeout: 4 * TIMEOUT,
    timeoutMsg: `no preview appeared: ${await (await $("rb-message")).getText()}`,
  });
  previewPages = Number(await count.getAttribute("data-pages"));
  const frames = await browser.$$('[data-testid="rb-preview-page"]');
  assert.equal(frames.length, previewPages, "one preview canvas per page");
  await browser.waitUntil(
    async () => (await frames[0].getAttribute("data-state")) === "drawn",
    { timeout: 2 * TIMEOUT, timeoutMsg: "pdf.js never drew the first page" },
  );
  const painted = await browser.execute(() => {
    const c = document.querySelector('[data-testid="rb-preview-page"]');
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 128 && d[i + 3] > 0) dark += 1;
    return dark;
  });
  assert.ok(painted > 500, `the first page has visible text and lines drawn (${painted} dark pixels)`);
});

test("two exports in one session are byte-identical and carry the builder's choices", async () => {
  const first = await exportOnce();
  const firstHash = sha256(first);
  const second = await exportOnce();
  assert.equal(sha256(second), firstHash, "same case, same settings, same SOURCE_DATE_EPOCH: same bytes");
  exported = join(work, "app.pdf");
  writeFileSync(exported, readFileSync(second));
  const body = text(exported);
  assert.ok(flat(body).includes(SUMMARY), "the edited summary is printed");
  assert.equal(
    body.split("Appendix A · Transactions").length - 1,
    1,
    "the left-out appendix is named once (in the statement of what was left out) and not printed",
  );
  assert.match(flat(body), /Left out of this exhibit at the examiner's choice: Appendix A · Transactions/);
  const info = execFileSync("pdfinfo", [exported]).toString("utf8");
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  assert.equal(pages, previewPages, "the preview showed every page the export has");
  assert.match(body, new RegExp(`Page ${pages} of ${pages}`), "the last page says so");
});

test("the CLI writes the same bytes from the same case and stored settings", () => {
  const cli = process.env.TRACEBENCH_CLI;
  const casePath = join(process.env.TRACEBENCH_DATA_DIR, "demo-ransomware-1.tbcase");
  const out = join(work, "cli.pdf");
  execFileSync(cli, ["report", "--case", casePath, "--out", out], {
    env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH },
  });
  assert.equal(sha256(out), sha256(exported), "the app and the CLI build one exhibit from one case");
  const verdict = JSON.parse(
    execFileSync(cli, ["--json", "report", "verify", "--case", casePath, exported]).toString("utf8"),
  );
  assert.equal(verdict.ok, true, `every figure of the app's export re-derives from the case: ${JSON.stringify(verdict.items.filter((i) => !i.ok))}`);
});
