// Annotating: a note on a transfer (edge), a callout on the canvas that survives reopening the
// case, story steps from a selected path, reordered, the last action undone, and the report
// drawing the steps as consecutive numbered figures ("Figure N — title"), read with pdftotext;
// and a callout that stays over its spot at every frame of a wheel zoom (moved by the same
// transform as the canvas's scaled picture) and does not jump when the view is drawn.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { TIMEOUT, selected, settled } from "../app.mjs";
import { FreshDemo } from "../fresh.mjs";

let browser;
// A demo case of its own, so what earlier specs left in the shared one (callouts, steps, moved
// nodes, the view) cannot change what this spec sees.
const demo = new FreshDemo("annotate");
after(async () => {
  await browser?.deleteSession();
});

const $$ = (sel) => browser.$$(sel);
const count = async (sel) => (await $$(sel)).length;
const texts = (sel) =>
  browser.execute((s) => [...document.querySelectorAll(s)].map((el) => el.textContent), sel);
const click = async (testid) => (await browser.$(`[data-testid="${testid}"]`)).click();
const until = (what, check, timeout = TIMEOUT) => browser.waitUntil(check, { timeout, timeoutMsg: what });
const storyTitles = () => texts('[data-testid="story-step-title"]');

/** Two drawn edges that follow each other (a → t → b), between plain nodes. */
async function pathOfTwo() {
  const edges = await browser.execute(() => window.__tracebench.edges());
  const plain = edges.filter((e) => !e.source.startsWith("entity:") && !e.target.startsWith("entity:"));
  for (const a of plain) {
    const b = plain.find((e) => e.source === a.target && e.target !== a.source);
    if (b !== undefined) return [a, b];
  }
  throw new Error("the demo canvas has no path of two edges");
}

test("notes on a transfer, a callout, story steps, undo and the report's numbered figures", async () => {
  browser = await demo.open();
  const [first, second] = await pathOfTwo();

  // A note on an edge, through the details panel's note box.
  const picked = await browser.execute((id) => window.__tracebench.select(id), first.id);
  assert.ok(picked, "the edge can be selected");
  await until("the edge never became the selection", async () => (await selected(browser)) === first.id);
  const noteSel = '[data-testid="details"] [data-testid="note-text"]';
  const notesBefore = await count(noteSel);
  const edgeNote = "Transfer looks like the ransom payout";
  await (await browser.$('[data-testid="node-note"]')).setValue(edgeNote);
  await click("note-add");
  await until("the edge note never appeared in the details panel", async () => (await count(noteSel)) > notesBefore);
  assert.ok((await texts(noteSel)).includes(edgeNote), "the edge's note is shown with the transfer");

  // A callout placed on the canvas: an analyst note, its text visible over the graph.
  const calloutSel = '[data-testid="callout"]';
  const calloutsBefore = await count(calloutSel);
  const calloutText = `Cash-out starts here ${Date.now()}`;
  await click("callout-add");
  await (await browser.$('[data-testid="callout-text"]')).setValue(calloutText);
  await click("callout-confirm");
  await until("the callout never appeared on the canvas", async () => (await count(calloutSel)) === calloutsBefore + 1);
  const shownCallouts = await texts('[data-testid="callout-text-shown"]');
  assert.ok(shownCallouts.includes(calloutText), `the callout's text is on the canvas: ${shownCallouts}`);
  const calloutTag = await browser.execute(() => document.querySelector('[data-testid="callout"] .callout-tag')?.textContent);
  assert.equal(calloutTag, "NOTE", "a callout is tagged as an analyst note, not a fact");

  // A callout placed with a node selected points at it: a thin dashed leader from its box to the
  // node, and a mark on the minimap.
  const anchor = first.target;
  assert.ok(await browser.execute((id) => window.__tracebench.select(id), anchor), "the node to annotate is drawn");
  await until("the node never became the selection", async () => (await selected(browser)) === anchor);
  const anchoredText = `Anchored ${Date.now()}`;
  await click("callout-add");
  await (await browser.$('[data-testid="callout-text"]')).setValue(anchoredText);
  await click("callout-confirm");
  await until("the anchored callout never appeared", async () => (await texts('[data-testid="callout-text-shown"]')).includes(anchoredText));
  const leaderSel = `[data-testid="callout-leader"][data-anchor="${anchor}"]`;
  await until("the anchored callout has no drawn leader line", async () =>
    browser.execute((sel) => document.querySelector(sel)?.dataset.drawn === "true", leaderSel));
  const leader = await browser.execute((sel, id) => {
    const line = document.querySelector(sel);
    const style = getComputedStyle(line);
    const node = window.__tracebench.position(id).rendered;
    return {
      end: { x: Number(line.getAttribute("x2")), y: Number(line.getAttribute("y2")) },
      node,
      dashed: style.strokeDasharray,
      width: Number.parseFloat(style.strokeWidth),
    };
  }, leaderSel, anchor);
  assert.ok(
    Math.abs(leader.end.x - leader.node.x) < 1 && Math.abs(leader.end.y - leader.node.y) < 1,
    `the leader ends at the annotated node: ${JSON.stringify(leader)}`,
  );
  assert.ok(leader.dashed !== "" && leader.dashed !== "none", `the leader is dashed (a note, not a transfer): ${leader.dashed}`);
  assert.ok(leader.width <= 2, "the leader is a thin line");
  const unanchored = await browser.execute(
    () => [...document.querySelectorAll('[data-testid="callout-leader"]')].filter((l) => l.dataset.anchor === "").length,
  );
  assert.equal(unanchored, 0, "a callout placed with no node selected has no leader");
  await until("the minimap shows no mark for the callouts", async () =>
    Number(await browser.execute(() => document.querySelector('[data-testid="minimap"]')?.dataset.calloutCount ?? "0")) === calloutsBefore + 2);

  // Two story steps from selected paths.
  const stepsBefore = await count('[data-testid="story-step"]');
  const addStep = async (ids, title, caption) => {
    const ok = await browser.execute((list) => window.__tracebench.selectMany(list), ids);
    assert.ok(ok, `the path ${ids.join(", ")} is drawn and selected`);
    await until("Story step… never became enabled", async () => (await browser.$('[data-testid="story-step-add"]')).isEnabled());
    const n = await count('[data-testid="story-step"]');
    await click("story-step-add");
    await (await browser.$('[data-testid="story-title"]')).setValue(title);
    const captionBox = await browser.$('[data-testid="story-caption"]');
    if (caption === "") await captionBox.clearValue();
    else await captionBox.setValue(caption);
    await click("story-confirm");
    await until(`the step “${title}” never appeared in the storyboard`, async () => (await count('[data-testid="story-step"]')) === n + 1);
  };
  const stamp = Date.now().toString(36);
  const titleA = `Paid in ${stamp}`;
  const titleB = `Moved on ${stamp}`;
  await addStep([first.source, first.target, second.target, first.id, second.id], titleA, "The payment and its next hop.");
  await addStep([second.id], titleB, "");
  let titles = await storyTitles();
  assert.equal(titles.length, stepsBefore + 2, "both steps are listed");
  assert.ok(titles[titles.length - 2].endsWith(titleA) && titles[titles.length - 1].endsWith(titleB), `steps in the order added: ${titles}`);

  // A picture of the annotated canvas for the reviewer, beside the run's other artifacts.
  await browser.saveScreenshot(join(dirname(process.env.TRACEBENCH_EXPORT_DIR), "screenshot-annotate.png"));

  // Reorder: move the last step up, then undo that move.
  const moveUp = await $$('[data-testid="story-up"]');
  await moveUp[moveUp.length - 1].click();
  await until("the step never moved up", async () => {
    const t = await storyTitles();
    return t[t.length - 2].endsWith(titleB) && t[t.length - 1].endsWith(titleA);
  });
  await click("undo");
  await until("undo never put the steps back in their order", async () => {
    const t = await storyTitles();
    return t[t.length - 2].endsWith(titleA) && t[t.length - 1].endsWith(titleB);
  });
  // And move it up for good: the report is to show B before A.
  await (await $$('[data-testid="story-up"]'))[moveUp.length - 1].click();
  await until("the step never moved up again", async () => {
    const t = await storyTitles();
    return t[t.length - 2].endsWith(titleB);
  });

  // Rename a step (title and caption) in place; undo brings the old name back, redo the new.
  const renamed = `Renamed ${stamp}`;
  const stepB = await browser.execute(
    (t) => [...document.querySelectorAll('[data-testid="story-step"]')].find((li) => li.textContent.includes(t))?.dataset.stepId,
    titleB,
  );
  assert.ok(stepB, "the step to rename is listed");
  await (await browser.$(`[data-testid="story-step"][data-step-id="${stepB}"] [data-testid="story-rename"]`)).click();
  assert.equal(await (await browser.$('[data-testid="story-title"]')).getValue(), titleB, "the rename form starts from the step's title");
  await (await browser.$('[data-testid="story-title"]')).setValue("   ");
  await click("story-confirm");
  await until("a blank title gave no error", async () => (await (await browser.$('[data-testid="story-error"]')).getText()) !== "");
  assert.ok((await storyTitles()).some((t) => t.endsWith(titleB)), "a refused rename leaves the step's title as it was");
  await (await browser.$('[data-testid="story-title"]')).setValue(renamed);
  await (await browser.$('[data-testid="story-caption"]')).setValue("Caption written on rename.");
  await click("story-confirm");
  await until("the step's new title never showed", async () => (await storyTitles()).some((t) => t.endsWith(renamed)));
  assert.ok((await texts('[data-testid="story-caption-shown"]')).includes("Caption written on rename."), "the new caption is shown");
  assert.equal(await (await browser.$('[data-testid="story-form"]')).isDisplayed(), false, "the form closes once saved");
  await click("undo");
  await until("undo never brought the old title back", async () => (await storyTitles()).some((t) => t.endsWith(titleB)));
  assert.ok(!(await texts('[data-testid="story-caption-shown"]')).includes("Caption written on rename."), "undo restores the old (empty) caption too");
  await click("redo");
  await until("redo never applied the new title again", async () => (await storyTitles()).some((t) => t.endsWith(renamed)));
  await click("undo");
  await until("the second undo never restored the title", async () => (await storyTitles()).some((t) => t.endsWith(titleB)));

  // The report draws the story steps as consecutive numbered figures, in story order.
  const lastExport = await browser.$('[data-testid="last-export"]');
  const previous = (await lastExport.getText()).trim();
  await click("export-report");
  await until("no new report path was shown", async () => {
    const now = (await lastExport.getText()).trim();
    return now !== "" && now !== previous;
  }, 180_000);
  const pdf = (await lastExport.getText()).trim();
  const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8", maxBuffer: 64 << 20 });
  const figure = (title) => {
    const m = text.match(new RegExp(`Figure (\\d+) — ${title}`));
    assert.ok(m, `the report has a figure titled “${title}”`);
    return Number(m[1]);
  };
  assert.equal(figure(titleA), figure(titleB) + 1, "the moved step is the earlier figure, the other right after it");
  assert.ok(text.includes("The payment and its next hop."), "the step's caption is printed");
  assert.ok(text.includes(calloutText), "the callout is printed with the analyst notes");
  assert.ok(text.includes(edgeNote), "the edge note is printed with the analyst notes");

  // Reopening the case: the callout and the story are in the case file.
  await settled(browser);
  await browser.deleteSession();
  browser = await demo.open();
  await until("the callout did not survive reopening the case", async () =>
    (await texts('[data-testid="callout-text-shown"]')).includes(calloutText));
  titles = await storyTitles();
  assert.ok(titles[titles.length - 2].endsWith(titleB) && titles[titles.length - 1].endsWith(titleA), `the story order is kept: ${titles}`);
});

test("during a wheel zoom a callout moves with the canvas's scaled picture at every frame, and stays when the view is drawn", async () => {
  browser ??= await demo.open();
  const canvasSel = '[data-testid="canvas"]';
  const wheelState = () => browser.execute((sel) => document.querySelector(sel).dataset.wheelZoom, canvasSel);
  await (await browser.$("#fit")).click();
  await until("the canvas never settled after Fit", async () => (await wheelState()) === "idle");
  const nodes = await browser.execute(() => window.__tracebench.nodes());
  const anchor = nodes.find((n) => n.kind === "address")?.id;
  assert.ok(anchor, "the demo canvas has an address to annotate");
  assert.ok(await browser.execute((id) => window.__tracebench.select(id), anchor), "the node to annotate is drawn");
  await until("the node never became the selection", async () => (await selected(browser)) === anchor);
  const text = `Wheel ${Date.now()}`;
  await click("callout-add");
  await (await browser.$('[data-testid="callout-text"]')).setValue(text);
  await click("callout-confirm");
  await until("the callout never appeared", async () => (await texts('[data-testid="callout-text-shown"]')).includes(text));
  const calloutId = await browser.execute(
    (t) => [...document.querySelectorAll('[data-testid="callout"]')].find((b) => b.textContent.includes(t))?.dataset.calloutId,
    text,
  );
  const leaderSel = `[data-testid="callout-leader"][data-callout-id="${calloutId}"]`;
  await until("the callout's leader was never drawn", async () =>
    browser.execute((sel) => document.querySelector(sel)?.dataset.drawn === "true", leaderSel));

  /**
   * Reads, at once, the callout's box (top left, from the canvas's top left), its leader's end,
   * the wheel zoom's state and the transform of the canvas's picture. With `wheel`, first sends
   * six wheel events (zoom out) near the canvas's far corner, so the callout, far from the point
   * kept under the cursor, must move, and reads one frame later: the callout layer follows the
   * view frame by frame, and the wheel has not been quiet for two frames yet, so the gesture
   * still runs.
   */
  const read = (wheel) =>
    browser.executeAsync(
      (sel, id, leader, withWheel, done) => {
        const canvasEl = document.querySelector(sel);
        const geometry = () => {
          const c = canvasEl.getBoundingClientRect();
          const box = document.querySelector(`[data-testid="callout"][data-callout-id="${id}"]`).getBoundingClientRect();
          const line = document.querySelector(leader);
          return {
            box: { x: box.left - c.left, y: box.top - c.top },
            leaderEnd: { x: Number(line.getAttribute("x2")), y: Number(line.getAttribute("y2")) },
            state: canvasEl.dataset.wheelZoom,
            transform: canvasEl.querySelector("canvas").parentElement.style.transform,
          };
        };
        if (!withWheel) {
          done(geometry());
          return;
        }
        const r = canvasEl.getBoundingClientRect();
        const target = canvasEl.querySelectorAll("canvas")[0];
        for (let i = 0; i < 6; i += 1) {
          target.dispatchEvent(
            new WheelEvent("wheel", { bubbles: true, cancelable: true, clientX: r.right - 8, clientY: r.bottom - 8, deltaY: 100, deltaMode: 0 }),
          );
        }
        requestAnimationFrame(() => done(geometry()));
      },
      canvasSel,
      calloutId,
      leaderSel,
      wheel,
    );
  const before = await read(false);
  const node = (await browser.execute((id) => window.__tracebench.position(id), anchor)).rendered;
  assert.equal(before.transform, "", "before the gesture the canvas picture is not scaled");

  const mid = await read(true);
  assert.equal(mid.state, "moving", `read mid-gesture, before Cytoscape takes the view: ${JSON.stringify(mid)}`);
  const m = /^translate\((-?[\d.e-]+)px, (-?[\d.e-]+)px\) scale\(([\d.e-]+)\)$/.exec(mid.transform);
  assert.ok(m, `the canvas picture is scaled by the gesture: ${mid.transform}`);
  const [tx, ty, scale] = [Number(m[1]), Number(m[2]), Number(m[3])];
  assert.ok(scale < 1, `zooming out shrinks the picture (scale ${scale})`);
  const expected = { x: scale * before.box.x + tx, y: scale * before.box.y + ty };
  assert.ok(
    Math.hypot(expected.x - before.box.x, expected.y - before.box.y) > 5,
    `the gesture moves the callout's spot visibly (${JSON.stringify(before.box)} → ${JSON.stringify(expected)})`,
  );
  assert.ok(
    Math.abs(mid.box.x - expected.x) < 1.5 && Math.abs(mid.box.y - expected.y) < 1.5,
    `mid-gesture the callout box is where the picture's transform puts its spot: ${JSON.stringify(mid.box)} vs ${JSON.stringify(expected)}`,
  );
  const nodeShown = { x: scale * node.x + tx, y: scale * node.y + ty };
  assert.ok(
    Math.abs(mid.leaderEnd.x - nodeShown.x) < 1 && Math.abs(mid.leaderEnd.y - nodeShown.y) < 1,
    `mid-gesture the leader still ends on the node as the scaled picture shows it: ${JSON.stringify(mid.leaderEnd)} vs ${JSON.stringify(nodeShown)}`,
  );

  await until("the wheel zoom's view was never drawn", async () => (await wheelState()) === "idle");
  const drawn = await read(false);
  assert.equal(drawn.transform, "", "once drawn, the canvas picture is not scaled any more");
  assert.ok(
    Math.abs(drawn.box.x - mid.box.x) < 1 && Math.abs(drawn.box.y - mid.box.y) < 1,
    `the callout does not jump when Cytoscape draws the view: ${JSON.stringify(mid.box)} → ${JSON.stringify(drawn.box)}`,
  );
  const nodeNow = (await browser.execute((id) => window.__tracebench.position(id), anchor)).rendered;
  assert.ok(
    Math.abs(drawn.leaderEnd.x - nodeNow.x) < 1 && Math.abs(drawn.leaderEnd.y - nodeNow.y) < 1,
    `the leader ends on the node in the drawn view: ${JSON.stringify(drawn.leaderEnd)} vs ${JSON.stringify(nodeNow)}`,
  );
});
