// Canvas renderer benchmark (issue #3, the frame aim): Cytoscape 3.34's experimental WebGL
// renderer against its 2D canvas renderer, in the app's own webview, on the app's own graph.
// Not a test CI runs (it lives outside specs/). Run through run.sh:
//
//   TB_BENCH_CASE=/var/tmp/tb-bench/<copy>.tbcase TB_BENCH_NODES=5000 TB_BENCH_OUT=out.jsonl \
//     TRACEBENCH_CLI=/bin/true DEMO_TRUTH=<a file holding {}> TRACEBENCH_SPECS=bench/renderer.bench.mjs \
//     xvfb-run -a -s "-screen 0 1600x900x24" tests/webdriver/run.sh
//
// The app opens the case (`tracebench-app --case FILE`); the page then reports what WebGL the
// webview offers (`getContext("webgl2")`, renderer and version strings) and builds, over the
// app's canvas and at its size, a second Cytoscape from the same bundled library (the app's
// instance's constructor) with the app's elements, stylesheet, view and big-graph performance
// options, once with `webgl: true` and once without, alternating (TB_BENCH_RUNS pairs). On each
// it runs the same scripted gesture through Cytoscape's own handlers (so both renderers see a
// real pan and zoom): IDLE_FRAMES still frames, a drag-pan of PAN_FRAMES steps, then ZOOM_FRAMES
// wheel steps in and as many out, one event per animation frame. A frame time is the time
// between two requestAnimationFrame timestamps. A screenshot of each renderer's picture is saved
// beside TB_BENCH_OUT, to compare what each draws (labels, borders, edges). Timings are
// measured, never asserted.

import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { launchApp, nodeCount } from "../app.mjs";
import { stats } from "./frames.mjs";

const IDLE_FRAMES = 20;
const PAN_FRAMES = 90;
const ZOOM_FRAMES = 45;
const PHASE_LIMIT_MS = 90_000;
const casePath = process.env.TB_BENCH_CASE;
const nodes = Number(process.env.TB_BENCH_NODES ?? "0");
const pairs = Number(process.env.TB_BENCH_RUNS ?? "2");
const out = process.env.TB_BENCH_OUT;

/** Builds the second Cytoscape (`webgl` on or off) over the app's canvas; resolves once drawn. */
function build(browser, webgl) {
  return browser.executeAsync((withWebgl, done) => {
    try {
      const container = document.querySelector('[data-testid="canvas"]');
      const app = container._cyreg.cy;
      document.getElementById("tb-renderer-bench")?.remove();
      const box = container.getBoundingClientRect();
      const host = document.createElement("div");
      host.id = "tb-renderer-bench";
      host.style.cssText = `position:fixed;left:${box.left}px;top:${box.top}px;width:${box.width}px;height:${box.height}px;z-index:9999;background:${getComputedStyle(container).backgroundColor}`;
      document.body.append(host);
      const Core = Object.getPrototypeOf(app).constructor;
      const pan = app.pan();
      const t0 = performance.now();
      const cy = new Core({
        container: host,
        elements: app.elements().jsons(),
        style: app.style().json(),
        zoom: app.zoom(),
        pan: { x: pan.x, y: pan.y },
        minZoom: app.minZoom(),
        maxZoom: app.maxZoom(),
        wheelSensitivity: 0.3,
        // The app's performance mode for a big graph (features/canvas/performance.ts).
        textureOnViewport: true,
        hideEdgesOnViewport: true,
        motionBlur: false,
        pixelRatio: 1,
        webgl: withWebgl,
      });
      // The WebGL mode raises the canvas renderer's layer count for every later instance (a
      // module-level value the page cannot reach): a 2D run after a WebGL one carries a fourth,
      // empty layer, reported as `layers`, so its frames can be compared with pair 1's 2D run.
      window.__tbRenderer = cy;
      // Drawn once two frames have passed after the constructor (the WebGL mode's render emits
      // no "render" event to wait for).
      cy.forceRender();
      requestAnimationFrame(() =>
        requestAnimationFrame(() =>
          done({
            webgl: withWebgl,
            layers: host.querySelectorAll("canvas").length,
            buildMs: Math.round(performance.now() - t0),
            elements: cy.elements().length,
            viewZoom: cy.zoom(),
          }),
        ),
      );
    } catch (e) {
      done({ error: String(e?.stack ?? e) });
    }
  }, webgl);
}

/** The scripted gesture on the second Cytoscape; resolves with its frame times (ms). */
async function gesture(browser) {
  await browser.execute(
    (idleFrames, panFrames, zoomFrames, limitMs) => {
      const state = { done: false, error: null, result: null };
      window.__tbGesture = state;
      const host = document.getElementById("tb-renderer-bench");
      const canvases = host.querySelectorAll("canvas");
      const target = canvases[canvases.length - 1] ?? host;
      const box = host.getBoundingClientRect();
      const cy = window.__tbRenderer;
      // A point on the background: half way between the two top-left nodes of the saved grid.
      const sorted = cy.nodes().sort((a, b) => a.position("y") - b.position("y") || a.position("x") - b.position("x"));
      const first = sorted[0].renderedPosition();
      const second = sorted[1].renderedPosition();
      const at = { x: box.left + (first.x + second.x) / 2, y: box.top + (first.y + second.y) / 2 + 20 * cy.zoom() };
      const centre = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      const mouse = (type, x, y, on) =>
        on.dispatchEvent(
          new MouseEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0, buttons: type === "mouseup" ? 0 : 1, view: window }),
        );
      const stamps = { idle: [], pan: [], zoom: [] };
      let phase = "idle";
      let step = 0;
      const began = {};
      const over = (p, ts) => {
        began[p] ??= ts;
        return ts - began[p] > limitMs;
      };
      const frame = (ts) => {
        try {
          stamps[phase].push(ts);
          step += 1;
          if (phase === "idle") {
            if (step > idleFrames) {
              phase = "pan";
              step = 0;
              mouse("mousedown", at.x, at.y, target);
            }
            requestAnimationFrame(frame);
            return;
          }
          if (phase === "pan") {
            if (step <= panFrames && !over("pan", ts)) {
              const q = Math.min(3, Math.floor(((step - 1) * 4) / panFrames));
              const d = [[6, 0], [0, 6], [-6, 0], [0, -6]][q];
              at.x += d[0];
              at.y += d[1];
              mouse("mousemove", at.x, at.y, target);
            } else {
              mouse("mouseup", at.x, at.y, window);
              phase = "zoom";
              step = 0;
            }
            requestAnimationFrame(frame);
            return;
          }
          if (step <= 2 * zoomFrames && !over("zoom", ts)) {
            const deltaY = step <= zoomFrames ? -20 : 20;
            target.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, clientX: centre.x, clientY: centre.y, deltaY, deltaMode: 0 }));
            requestAnimationFrame(frame);
            return;
          }
          const diffs = (xs) => xs.slice(1).map((t, i) => t - xs[i]);
          state.result = { idle: diffs(stamps.idle), pan: diffs(stamps.pan), zoom: diffs(stamps.zoom) };
          state.done = true;
        } catch (e) {
          state.error = String(e?.stack ?? e);
          state.done = true;
        }
      };
      requestAnimationFrame(frame);
    },
    IDLE_FRAMES,
    PAN_FRAMES,
    ZOOM_FRAMES,
    PHASE_LIMIT_MS,
  );
  let state = null;
  await browser.waitUntil(
    async () => {
      state = await browser.execute(() => window.__tbGesture);
      return state.done;
    },
    { timeout: 600_000, interval: 500, timeoutMsg: "the scripted gesture did not finish in 600 s" },
  );
  if (state.error !== null) throw new Error(`the gesture failed in the page: ${state.error}`);
  return state.result;
}

test(`renderers at ${nodes} nodes: WebGL against 2D canvas`, { timeout: 1_800_000 }, async () => {
  assert.ok(casePath && out, "TB_BENCH_CASE and TB_BENCH_OUT are set");
  const browser = await launchApp(["--case", casePath]);
  try {
    // Building a renderer for 10,000 elements takes longer than WebDriver's default 30 s
    // script timeout in software rendering (and a timed-out script is sent again).
    await browser.setTimeout({ script: 600_000 });
    await browser.waitUntil(async () => (await nodeCount(browser)) === nodes, {
      timeout: 180_000,
      timeoutMsg: `the canvas never showed the ${nodes} nodes of ${casePath}`,
    });
    const webglInfo = await browser.execute(() => {
      const gl = document.createElement("canvas").getContext("webgl2");
      if (gl === null) return null;
      return { renderer: gl.getParameter(gl.RENDERER), vendor: gl.getParameter(gl.VENDOR), version: gl.getParameter(gl.VERSION), maxTexture: gl.getParameter(gl.MAX_TEXTURE_SIZE) };
    });
    appendFileSync(out, `${JSON.stringify({ bench: "renderer", webgl2: webglInfo, userAgent: await browser.execute(() => navigator.userAgent) })}\n`);
    for (let pair = 1; pair <= pairs; pair += 1) {
      for (const webgl of pair % 2 === 1 ? [false, true] : [true, false]) {
        const built = await build(browser, webgl);
        if (built.error) throw new Error(`building the ${webgl ? "WebGL" : "2D"} renderer failed: ${built.error}`);
        if (pair === 1) await browser.saveScreenshot(join(dirname(out), `renderer-${webgl ? "webgl" : "2d"}.png`));
        const frames = await gesture(browser);
        const line = {
          bench: "renderer",
          pair,
          ...built,
          idle: stats(frames.idle),
          pan: stats(frames.pan),
          zoom: stats(frames.zoom),
          all: stats([...frames.pan, ...frames.zoom]),
        };
        appendFileSync(out, `${JSON.stringify(line)}\n`);
        await browser.execute(() => {
          window.__tbRenderer?.destroy();
          document.getElementById("tb-renderer-bench")?.remove();
        });
      }
    }
  } finally {
    await browser.deleteSession();
  }
});
