// Paged expansion in the real app: a per-expansion limit, "2 of 7" with a progress bar, Load
// more for the next page, and a background "Load all" that Cancel stops after the page in
// flight, keeping what was loaded. Expanding an address whose history the case lacks counts the
// history's pages and transactions as they are fetched, up to the total the source states.
// On a demo case of its own (FreshDemo), so what it adds changes no other spec's case.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { TIMEOUT, demoTruth, select, visibleNodes } from "../app.mjs";
import { FreshDemo } from "../fresh.mjs";

let browser;
before(async () => {
  browser = await new FreshDemo("expansion").open();
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
async function idleWhen(bar, done, what, timeout = TIMEOUT) {
  await browser.waitUntil(
    async () => (await bar.getAttribute("data-state")) === "idle" && done(await counts(bar)),
    { timeout, timeoutMsg: `the expansion never finished with ${what}` },
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
  // One page (of one address) per round trip, each redrawing the canvas: on a loaded CI machine
  // the whole run can take longer than one command's allowance, so it gets one per few pages.
  const pages = after.total - after.shown;
  const done = await idleWhen(bar, (c) => c.shown === c.total, "every address shown", TIMEOUT * Math.max(1, Math.ceil(pages / 4)));
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

/** The demo's chain served by the CLI's simulator (same scenario and seed), asked apart from the
 * app: the busiest address, its transaction count and one of its transactions. */
async function busiestAddress() {
  const cli = process.env.TRACEBENCH_CLI;
  assert.ok(cli, "run.sh sets TRACEBENCH_CLI");
  const sim = spawn(cli, ["sim", "serve", "--scenario", "ransomware", "--seed", "1"], {
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const first = await new Promise((resolve, reject) => {
      createInterface({ input: sim.stdout }).once("line", resolve);
      sim.once("exit", (code) => reject(new Error(`tracebench sim serve exited with ${code}`)));
    });
    const url = JSON.parse(first).url;
    let best = null;
    for (const address of Object.keys(demoTruth().owners).sort()) {
      const stats = await (await fetch(`${url}/address/${address}`)).json();
      const count = stats.chain_stats.tx_count;
      if (best === null || count > best.count) best = { address, count };
    }
    const txs = await (await fetch(`${url}/address/${best.address}/txs`)).json();
    return { ...best, txid: txs[0].txid };
  } finally {
    sim.kill();
  }
}

test("expanding an address whose history the case lacks counts its pages and transactions up to the stated total", async () => {
  const busy = await busiestAddress();
  assert.ok(busy.count > 50, `the busiest address needs three pages or more (${busy.count} transactions)`);
  const pages = Math.ceil(busy.count / 25);
  const txNode = `btc:tx:${busy.txid}`;
  const addressNode = `btc:addr:${busy.address}`;

  // One of its transactions by search, then that transaction's addresses: the busy address is
  // on the canvas without its history.
  const search = await $("search-input");
  await search.setValue(busy.txid);
  await browser.keys("Enter");
  await browser.waitUntil(async () => (await visibleNodes(browser)).some((n) => n.id === txNode), {
    timeout: TIMEOUT,
    timeoutMsg: `searching ${busy.txid} never showed the transaction`,
  });
  await select(browser, txNode);
  await setLimit(200);
  await (await $("expand")).click();
  await browser.waitUntil(async () => (await visibleNodes(browser)).some((n) => n.id === addressNode), {
    timeout: TIMEOUT,
    timeoutMsg: "expanding the transaction never showed the busy address",
  });
  const bar = await $("expansion");
  await idleWhen(bar, (c) => c.total > 0 && c.shown === c.total, "the transaction's addresses shown");

  // Every text the history count shows, in order (a mutation record per event).
  await browser.execute(() => {
    window.__historyTexts = [];
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) window.__historyTexts.push(n.textContent);
    }).observe(document.querySelector('[data-testid="expansion-fetched"]'), { childList: true });
  });
  await select(browser, addressNode);
  await (await $("expand")).click();
  const final = `History: page ${pages} of ${pages} · ${busy.count} of ${busy.count} transactions fetched`;
  const fetched = await $("expansion-fetched");
  // The visible text: the count must be shown, not only be in the page.
  const said = () => fetched.getText();
  await browser.waitUntil(async () => (await said()) === final, {
    timeout: TIMEOUT,
    timeoutMsg: `the history count never reached "${final}"`,
  }).catch(async (err) => {
    const seen = await browser.execute(() => window.__historyTexts);
    throw new Error(`${err.message}: it says "${await said()}", hidden ${await fetched.getProperty("hidden")}, seen ${JSON.stringify(seen)}`);
  });
  const texts = await browser.execute(() => window.__historyTexts);
  const want = Array.from({ length: pages }, (_, i) => {
    const k = i + 1;
    const of = k === pages ? `${pages}` : `~${pages}`;
    return `History: page ${k} of ${of} · ${Math.min(k * 25, busy.count)} of ${busy.count} transactions fetched`;
  });
  assert.deepEqual(texts, want, "one count per page, up to the total the source stated before paging");
  const progress = await $("progress");
  assert.equal(await progress.getAttribute("data-fetched"), String(busy.count), "the bar holds the transactions fetched");
  assert.equal(await progress.getAttribute("data-fetch-total"), String(busy.count), "of the total the source stated");
  assert.equal(await progress.getAttribute("data-pages-total"), String(pages), "in so many pages");
  const after = await idleWhen(bar, (c) => c.total === busy.count, "the address's transactions counted");
  assert.equal(after.shown, busy.count, "with a limit of 200 the page shows every transaction of the history");
  assert.equal(await (await $("expansion-count")).getText(), `${busy.count} of ${busy.count}`, "the paging count beside the history count");
});
