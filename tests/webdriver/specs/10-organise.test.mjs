// Organising the canvas in the real app: grouping selected addresses into a named entity with a
// category (a compound node), refusing a nameless one, collapsing it (its transfers rerouted),
// keeping it across a restart; hiding and showing nodes; removing a node from the canvas (and
// adding it back); the flow layout draws money left to right and its positions are kept.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { TIMEOUT, canvas, nodeCount, openDemo, settled, visibleNodes } from "../app.mjs";

let browser;
before(async () => {
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const hook = (name, ...args) =>
  browser.execute((n, a) => window.__tracebench[n](...a), name, args);
const attr = async (name) => Number(await (await canvas(browser)).getAttribute(name));

async function waitAttr(name, value, why) {
  await browser.waitUntil(async () => (await attr(name)) === value, {
    timeout: TIMEOUT,
    timeoutMsg: `${name} never became ${value}: ${why}`,
  });
}

async function selectMany(ids) {
  assert.equal(await hook("selectMany", ids), true, `every id is drawn: ${ids.join(", ")}`);
  await waitAttr("data-selected-count", ids.length, "the selection was made");
}

/** Two address nodes that are on the canvas and in no entity. */
async function twoAddresses() {
  const nodes = await visibleNodes(browser);
  const inEntity = new Set((await hook("entities")).flatMap((e) => e.children));
  const addrs = nodes.filter((n) => n.kind === "address" && !inEntity.has(n.id)).map((n) => n.id).sort();
  assert.ok(addrs.length >= 2, "the demo shows at least two addresses");
  return addrs.slice(0, 2);
}

let entityId;
let members;

test("a nameless entity is refused with the core's message and nothing changes", async () => {
  members = await twoAddresses();
  await selectMany(members);
  const before = await attr("data-entity-count");
  await (await $("entity-create")).click();
  await (await $("entity-form")).waitForDisplayed({ timeout: TIMEOUT });
  await (await $("entity-name")).setValue("   ");
  await (await $("entity-confirm")).click();
  const error = await $("entity-error");
  await browser.waitUntil(async () => (await error.getText()).length > 0, { timeout: TIMEOUT });
  assert.match(await error.getText(), /needs a name/, "the error says what is missing");
  assert.equal(await attr("data-entity-count"), before, "no entity was created");
  await (await $("entity-cancel")).click();
});

test("selected addresses are grouped into a named entity drawn around them", async () => {
  await selectMany(members);
  await (await $("entity-create")).click();
  await (await $("entity-name")).setValue("Ransom wallet");
  await (await $("entity-category")).selectByAttribute("value", "suspect");
  await (await $("entity-confirm")).click();
  await waitAttr("data-entity-count", 1, "the entity was created");
  const [entity] = await hook("entities");
  entityId = entity.id;
  assert.match(entityId, /^entity:\d+$/, "entities have entity:<n> ids");
  assert.deepEqual(entity.children, [...members].sort(), "the entity is drawn around exactly its members");
  assert.equal(entity.caption, "⚠ suspect · Ransom wallet (2 nodes)", "the caption names the category in text");
  assert.equal(await (await $("entity-form")).isDisplayed(), false, "the form closes once created");
  // For a look at the entity (run.sh names the file; default: in the run's temp dir).
  if (process.env.TRACEBENCH_ORGANISE_SCREENSHOT) {
    await (await browser.$("#fit")).click();
    await browser.saveScreenshot(process.env.TRACEBENCH_ORGANISE_SCREENSHOT);
  }
});

test("collapsing draws the entity as one node with its transfers rerouted, expanding restores it", async () => {
  const nodesBefore = await nodeCount(browser);
  await selectMany([entityId]);
  await (await $("entity-collapse")).click();
  await waitAttr("data-node-count", nodesBefore - 2, "the two members are drawn as the entity");
  const [entity] = await hook("entities");
  assert.equal(entity.collapsed, true, "the entity is collapsed");
  assert.deepEqual(entity.children, [], "a collapsed entity has no drawn children");
  const edges = await hook("edges");
  assert.ok(
    edges.some((e) => e.source === entityId || e.target === entityId),
    "the members' transfers now join the entity",
  );
  assert.ok(
    edges.every((e) => !members.includes(e.source) && !members.includes(e.target)),
    "no edge is drawn to a member inside a collapsed entity",
  );
  await selectMany([entityId]);
  await (await $("entity-collapse")).click();
  await waitAttr("data-node-count", nodesBefore, "expanding draws the members again");
});

test("the entity is stored in the case and survives a restart", async () => {
  await settled(browser);
  await browser.deleteSession();
  browser = await openDemo();
  await waitAttr("data-entity-count", 1, "the case file keeps the entity");
  const [entity] = await hook("entities");
  assert.equal(entity.id, entityId, "same entity");
  assert.deepEqual(entity.children, [...members].sort(), "same members after the restart");
});

test("hidden nodes are not drawn until Show hidden, and stay in the case", async () => {
  const nodesBefore = await nodeCount(browser);
  const [, other] = members;
  await selectMany([other]);
  await (await $("hide-nodes")).click();
  await waitAttr("data-hidden-count", 1, "one node is hidden");
  assert.equal(await nodeCount(browser), nodesBefore - 1, "the hidden node is not drawn");
  assert.equal(await hook("degree", other), -1, "a hidden node is not on the drawn canvas");
  const unhide = await $("unhide-all");
  assert.equal(await unhide.getText(), "Show hidden (1)", "the button says how many are hidden");
  await unhide.click();
  await waitAttr("data-hidden-count", 0, "Show hidden brings it back");
  assert.equal(await nodeCount(browser), nodesBefore, "every node is drawn again");
});

test("a removed node leaves the canvas and its entity, and can be added back", async () => {
  const nodesBefore = await nodeCount(browser);
  const [, other] = members;
  await selectMany([other]);
  await (await $("remove-nodes")).click();
  await waitAttr("data-node-count", nodesBefore - 1, "the node was removed");
  const ids = (await visibleNodes(browser)).map((n) => n.id);
  assert.ok(!ids.includes(other), "the removed node is gone");
  const [entity] = await hook("entities");
  assert.deepEqual(entity.children, [members[0]], "it also left its entity");

  const address = other.split(":").at(-1);
  const input = await $("search-input");
  await input.setValue(address);
  await browser.keys("Enter");
  await waitAttr("data-node-count", nodesBefore, "the address is back on the canvas");
});

test("the flow layout draws money left to right, and its positions are kept", async () => {
  await (await $("layout-flow")).click();
  const edges = (await hook("edges")).filter((e) => !e.source.startsWith("entity:") && !e.target.startsWith("entity:"));
  assert.ok(edges.length > 3, "the demo has transfers");
  const x = async (id) => (await hook("position", id)).model.x;
  let forward = 0;
  for (const e of edges) if ((await x(e.source)) < (await x(e.target))) forward += 1;
  assert.ok(forward >= edges.length * 0.9, `money flows left to right (${forward} of ${edges.length} edges)`);
  const probe = edges[0].target;
  const placed = (await hook("position", probe)).model;

  await (await $("layout-force")).click();
  const forced = (await hook("position", probe)).model;
  assert.ok(
    Math.abs(forced.x - placed.x) > 0.5 || Math.abs(forced.y - placed.y) > 0.5,
    "the force layout places nodes differently",
  );
  await settled(browser); // positions are saved when the layout reports them
  await browser.deleteSession();
  browser = await openDemo();
  const reopened = (await hook("position", probe)).model;
  assert.ok(
    Math.abs(reopened.x - forced.x) < 0.5 && Math.abs(reopened.y - forced.y) < 0.5,
    `the case keeps the layout's positions (${JSON.stringify(forced)} vs ${JSON.stringify(reopened)})`,
  );
});

test("zoom buttons zoom the view", async () => {
  const nodes = await visibleNodes(browser);
  const [a, b] = [nodes[0].id, nodes[1].id];
  const gap = async () => {
    const [pa, pb] = [(await hook("position", a)).rendered, (await hook("position", b)).rendered];
    return Math.hypot(pa.x - pb.x, pa.y - pb.y);
  };
  const before = await gap();
  await (await $("zoom-in")).click();
  const after = await gap();
  assert.ok(after > before * 1.1, `zooming in spreads the nodes on screen (${before} → ${after})`);
});

test("Fit brings every drawn node back into view after a pan far away", async () => {
  const ids = (await visibleNodes(browser)).map((n) => n.id);
  assert.ok(ids.length >= 2, "the demo draws several nodes");
  const size = await hook("viewSize");
  assert.ok(size !== null && size.width > 0 && size.height > 0, `the canvas has a size: ${JSON.stringify(size)}`);
  const outside = async () => {
    const out = [];
    for (const id of ids) {
      const place = await hook("position", id);
      assert.ok(place !== null, `${id} is drawn`);
      const { x, y } = place.rendered;
      if (!(x >= 0 && x <= size.width && y >= 0 && y <= size.height)) out.push(id);
    }
    return out;
  };
  // Pan far away, as a user dragging the background would.
  const view = await hook("camera");
  await hook("setCamera", { zoom: view.zoom, pan_x: view.pan_x + 20 * size.width, pan_y: view.pan_y + 20 * size.height });
  await browser.waitUntil(async () => (await outside()).length === ids.length, {
    timeout: TIMEOUT,
    timeoutMsg: "the pan never moved the nodes out of view",
  });
  await (await $("fit")).click();
  await browser.waitUntil(async () => (await outside()).length === 0, {
    timeout: TIMEOUT,
    timeoutMsg: "Fit did not bring every node into view",
  });
  assert.deepEqual(await outside(), [], "after Fit every drawn node is inside the canvas");
});
