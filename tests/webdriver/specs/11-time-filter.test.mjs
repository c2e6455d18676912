// The timeline strip and the global time filter in the real app: the strip shows transfers per
// UTC day; a bad date is refused by name and hides nothing; a From/To window hides every node
// outside it and All times brings them back; clicking a day's bar filters to that day; a
// height window names the chain whose block heights it counts.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { TIMEOUT, canvas, nodeCount, openDemo } from "../app.mjs";

let browser;
before(async () => {
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const outside = async () => Number(await (await canvas(browser)).getAttribute("data-time-outside"));
const bars = () =>
  browser.execute(() =>
    [...document.querySelectorAll('[data-testid="timeline-bars"] .timeline-bar')].map((b) => ({
      day: b.dataset.day,
      transfers: Number(/: (\d+) transfer/.exec(b.title)?.[1] ?? "0"),
    })),
  );

async function filter(from, to) {
  const f = await $("time-filter-from");
  const t = await $("time-filter-to");
  await f.clearValue();
  if (from) await f.setValue(from);
  await t.clearValue();
  if (to) await t.setValue(to);
  await (await $("time-filter-apply")).click();
}

test("the timeline shows transfers per UTC day", async () => {
  await (await $("timeline")).waitForDisplayed({ timeout: TIMEOUT });
  const days = await bars();
  assert.ok(days.length >= 1, "the demo's transfers are on the strip");
  assert.ok(days.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.day)), "each bar is a UTC day");
  const edges = Number(await (await canvas(browser)).getAttribute("data-edge-count"));
  assert.equal(
    days.reduce((sum, d) => sum + d.transfers, 0),
    edges,
    "every transfer on the canvas is counted on its UTC day",
  );
});

test("a bad date is refused by name and hides nothing", async () => {
  const before = await nodeCount(browser);
  await filter("2024-13-45", "");
  const state = await $("time-filter-state");
  await browser.waitUntil(async () => (await state.getText()).includes("not a calendar date"), {
    timeout: TIMEOUT,
    timeoutMsg: "the bad date was not reported",
  });
  assert.match(await state.getText(), /^From: '2024-13-45' is not a calendar date; filter unchanged/, "names the field and the input");
  assert.equal(await nodeCount(browser), before, "nothing was hidden");
  assert.equal(await outside(), 0, "no node is outside a filter that was refused");
});

test("a window hides what lies outside it, and All times shows everything again", async () => {
  const before = await nodeCount(browser);
  const busy = (await bars()).filter((d) => d.transfers > 0);
  const first = busy[0].day;
  const dayBefore = new Date(Date.parse(`${first}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  await filter("", dayBefore);
  await browser.waitUntil(async () => (await outside()) > 0, {
    timeout: TIMEOUT,
    timeoutMsg: "the window hid nothing",
  });
  const hidden = await outside();
  assert.equal(await nodeCount(browser), before - hidden, "exactly the nodes outside the window are not drawn");
  assert.equal(await (await $("timeline")).getAttribute("data-to"), dayBefore, "the strip shows the window's end");
  assert.match(await (await $("time-filter-state")).getText(), new RegExp(`… – ${dayBefore} UTC · ${hidden} outside`), "the strip says what is hidden");

  await filter(first, first);
  await browser.waitUntil(async () => (await outside()) === 0, {
    timeout: TIMEOUT,
    timeoutMsg: "a window over the transfers' day still hid nodes",
  });
  assert.equal(await nodeCount(browser), before, "both ends of the window are inclusive: the whole day is shown");

  await (await $("time-filter-clear")).click();
  await browser.waitUntil(async () => (await nodeCount(browser)) === before, {
    timeout: TIMEOUT,
    timeoutMsg: "All times did not bring every node back",
  });
  assert.equal(await outside(), 0, "nothing is outside without a filter");
});

test("clicking a day's bar filters to that day", async () => {
  const busy = (await bars()).filter((d) => d.transfers > 0);
  const first = busy[0].day;
  await browser.execute((day) => document.querySelector(`.timeline-bar[data-day="${day}"]`).click(), first);
  const strip = await $("timeline");
  await browser.waitUntil(async () => (await strip.getAttribute("data-to")) === first, {
    timeout: TIMEOUT,
    timeoutMsg: "the bar did not set the window",
  });
  assert.equal(await strip.getAttribute("data-from"), first, "the window is that one day");
  await (await $("time-filter-clear")).click();
});

test("a height window names its chain: the case's own, whose blocks it counts", async () => {
  const mode = await $("time-filter-mode");
  await mode.selectByAttribute("value", "height");
  const chain = await $("time-filter-chain");
  await chain.waitForDisplayed({ timeout: TIMEOUT, timeoutMsg: "the chain choice never appeared in height mode" });
  await browser.waitUntil(async () => (await chain.getValue()) === "btc", {
    timeout: TIMEOUT,
    timeoutMsg: "the demo's Bitcoin chain was not offered first",
  });
  await filter("900000000", "");
  const state = await $("time-filter-state");
  await browser.waitUntil(async () => /btc blocks · \d+ outside/.test(await state.getText()), {
    timeout: TIMEOUT,
    timeoutMsg: `the window was not applied to Bitcoin's blocks: ${await state.getText()}`,
  });
  assert.ok((await outside()) > 0, "every demo transaction lies below block 900,000,000 and is hidden");
  await (await $("time-filter-clear")).click();
  await browser.waitUntil(async () => (await outside()) === 0, { timeout: TIMEOUT, timeoutMsg: "All times did not show everything again" });
  await mode.selectByAttribute("value", "time");
  assert.equal(await chain.isDisplayed(), false, "the chain choice belongs to height mode only");
});
