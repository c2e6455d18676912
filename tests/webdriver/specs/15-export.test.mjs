// Exports of the view in the real app: PNG (signature, the view's size), SVG (parses, holds the
// short ids of the nodes in view as text) and CSV of the visible transfers (one row per drawn
// transfer, a hidden node's transfers absent, one row's exact amount, block height and UTC time
// equal to what the demo chain's own Esplora server says). Each export is audited with its
// SHA-256 in the case file.

import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import { TIMEOUT, canvas, demoTruth } from "../app.mjs";
import { FreshDemo } from "../fresh.mjs";

let browser;
let sim;
// A demo case of this spec's own: callouts other specs left in the shared demo case would lie
// where this spec's callout is drawn.
const demo = new FreshDemo("spec15");
before(async () => {
  browser = await demo.open();
});
after(async () => {
  await browser?.deleteSession();
  sim?.kill();
});

const $ = (testid) => browser.$(`[data-testid="${testid}"]`);
const hook = (name, ...args) => browser.execute((n, a) => window.__tracebench[n](...a), name, args);

/** Clicks an export button and returns the new file's path (the last-export line changes). */
async function exportWith(testid, suffix) {
  const last = await $("last-export");
  const before = (await last.getText()).trim();
  // The exports sit in the toolbar's View ▾ menu.
  await (await $("export-view")).click();
  await (await $(testid)).waitForDisplayed({ timeout: TIMEOUT });
  await (await $(testid)).click();
  await browser.waitUntil(
    async () => {
      const now = (await last.getText()).trim();
      return now !== before && now.endsWith(suffix);
    },
    { timeout: TIMEOUT, timeoutMsg: `${testid} showed no ${suffix} path` },
  );
  const path = (await last.getText()).trim();
  assert.ok(path.startsWith(process.env.TRACEBENCH_EXPORT_DIR), "with TRACEBENCH_EXPORT_DIR set, no dialog: the file goes there");
  return path;
}

/** The SHA-256 of every export the demo case's audit log records. */
function auditedExports() {
  const file = demo.caseFile;
  const out = execFileSync("sqlite3", ["-readonly", file, "SELECT detail FROM audit_log WHERE action = 'export' ORDER BY seq"], {
    encoding: "utf8",
  });
  return out
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));
}

function assertAudited(path, kind) {
  const sha = createHash("sha256").update(readFileSync(path)).digest("hex");
  const found = auditedExports().find((e) => e.sha256 === sha);
  assert.ok(found, `the audit log records the ${kind} export with the file's SHA-256`);
  assert.equal(found.kind, kind, "the audit entry names what was exported");
}

/** The canvas's short form of a node's address or txid (the core's `short_id`). */
function shortId(id) {
  const full = id.replace(/^btc:(addr|tx):/, "");
  const chars = [...full];
  return chars.length <= 14 ? full : `${chars.slice(0, 8).join("")}…${chars.slice(-4).join("")}`;
}

/** Nodes whose centre is well inside the view (their labels are fully drawn). */
async function nodesInView() {
  const size = await hook("viewSize");
  const nodes = await browser.execute(() =>
    window.__tracebench.nodes().map((n) => ({ id: n.id, at: window.__tracebench.position(n.id).rendered })),
  );
  return nodes.filter((n) => n.at.x > 60 && n.at.y > 40 && n.at.x < size.width - 60 && n.at.y < size.height - 40).map((n) => n.id);
}

test("PNG export is a PNG of the view's size, audited", async () => {
  await (await browser.$("#fit")).click();
  const size = await hook("viewSize");
  const path = await exportWith("export-png", "-view.png");
  const png = readFileSync(path);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "the file starts with the PNG signature");
  assert.equal(png.subarray(12, 16).toString("latin1"), "IHDR", "the first chunk is the header");
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.ok(Math.abs(width - size.width) <= 1, `the picture is as wide as the view (${width} vs ${size.width})`);
  assert.ok(Math.abs(height - size.height) <= 1, `the picture is as high as the view (${height} vs ${size.height})`);
  assertAudited(path, "canvas-png");
});

test("SVG export parses and names the nodes in view", async () => {
  // Close enough that labels are drawn (Cytoscape hides labels too small to read); nodes near
  // the border may be cut, so only those well inside the view are checked.
  await (await browser.$("#fit")).click();
  await (await $("zoom-in")).click();
  await (await $("zoom-in")).click();
  const inView = await nodesInView();
  assert.ok(inView.length >= 2, "several nodes are in view");
  const path = await exportWith("export-svg", "-view.svg");
  const text = readFileSync(path, "utf8");
  const parsed = await browser.execute((svg) => {
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    if (doc.getElementsByTagName("parsererror").length > 0) return null;
    return {
      root: doc.documentElement.localName,
      texts: [...doc.getElementsByTagName("text")].map((t) => t.textContent),
    };
  }, text);
  assert.ok(parsed, "the SVG is well-formed XML");
  assert.equal(parsed.root, "svg", "its root element is <svg>");
  for (const short of inView.map(shortId)) {
    assert.ok(parsed.texts.some((t) => t.includes(short)), `the node label ${short} is text in the SVG`);
  }
  assertAudited(path, "canvas-svg");
});

/** Places a callout with `text`, anchored to the selected node, and waits for its box and leader. */
async function placeCallout(anchor, text) {
  assert.equal(await hook("select", anchor), true, "the anchor node is drawn and selected");
  await browser.waitUntil(async () => (await (await canvas(browser)).getAttribute("data-selected")) === anchor, {
    timeout: TIMEOUT,
    timeoutMsg: "the anchor never became the selection",
  });
  const boxes = (await browser.$$('[data-testid="callout"]')).length;
  await (await $("callout-add")).click();
  await (await $("callout-text")).setValue(text);
  await (await $("callout-confirm")).click();
  await browser.waitUntil(async () => (await browser.$$('[data-testid="callout"]')).length === boxes + 1, {
    timeout: TIMEOUT,
    timeoutMsg: "the callout never appeared on the canvas",
  });
  const id = await browser.execute((t) => {
    const box = [...document.querySelectorAll('[data-testid="callout"]')].find((b) => b.textContent.includes(t));
    return box?.dataset.calloutId ?? null;
  }, text);
  assert.ok(id, "the new callout's box carries its id");
  await browser.waitUntil(
    () => browser.execute((cid) => document.querySelector(`[data-testid="callout-leader"][data-callout-id="${cid}"]`)?.dataset.drawn === "true", id),
    { timeout: TIMEOUT, timeoutMsg: "the anchored callout has no leader drawn on the canvas" },
  );
  return id;
}

/** The colour of the PNG's pixel at CSS point (x, y) of the view, decoded in the webview. */
function pixelAt(png, x, y, cssWidth) {
  return browser.executeAsync(
    (b64, px, py, w, done) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      createImageBitmap(new Blob([bytes], { type: "image/png" })).then((bmp) => {
        const c = document.createElement("canvas");
        c.width = bmp.width;
        c.height = bmp.height;
        const ctx = c.getContext("2d");
        ctx.drawImage(bmp, 0, 0);
        const k = bmp.width / w;
        done([...ctx.getImageData(Math.round(px * k), Math.round(py * k), 1, 1).data.slice(0, 3)]);
      }, (e) => done(String(e)));
    },
    png.toString("base64"),
    x,
    y,
    cssWidth,
  );
}

test("callouts are drawn into the PNG and SVG, with a dashed leader to their node", async () => {
  await (await browser.$("#fit")).click();
  const size = await hook("viewSize");
  // A transaction well away from where a new callout's box lands (its top left at the middle, a
  // third down), so the leader has a length to draw.
  const places = await browser.execute(() =>
    window.__tracebench.nodes().map((n) => ({ id: n.id, at: window.__tracebench.position(n.id).rendered })),
  );
  const anchor = places
    .filter((n) => n.id.startsWith("btc:tx:"))
    .map((n) => ({ id: n.id, far: Math.hypot(n.at.x - (size.width / 2 + 100), n.at.y - (size.height / 3 + 25)) }))
    .filter((n) => n.far > 150)
    .sort((a, b) => b.far - a.far)[0]?.id;
  assert.ok(anchor, "the demo canvas has a transaction away from the middle to annotate");
  const text = `Exported callout <${Date.now().toString(36)}> & more`;
  const id = await placeCallout(anchor, text);
  // Where the box is drawn (CSS pixels of the canvas): its violet rule is 3 px wide at its left.
  const rule = await browser.execute((cid) => {
    const box = document.querySelector(`[data-testid="callout"][data-callout-id="${cid}"]`);
    const canvasBox = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
    const r = box.getBoundingClientRect();
    return { x: r.left - canvasBox.left + 1, y: r.top - canvasBox.top + 6 };
  }, id);
  assert.ok(rule.x > 0 && rule.y > 0 && rule.x < size.width && rule.y < size.height, `the callout is in view: ${JSON.stringify(rule)}`);

  const withPath = await exportWith("export-png", "-view.png");
  const withPng = readFileSync(withPath);
  const svgPath = await exportWith("export-svg", "-view.svg");
  const svg = readFileSync(svgPath, "utf8");
  const parsed = await browser.execute((doc, cid) => {
    const d = new DOMParser().parseFromString(doc, "image/svg+xml");
    if (d.getElementsByTagName("parsererror").length > 0) return null;
    const mine = d.querySelector(`g.callout[data-callout-id="${cid}"]`);
    return {
      texts: [...d.getElementsByTagName("text")].map((t) => t.textContent),
      leaders: mine === null ? 0 : [...mine.getElementsByTagName("line")].filter((l) => l.getAttribute("class") === "callout-leader").length,
      // Each callout's text lines (after its NOTE tag), joined as the box wraps them.
      callouts: [...d.querySelectorAll("g.callout")].map((g) =>
        [...g.getElementsByTagName("text")]
          .slice(1)
          .map((t) => t.textContent)
          .join(" "),
      ),
    };
  }, svg, id);
  assert.ok(parsed, "the SVG with its callout is well-formed XML (the text's < and & are escaped)");
  assert.ok(parsed.callouts.includes(text), `the callout's text is text in the SVG: ${JSON.stringify(parsed.callouts)}`);
  assert.ok(parsed.texts.includes("NOTE"), "the callout is tagged as an analyst note in the SVG");
  assert.equal(parsed.leaders, 1, "the anchored callout's dashed leader is in the SVG");

  // The same view without the callout: the pictures differ, and the PNG's pixel under the rule is violet.
  await (await browser.$(`[data-testid="callout"][data-callout-id="${id}"] [data-testid="callout-remove"]`)).click();
  await browser.waitUntil(async () => (await browser.$$(`[data-testid="callout"][data-callout-id="${id}"]`)).length === 0, {
    timeout: TIMEOUT,
    timeoutMsg: "removing the callout never took it off the canvas",
  });
  const withoutPng = readFileSync(await exportWith("export-png", "-view.png"));
  assert.notDeepEqual(withPng, withoutPng, "the PNG with the callout differs from the same view without it");
  const [r, g, b] = await pixelAt(withPng, rule.x, rule.y, size.width);
  assert.ok(Math.abs(r - 0x8a) <= 24 && Math.abs(g - 0x63) <= 24 && Math.abs(b - 0xd2) <= 24, `the callout's violet rule is in the PNG (got ${r},${g},${b})`);
  const under = await pixelAt(withoutPng, rule.x, rule.y, size.width);
  assert.notDeepEqual(under, [r, g, b], "without the callout that pixel is not the rule's violet");
  const after = readFileSync(await exportWith("export-svg", "-view.svg"), "utf8");
  assert.ok(!after.includes(`data-callout-id="${id}"`), "a removed callout is not in the SVG");
});

async function edgeCount() {
  return Number(await (await canvas(browser)).getAttribute("data-edge-count"));
}

function csvRows(text) {
  const lines = text.split("\r\n").filter((l) => l !== "");
  const header = lines[0].split(",");
  // Only the last column (rate_source) may be quoted; the others never hold a comma.
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    const fixed = cells.slice(0, header.length - 1);
    fixed.push(cells.slice(header.length - 1).join(",").replace(/^"|"$/g, ""));
    return Object.fromEntries(header.map((h, i) => [h, fixed[i]]));
  });
}

/** The demo chain's own Esplora server (the CLI serves the same scenario and seed). */
async function simUrl() {
  sim = spawn(process.env.TRACEBENCH_CLI, ["sim", "serve", "--scenario", "ransomware", "--seed", "1"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: sim.stdout });
  let json = "";
  for await (const line of lines) {
    json += line;
    try {
      return JSON.parse(json).url;
    } catch {
      // The JSON may span several lines: keep reading.
    }
  }
  throw new Error("the sim server printed no URL");
}

test("CSV export holds exactly the visible transfers, in exact BTC and UTC", async () => {
  const truth = demoTruth();
  // Hide one address that is drawn, so its transfers must be missing from the CSV.
  const seed = `btc:addr:${truth.seed_address}`;
  const drawn = (await hook("nodes")).map((n) => n.id);
  const hidden = drawn.find((id) => id.startsWith("btc:addr:") && id !== seed);
  assert.ok(hidden, "the demo canvas has an address besides the seed");
  const edgesBefore = await edgeCount();
  assert.equal(await hook("selectMany", [hidden]), true, "the address to hide is drawn");
  await (await $("hide-nodes")).click();
  await browser.waitUntil(async () => (await edgeCount()) < edgesBefore, {
    timeout: TIMEOUT,
    timeoutMsg: "hiding the address hid none of its transfers",
  });
  const visibleEdges = await edgeCount();

  const path = await exportWith("export-csv", "-transfers.csv");
  const text = readFileSync(path, "utf8");
  const rows = csvRows(text);
  assert.equal(rows.length, visibleEdges, "one row per transfer drawn on the canvas");
  const hiddenAddress = hidden.slice("btc:addr:".length);
  assert.ok(
    rows.every((r) => r.from !== hiddenAddress && r.to !== hiddenAddress),
    "the hidden address's transfers are not in the CSV",
  );
  for (const r of rows) {
    assert.match(r.time_utc, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, "UTC times in ISO 8601 with Z");
    assert.match(r.amount, /^\d+\.\d{8}$/, "amounts are exact decimal BTC with 8 places");
    assert.equal(r.asset, "BTC", "the asset is named");
    assert.equal(r.fiat_value, "no rate", "the demo case holds no price series, and says so");
  }

  // One row against the chain itself: an output of a transaction on the canvas.
  const row = rows.find((r) => r.from === r.txid);
  assert.ok(row, "the CSV has an output row (transaction → address)");
  const url = await simUrl();
  const tx = await (await fetch(`${url}/tx/${row.txid}`)).json();
  const out = tx.vout.find((o) => o.scriptpubkey_address === row.to);
  assert.ok(out, "the chain's transaction pays the row's address");
  const sats = BigInt(out.value);
  const exact = `${sats / 100_000_000n}.${String(sats % 100_000_000n).padStart(8, "0")}`;
  assert.equal(row.amount, exact, "the amount is the chain's output value, exactly");
  assert.equal(row.block_height, String(tx.status.block_height), "the block height is the chain's");
  assert.equal(row.time_utc, new Date(tx.status.block_time * 1000).toISOString().replace(".000Z", "Z"), "the time is the block's, in UTC");
  assertAudited(path, "canvas-csv");

  await (await $("unhide-all")).click();
  await browser.waitUntil(async () => (await edgeCount()) === edgesBefore, {
    timeout: TIMEOUT,
    timeoutMsg: "Show hidden did not bring the transfers back",
  });
});
