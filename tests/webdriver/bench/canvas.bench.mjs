// Canvas benchmark (issue #3): frame times of a scripted pan and zoom in the app's webview, and
// the time a case takes to open to its saved view. Not a test CI runs (it lives outside specs/):
// scripts/bench_canvas.sh runs it through run.sh with TRACEBENCH_SPECS=bench/canvas.bench.mjs.
//
// Env: TB_BENCH_CASES, a JSON list of {label, path, nodes} (case files whose canvas holds
// `nodes` nodes, made by crates/tracebench-sim/examples/bench_canvas_case.rs); TB_BENCH_OUT,
// the file each measurement is appended to as one JSON line; TB_BENCH_RUNS (default 3),
// launches of the app per case.
//
// Each launch opens the case with `tracebench-app --case FILE`; the page records `case-open`
// (from the open command until the first frame after the canvas showed the saved view) and
// `case-open-ipc` (until the core answered). Then a scripted gesture runs through Cytoscape's
// own mouse and wheel handlers (synthetic events, so the renderer sees a real pan and zoom and
// its performance options apply): a drag-pan of PAN_FRAMES steps from a point between nodes,
// then ZOOM_FRAMES wheel steps in and as many out, one event per animation frame. A frame time
// is the time between two requestAnimationFrame timestamps during the gesture; p50 and p95 are
// reported per gesture and for both together. Timings are measured, never asserted.

import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { test } from "node:test";
import { remote } from "webdriverio";
import { nodeCount } from "../app.mjs";

const PAN_FRAMES = 90;
const ZOOM_FRAMES = 45;
const cases = JSON.parse(process.env.TB_BENCH_CASES ?? "[]");
const runs = Number(process.env.TB_BENCH_RUNS ?? "3");
const out = process.env.TB_BENCH_OUT;

async function launch(path) {
  const t0 = Date.now();
  const browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: {
      browserName: "wry",
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: process.env.TRACEBENCH_APP, args: ["--case", path] },
    },
  });
  return { browser, sessionMs: Date.now() - t0 };
}

/** The page's `case-open` and `case-open-ipc` measures, once both exist. */
async function openTimes(browser) {
  let times = null;
  await browser.waitUntil(
    async () => {
      times = await browser.execute(() => {
        const one = (name) => performance.getEntriesByName(name)[0]?.duration ?? null;
        return { open: one("case-open"), ipc: one("case-open-ipc") };
      });
      return times.open !== null && times.ipc !== null;
    },
    { timeout: 120_000, timeoutMsg: "the page never recorded case-open" },
  );
  return times;
}

/**
 * Runs the scripted pan and zoom in the page and resolves with the frame times (ms). The page
 * keeps its state on `window.__tbBench` (started by one script, polled by others), so no
 * WebDriver call waits on the gesture.
 */
async function gesture(browser) {
  await browser.execute(
    (panFrames, zoomFrames) => {
      const state = { done: false, error: null, frames: 0, result: null };
      window.__tbBench = state;
      try {
        const container = document.querySelector('[data-testid="canvas"]');
        const canvases = container.querySelectorAll("canvas");
        const target = canvases[canvases.length - 1] ?? container;
        const box = container.getBoundingClientRect();
        // A point between nodes: the saved grid puts nodes 90 graph units apart, so half way
        // between the two top-left nodes is background (a drag there pans, it moves no node).
        const places = window.__tracebench
          .nodes()
          .map((n) => window.__tracebench.position(n.id))
          .filter((p) => p !== null);
        const sorted = [...places].sort((a, b) => a.model.y - b.model.y || a.model.x - b.model.x);
        const [first, second] = sorted;
        const zoom = (second.rendered.x - first.rendered.x) / (second.model.x - first.model.x);
        const start = {
          x: box.left + first.rendered.x + 45 * zoom,
          y: box.top + first.rendered.y + 45 * zoom,
        };
        const mouse = (type, x, y, on) =>
          on.dispatchEvent(
            new MouseEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0, buttons: type === "mouseup" ? 0 : 1, view: window }),
          );
        const stamps = { pan: [], zoom: [] };
        let step = 0;
        let phase = "pan";
        const centre = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
        mouse("mousedown", start.x, start.y, target);
        const frame = (ts) => {
          try {
            state.frames += 1;
            stamps[phase].push(ts);
            step += 1;
            if (phase === "pan") {
              if (step <= panFrames) {
                // A loop: right, down, left, up, a quarter of the frames each.
                const q = Math.min(3, Math.floor(((step - 1) * 4) / panFrames));
                const d = [
                  [6, 0],
                  [0, 6],
                  [-6, 0],
                  [0, -6],
                ][q];
                start.x += d[0];
                start.y += d[1];
                mouse("mousemove", start.x, start.y, target);
                requestAnimationFrame(frame);
                return;
              }
              mouse("mouseup", start.x, start.y, window);
              phase = "zoom";
              step = 0;
              // Let the pan's last full-quality frame pass before zooming.
              setTimeout(() => requestAnimationFrame(frame), 300);
              return;
            }
            if (step <= 2 * zoomFrames) {
              const deltaY = step <= zoomFrames ? -20 : 20;
              target.dispatchEvent(
                new WheelEvent("wheel", { bubbles: true, cancelable: true, clientX: centre.x, clientY: centre.y, deltaY, deltaMode: 0 }),
              );
              requestAnimationFrame(frame);
              return;
            }
            const diffs = (xs) => xs.slice(1).map((t, i) => t - xs[i]);
            state.result = {
              pan: diffs(stamps.pan),
              zoom: diffs(stamps.zoom),
              mode: container.dataset.performance ?? "",
              edges: Number(container.dataset.edgeCount ?? "0"),
              width: box.width,
              height: box.height,
              pixelRatio: window.devicePixelRatio,
              userAgent: navigator.userAgent,
            };
            state.done = true;
          } catch (e) {
            state.error = String(e?.stack ?? e);
            state.done = true;
          }
        };
        requestAnimationFrame(frame);
      } catch (e) {
        state.error = String(e?.stack ?? e);
        state.done = true;
      }
    },
    PAN_FRAMES,
    ZOOM_FRAMES,
  );
  let state = null;
  await browser.waitUntil(
    async () => {
      state = await browser.execute(() => window.__tbBench);
      return state.done;
    },
    { timeout: 300_000, interval: 1000, timeoutMsg: "the scripted gesture did not finish in 300 s" },
  );
  if (state.error !== null) throw new Error(`the scripted gesture failed in the page: ${state.error}`);
  return state.result;
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return null;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return Math.round(s[i] * 10) / 10;
}

const stats = (xs) => ({ frames: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95), max: percentile(xs, 100) });

for (const c of cases) {
  for (let run = 1; run <= runs; run += 1) {
    test(`canvas ${c.label}, run ${run}: open time and pan/zoom frame times`, { timeout: 600_000 }, async () => {
      const { browser, sessionMs } = await launch(c.path);
      try {
        await browser.waitUntil(async () => (await nodeCount(browser)) === c.nodes, {
          timeout: 120_000,
          timeoutMsg: `the canvas never showed the ${c.nodes} saved nodes of ${c.path}`,
        });
        const open = await openTimes(browser);
        const frames = await gesture(browser);
        assert.ok(frames.pan.length >= PAN_FRAMES - 1, `the pan ran its ${PAN_FRAMES} frames, got ${frames.pan.length}`);
        const line = {
          bench: "canvas",
          label: c.label,
          run,
          nodes: c.nodes,
          edges: frames.edges,
          performance_mode: frames.mode,
          open_ms: Math.round(open.open),
          open_ipc_ms: Math.round(open.ipc),
          session_ms: sessionMs,
          pan: stats(frames.pan),
          zoom: stats(frames.zoom),
          all: stats([...frames.pan, ...frames.zoom]),
          viewport: { width: frames.width, height: frames.height, pixelRatio: frames.pixelRatio },
          userAgent: frames.userAgent,
        };
        console.log(JSON.stringify(line));
        if (out) appendFileSync(out, `${JSON.stringify(line)}\n`);
      } finally {
        await browser.deleteSession();
      }
    });
  }
}

test("the benchmark was given cases", () => {
  assert.ok(cases.length > 0, "TB_BENCH_CASES lists the cases to measure (scripts/bench_canvas.sh sets it)");
});
