// Undo and redo in the real app: grouping undone (the entity leaves the canvas and the case) and
// redone, a removed node put back where it was, a drag undone with Ctrl+Z from the keyboard, the
// toolbar's buttons naming the step they take, and the `?` overlay listing the shortcuts. The end
// state is checked again after a restart, so each undo is in the case file, not only on screen.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { TIMEOUT, canvas, nodeCount, settled, visibleNodes } from "../app.mjs";
import { FreshDemo } from "../fresh.mjs";

let browser;
// A demo case of this spec's own: its undos and restarts never meet another spec's changes.
const demo = new FreshDemo("spec13");
before(async () => {
  browser = await demo.open();
});
after(async () => {
  await browser?.deleteSession();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const hook = (name, ...args) => browser.execute((n, a) => window.__tracebench[n](...a), name, args);
const attr = async (name) => Number(await (await canvas(browser)).getAttribute(name));
const near = (a, b) => Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5;

async function waitFor(check, why) {
  await browser.waitUntil(check, { timeout: TIMEOUT, timeoutMsg: why });
}

/** Addresses on the canvas in no entity, sorted. */
async function freeAddresses() {
  const inEntity = new Set((await hook("entities")).flatMap((e) => e.children));
  return (await visibleNodes(browser)).filter((n) => n.kind === "address" && !inEntity.has(n.id)).map((n) => n.id).sort();
}

async function entityNamed(name) {
  return (await hook("entities")).find((e) => e.caption.includes(name)) ?? null;
}

async function buttonState(testid) {
  const b = await $(testid);
  return { enabled: await b.isEnabled(), title: (await b.getAttribute("title")) ?? "" };
}

const NAME = "Undo wallet";
let members;
let removed;
let removedAt;
let dragged;
let dragStart;

test("a fresh session has nothing to undo or redo", async () => {
  assert.deepEqual(await buttonState("undo"), { enabled: false, title: "Nothing to undo (Ctrl+Z)" }, "undo is disabled and says why");
  assert.equal((await buttonState("redo")).enabled, false, "redo is disabled");
});

test("undo removes a grouping from the canvas, redo brings it back", async () => {
  members = (await freeAddresses()).slice(0, 2);
  assert.equal(members.length, 2, "the demo shows two addresses in no entity");
  assert.equal(await hook("selectMany", members), true, "both addresses are drawn");
  const entitiesBefore = await attr("data-entity-count");
  await (await $("entity-create")).click();
  await (await $("entity-name")).setValue(NAME);
  await (await $("entity-category")).selectByAttribute("value", "suspect");
  await (await $("entity-confirm")).click();
  await waitFor(async () => (await attr("data-entity-count")) === entitiesBefore + 1, "the entity was created");
  const undo = await buttonState("undo");
  assert.equal(undo.enabled, true, "the grouping can be undone");
  assert.equal(undo.title, `Undo: Group 2 nodes as “${NAME}” (Ctrl+Z)`, "the tooltip names the step");

  await (await $("undo")).click();
  await waitFor(async () => (await attr("data-entity-count")) === entitiesBefore, "undo took the entity away");
  assert.equal(await entityNamed(NAME), null, "no entity of that name is drawn");
  assert.match((await buttonState("redo")).title, /^Redo: Group 2 nodes/, "redo names the grouping");

  await (await $("redo")).click();
  await waitFor(async () => (await attr("data-entity-count")) === entitiesBefore + 1, "redo grouped them again");
  const again = await entityNamed(NAME);
  assert.deepEqual(again?.children, [...members].sort(), "the same two addresses are grouped again");

  await (await $("undo")).click();
  await waitFor(async () => (await entityNamed(NAME)) === null, "the second undo took the entity away again");
});

test("undo puts a removed node back at its position", async () => {
  const nodes = await visibleNodes(browser);
  removed = nodes.find((n) => n.kind === "transaction")?.id ?? nodes[0].id;
  removedAt = (await hook("position", removed)).model;
  const count = await nodeCount(browser);
  assert.equal(await hook("selectMany", [removed]), true, "the node is drawn");
  await waitFor(async () => (await attr("data-selected-count")) === 1, "the node is selected");
  await (await $("remove-nodes")).click();
  await waitFor(async () => (await nodeCount(browser)) === count - 1, "the node left the canvas");
  assert.equal(await hook("position", removed), null, "the removed node is not drawn");

  await (await $("undo")).click();
  await waitFor(async () => (await nodeCount(browser)) === count, "undo put the node back");
  const back = (await hook("position", removed)).model;
  assert.ok(near(back, removedAt), `the node is back where it was (${JSON.stringify(removedAt)} vs ${JSON.stringify(back)})`);
});

test("Ctrl+Z from the keyboard undoes a drag", async () => {
  const nodes = await visibleNodes(browser);
  dragged = nodes.find((n) => n.kind === "address" && n.id !== removed)?.id ?? nodes[1].id;
  const start = await hook("position", dragged);
  dragStart = start.model;
  const box = await browser.execute(() => {
    const r = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
    return { left: r.left, top: r.top };
  });
  const x = Math.round(box.left + start.rendered.x);
  const y = Math.round(box.top + start.rendered.y);
  await browser
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ x, y, origin: "viewport" })
    .down({ button: 0 })
    .move({ x: x + 30, y: y + 20, origin: "viewport", duration: 100 })
    .move({ x: x + 70, y: y + 50, origin: "viewport", duration: 200 })
    .up({ button: 0 })
    .perform();
  await waitFor(async () => !near((await hook("position", dragged)).model, dragStart), "the node followed the drag");
  await waitFor(async () => /^Undo: Move 1 node/.test((await buttonState("undo")).title), "the drag is the step to undo");

  // The drag left the focus on the canvas, which is not a text field: the shortcut acts.
  await browser.keys(["Control", "z"]);
  await waitFor(async () => near((await hook("position", dragged)).model, dragStart), "Ctrl+Z moved the node back");
  assert.match((await buttonState("redo")).title, /^Redo: Move 1 node/, "the drag can be redone");
});

test("Ctrl+Z typed into a text field stays in the field", async () => {
  const title = (await buttonState("undo")).title;
  const input = await $("search-input");
  await input.click();
  await browser.keys(["Control", "z"]);
  await browser.pause(300);
  assert.equal((await buttonState("undo")).title, title, "no step was undone while typing");
});

test("? lists the shortcuts, Escape closes the list", async () => {
  await (await canvas(browser)).click();
  await browser.keys(["?"]);
  const overlay = await $("help-overlay");
  await overlay.waitForDisplayed({ timeout: TIMEOUT, timeoutMsg: "? opened the shortcut list" });
  const text = await overlay.getText();
  for (const key of ["Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y", "Delete", "Escape"]) {
    assert.ok(text.includes(key), `the list names ${key}: ${text}`);
  }
  await browser.keys(["Escape"]);
  await overlay.waitForDisplayed({ reverse: true, timeout: TIMEOUT, timeoutMsg: "Escape closed the list" });
  await (await $("help")).click();
  await overlay.waitForDisplayed({ timeout: TIMEOUT, timeoutMsg: "the toolbar's ? button opens it too" });
  await (await $("help-close")).click();
  await overlay.waitForDisplayed({ reverse: true, timeout: TIMEOUT });
});

test("undo retracts a note, redo attaches it again", async () => {
  const text = "undo me: seen at the exchange";
  const [node] = await visibleNodes(browser);
  assert.equal(await hook("select", node.id), true, "the node is drawn");
  const noteTexts = () =>
    browser.execute(() => [...document.querySelectorAll('[data-testid="details"] [data-testid="note-text"]')].map((el) => el.textContent));
  await waitFor(async () => (await browser.$('[data-testid="node-note"]')).isDisplayed(), "the note field is shown");
  const before = (await noteTexts()).filter((t) => t === text).length;
  await (await $("node-note")).setValue(text);
  await (await $("note-add")).click();
  await waitFor(async () => (await noteTexts()).filter((t) => t === text).length === before + 1, "the note appeared");
  await waitFor(async () => (await buttonState("undo")).title === "Undo: Add note (Ctrl+Z)", "the note is the step to undo");
  await (await $("undo")).click();
  await waitFor(async () => (await noteTexts()).filter((t) => t === text).length === before, "undo retracted the note");
  await (await $("redo")).click();
  await waitFor(async () => (await noteTexts()).filter((t) => t === text).length === before + 1, "redo attached it again");
  await (await $("undo")).click();
  await waitFor(async () => (await noteTexts()).filter((t) => t === text).length === before, "the re-attached note is retracted too");
});

/** One number from the spec's own case file (read-only). */
function caseNumber(sql) {
  return Number(execFileSync("sqlite3", ["-readonly", demo.caseFile, sql], { encoding: "utf8" }).trim());
}

test("redo of an expansion puts the nodes back from the case, offline, fetching nothing", async () => {
  // Expand the drawn nodes one by one until one expansion adds nodes the canvas lacks (the
  // demo shows the seed's first hop; the addresses beyond it have transactions not drawn).
  const bar = await $("expansion");
  const count = await nodeCount(browser);
  const candidates = (await visibleNodes(browser)).map((n) => n.id).sort();
  for (const id of candidates) {
    assert.equal(await hook("select", id), true, "the node is drawn");
    await (await $("expand")).click();
    await bar.waitForDisplayed({ timeout: TIMEOUT });
    await waitFor(
      async () =>
        (await bar.getAttribute("data-state")) !== "running" &&
        (await browser.execute(() => document.getElementById("expansion-what")?.title)) === id,
      `the expansion of ${id} finished`,
    );
    if ((await nodeCount(browser)) > count) break;
  }
  assert.ok((await nodeCount(browser)) > count, "an expansion added nodes");
  await waitFor(async () => /^Undo: Expand/.test((await buttonState("undo")).title), "the expansion is the step to undo");
  const expanded = await nodeCount(browser);
  const added = (await visibleNodes(browser)).map((n) => n.id);

  // Offline from here: nothing may be fetched, and redo must not need to.
  await (await $("offline")).click();
  await waitFor(async () => (await browser.$("body").getAttribute("data-offline")) === "true", "the offline switch took");
  await (await $("undo")).click();
  await waitFor(async () => (await nodeCount(browser)) === count, "undo took the expansion's nodes away");
  const raws = caseNumber("SELECT count(*) FROM raw_response");
  const lastSeq = caseNumber("SELECT max(seq) FROM audit_log");

  await (await $("redo")).click();
  await waitFor(async () => (await nodeCount(browser)) === expanded, "redo put the expansion's nodes back while offline");
  const back = (await visibleNodes(browser)).map((n) => n.id);
  assert.deepEqual([...back].sort(), [...added].sort(), "the same nodes are back");
  assert.equal(caseNumber("SELECT count(*) FROM raw_response"), raws, "redo stored no new source response: nothing was fetched");
  const actions = execFileSync("sqlite3", ["-readonly", demo.caseFile, `SELECT action FROM audit_log WHERE seq > ${lastSeq} ORDER BY seq`], {
    encoding: "utf8",
  })
    .split("\n")
    .filter((l) => l !== "");
  assert.ok(actions.includes("restore"), `redo is written as a restore of stored nodes: ${actions}`);
  assert.ok(!actions.some((a) => ["add", "expand", "expand_page"].includes(a) || a.includes("fetch")), `redo made no fetching action: ${actions}`);
  await (await $("offline")).click();
  await waitFor(async () => (await browser.$("body").getAttribute("data-offline")) !== "true", "back online");
});

test("after a restart the case holds what the undos left: no entity, the node back, the old position", async () => {
  await settled(browser);
  await browser.deleteSession();
  browser = await demo.open();
  assert.equal(await entityNamed(NAME), null, "the undone grouping is not in the case");
  const back = await hook("position", removed);
  assert.ok(back !== null && near(back.model, removedAt), "the node put back by undo is in the case at its position");
  assert.ok(near((await hook("position", dragged)).model, dragStart), "the undone drag left the old position in the case");
  assert.equal((await buttonState("undo")).enabled, false, "a reopened case starts with an empty history");
});
