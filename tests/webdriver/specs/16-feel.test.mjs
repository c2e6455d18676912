// The feel of the canvas in the real app: dark and light themes (remembered; the canvas's own
// colours follow) with toolbar, canvas, details panel and timeline all visible and not
// overlapping at 1366×768 in both (screenshots saved as artefacts); edge labels with amount and
// UTC time; the minimap (drag its viewport box to pan); the time filter by block heights; a
// range selected on the timeline highlighted on the canvas without hiding anything; and an
// address dropped on the canvas from a transaction list (a synthetic DragEvent: WebKitWebDriver
// cannot drive HTML5 drag and drop), added where it was dropped; last, in a case of its own built
// with the CLI and the sim's price series imported, edge labels with the fiat value (exact, by
// the daily UTC close) and the details citing the rate's source and date.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { remote } from "webdriverio";
import { TIMEOUT, canvas, demoTruth, nodeCount, openDemo, select } from "../app.mjs";

let browser;
before(async () => {
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const hook = (name, ...args) => browser.execute((n, a) => window.__tracebench[n](...a), name, args);
const theme = () => browser.execute(() => document.documentElement.dataset.theme);
const attr = async (name) => (await (await canvas(browser)).getAttribute(name)) ?? "";

/** Where the screenshots go: TRACEBENCH_FEEL_SCREENSHOT_DIR, else beside the run's other artefacts. */
function shotPath(name) {
  const dir = process.env.TRACEBENCH_FEEL_SCREENSHOT_DIR ?? dirname(process.env.TRACEBENCH_SCREENSHOT ?? join(process.env.TRACEBENCH_EXPORT_DIR, "x"));
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

async function switchTo(wanted) {
  if ((await theme()) !== wanted) await (await $("theme")).click();
  await browser.waitUntil(async () => (await theme()) === wanted, { timeout: TIMEOUT, timeoutMsg: `the ${wanted} theme never applied` });
}

/** The four regions' boxes, in CSS pixels. */
const regions = () =>
  browser.execute(() => {
    const box = (sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
    };
    return {
      viewport: { width: window.innerWidth, height: window.innerHeight },
      toolbar: box(".toolbar"),
      canvas: box('[data-testid="canvas"]'),
      details: box('[data-testid="details"]'),
      timeline: box('[data-testid="timeline"]'),
      search: box('[data-testid="search-input"]'),
      bars: box('[data-testid="timeline-bars"]'),
      actionsOverflow: (() => {
        const t = document.querySelector(".toolbar");
        return t.scrollWidth - t.clientWidth;
      })(),
    };
  });

const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

test("both themes are readable at 1366×768: every region visible, none overlapping", async () => {
  await browser.setWindowSize(1366, 768);
  await browser.waitUntil(async () => (await browser.execute(() => window.innerWidth)) <= 1366, {
    timeout: TIMEOUT,
    timeoutMsg: "the window did not take the 1366×768 size",
  });
  const seed = `btc:addr:${demoTruth().seed_address}`;
  await select(browser, seed);
  for (const name of ["light", "dark"]) {
    await switchTo(name);
    const r = await regions();
    for (const key of ["toolbar", "canvas", "details", "timeline"]) {
      const b = r[key];
      assert.ok(b.width > 40 && b.height > 30, `${name}: the ${key} has room (${b.width}×${b.height})`);
      assert.ok(b.left >= 0 && b.top >= 0 && b.right <= r.viewport.width + 0.5 && b.bottom <= r.viewport.height + 0.5, `${name}: the ${key} lies inside the window`);
    }
    const pairs = [["toolbar", "canvas"], ["toolbar", "details"], ["toolbar", "timeline"], ["canvas", "details"], ["canvas", "timeline"], ["details", "timeline"]];
    for (const [a, b] of pairs) assert.ok(!overlap(r[a], r[b]), `${name}: the ${a} and the ${b} do not overlap`);
    assert.ok(r.actionsOverflow <= 0, `${name}: the toolbar's buttons fit without scrolling`);
    assert.ok(r.search.width >= 200, `${name}: the search field has room for an address (${r.search.width}px)`);
    assert.ok(r.bars.width >= 300, `${name}: the timeline's bars keep most of the strip (${r.bars.width}px)`);
    await browser.pause(400); // let the canvas repaint in the new colours
    await browser.saveScreenshot(shotPath(`feel-1366x768-${name}.png`));
  }
});

/** The worst text contrast (WCAG 2 ratio) of the visible text inside `selector`: each element
 * with its own text, its colour against the first opaque background behind it. Disabled
 * controls are left out (WCAG exempts inactive parts of the interface). */
const contrastOf = (selector) =>
  browser.execute((sel) => {
    const root = document.querySelector(sel);
    if (root === null) return { measured: 0, worst: null };
    const rgba = (text) => {
      const m = text.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = "1"] = m[1].split(/[ ,/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    };
    const lum = ([r, g, b]) => {
      const c = [r, g, b].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const backgroundOf = (el) => {
      for (let e = el; e !== null; e = e.parentElement) {
        const bg = rgba(getComputedStyle(e).backgroundColor);
        if (bg !== null && bg[3] >= 0.9) return bg;
      }
      return rgba(getComputedStyle(document.body).backgroundColor) ?? [255, 255, 255, 1];
    };
    let worst = null;
    let measured = 0;
    for (const el of [root, ...root.querySelectorAll("*")]) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
      if (!own || el.closest("[hidden]") || el.getClientRects().length === 0) continue;
      if (el.closest("button:disabled, input:disabled, select:disabled, textarea:disabled, option")) continue;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || Number(style.opacity) === 0) continue;
      const fg = rgba(style.color);
      const bg = backgroundOf(el);
      const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      measured += 1;
      if (worst === null || ratio < worst.ratio) {
        worst = { ratio: Math.round(ratio * 100) / 100, text: el.textContent.trim().slice(0, 40), color: style.color, background: `rgb(${bg.slice(0, 3).join(", ")})`, tag: el.tagName };
      }
    }
    return { measured, worst };
  }, selector);

test("the newer panels' text is readable in both themes (contrast at least 4.5:1)", async () => {
  const panels = [
    { name: "trace panel", sel: '[data-testid="trace-panel"]' },
    { name: "storyboard", sel: '[data-testid="story-panel"]' },
    { name: "sources panel", sel: '[data-testid="sources-panel"]', open: "sources-toggle", close: "sources-toggle" },
    { name: "help overlay", sel: '[data-testid="help-overlay"]', open: "help", close: "help-close" },
    { name: "report builder", sel: '[data-testid="report-builder"]', open: "open-report-builder", close: "rb-close" },
  ];
  for (const name of ["light", "dark"]) {
    await switchTo(name);
    for (const p of panels) {
      if (p.open) {
        await (await $(p.open)).click();
        await (await browser.$(p.sel)).waitForDisplayed({ timeout: TIMEOUT, timeoutMsg: `the ${p.name} never opened` });
        await browser.pause(300); // the builder fills its lists after opening
      }
      try {
        const { measured, worst } = await contrastOf(p.sel);
        assert.ok(measured > 0, `${name}: the ${p.name} shows text to measure`);
        assert.ok(worst.ratio >= 4.5, `${name}: the ${p.name}'s text reads at ${worst.ratio}:1 at worst (${JSON.stringify(worst)})`);
      } finally {
        // Closed even when a check fails, so the panel cannot cover the next tests' controls.
        if (p.close) {
          await (await $(p.close)).click();
          await (await browser.$(p.sel)).waitForDisplayed({ reverse: true, timeout: TIMEOUT, timeoutMsg: `the ${p.name} never closed` });
        }
      }
    }
  }
  await switchTo("light");
});

test("the theme is remembered and the canvas draws in its colours", async () => {
  await switchTo("light");
  const seed = `btc:addr:${demoTruth().seed_address}`;
  const light = await hook("drawnAs", seed);
  await switchTo("dark");
  const dark = await hook("drawnAs", seed);
  assert.notEqual(dark.fill, light.fill, "the node's fill follows the theme");
  assert.equal(await browser.execute(() => localStorage.getItem("tracebench.theme")), "dark", "the choice is remembered");
  const bg = await browser.execute(() => getComputedStyle(document.querySelector('[data-testid="canvas"]')).backgroundColor);
  assert.match(bg, /rgb\((\d+), (\d+), (\d+)\)/, "the canvas has a background colour");
  const [r, g, b] = bg.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 200, `the dark canvas is dark (${bg})`);
  await switchTo("light");
});

test("edge labels show the amount and the UTC time", async () => {
  const edges = await hook("edges");
  assert.ok(edges.length > 0, "the demo has transfers");
  const drawn = await hook("drawnAs", edges[0].id);
  const [amount, when] = drawn.label.split("\n");
  assert.equal(amount, edges[0].amount, "the first line is the amount in BTC");
  assert.match(when, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}Z$/, "the second line is the UTC minute");
});

test("the minimap shows the graph and dragging its box pans the canvas", async () => {
  const minimap = await $("minimap");
  await minimap.waitForDisplayed({ timeout: TIMEOUT });
  await browser.waitUntil(async () => browser.execute(() => Boolean(document.querySelector('[data-testid="minimap"] img')?.getAttribute("src"))), {
    timeout: TIMEOUT,
    timeoutMsg: "the minimap never drew the graph's thumbnail",
  });
  await (await browser.$("#fit")).click();
  await (await $("zoom-in")).click();
  await (await $("zoom-in")).click();
  const node = (await hook("nodes"))[0].id;
  const before = (await hook("position", node)).rendered;
  const box = await browser.execute(() => {
    const r = document.querySelector('[data-testid="minimap"] .cytoscape-navigatorView').getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  });
  await browser
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ x: Math.round(box.x), y: Math.round(box.y), origin: "viewport" })
    .down({ button: 0 })
    .move({ x: Math.round(box.x) + 10, y: Math.round(box.y) + 6, origin: "viewport", duration: 100 })
    .move({ x: Math.round(box.x) + 25, y: Math.round(box.y) + 15, origin: "viewport", duration: 150 })
    .up({ button: 0 })
    .perform();
  await browser.waitUntil(async () => (await hook("position", node)).rendered.x !== before.x, {
    timeout: TIMEOUT,
    timeoutMsg: "dragging the minimap's box did not pan the canvas",
  });
  const after = (await hook("position", node)).rendered;
  assert.ok(after.x < before.x && after.y < before.y, "moving the box right and down shows what lies right and below: the graph moves left and up");
  await (await browser.$("#fit")).click();
});

test("a wheel zoom over the canvas zooms by Cytoscape's step about the cursor; the minimap's box follows", async () => {
  await (await $("minimap")).waitForDisplayed({ timeout: TIMEOUT });
  await (await browser.$("#fit")).click();
  const node = (await hook("nodes"))[0].id;
  const before = await hook("camera");
  const at = (await hook("position", node)).rendered;
  const boxWidth = () => browser.execute(() => parseFloat(document.querySelector('[data-testid="minimap"] .cytoscape-navigatorView').style.width));
  const widthBefore = await boxWidth();
  // Four wheel events of +100 px (zoom out: the fitted view may be at the zoom's upper limit) on
  // the node, through the canvas's wheel handler
  // (features/canvas/wheelZoom.ts). Cytoscape's rule, which the handler keeps: a new wheel's
  // first four events are clamped to 5 px, and a step is 10^(delta / 250 × wheelSensitivity 0.3).
  await browser.execute((x, y) => {
    const c = document.querySelector('[data-testid="canvas"]');
    const box = c.getBoundingClientRect();
    const target = c.querySelectorAll("canvas")[0];
    for (let i = 0; i < 4; i += 1) {
      target.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, clientX: box.left + x, clientY: box.top + y, deltaY: 100, deltaMode: 0 }));
    }
  }, at.x, at.y);
  const factor = Math.pow(10, -(4 * 5 * 0.3) / 250);
  await browser.waitUntil(async () => Math.abs((await hook("camera")).zoom - before.zoom * factor) < 1e-9, {
    timeout: TIMEOUT,
    timeoutMsg: `the wheel zoom never reached zoom ${before.zoom * factor} (from ${before.zoom}, factor ${factor})`,
  });
  const after = (await hook("position", node)).rendered;
  assert.ok(Math.abs(after.x - at.x) < 0.5 && Math.abs(after.y - at.y) < 0.5, `the node under the cursor stays under it (${JSON.stringify(at)} → ${JSON.stringify(after)})`);
  await browser.waitUntil(async () => Math.abs((await boxWidth()) * factor - widthBefore) < 0.005 * widthBefore, {
    timeout: TIMEOUT,
    timeoutMsg: `the minimap's view box did not grow by 1 / the zoom's factor ${factor} (width ${widthBefore})`,
  });
  await browser.waitUntil(async () => (await attr("data-wheel-zoom")) === "idle", {
    timeout: TIMEOUT,
    timeoutMsg: "the canvas never drew the zoomed view (data-wheel-zoom stays busy)",
  });
  // The gesture scales the element holding Cytoscape's canvases; the render of the final view
  // drops that.
  const transform = await browser.execute(() => document.querySelector('[data-testid="canvas"] canvas').parentElement.style.transform);
  assert.equal(transform, "", "once the zoomed view is drawn, the canvas layers are no longer scaled");
  await (await browser.$("#fit")).click();
});

async function heightFilter(from, to) {
  await (await $("time-filter-mode")).selectByAttribute("value", "height");
  const f = await $("time-filter-from");
  const t = await $("time-filter-to");
  await f.clearValue();
  if (from) await f.setValue(from);
  await t.clearValue();
  if (to) await t.setValue(to);
  await (await $("time-filter-apply")).click();
}

test("the time filter takes block heights", async () => {
  const total = await nodeCount(browser);
  await heightFilter("84O114", "");
  const state = await $("time-filter-state");
  await browser.waitUntil(async () => (await state.getText()).includes("not a block height"), {
    timeout: TIMEOUT,
    timeoutMsg: "a bad height was not reported",
  });
  assert.match(await state.getText(), /^From: '84O114' is not a block height/, "the field and the input are named");
  assert.equal(await nodeCount(browser), total, "a refused filter hides nothing");

  // The demo's first hop is in block 840114, the next in 840115 (the sim's chain, seed 1).
  await heightFilter("840115", "840115");
  await browser.waitUntil(async () => Number(await attr("data-time-outside")) > 0, {
    timeout: TIMEOUT,
    timeoutMsg: "a window of one block hid nothing",
  });
  const strip = await $("timeline");
  assert.equal(await strip.getAttribute("data-scale"), "height", "the strip says the window is in heights");
  assert.equal(await strip.getAttribute("data-from"), "840115", "the window starts at the block");
  const shown = new Set((await hook("nodes")).map((n) => n.id));
  assert.ok(!shown.has("btc:tx:4a57734753b83753e132db0c8efbbfbd97991fda2dba64cc6e2b5ddf31f332d4"), "the transaction of block 840114 is outside");
  assert.ok(shown.has("btc:tx:047dbad57b08976c0c8a3f2037ab298411b071ac144b6733ea7d5ad1b7fc5ae1"), "the transaction of block 840115 is inside");
  assert.equal(await nodeCount(browser), total - Number(await attr("data-time-outside")), "exactly the nodes outside are not drawn");

  await (await $("time-filter-clear")).click();
  await browser.waitUntil(async () => (await nodeCount(browser)) === total, { timeout: TIMEOUT, timeoutMsg: "All times did not bring every node back" });
  await (await $("time-filter-mode")).selectByAttribute("value", "time");
});

const barCentres = () =>
  browser.execute(() =>
    [...document.querySelectorAll('[data-testid="timeline-bars"] .timeline-bar')].map((b) => {
      const r = b.getBoundingClientRect();
      return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2), transfers: Number(/: (\d+) transfer/.exec(b.title)?.[1] ?? "0") };
    }),
  );

test("a range selected on the timeline is highlighted, nothing hidden", async () => {
  const total = await nodeCount(browser);
  const bars = await barCentres();
  assert.ok(bars.length >= 2, "the demo's transfers fall into several 10-minute bars");
  const first = bars.findIndex((b) => b.transfers > 0);
  const last = bars.length - 1 - [...bars].reverse().findIndex((b) => b.transfers > 0);
  assert.ok(last > first, "transfers lie in more than one bar");

  // Shift-click one bar: only its transfers and their ends are highlighted.
  await browser.execute((i) => {
    const bar = document.querySelectorAll('[data-testid="timeline-bars"] .timeline-bar')[i];
    bar.dispatchEvent(new MouseEvent("click", { bubbles: true, shiftKey: true }));
  }, first);
  await browser.waitUntil(async () => Number(await attr("data-in-range")) > 0, { timeout: TIMEOUT, timeoutMsg: "Shift-click highlighted nothing" });
  const one = Number(await attr("data-in-range"));
  assert.equal(await nodeCount(browser), total, "highlighting hides nothing");
  assert.equal(await (await $("timeline")).getAttribute("data-from"), "", "a highlight is not a filter");
  assert.deepEqual(await barCentres(), bars, "showing the highlight moves no bar (no layout jump)");

  // Drag across from the first busy bar to the last: more is highlighted.
  await browser
    .action("pointer", { parameters: { pointerType: "mouse" } })
    .move({ x: bars[first].x, y: bars[first].y, origin: "viewport" })
    .down({ button: 0 })
    .move({ x: bars[last].x, y: bars[last].y, origin: "viewport", duration: 200 })
    .up({ button: 0 })
    .perform();
  await browser.waitUntil(async () => Number(await attr("data-in-range")) > one, {
    timeout: TIMEOUT,
    timeoutMsg: "dragging across the strip did not widen the highlight",
  });
  const edges = await hook("edges");
  const marked = await Promise.all(edges.map(async (e) => (await hook("drawnAs", e.id)).inRange));
  assert.ok(marked.every(Boolean), "the range over every busy bar holds every transfer");
  assert.equal(await nodeCount(browser), total, "still nothing hidden");
  const named = await (await $("timeline-range")).getAttribute("title");
  assert.match(named, /^Highlighted \d{4}-\d{2}-\d{2} \d{2}:\d{2}Z – \d{4}-\d{2}-\d{2} \d{2}:\d{2}Z: \d+ on the canvas$/, "the strip names the range in UTC");
  const shownText = await browser.execute(() => document.querySelector('[data-testid="timeline-range"]').textContent);
  assert.match(shownText, /^▣ \d{2}:\d{2}–\d{2}:\d{2}Z · \d+$/, "the strip shows the range (within one UTC day: the times)");

  await (await $("timeline-range-clear")).click();
  await browser.waitUntil(async () => Number(await attr("data-in-range")) === 0, { timeout: TIMEOUT, timeoutMsg: "Clear highlight left elements marked" });
});

test("an address dropped from a transaction list is added where it was dropped, and undo removes it", async () => {
  const truth = demoTruth();
  const shown = new Set((await hook("nodes")).map((n) => n.id));
  const address = [truth.roles.exchange_deposit_address, ...Object.keys(truth.owners)].find((a) => !shown.has(`btc:addr:${a}`));
  assert.ok(address, "the demo chain has an address not on the canvas");
  const id = `btc:addr:${address}`;
  const before = await nodeCount(browser);
  // A real drag (dragstart on a details-panel row) cannot be driven through WebKitWebDriver, so
  // the drop is dispatched as a DragEvent carrying what a row's dragstart puts in the transfer.
  const point = await browser.execute(
    (nodeId, label) => {
      const target = document.querySelector('[data-testid="canvas"]');
      const r = target.getBoundingClientRect();
      const at = { x: r.left + r.width * 0.3, y: r.top + r.height * 0.4 };
      const data = new DataTransfer();
      data.setData("application/x-tracebench-node", JSON.stringify({ id: nodeId, label }));
      data.setData("text/plain", label);
      target.dispatchEvent(new DragEvent("dragover", { bubbles: true, cancelable: true, dataTransfer: data, clientX: at.x, clientY: at.y }));
      target.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: data, clientX: at.x, clientY: at.y }));
      return { x: at.x - r.left, y: at.y - r.top };
    },
    id,
    address,
  );
  await browser.waitUntil(async () => (await nodeCount(browser)) > before, { timeout: TIMEOUT, timeoutMsg: "the dropped address was not added" });
  const place = await hook("position", id);
  assert.ok(place, "the dropped address is drawn");
  assert.ok(Math.abs(place.rendered.x - point.x) < 2 && Math.abs(place.rendered.y - point.y) < 2, `it sits where it was dropped (${JSON.stringify(place.rendered)} vs ${JSON.stringify(point)})`);

  await (await $("undo")).click();
  await browser.waitUntil(async () => (await hook("position", id)) === null, { timeout: TIMEOUT, timeoutMsg: "undo did not take the dropped address off the canvas" });
  assert.equal(await nodeCount(browser), before, "undo also takes off the transactions that connected the dropped address");
});

/** The fiat value of `sat` satoshi at `rate` (2 decimals), to the cent, rounded half-to-even. */
function fiatOf(sat, rate) {
  const [int, frac = ""] = rate.split(".");
  const product = BigInt(sat) * BigInt(int + frac.padEnd(2, "0")); // cents × 10^8
  const unit = 100_000_000n;
  let cents = product / unit;
  const rest = product % unit;
  if (rest * 2n > unit || (rest * 2n === unit && cents % 2n === 1n)) cents += 1n;
  return `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
}

test("with the sim's price series imported, edges show their fiat value and the details cite its source", async () => {
  const cli = process.env.TRACEBENCH_CLI;
  const simBin = join(dirname(cli), "tracebench-sim");
  assert.ok(existsSync(simBin), `the sim's binary is built beside the CLI (cargo build -p tracebench-sim): ${simBin}`);
  const dir = mkdtempSync(join(tmpdir(), "tb-fiat-"));
  const file = join(dir, "fiat.tbcase");
  const prices = join(dir, "btc-usd.csv");
  const run = (bin, args) => execFileSync(bin, args, { encoding: "utf8", env: process.env });
  const seed = demoTruth().seed_address;
  run(cli, ["case", "new", "--case", file, "--title", "Fiat", "--investigator", "Tester", "--agency", "Lab"]);
  run(cli, ["add", seed, "--case", file, "--source", "sim:ransomware:1"]);
  run(cli, ["expand", seed, "--hops", "1", "--case", file]);
  run(simBin, ["prices", "--seed", "1", "--out", prices]);
  run(cli, ["prices", "import", prices, "--case", file]);

  await browser.deleteSession();
  browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: process.env.TRACEBENCH_APP, args: ["--case", file] },
    },
  });
  await browser.waitUntil(async () => (await nodeCount(browser)) > 0, { timeout: TIMEOUT, timeoutMsg: "the case never opened" });
  const edges = await hook("edges");
  assert.ok(edges.length > 0, "the case has transfers on the canvas");
  // The day's close (the latest rate of the UTC date) from the imported file itself.
  const rates = readFileSync(prices, "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
  const close = (day) =>
    rates.filter(([asset, time]) => asset === "BTC" && time.startsWith(day)).sort((a, b) => (a[1] < b[1] ? -1 : 1)).at(-1)?.[3];
  for (const e of edges) {
    const m = /^(\d+)\.(\d{8}) BTC · (\d+\.\d\d) USD\n(\d{4}-\d\d-\d\d) /.exec(e.label);
    assert.ok(m, `${e.id}: the label reads amount · fiat, then the UTC time: ${JSON.stringify(e.label)}`);
    const sat = BigInt(m[1]) * 100_000_000n + BigInt(m[2]);
    const rate = close(m[4]);
    assert.ok(rate, `${e.id}: the series has a close on ${m[4]}`);
    assert.equal(m[3], fiatOf(sat, rate), `${e.id}: amount × the day's close, exact to the cent`);
  }
  assert.equal(await hook("select", edges[0].id), true, "the edge is drawn and selected");
  const fact = await $("fiat-value");
  await fact.waitForDisplayed({ timeout: TIMEOUT });
  const text = await fact.getText();
  assert.match(text, /sim:prices:1/, `the details cite the rate's source: ${text}`);
  assert.match(text, /daily UTC close, \d{4}-\d\d-\d\dT23:59:59Z/, `and the close's date and time: ${text}`);
});
