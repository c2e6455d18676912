// A refused search says why, next to the box, and changes nothing.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { TIMEOUT, nodeCount, openDemo } from "../app.mjs";

let browser;
before(async () => {
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
});

test("an invalid address shows an error and leaves the graph unchanged", async () => {
  const before = await nodeCount(browser);
  await (await browser.$('[data-testid="search-input"]')).setValue("bc1-not-an-address");
  await browser.keys("Enter");
  const error = await browser.$('[data-testid="search-error"]');
  await browser.waitUntil(async () => (await error.getText()).trim() !== "", {
    timeout: TIMEOUT,
    timeoutMsg: "no error was shown for an invalid address",
  });
  assert.match(await error.getText(), /bc1-not-an-address/, "the core's message names the refused input");
  assert.equal(
    await (await browser.$('[data-testid="search-input"]')).getValue(),
    "bc1-not-an-address",
    "the input stays in the box, so it can be corrected",
  );
  assert.equal(await nodeCount(browser), before, "a refused search adds nothing");
});
