// Screening end to end: a label imported into the app's label store with the CLI flags the
// labelled address on the canvas as soon as the demo opens, lists it in the screening panel with
// its source, and shows up in the seed's exposure.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { TIMEOUT, canvas, demoTruth, openDemo, select, visibleNodes } from "../app.mjs";

const LABEL = "Victim's exchange wallet (test label)";
const SOURCE = "Tracebench WebDriver fixture";

let browser;
let labelled;
before(async () => {
  // The ransom payment that funds the seed comes from victim-1's wallet: label its addresses as
  // an exchange, in the store the app will open (<TRACEBENCH_DATA_DIR>/labels.sqlite).
  const truth = demoTruth();
  labelled = Object.entries(truth.owners)
    .filter(([, owner]) => owner === "victim-1")
    .map(([address]) => address)
    .sort();
  assert.ok(labelled.length > 0, "the demo chain's truth names victim-1's addresses");
  const dir = mkdtempSync(join(tmpdir(), "tracebench-labels-"));
  const csv = join(dir, "labels.csv");
  writeFileSync(
    csv,
    [
      "address,label,category,source,confidence,source_date",
      ...labelled.map((a) => `${a},${LABEL},exchange,${SOURCE},80,2026-01-15`),
    ].join("\n") + "\n",
  );
  const cli = process.env.TRACEBENCH_CLI;
  assert.ok(cli, "run.sh sets TRACEBENCH_CLI");
  execFileSync(cli, ["labels", "import", "--format", "csv", csv], {
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
});

async function flaggedCount() {
  return Number((await (await canvas(browser)).getAttribute("data-node-flagged")) ?? "0");
}

test("a labelled address is flagged on the canvas and listed in the screening panel", async () => {
  const screeningStatus = await browser.$('[data-testid="screening-status"]');
  await browser
    .waitUntil(async () => (await flaggedCount()) >= 1, { timeout: TIMEOUT })
    .catch(async () => {
      throw new Error(`no node was flagged after the demo opened; screening: ${await screeningStatus.getText()}`);
    });
  const visible = new Set((await visibleNodes(browser)).map((n) => n.id));
  assert.ok(
    labelled.some((a) => visible.has(`btc:addr:${a}`)),
    "the labelled wallet pays the seed, so it is on the canvas after opening",
  );
  const panel = await browser.$('[data-testid="screening-panel"]');
  const rows = await panel.$$('[data-testid="screening-hit"]');
  const texts = [];
  for (const r of rows) texts.push(await r.getText());
  const row = texts.find((t) => t.includes(LABEL));
  assert.ok(row, `a screening row names the label: ${texts.join(" | ")}`);
  assert.match(row, new RegExp(SOURCE), "the row names the label's source");
  assert.match(row, /2026-01-15/, "and its source date");
  assert.match(row, /confidence 80/, "and its confidence");

  // Clicking a row selects its node.
  const first = rows[texts.indexOf(row)];
  const address = await first.getAttribute("data-address");
  await (await first.$("button")).click();
  await browser.waitUntil(
    async () => (await (await canvas(browser)).getAttribute("data-selected")) === `btc:addr:${address}`,
    { timeout: TIMEOUT, timeoutMsg: "clicking a screening row did not select its address" },
  );
  const attributions = await browser.$('[data-testid="attributions"]');
  assert.match(await attributions.getText(), new RegExp(SOURCE), "the details panel shows the label with its source");
});

test("the seed's incoming exposure names the exchange", async () => {
  const truth = demoTruth();
  await select(browser, `btc:addr:${truth.seed_address}`);
  await (await browser.$('[data-testid="exposure-direction"]')).selectByAttribute("value", "incoming");
  await (await browser.$('[data-testid="exposure-run"]')).click();
  const exposure = await browser.$('[data-testid="exposure"]');
  await browser.waitUntil(async () => ["done", "error"].includes((await exposure.getAttribute("data-state")) ?? ""), {
    timeout: TIMEOUT,
    timeoutMsg: "the exposure never came back",
  });
  const text = await exposure.getText();
  assert.equal(await exposure.getAttribute("data-state"), "done", `exposure computed: ${text}`);
  assert.match(text, /exchange/, "the seed received funds from the labelled exchange wallet");
  assert.match(text, /\d+\.\d{8} BTC/, "amounts are BTC with 8 decimals");

});

test("an exchange's records are imported as attributions of the address, with their source", async () => {
  const truth = demoTruth();
  const visible = new Set((await visibleNodes(browser)).map((n) => n.id));
  const payment = truth.roles.ransom_payment_txids.find((t) => visible.has(`btc:tx:${t}`));
  assert.ok(payment, "the ransom payment to the seed is on the canvas");
  const address = labelled.find((a) => visible.has(`btc:addr:${a}`));
  const dir = mkdtempSync(join(tmpdir(), "tracebench-exchange-"));
  const csv = join(dir, "exchange-answer.csv");
  writeFileSync(
    csv,
    `account_id,address,txid,amount,time,direction\nU-1001,${address},${payment},0.27900000,2024-05-01 19:13:27,withdrawal\n`,
  );
  const exchange = "Test Exchange Ltd (LE response 2026-001)";
  const outcome = await browser.execute(
    (path, source) => window.__tracebench.importExchangeRecords(path, source),
    csv,
    exchange,
  );
  assert.equal(outcome?.rows, 1, `one record imported: ${JSON.stringify(outcome)}`);
  assert.equal(outcome?.linked, 1, "its address and txid are in the case");

  await select(browser, `btc:addr:${address}`);
  const record = await browser.$('[data-testid="exchange-record"]');
  await record.waitForExist({ timeout: TIMEOUT, timeoutMsg: "the record is not shown with the address" });
  const text = await record.getText();
  assert.match(text, new RegExp(exchange.replace(/[()]/g, "\\$&")), "the record names the exchange that gave it");
  assert.match(text, /withdrawal 0\.27900000 BTC/, "direction and amount in BTC with 8 decimals");
  assert.match(text, /U-1001/, "the account id");

  // The exported report carries both attributions into its register, each with its source.
  await (await browser.$('[data-testid="export-report"]')).click();
  const lastExport = await browser.$('[data-testid="last-export"]');
  await browser.waitUntil(async () => (await lastExport.getText()).trim().endsWith(".pdf"), {
    timeout: TIMEOUT,
    timeoutMsg: "no export path was shown",
  });
  // Without -layout, and with white space folded: a long label may wrap inside its column.
  const pdfText = execFileSync("pdftotext", [(await lastExport.getText()).trim(), "-"], {
    encoding: "utf8",
  }).replace(/\s+/g, " ");
  assert.match(pdfText, /Attribution register/, "the report has an attribution register");
  assert.ok(pdfText.includes(LABEL), "the label the app screened is in the report");
  assert.ok(pdfText.includes(SOURCE), "with its source");
  assert.ok(pdfText.includes("U-1001"), "and the exchange record, as an attribution");

  // For docs/screenshot-screening.png: flagged nodes, the screening panel, the attributions.
  const shot = process.env.TRACEBENCH_SCREENING_SCREENSHOT;
  if (shot) {
    mkdirSync(dirname(shot), { recursive: true });
    await (await browser.$("#fit")).click();
    await browser.pause(1000); // let the canvas repaint
    await browser.saveScreenshot(shot);
  }
});
