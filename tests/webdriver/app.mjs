// Starts the real app through tauri-driver (run.sh starts the driver) and reads the canvas's
// test contract: data-node-count, data-edge-count, data-selected on [data-testid=canvas].

import { readFileSync } from "node:fs";
import { remote } from "webdriverio";

export const TIMEOUT = 30_000;

/** A WebDriver session on `application` (default: $TRACEBENCH_APP) started with `args`. */
export async function launchApp(args, application = process.env.TRACEBENCH_APP) {
  if (!application) throw new Error("TRACEBENCH_APP is not set; run the specs through run.sh");
  return remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "warn",
    capabilities: {
      browserName: "wry",
      // WebKitWebDriver speaks WebDriver classic only; without this, wdio 9 asks for BiDi and
      // the session is refused ("Failed to match capabilities").
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application, args },
    },
  });
}

/** Launches `tracebench-app --demo` and waits until the demo case is on the canvas. */
export async function openDemo() {
  const browser = await launchApp(["--demo"]);
  await browser.waitUntil(async () => (await nodeCount(browser)) > 0, {
    timeout: TIMEOUT,
    timeoutMsg: "the demo case never appeared on the canvas",
  });
  return browser;
}

export async function canvas(browser) {
  return browser.$('[data-testid="canvas"]');
}

export async function nodeCount(browser) {
  const value = await (await canvas(browser)).getAttribute("data-node-count");
  return Number(value ?? "0");
}

export async function selected(browser) {
  return (await (await canvas(browser)).getAttribute("data-selected")) ?? "";
}

/** The ids of the nodes on the canvas (test hook installed with TRACEBENCH_TEST=1). */
export async function visibleNodes(browser) {
  return browser.execute(() => window.__tracebench.nodes());
}

/** Selects a node by id through the test hook; canvas nodes are pixels, not elements. */
export async function select(browser, id) {
  const found = await browser.execute((nodeId) => window.__tracebench.select(nodeId), id);
  if (!found) throw new Error(`${id} is not on the canvas`);
  await browser.waitUntil(async () => (await selected(browser)) === id, {
    timeout: TIMEOUT,
    timeoutMsg: `data-selected never became ${id}`,
  });
}

/** The ground truth of the demo's synthetic chain (run.sh writes it). */
export function demoTruth() {
  return JSON.parse(readFileSync(process.env.DEMO_TRUTH, "utf8"));
}

/**
 * Waits until the app has nothing unsaved: no command unanswered and no position or view change
 * waiting for its autosave, seen twice 150 ms apart (a layout reports its positions a moment
 * after it moved them). Tests that restart the app to prove something was saved wait for this
 * instead of sleeping for a guessed time.
 */
export async function settled(browser) {
  const busy = () => browser.execute(() => window.__tracebench.busy());
  await browser.waitUntil(
    async () => {
      if (await busy()) return false;
      await new Promise((r) => setTimeout(r, 150));
      return !(await busy());
    },
    { timeout: TIMEOUT, interval: 100, timeoutMsg: "the app never finished saving (window.__tracebench.busy() stayed true)" },
  );
}
