// Without arguments the app opens on the start screen, which lists recent cases and opens the demo.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { remote } from "webdriverio";
import { TIMEOUT, nodeCount } from "../app.mjs";

let browser;
before(async () => {
  browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: process.env.TRACEBENCH_APP, args: [] },
    },
  });
});
after(async () => {
  await browser?.deleteSession();
});

test("the start screen lists the demo case as recent and opens the demo", async () => {
  const demo = await browser.$('[data-testid="open-demo"]');
  await demo.waitForDisplayed({ timeout: TIMEOUT, timeoutMsg: "no start screen without arguments" });
  const recent = await browser.$$("#recent-cases li");
  assert.ok(recent.length >= 1, "the demo case opened by the earlier specs is listed as recent");
  assert.match(await recent[0].getText(), /demo-ransomware-1\.tbcase/, "a recent case shows its file");
  await demo.click();
  await browser.waitUntil(async () => (await nodeCount(browser)) > 0, {
    timeout: TIMEOUT,
    timeoutMsg: "the demo case did not open from the start screen",
  });
  assert.equal(await (await browser.$("#start")).isDisplayed(), false, "the start screen gives way to the case");
});
