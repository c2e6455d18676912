// Bulk paste in the real app: a list with a victim's address, an invalid line and an address
// already on the canvas adds the good lines, reports the bad one by its line number, and
// connects the new address to the canvas (its payment to a ransom address is shown); an address
// typed into the search box is connected the same way.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { TIMEOUT, canvas, demoTruth, openDemo, visibleNodes } from "../app.mjs";

let browser;
before(async () => {
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const count = async (attr) => Number((await (await canvas(browser)).getAttribute(attr)) ?? "0");

test("a pasted list adds the good lines, reports the bad one by number and connects the new node", async () => {
  const truth = demoTruth();
  const visible = new Set((await visibleNodes(browser)).map((n) => n.id));
  const victim = Object.entries(truth.owners)
    .filter(([address, owner]) => owner.startsWith("victim-") && !visible.has(`btc:addr:${address}`))
    .map(([address]) => address)
    .sort()[0];
  assert.ok(victim, "the demo chain has a victim address not yet on the canvas");
  const nodesBefore = await count("data-node-count");

  await (await $("bulk-open")).click();
  const box = await $("bulk-paste");
  assert.ok(await box.isDisplayed(), "Paste list… opens the panel");
  // As a paste lands: the whole text at once (WebDriver typing would send Enter keys instead).
  await browser.execute(
    (text) => {
      const el = document.querySelector('[data-testid="bulk-paste"]');
      el.value = text;
      el.dispatchEvent(new Event("input", { bubbles: true }));
    },
    [victim, "not-an-address", "", truth.seed_address].join("\n"),
  );
  await (await $("bulk-add")).click();
  const summary = await $("bulk-summary");
  await browser.waitUntil(async () => (await summary.getAttribute("data-state")) === "done", {
    timeout: TIMEOUT,
    timeoutMsg: "the pasted list was never added",
  });

  const errors = await browser.$$('[data-testid="bulk-error"]');
  assert.equal(errors.length, 1, "exactly the one invalid line is reported");
  assert.equal(await errors[0].getAttribute("data-line"), "2", "the report names the line number");
  assert.match(await errors[0].getText(), /not-an-address/, "and quotes what was wrong");
  assert.equal(await box.getValue(), "not-an-address", "only the refused line is left in the box to fix");

  const victimId = `btc:addr:${victim}`;
  const nodes = new Set((await visibleNodes(browser)).map((n) => n.id));
  assert.ok(nodes.has(victimId), "the valid address is on the canvas");
  assert.ok((await count("data-node-count")) >= nodesBefore + 2, "the victim and its connecting transaction were added");
  const degree = await browser.execute((id) => window.__tracebench.degree(id), victimId);
  assert.ok(degree >= 1, `the new address is connected to the canvas by an edge (degree ${degree})`);
  assert.match(await summary.getText(), /1 already on the canvas/, "the seed was already there and is said so");
});

test("an address added from the search box connects to the nodes it has transactions with", async () => {
  const truth = demoTruth();
  const visible = new Set((await visibleNodes(browser)).map((n) => n.id));
  // A victim none of whose addresses is drawn (the pasted victim's change address is, through
  // its payment): its ransom payment pays a ransom address that the consolidation (on the canvas
  // since the demo opened) spends, so the two share a transaction not yet drawn.
  const drawnOwners = new Set(
    Object.entries(truth.owners)
      .filter(([address]) => visible.has(`btc:addr:${address}`))
      .map(([, owner]) => owner),
  );
  const victim = Object.entries(truth.owners)
    .filter(([, owner]) => owner.startsWith("victim-") && !drawnOwners.has(owner))
    .map(([address]) => address)
    .sort()[0];
  assert.ok(victim, "the demo chain has another victim address not on the canvas");
  const victimId = `btc:addr:${victim}`;
  const nodesBefore = await count("data-node-count");

  const search = await $("search-input");
  await search.setValue(victim);
  await browser.keys("Enter");
  await browser.waitUntil(async () => (await visibleNodes(browser)).some((n) => n.id === victimId), {
    timeout: TIMEOUT,
    timeoutMsg: "the address typed into the search box was never added",
  });
  const edges = await browser.execute(() => window.__tracebench.edges());
  // victim → payment transaction → an address that was on the canvas before the add.
  const joined = edges
    .filter((e) => e.source === victimId && e.target.startsWith("btc:tx:"))
    .map((e) => e.target)
    .filter((tx) => edges.some((e) => e.source === tx && visible.has(e.target)));
  assert.ok(
    joined.length >= 1,
    `the new address is joined through a shared transaction to a node already drawn: ${JSON.stringify(edges.filter((e) => e.source === victimId))}`,
  );
  assert.ok(!visible.has(joined[0]), "the connecting transaction was added with the address");
  // Nothing but the address and transactions that each join it to what was drawn.
  const fresh = (await visibleNodes(browser)).map((n) => n.id).filter((id) => !visible.has(id) && id !== victimId);
  for (const tx of fresh) {
    assert.ok(tx.startsWith("btc:tx:"), `only transactions come with the address: ${tx}`);
    const touches = (id) => edges.some((e) => (e.source === tx && e.target === id) || (e.source === id && e.target === tx));
    assert.ok(touches(victimId) && [...visible].some(touches), `${tx} joins the new address to a node already drawn`);
  }
  assert.equal(await count("data-node-count"), nodesBefore + 1 + fresh.length, "the node count grew by exactly these");
});
