// Paged expansion in the real app: a per-expansion limit, "2 of 7" with a progress bar, Load
// more for the next page, and a background "Load all" that Cancel stops after the page in
// flight, keeping what was loaded.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { TIMEOUT, openDemo, select, visibleNodes } from "../app.mjs";

let browser;
before(async () => {
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);

async function counts(bar) {
  return { shown: Number(await bar.getAttribute("data-shown")), total: Number(await bar.getAttribute("data-total")) };
}

async function idleWith(bar) {
  await browser.waitUntil(async () => (await bar.getAttribute("data-state")) === "idle", {
    timeout: TIMEOUT,
    timeoutMsg: "the expansion never finished",
  });
  return counts(bar);
}

/** Waits until the bar is idle with what `done` expects: a click's run may not have started yet
 * when the bar is first read (it is idle before the run as after it), so "idle" alone could be
 * the state before the click. */
async function idleWhen(bar, done, what) {
  await browser.waitUntil(
    async () => (await bar.getAttribute("data-state")) === "idle" && done(await counts(bar)),
    { timeout: TIMEOUT, timeoutMsg: `the expansion never finished with ${what}` },
  );
  return counts(bar);
}

/** The transaction on the canvas with the most edges: the demo's consolidation. */
async function busiestTx() {
  const nodes = await visibleNodes(browser);
  const degrees = await browser.execute(
    (ids) => ids.map((id) => [id, window.__tracebench.degree(id)]),
    nodes.filter((n) => n.kind === "transaction").map((n) => n.id),
  );
  degrees.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return degrees[0][0];
}

async function setLimit(n) {
  const limit = await $("expand-limit");
  await limit.clearValue();
  await limit.setValue(String(n));
}

test("expansion shows a limited page, says how many in all, and loads more", async () => {
  const tx = await busiestTx();
  await select(browser, tx);
  await setLimit(2);
  await (await $("expand")).click();
  const bar = await $("expansion");
  await bar.waitForDisplayed({ timeout: TIMEOUT });
  const first = await idleWith(bar);
  assert.ok(first.total >= 3, `the consolidation has several addresses (${first.total})`);
  assert.equal(first.shown, 2, "the first page shows exactly the limit");
  assert.equal(await (await $("expansion-count")).getText(), `2 of ${first.total}`, "the bar says how many of how many");
  assert.equal(
    Number(await (await $("progress")).getAttribute("value")),
    Math.floor((200) / first.total),
    "the progress bar shows the share loaded",
  );

  await (await $("expand-more")).click();
  const second = await idleWhen(bar, (c) => c.shown > first.shown, "a second page loaded");
  assert.equal(second.shown, Math.min(4, first.total), "Load more shows the next page");
});

test("Load all runs in the background and Cancel stops it after the page in flight", async () => {
  const tx = await busiestTx();
  await select(browser, tx);
  await setLimit(1);
  await (await $("expand")).click();
  const bar = await $("expansion");
  const first = await idleWith(bar);
  assert.equal(first.shown, 1, "a limit of one shows one address");

  // Start the run and cancel it in the same tick: exactly the page in flight completes.
  await browser.execute(() => {
    document.querySelector('[data-testid="expand-all"]').click();
    document.querySelector('[data-testid="cancel"]').click();
  });
  // The status line names where the run stopped once it has: waiting for it (not just for an
  // idle bar, which it also is before the run starts) cannot read the state before the run.
  await browser.waitUntil(
    async () =>
      /Cancelled at/.test(await browser.execute(() => document.querySelector('[data-testid="status"]').textContent)),
    { timeout: TIMEOUT, timeoutMsg: "the cancelled run never reported where it stopped" },
  );
  const after = await idleWith(bar);
  assert.equal(after.shown, 2, "the page in flight completes and no further page is loaded");
  assert.ok(after.shown < after.total, `the run stopped before the end (${after.shown} of ${after.total})`);
  const status = await browser.execute(() => document.querySelector('[data-testid="status"]').textContent);
  assert.match(status, /Cancelled at 2 of \d+/, `the status line says where the run stopped: ${status}`);

  await (await $("expand-all")).click();
  // Idle with everything shown: the run has started and finished (idle alone may be read before
  // the run starts, with the cancelled run's counts).
  const done = await idleWhen(bar, (c) => c.shown === c.total, "every address shown");
  assert.equal(done.shown, done.total, "Load all without cancel shows everything");
  assert.equal(await (await $("expand-more")).isEnabled(), false, "nothing is left to load");
});

test("the legend explains every node style, the edges and how facts, inferences, attributions and notes look", async () => {
  const legend = await $("legend");
  assert.equal(await legend.isDisplayed(), false, "the legend starts folded away");
  await (await $("legend-toggle")).click();
  await legend.waitForDisplayed({ timeout: TIMEOUT });
  const text = await legend.getText();
  for (const words of [
    "address",
    "transaction",
    "Dashed",
    "notes",
    "Octagon",
    "trace",
    "selected",
    "Arrow",
    "Fact",
    "Inference",
    "Attribution",
    "Note",
  ]) {
    assert.ok(text.includes(words), `the legend says what "${words}" looks like (meaning never by colour alone)`);
  }
  await (await $("legend-toggle")).click();
  assert.equal(await legend.isDisplayed(), false, "the toggle folds it away again");
});
