// Analyst notes are data, never markup: a note that looks like HTML is shown as that text, and
// the page's Content-Security-Policy would refuse injected inline code anyway.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { TIMEOUT, openDemo, select, visibleNodes } from "../app.mjs";

let browser;
before(async () => {
  browser = await openDemo();
});
after(async () => {
  await browser?.deleteSession();
});

test("a note with HTML in it is shown as literal text", async () => {
  const payload = "<img src=x onerror=alert(1)>";
  const [node] = await visibleNodes(browser);
  assert.ok(node, "the demo case has nodes");
  await select(browser, node.id);

  const notes = await browser.$$('[data-testid="details"] [data-testid="note-text"]');
  const before = notes.length;
  await (await browser.$('[data-testid="node-note"]')).setValue(payload);
  await (await browser.$('[data-testid="note-add"]')).click();
  await browser.waitUntil(
    async () => (await browser.$$('[data-testid="details"] [data-testid="note-text"]')).length > before,
    { timeout: TIMEOUT, timeoutMsg: "the note never appeared in the details panel" },
  );

  // Read in one step inside the page: the panel may redraw its note list between a lookup and a
  // read (a stale element reference), so no element handle is kept across the two.
  const text = await browser.execute(() => {
    const shown = document.querySelectorAll('[data-testid="details"] [data-testid="note-text"]');
    return shown[shown.length - 1]?.textContent ?? null;
  });
  assert.equal(text, payload, "the note's text is exactly what was typed");
  const images = await browser.$$('[data-testid="details"] img');
  assert.equal(images.length, 0, "no element was created from the note's markup");
});

test("the CSP refuses inline scripts and inline styles", async () => {
  const result = await browser.execute(() => {
    const script = document.createElement("script");
    script.textContent = "window.__inlineScriptRan = true;";
    document.head.append(script);
    const style = document.createElement("style");
    style.textContent = "body { outline: 7px solid rgb(255, 0, 0) !important; }";
    document.head.append(style);
    const outline = getComputedStyle(document.body).outlineWidth;
    script.remove();
    style.remove();
    return { scriptRan: window.__inlineScriptRan === true, outline };
  });
  assert.equal(result.scriptRan, false, "script-src 'self' blocks inline scripts");
  assert.notEqual(result.outline, "7px", "style-src 'self' blocks inline <style> elements");
});
