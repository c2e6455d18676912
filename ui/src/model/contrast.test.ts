// The themes' colours against WCAG 2.x: text at least 4.5:1 against what it sits on, non-text
// marks (the margin rules that tell facts, inferences, attributions and notes apart, a callout's
// leader) at least 3:1 against what surrounds them, in the light and the dark theme. Read from
// the stylesheets themselves, so a colour changed there is checked here.

import { describe, expect, it } from "vitest";
import { type Rgb, type Theme, colourIn, contrastRatio, cssRules, declared, parseColor, themeVariables } from "./contrast";

// Vitest hands CSS imports over empty, so the sheets are read from disk (Node's fs, typed here:
// the UI's tsconfig has no Node types).
interface Fs {
  readFileSync(path: URL, encoding: "utf8"): string;
}
const fs = (globalThis as unknown as { process: { getBuiltinModule(name: "node:fs"): Fs } }).process.getBuiltinModule("node:fs");
const sheet = (path: string): string => fs.readFileSync(new URL(path, import.meta.url), "utf8");
const rules = cssRules(sheet("../styles.css"), sheet("../features/theme/theme.css"), sheet("../features/annotate/annotate.css"));

function colour(theme: Theme, value: string): Rgb {
  const c = colourIn(value, themeVariables(rules, theme));
  if (c === null) throw new Error(`${theme}: no colour in "${value}"`);
  return c;
}

/** What `selector` is drawn on: its background, else the panel's. */
const background = (theme: Theme, selector: string): Rgb =>
  colour(theme, declared(rules, theme, selector, "background") ?? declared(rules, theme, selector, "background-color") ?? "var(--panel)");
/** Its text colour, else the inherited ink. */
const text = (theme: Theme, selector: string): Rgb => colour(theme, declared(rules, theme, selector, "color") ?? "var(--ink)");
/** Its margin rule's colour. */
const mark = (theme: Theme, selector: string): Rgb => {
  const value = declared(rules, theme, selector, "border-left-color") ?? declared(rules, theme, selector, "border-left");
  if (value === null) throw new Error(`${theme}: ${selector} has no margin rule`);
  return colour(theme, value);
};

/** The boxes that carry a kind of statement, what surrounds each, and the smaller text inside. */
const boxes: { what: string; box: string; around: string; inner: string[] }[] = [
  { what: "fact (legend)", box: ".kind-fact", around: "var(--panel)", inner: [] },
  { what: "inference (legend)", box: ".kind-inference", around: "var(--panel)", inner: [] },
  { what: "attribution (legend)", box: ".kind-attribution", around: "var(--panel)", inner: [] },
  { what: "note (legend)", box: ".kind-note", around: "var(--panel)", inner: [] },
  { what: "inference (details)", box: ".inference", around: "var(--panel)", inner: [".finding-why"] },
  { what: "attribution (details)", box: ".attributions li", around: "var(--panel)", inner: [".attribution-source"] },
  { what: "sanctioned attribution", box: ".attributions li.category-sanctioned", around: "var(--panel)", inner: [".attribution-source"] },
  { what: "note (details)", box: ".notes li", around: "var(--panel)", inner: [".notes .note-time"] },
  { what: "callout", box: ".callout", around: "var(--canvas-bg)", inner: [".callout-tag", ".callout button"] },
  { what: "story step", box: ".story-step", around: "var(--panel)", inner: [] },
];

const ratio = (a: Rgb, b: Rgb): number => Math.round(contrastRatio(a, b) * 100) / 100;

describe("contrast arithmetic", () => {
  it("gives WCAG's figures for known pairs", () => {
    const black = parseColor("#000")!;
    const white = parseColor("#ffffff")!;
    expect(ratio(black, white), "black on white is the maximum").toBe(21);
    expect(ratio(parseColor("#777777")!, white), "#777 on white is WCAG's classic near miss").toBe(4.48);
    expect(parseColor("rgb(255, 0, 0)"), "rgb() notation").toEqual([255, 0, 0]);
    expect(parseColor("transparent"), "not a colour").toBeNull();
  });

  it("resolves theme variables: the dark theme overrides the light", () => {
    expect(colour("light", "var(--ink)"), "light ink from :root").toEqual(parseColor("#1b2430"));
    expect(colour("dark", "3px solid var(--ink)"), "dark ink from the dark root, inside a shorthand").toEqual(parseColor("#e3e9f0"));
  });
});

for (const theme of ["light", "dark"] as const) {
  describe(`the ${theme} theme`, () => {
    it("keeps body, muted, error and warning text readable (4.5:1)", () => {
      const pairs: [string, string, string][] = [
        ["ink on the page", "var(--ink)", "var(--bg)"],
        ["ink on a panel", "var(--ink)", "var(--panel)"],
        ["muted on a panel", "var(--muted)", "var(--panel)"],
        ["muted on the page", "var(--muted)", "var(--bg)"],
        ["an error on a panel", "var(--danger)", "var(--panel)"],
        ["a warning on its band", "var(--warn-ink)", "var(--warn-bg)"],
      ];
      for (const [what, fg, bg] of pairs) {
        const r = ratio(colour(theme, fg), colour(theme, bg));
        expect(r >= 4.5, `${theme}: ${what} is ${r}:1, below 4.5:1`).toBe(true);
      }
    });

    it("keeps the text of facts, inferences, attributions, notes, callouts and story steps readable (4.5:1)", () => {
      for (const { what, box, inner } of boxes) {
        const bg = background(theme, box);
        const r = ratio(text(theme, box), bg);
        expect(r >= 4.5, `${theme}: the text of a ${what} (${box}) is ${r}:1, below 4.5:1`).toBe(true);
        for (const sel of inner) {
          const ri = ratio(text(theme, sel), bg);
          expect(ri >= 4.5, `${theme}: ${sel} inside a ${what} is ${ri}:1, below 4.5:1`).toBe(true);
        }
      }
    });

    it("keeps the margin rules that tell the kinds apart visible (3:1 against what surrounds them)", () => {
      for (const { what, box, around } of boxes) {
        const r = ratio(mark(theme, box), colour(theme, around));
        expect(r >= 3, `${theme}: the margin rule of a ${what} (${box}) is ${r}:1 against its surroundings, below 3:1`).toBe(true);
      }
      const leader = colour(theme, declared(rules, theme, ".callout-leader", "stroke") ?? "");
      const r = ratio(leader, colour(theme, "var(--canvas-bg)"));
      expect(r >= 3, `${theme}: a callout's leader line is ${r}:1 against the canvas, below 3:1`).toBe(true);
    });
  });
}
