// Dragging a node saves its position in the case: the next launch shows it where it was left.

import assert from "node:assert/strict";
import { after, test } from "node:test";
import { TIMEOUT, openDemo, settled, visibleNodes } from "../app.mjs";

let browser;
after(async () => {
  await browser?.deleteSession();
});

const whereIs = (id) => browser.execute((nodeId) => window.__tracebench.whereIs(nodeId), id);

test("a dragged node keeps its new position after the app is restarted", async () => {
  browser = await openDemo();
  const nodes = await visibleNodes(browser);
  const node = nodes.find((n) => n.kind === "transaction") ?? nodes[0];
  assert.ok(node, "the demo case has nodes");
  const start = await whereIs(node.id);
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
    .move({ x: x + 20, y: y + 10, origin: "viewport", duration: 100 })
    .move({ x: x + 60, y: y + 45, origin: "viewport", duration: 200 })
    .up({ button: 0 })
    .perform();
  await browser.waitUntil(async () => (await whereIs(node.id)).model.x !== start.model.x, {
    timeout: TIMEOUT,
    timeoutMsg: "the node did not follow the drag",
  });
  const moved = (await whereIs(node.id)).model;
  await settled(browser); // set_positions is sent on release: wait until it is answered
  await browser.deleteSession();

  browser = await openDemo();
  const reopened = (await whereIs(node.id)).model;
  assert.ok(Math.abs(reopened.x - moved.x) < 0.5 && Math.abs(reopened.y - moved.y) < 0.5,
    `the case remembers the dragged position (${JSON.stringify(moved)} vs ${JSON.stringify(reopened)})`);
  assert.notDeepEqual(reopened, start.model, "the position after restart is not the original layout");
});
