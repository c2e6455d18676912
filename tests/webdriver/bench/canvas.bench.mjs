// Canvas benchmark (issue #3): frame times of a scripted pan and zoom in the app's webview, and
// the time a case takes to open to its saved view. Not a test CI runs (it lives outside specs/):
// scripts/bench_canvas.sh runs it through run.sh with TRACEBENCH_SPECS=bench/canvas.bench.mjs.
//
// Env: TB_BENCH_CASES, a JSON list of {label, path, nodes} (case files whose canvas holds
// `nodes` nodes, made by crates/tracebench-sim/examples/bench_canvas_case.rs); TB_BENCH_OUT,
// the file each measurement is appended to as one JSON line; TB_BENCH_RUNS (default 3),
// launches of the app per case; TB_BENCH_OPEN_ONLY=1 measures the opening only (no gesture).
//
// Each launch opens the case with `tracebench-app --case FILE`; the page records `case-open`
// (from the open command until the first frame after the canvas showed the saved view) and
// its parts `case-open-<part>` (features/canvas/opening.ts): `ipc` until the core's answer was
// parsed, `viewport` the saved view asked for, `draw` the canvas and panels built (of which
// `organise`, `add`, `view`, `tune`, `publish` inside the canvas), `opened` the editing state
// reset; the rest of `case-open` is the first frame's drawing. Then a scripted gesture runs through
// the page's own handlers (synthetic events, so the renderer sees a real pan and zoom and its
// performance options apply): a drag-pan of PAN_FRAMES steps from a point between nodes
// (Cytoscape's mouse handlers), then ZOOM_FRAMES wheel steps in and as many out (the canvas's
// wheel handler, features/canvas/wheelZoom.ts), one event per animation frame. A frame time
// is the time between two requestAnimationFrame timestamps during the gesture; p50 and p95 are
// reported per gesture and for both together. After the last wheel step, `settle` is the time
// until the canvas has drawn the view the wheel reached (the wheel handler waits for the wheel
// to be quiet, then Cytoscape renders once) and the frames of that wait. Timings are measured,
// never asserted.
//
// Where a frame's time goes (the profile printed with each run): before the gesture, IDLE_FRAMES
// frames with nothing happening (the webview's own frame floor under Xvfb); during it, per frame,
// the time in the synthetic event's handlers (Cytoscape's and every app listener on the viewport),
// in Cytoscape's before-render callbacks (style and element texture caches) and in its render
// call, read by wrapping those functions of the page's Cytoscape renderer (found through the
// container's `_cyreg`, the registration Cytoscape keeps on its container); the rest of the
// frame is the webview's painting and compositing (and other work of the page).

import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { test } from "node:test";
import { launchApp, nodeCount } from "../app.mjs";
import { percentile, stats } from "./frames.mjs";

const PAN_FRAMES = 90;
const ZOOM_FRAMES = 45;
const IDLE_FRAMES = 30;
// A gesture whose frames each take seconds (a 5,000-node canvas redrawn in full on every wheel
// step) is cut after this long: the frames so far are reported, with `truncated` set.
const PHASE_LIMIT_MS = 90_000;
const cases = JSON.parse(process.env.TB_BENCH_CASES ?? "[]");
const runs = Number(process.env.TB_BENCH_RUNS ?? "3");
const out = process.env.TB_BENCH_OUT;
const openOnly = process.env.TB_BENCH_OPEN_ONLY === "1";

async function launch(path) {
  const t0 = Date.now();
  const browser = await launchApp(["--case", path]);
  return { browser, sessionMs: Date.now() - t0 };
}

/** The page's `case-open` measure and its parts (`case-open-<part>`, ms), once it exists. */
async function openTimes(browser) {
  let times = null;
  await browser.waitUntil(
    async () => {
      times = await browser.execute(() => {
        const parts = {};
        for (const m of performance.getEntriesByType("measure")) {
          if (m.name.startsWith("case-open-")) parts[m.name.slice("case-open-".length)] = Math.round(m.duration);
        }
        const one = (name) => performance.getEntriesByName(name)[0]?.duration ?? null;
        // The view the case opened on, and how many elements carry label text in it
        // (features/canvas/labels.ts: a big graph labels only what the view shows readably).
        const canvas = document.querySelector('[data-testid="canvas"]');
        const cy = canvas?._cyreg?.cy;
        // `first`: the elements drawn before the first frame (features/canvas/restOfGraph.ts; -1: all).
        const first = Number(canvas?.dataset.firstBatch ?? "-1");
        const view = cy === undefined ? null : { zoom: cy.zoom(), labelled: Number(canvas.dataset.labelled ?? "-1"), first };
        // A big case adds what its saved view does not show after the first frame
        // (features/canvas/restOfGraph.ts): `case-open-rest` once all of it is in.
        const waiting = Number(canvas?.dataset.waiting ?? "0");
        return { open: one("case-open"), ipc: one("case-open-ipc"), parts, view, waiting };
      });
      return times.open !== null && times.ipc !== null && times.waiting === 0;
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
    (panFrames, zoomFrames, idleFrames, limitMs) => {
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
        // The profile: cumulative ms in event handlers, before-render callbacks and render.
        const spent = { events: 0, before: 0, render: 0 };
        // Nested calls (a render that first draws the texture by rendering again) count once.
        const depth = { before: 0, render: 0 };
        const timed = (key, fn) =>
          function (...args) {
            const t0 = performance.now();
            depth[key] += 1;
            try {
              return fn.apply(this, args);
            } finally {
              depth[key] -= 1;
              if (depth[key] === 0) spent[key] += performance.now() - t0;
            }
          };
        const renderer = container._cyreg?.cy?.renderer?.();
        const profiled = renderer !== undefined && typeof renderer.render === "function";
        if (profiled) {
          renderer.render = timed("render", renderer.render);
          for (const cb of renderer.beforeRenderCallbacks ?? []) cb.fn = timed("before", cb.fn);
        }
        const dispatch = (on, event) => {
          const t0 = performance.now();
          on.dispatchEvent(event);
          spent.events += performance.now() - t0;
        };
        const mouse = (type, x, y, on) =>
          dispatch(
            on,
            new MouseEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0, buttons: type === "mouseup" ? 0 : 1, view: window }),
          );
        const stamps = { idle: [], pan: [], between: [], zoom: [], settle: [] };
        const costs = { idle: [], pan: [], between: [], zoom: [], settle: [] };
        const QUIET_RUN = 3;
        const QUIET_FRAME_MS = 50;
        let lastWheel = 0;
        let step = 0;
        let phase = "idle";
        const began = {};
        const truncated = { pan: false, between: false, zoom: false, settle: false };
        const over = (p, ts) => {
          began[p] ??= ts;
          if (ts - began[p] <= limitMs) return false;
          truncated[p] = true;
          return true;
        };
        const centre = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
        const frame = (ts) => {
          try {
            state.frames += 1;
            stamps[phase].push(ts);
            costs[phase].push({ ...spent });
            step += 1;
            if (phase === "idle") {
              if (step <= idleFrames) {
                requestAnimationFrame(frame);
                return;
              }
              phase = "pan";
              step = 0;
              mouse("mousedown", start.x, start.y, target);
              requestAnimationFrame(frame);
              return;
            }
            if (phase === "pan") {
              if (step <= panFrames && !over("pan", ts)) {
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
              phase = "between";
              step = 0;
              requestAnimationFrame(frame);
              return;
            }
            // The pan's last full-quality render (and what follows a view change: labels) comes
            // after the release: let it pass before zooming, so it is not counted as a zoom
            // frame. Waited for: QUIET_RUN frames in a row shorter than QUIET_FRAME_MS (at most
            // limitMs); reported as `after_pan`.
            if (phase === "between") {
              const n = stamps.between.length;
              const recent = stamps.between.slice(Math.max(0, n - 1 - QUIET_RUN)).map((t, i, xs) => (i === 0 ? 0 : t - xs[i - 1])).slice(1);
              const calm = recent.length === QUIET_RUN && recent.every((d) => d < QUIET_FRAME_MS);
              if (!calm && !over("between", ts)) {
                requestAnimationFrame(frame);
                return;
              }
              phase = "zoom";
              step = 0;
              requestAnimationFrame(frame);
              return;
            }
            if (phase === "zoom" && step <= 2 * zoomFrames && !over("zoom", ts)) {
              const deltaY = step <= zoomFrames ? -20 : 20;
              dispatch(
                target,
                new WheelEvent("wheel", { bubbles: true, cancelable: true, clientX: centre.x, clientY: centre.y, deltaY, deltaMode: 0 }),
              );
              lastWheel = performance.now();
              requestAnimationFrame(frame);
              return;
            }
            // After the last wheel event: the frames until the canvas has drawn the view the
            // wheel reached (features/canvas/wheelZoom.ts waits for the wheel to be quiet, then
            // Cytoscape renders once; `data-wheel-zoom` is back to "idle" after that render).
            if (phase === "zoom") {
              phase = "settle";
              stamps.settle.push(ts);
              costs.settle.push({ ...spent });
            }
            const busy = (container.dataset.wheelZoom ?? "idle") !== "idle";
            if (phase === "settle" && busy && !over("settle", ts)) {
              requestAnimationFrame(frame);
              return;
            }
            const settleMs = performance.now() - lastWheel;
            const diffs = (xs) => xs.slice(1).map((t, i) => t - xs[i]);
            // Per frame: ms in each part between two frame callbacks.
            const parts = (cs) =>
              cs.slice(1).map((c, i) => ({
                events: c.events - cs[i].events,
                before: c.before - cs[i].before,
                render: c.render - cs[i].render,
              }));
            state.result = {
              idle: diffs(stamps.idle),
              pan: diffs(stamps.pan),
              zoom: diffs(stamps.zoom),
              settle: diffs(stamps.settle),
              afterPan: diffs(stamps.between),
              settleMs,
              wheelZoom: container.dataset.wheelZoom ?? "",
              profiled,
              truncated,
              parts: { pan: parts(costs.pan), zoom: parts(costs.zoom) },
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
    IDLE_FRAMES,
    PHASE_LIMIT_MS,
  );
  let state = null;
  await browser.waitUntil(
    async () => {
      state = await browser.execute(() => window.__tbBench);
      return state.done;
    },
    { timeout: 600_000, interval: 1000, timeoutMsg: "the scripted gesture did not finish in 600 s" },
  );
  if (state.error !== null) throw new Error(`the scripted gesture failed in the page: ${state.error}`);
  return state.result;
}

/** Where the frames of a gesture went: the median ms per frame of each part, and the rest. */
function profile(frames, parts) {
  const part = (key) => percentile(parts.map((p) => p[key]), 50);
  const rest = frames.map((f, i) => f - (parts[i] === undefined ? 0 : parts[i].events + parts[i].before + parts[i].render));
  return { events_p50: part("events"), before_render_p50: part("before"), render_p50: part("render"), rest_p50: percentile(rest, 50) };
}

for (const c of cases) {
  for (let run = 1; run <= runs; run += 1) {
    test(`canvas ${c.label}, run ${run}: open time and pan/zoom frame times`, { timeout: 900_000 }, async () => {
      const { browser, sessionMs } = await launch(c.path);
      try {
        await browser.waitUntil(async () => (await nodeCount(browser)) === c.nodes, {
          timeout: 120_000,
          timeoutMsg: `the canvas never showed the ${c.nodes} saved nodes of ${c.path}`,
        });
        const open = await openTimes(browser);
        if (openOnly) {
          const line = { bench: "canvas-open", label: c.label, run, nodes: c.nodes, open_ms: Math.round(open.open), open_ipc_ms: Math.round(open.ipc), open_parts: open.parts, open_view: open.view, session_ms: sessionMs };
          console.log(JSON.stringify(line));
          if (out) appendFileSync(out, `${JSON.stringify(line)}\n`);
          return;
        }
        const frames = await gesture(browser);
        assert.ok(
          frames.truncated.pan || frames.pan.length >= PAN_FRAMES - 1,
          `the pan ran its ${PAN_FRAMES} frames or was cut at ${PHASE_LIMIT_MS} ms, got ${frames.pan.length} frames`,
        );
        const line = {
          bench: "canvas",
          label: c.label,
          run,
          nodes: c.nodes,
          edges: frames.edges,
          performance_mode: frames.mode,
          open_ms: Math.round(open.open),
          open_ipc_ms: Math.round(open.ipc),
          open_parts: open.parts,
          session_ms: sessionMs,
          pan: stats(frames.pan),
          zoom: stats(frames.zoom),
          // From the last wheel event until the zoomed view was drawn (the quiet wait and the
          // one full render), and that phase's frames (its longest is the render).
          settle: { ms: Math.round(frames.settleMs), ...stats(frames.settle), state: frames.wheelZoom },
          // From the pan's release until three frames in a row took under 50 ms (not counted
          // in the pan's or the zoom's frames).
          after_pan: { ms: Math.round(frames.afterPan.reduce((a, b) => a + b, 0)), ...stats(frames.afterPan) },
          all: stats([...frames.pan, ...frames.zoom]),
          idle: stats(frames.idle),
          truncated: frames.truncated,
          profile: frames.profiled
            ? { pan: profile(frames.pan, frames.parts.pan), zoom: profile(frames.zoom, frames.parts.zoom) }
            : null,
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
