// Autosave survives `kill -9`: a drag, a grouping, a zoom and a drag still held down (never
// released) are all in the case when the app is killed a second later and started again; so does
// a drag made while the case is busy fetching an address from a server that never answers (the
// layout journal, tracebench_core::api::layout_journal). Closing the window through its close request
// saves a drop and a drag still held before the app ends (features/history/closing.ts), and
// cancels a fetch that holds the case so that a note added meanwhile reaches it.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import { after, test } from "node:test";
import { TIMEOUT, canvas, demoTruth, visibleNodes } from "../app.mjs";
import { FreshDemo } from "../fresh.mjs";

let browser;
// A demo case of this spec's own: its undos and restarts never meet another spec's changes.
let demo = new FreshDemo("spec14");
/** An Esplora server that names mainnet's genesis block and never answers anything else. */
let silent = null;
after(async () => {
  await browser?.deleteSession().catch(() => undefined);
  silent?.closeAllConnections();
  silent?.close();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const hook = (name, ...args) => browser.execute((n, a) => window.__tracebench[n](...a), name, args);
const attr = async (name) => Number(await (await canvas(browser)).getAttribute(name));
const near = (a, b, tolerance = 0.5) => Math.abs(a.x - b.x) < tolerance && Math.abs(a.y - b.y) < tolerance;

async function pixelOf(id) {
  const place = await hook("position", id);
  const box = await browser.execute(() => {
    const r = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
    return { left: r.left, top: r.top };
  });
  return { x: Math.round(box.left + place.rendered.x), y: Math.round(box.top + place.rendered.y) };
}

/** Presses the mouse on node `id` and moves it by (dx, dy) pixels, releasing it when `release`
 * (else the button stays down); resolves with where the node started (model coordinates). */
async function pointerDrag(id, dx, dy, release) {
  const from = await pixelOf(id);
  const start = (await hook("position", id)).model;
  const moves = browser
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ x: from.x, y: from.y, origin: "viewport" })
    .down({ button: 0 })
    .move({ x: from.x + dx, y: from.y + dy, origin: "viewport", duration: 100 });
  await (release ? moves.up({ button: 0 }).perform() : moves.perform(true));
  return start;
}

/** Drags node `id` by (dx, dy) pixels and keeps the button down; resolves with its start. */
const holdDragBy = (id, dx, dy) => pointerDrag(id, dx, dy, false);

/** Drags node `id` by (dx, dy) pixels with the mouse and releases it; resolves with where the
 * node is then (model coordinates), once it has left its starting point. */
async function dragBy(id, dx, dy) {
  const start = await pointerDrag(id, dx, dy, true);
  await browser.waitUntil(async () => !near((await hook("position", id)).model, start), {
    timeout: TIMEOUT,
    timeoutMsg: `${id} did not follow the drag`,
  });
  return (await hook("position", id)).model;
}

/** The pid of the app under test: the one process running the app binary with this spec's own
 * data dir (others may run the same binary on this machine). */
function appPid() {
  const out = execFileSync("pgrep", ["-f", process.env.TRACEBENCH_APP], { encoding: "utf8" });
  const pids = out
    .split("\n")
    .filter(Boolean)
    .map(Number)
    .filter((p) => p !== process.pid)
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/environ`, "latin1").split("\0").includes(`TRACEBENCH_DATA_DIR=${demo.dataDir}`);
      } catch {
        return false; // gone, or not ours to read
      }
    });
  assert.equal(pids.length, 1, `exactly one app process runs on this spec's data dir (found ${pids.join(", ")})`);
  return pids[0];
}

/** Waits until process `pid` has ended, failing with `message` after `ms`. */
async function endsWithin(pid, ms, message) {
  const gone = () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  const until = Date.now() + ms;
  while (!gone() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  assert.ok(gone(), message);
}

test("a drag, a grouping, the view and a drag still held survive kill -9", async () => {
  browser = await demo.open();
  const inEntity = new Set((await hook("entities")).flatMap((e) => e.children));
  const addresses = (await visibleNodes(browser)).filter((n) => n.kind === "address" && !inEntity.has(n.id)).map((n) => n.id).sort();
  assert.ok(addresses.length >= 3, "the demo shows three addresses in no entity");
  const [moved, held, ...rest] = addresses;
  const group = rest.slice(0, 2).length === 2 ? rest.slice(0, 2) : [moved, held];

  // The view, zoomed out (so every node stays in sight for the drags): the view is only in the
  // UI until the autosave writes it.
  await (await $("zoom-out")).click();
  // Then a wheel zoom out through the canvas's wheel handler (features/canvas/wheelZoom.ts):
  // four events of +100 px, each 10^(-5 / 250 × 0.3) as Cytoscape's first, clamped events of a
  // wheel. The view it ends on is what the autosave must have written.
  const zoomed = (await hook("camera")).zoom * Math.pow(10, -(4 * 5 * 0.3) / 250);
  await browser.execute(() => {
    const c = document.querySelector('[data-testid="canvas"]');
    const box = c.getBoundingClientRect();
    for (let i = 0; i < 4; i += 1) {
      c.querySelector("canvas").dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, clientX: box.left + box.width / 3, clientY: box.top + box.height / 3, deltaY: 100, deltaMode: 0 }));
    }
  });
  await browser.waitUntil(async () => Math.abs((await hook("camera")).zoom - zoomed) < 1e-9, {
    timeout: TIMEOUT,
    timeoutMsg: `the wheel zoom never reached zoom ${zoomed}`,
  });
  const view = await hook("camera");

  // A finished drag.
  const movedTo = await dragBy(moved, 40, 30);

  // A grouping.
  const entities = await attr("data-entity-count");
  assert.equal(await hook("selectMany", group), true, "the two addresses are drawn");
  await (await $("entity-create")).click();
  await (await $("entity-name")).setValue("Kill test");
  await (await $("entity-confirm")).click();
  await browser.waitUntil(async () => (await attr("data-entity-count")) === entities + 1, {
    timeout: TIMEOUT,
    timeoutMsg: "the entity was created",
  });

  // A drag held down, never released: only the autosave can have written this position.
  const heldStart = await holdDragBy(held, -35, 45);
  await browser.waitUntil(async () => !near((await hook("position", held)).model, heldStart), {
    timeout: TIMEOUT,
    timeoutMsg: "the held node follows the pointer",
  });
  const heldAt = (await hook("position", held)).model;

  await browser.pause(1000); // the promise: at most the last second is lost
  process.kill(appPid(), "SIGKILL");
  await browser.deleteSession().catch(() => undefined);

  browser = await demo.open();
  const back = (await hook("position", moved)).model;
  assert.ok(near(back, movedTo), `the dragged node is where it was left (${JSON.stringify(movedTo)} vs ${JSON.stringify(back)})`);
  const heldBack = (await hook("position", held)).model;
  assert.ok(near(heldBack, heldAt, 1), `the node still being dragged was saved mid-drag (${JSON.stringify(heldAt)} vs ${JSON.stringify(heldBack)})`);
  const entity = (await hook("entities")).find((e) => e.caption.includes("Kill test"));
  assert.deepEqual(entity?.children, [...group].sort(), "the grouping is in the case");
  await browser.waitUntil(async () => Math.abs((await hook("camera")).zoom - view.zoom) < 1e-6, {
    timeout: TIMEOUT,
    timeoutMsg: `the case reopens on the saved view (zoom ${view.zoom})`,
  });
  const reopened = await hook("camera");
  assert.ok(Math.abs(reopened.pan_x - view.pan_x) < 0.5 && Math.abs(reopened.pan_y - view.pan_y) < 0.5, `the pan is restored too (${JSON.stringify(view)} vs ${JSON.stringify(reopened)})`);
});

test("closing the window right after a drag keeps the drop and a drag still held", async () => {
  await browser?.deleteSession().catch(() => undefined); // one session at a time
  browser = await demo.open();
  const nodes = (await visibleNodes(browser)).filter((n) => n.kind === "address").map((n) => n.id).sort();
  const [held, dropped] = [nodes[0], nodes[nodes.length - 1]];
  const pid = appPid();
  const droppedAt = await dragBy(dropped, 55, -25);
  // Then a second node is dragged and not released: its position waits in the autosave's
  // 400 ms debounce, so only the save made on closing can write it.
  const heldStart = await holdDragBy(held, -30, 40);
  const heldAt = (await hook("position", held)).model;
  assert.ok(!near(heldAt, heldStart), "the held node follows the pointer");
  // Close at once, the way the window's close button does (Tauri's close request: the app
  // saves, then the window goes and the app ends). No pause for the autosave.
  // (The window may be gone before WebDriver's answer is: the app ending is checked below.)
  await browser.execute(() => window.__tracebench.closeWindow()).catch(() => undefined);
  await endsWithin(pid, 15_000, "closing its only window ends the app");
  await browser.deleteSession().catch(() => undefined);

  browser = await demo.open();
  const back = (await hook("position", dropped)).model;
  assert.ok(near(back, droppedAt), `the position dropped just before closing is in the case (${JSON.stringify(droppedAt)} vs ${JSON.stringify(back)})`);
  const heldBack = (await hook("position", held)).model;
  assert.ok(near(heldBack, heldAt, 1), `the node held while closing is where it was held (${JSON.stringify(heldAt)} vs ${JSON.stringify(heldBack)})`);
});

/** The silent Esplora server's base URL (started on first use) and what it was asked. */
const asked = [];
async function silentServer() {
  if (silent === null) {
    silent = http.createServer((req, res) => {
      asked.push(req.url);
      // The network check every Esplora connection makes first: the demo case is on mainnet.
      if (req.url.endsWith("/block-height/0")) {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
      }
      // Anything else is held open: the fetch, and the command holding the case, never end.
    });
    await new Promise((resolve) => silent.listen(0, "127.0.0.1", resolve));
  }
  return `http://127.0.0.1:${silent.address().port}`;
}

/** Opens a fresh demo case named `name` on the silent server and adds an address the case
 * lacks: the fetch never ends, so the command holds the case from then on. Resolves with that
 * address. */
async function holdTheCase(name) {
  await browser?.deleteSession().catch(() => undefined); // one session at a time
  demo = new FreshDemo(name);
  const url = await silentServer();
  browser = await demo.open();
  await (await $("sources-toggle")).click();
  await (await $("btc-source")).setValue(url);
  await (await $("btc-source-apply")).click();
  await browser.waitUntil(async () => (await (await $("btc-source-state")).getAttribute("data-source-id")) === `esplora:${url}/`, {
    timeout: TIMEOUT,
    timeoutMsg: `the silent Esplora server was never set as the source: ${await (await $("btc-source-error")).getText()}`,
  });

  // The panel lies over the canvas: closed before the drag.
  await (await $("sources-toggle")).click();
  await browser.waitUntil(async () => !(await (await $("sources-panel")).isDisplayed()), {
    timeout: TIMEOUT,
    timeoutMsg: "the Sources panel did not close",
  });

  // An address of the demo chain that is not on the canvas: adding it fetches its history.
  const truth = demoTruth();
  const visible = new Set((await visibleNodes(browser)).map((n) => n.id));
  const candidates = [truth.roles.exchange_deposit_address, truth.roles.exchange_hot_wallet, ...Object.keys(truth.owners)];
  const address = candidates.find((a) => !visible.has(`btc:addr:${a}`));
  assert.ok(address, "the demo chain has an address that is not on the canvas");
  await (await $("search-input")).setValue(address);
  await browser.keys("Enter");
  await browser.waitUntil(async () => asked.some((u) => u.includes(address)), {
    timeout: TIMEOUT,
    timeoutMsg: `the app never asked the server for ${address} (asked: ${asked.join(", ")})`,
  });
  return address;
}

test("a drag made while the case is busy fetching survives kill -9", async () => {
  await holdTheCase("spec14-busy");

  // The case is now held by that fetch. A finished drag meanwhile:
  // An address drawn well inside the canvas, where the pointer reaches it.
  const size = await hook("viewSize");
  let node = null;
  for (const id of (await visibleNodes(browser)).filter((n) => n.kind === "address").map((n) => n.id).sort()) {
    const at = (await hook("position", id)).rendered;
    if (at.x > 80 && at.y > 80 && at.x < size.width - 80 && at.y < size.height - 80) {
      node = id;
      break;
    }
  }
  assert.ok(node, "an address is drawn inside the canvas");
  const droppedAt = await dragBy(node, 45, 35);

  await browser.pause(1000); // the promise: at most the last second is lost
  process.kill(appPid(), "SIGKILL");
  await browser.deleteSession().catch(() => undefined);
  silent.closeAllConnections();

  browser = await demo.open();
  const back = (await hook("position", node)).model;
  assert.ok(
    near(back, droppedAt),
    `the node dragged while the fetch held the case is where it was left (${JSON.stringify(droppedAt)} vs ${JSON.stringify(back)})`,
  );
  assert.ok(!existsSync(`${demo.caseFile}.layout-journal`), "the journal was applied to the case and removed when it opened");
});

test("closing while a fetch holds the case cancels it, and a note added meanwhile is in the case", async () => {
  const address = await holdTheCase("spec14-close-busy");
  const pid = appPid();
  const [node] = (await visibleNodes(browser)).filter((n) => n.kind === "address");
  assert.equal(await hook("select", node.id), true, "an address is selected");
  const noteTexts = () =>
    browser.execute(() => [...document.querySelectorAll('[data-testid="details"] [data-testid="note-text"]')].map((n) => n.textContent));
  const text = `Typed while the fetch held the case (${node.id})`;
  // The field is empty (a fresh case): typed into, not cleared first, as clearing a field
  // scrolled out of the panel's view is refused as "not interactable".
  await (await $("node-note")).addValue(text);
  await (await $("note-add")).click();
  await browser.pause(500);
  assert.ok(!(await noteTexts()).includes(text), "the note waits behind the fetch (it is not saved yet)");

  // Without cancelling, the fetch would never let the note through, and the window would close
  // when its wait for the saves ran out, the note lost.
  await browser.execute(() => window.__tracebench.closeWindow()).catch(() => undefined);
  await endsWithin(pid, 15_000, "closing its only window ends the app");
  await browser.deleteSession().catch(() => undefined);
  silent.closeAllConnections();

  browser = await demo.open();
  assert.equal(await hook("select", node.id), true, "the address is still on the canvas");
  await browser.waitUntil(async () => (await noteTexts()).includes(text), {
    timeout: TIMEOUT,
    timeoutMsg: `the note added while the fetch held the case is not in the case (notes: ${JSON.stringify(await noteTexts())})`,
  });
  const shown = new Set((await visibleNodes(browser)).map((n) => n.id));
  assert.ok(!shown.has(`btc:addr:${address}`), "the cancelled fetch added nothing to the canvas");
});
