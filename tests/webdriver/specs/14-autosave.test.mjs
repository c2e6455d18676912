// Autosave survives `kill -9`: a drag, a grouping, a zoom and a drag still held down (never
// released) are all in the case when the app is killed a second later and started again.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, test } from "node:test";
import { TIMEOUT, canvas, visibleNodes } from "../app.mjs";
import { FreshDemo } from "../fresh.mjs";

let browser;
// A demo case of this spec's own: its undos and restarts never meet another spec's changes.
const demo = new FreshDemo("spec14");
after(async () => {
  await browser?.deleteSession().catch(() => undefined);
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
  const from = await pixelOf(moved);
  const startMoved = (await hook("position", moved)).model;
  await browser
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ x: from.x, y: from.y, origin: "viewport" })
    .down({ button: 0 })
    .move({ x: from.x + 40, y: from.y + 30, origin: "viewport", duration: 150 })
    .up({ button: 0 })
    .perform();
  await browser.waitUntil(async () => !near((await hook("position", moved)).model, startMoved), {
    timeout: TIMEOUT,
    timeoutMsg: "the node followed the drag",
  });
  const movedTo = (await hook("position", moved)).model;

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
  const heldFrom = await pixelOf(held);
  const heldStart = (await hook("position", held)).model;
  await browser
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ x: heldFrom.x, y: heldFrom.y, origin: "viewport" })
    .down({ button: 0 })
    .move({ x: heldFrom.x - 35, y: heldFrom.y + 45, origin: "viewport", duration: 150 })
    .perform(true);
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

test("closing the window right after a drag keeps the dragged position", async () => {
  await browser?.deleteSession().catch(() => undefined); // one session at a time
  browser = await demo.open();
  const nodes = (await visibleNodes(browser)).filter((n) => n.kind === "address").map((n) => n.id).sort();
  const node = nodes[nodes.length - 1];
  const from = await pixelOf(node);
  const start = (await hook("position", node)).model;
  const pid = appPid();
  await browser
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ x: from.x, y: from.y, origin: "viewport" })
    .down({ button: 0 })
    .move({ x: from.x + 55, y: from.y - 25, origin: "viewport", duration: 150 })
    .up({ button: 0 })
    .perform();
  const droppedAt = (await hook("position", node)).model;
  assert.ok(!near(droppedAt, start), "the node followed the drag");
  // Close the window at once: no pause for the autosave.
  await browser.closeWindow().catch(() => undefined);
  await browser.deleteSession().catch(() => undefined);
  const gone = () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  const until = Date.now() + 15_000;
  while (!gone() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  assert.ok(gone(), "closing its only window ends the app");

  browser = await demo.open();
  const back = (await hook("position", node)).model;
  assert.ok(near(back, droppedAt), `the position dropped just before closing is in the case (${JSON.stringify(droppedAt)} vs ${JSON.stringify(back)})`);
});
