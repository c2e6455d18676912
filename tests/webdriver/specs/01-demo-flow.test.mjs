// The demo case end to end: open, add an address by search, expand it, export the report.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, openSync, readSync, statSync, closeSync } from "node:fs";
import { dirname } from "node:path";
import { after, before, test } from "node:test";
import { TIMEOUT, demoTruth, nodeCount, openDemo, select, selected, visibleNodes } from "../app.mjs";

let browser;
before(async () => {
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
});

test("search adds an address of the case, and expanding it grows the graph", async () => {
  const truth = demoTruth();
  const visible = new Set((await visibleNodes(browser)).map((n) => n.id));
  // The exchange deposit where the peel chain cashes out: several hops from the seed address.
  const candidates = [truth.roles.exchange_deposit_address, truth.roles.exchange_hot_wallet, ...Object.keys(truth.owners)];
  const address = candidates.find((a) => !visible.has(`btc:addr:${a}`));
  assert.ok(address, "the demo chain has addresses that are not on the canvas after opening");
  const nodeId = `btc:addr:${address}`;

  const before = await nodeCount(browser);
  const search = await browser.$('[data-testid="search-input"]');
  await search.setValue(address);
  await browser.keys("Enter");
  await browser.waitUntil(async () => (await nodeCount(browser)) > before, {
    timeout: TIMEOUT,
    timeoutMsg: "adding an address by search did not add a node",
  });
  assert.equal(await selected(browser), nodeId, "the added node is selected, ready to expand");

  const afterAdd = await nodeCount(browser);
  await select(browser, nodeId);
  await (await browser.$('[data-testid="expand"]')).click();
  await browser.waitUntil(async () => (await nodeCount(browser)) > afterAdd, {
    timeout: TIMEOUT,
    timeoutMsg: "expanding the added address did not add its transactions",
  });

  // The demo case on screen, for the README (the window is 1366×768).
  const shot = process.env.TRACEBENCH_SCREENSHOT;
  if (shot) {
    mkdirSync(dirname(shot), { recursive: true });
    await select(browser, nodeId);
    await (await browser.$('[data-testid="node-note"]')).setValue(
      "Cash-out point: deposit address at the exchange. Request the account's KYC records.",
    );
    await (await browser.$('[data-testid="note-add"]')).click();
    await browser.$('[data-testid="note-text"]').waitForExist({ timeout: TIMEOUT });
    await (await browser.$("#fit")).click();
    await browser.pause(1000); // let the canvas repaint
    await browser.saveScreenshot(shot);
  }
});

test("export writes the report PDF where TRACEBENCH_EXPORT_DIR points", async () => {
  await (await browser.$('[data-testid="export-report"]')).click();
  const lastExport = await browser.$('[data-testid="last-export"]');
  await browser.waitUntil(async () => (await lastExport.getText()).trim() !== "", {
    timeout: TIMEOUT,
    timeoutMsg: "no export path was shown",
  });
  const path = (await lastExport.getText()).trim();
  assert.ok(path.startsWith(process.env.TRACEBENCH_EXPORT_DIR), "with the env var set, no dialog: the file goes there");
  assert.ok(path.endsWith("-report.pdf"), "the report is named after the case");
  assert.ok(existsSync(path), "the shown path exists");
  const fd = openSync(path, "r");
  const head = Buffer.alloc(5);
  readSync(fd, head, 0, 5, 0);
  closeSync(fd);
  assert.equal(head.toString("latin1"), "%PDF-", "the file is a PDF");
  assert.ok(statSync(path).size > 5_000, "the report has content, not just a header");
});
