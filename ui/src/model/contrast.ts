// WCAG 2.x contrast for the theme colours: the stylesheet's rules read into declarations by
// selector, `var(--x)` resolved per theme (light: the `:root` variables; dark: those overridden
// by `:root[data-theme="dark"]`), and the contrast ratio of two sRGB colours. Pure: the tests
// feed it the stylesheets' text (model/contrast.test.ts).

export type Rgb = readonly [number, number, number];
export type Theme = "light" | "dark";

/** Declarations by selector, later rules overriding earlier ones, as the cascade would for one selector. */
export type Rules = Map<string, Map<string, string>>;

const DARK_ROOT = ':root[data-theme="dark"]';

/** `#rgb`, `#rrggbb`, `rgb(r g b)` / `rgb(r, g, b)`, or null for anything else. */
export function parseColor(text: string): Rgb | null {
  const t = text.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(t);
  if (m !== null) {
    const [r, g, b] = [...(m[1] ?? "")].map((c) => parseInt(c + c, 16));
    return [r ?? 0, g ?? 0, b ?? 0];
  }
  m = /^#([0-9a-f]{6})$/.exec(t);
  if (m !== null) {
    const hex = m[1] ?? "";
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
  }
  m = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)\s*(?:[,/][^)]*)?\)$/.exec(t);
  if (m !== null) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return null;
}

/** Relative luminance (WCAG 2.x, sRGB). */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The contrast ratio of two colours, from 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The rules of stylesheets (no at-rules), each selector of a list on its own. */
export function cssRules(...sheets: string[]): Rules {
  const rules: Rules = new Map();
  for (const sheet of sheets) {
    const text = sheet.replace(/\/\*[\s\S]*?\*\//g, "");
    for (const m of text.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      const decls = new Map<string, string>();
      for (const d of (m[2] ?? "").split(";")) {
        const i = d.indexOf(":");
        if (i > 0) decls.set(d.slice(0, i).trim(), d.slice(i + 1).trim());
      }
      for (const raw of (m[1] ?? "").split(",")) {
        const selector = raw.trim().replace(/\s+/g, " ");
        if (selector === "" || selector.startsWith("@")) continue;
        const into = rules.get(selector) ?? new Map<string, string>();
        for (const [k, v] of decls) into.set(k, v);
        rules.set(selector, into);
      }
    }
  }
  return rules;
}

/** The value `selector` declares for `property` in `theme` (the dark rule first), or null. */
export function declared(rules: Rules, theme: Theme, selector: string, property: string): string | null {
  if (theme === "dark") {
    const dark = rules.get(`${DARK_ROOT} ${selector}`)?.get(property);
    if (dark !== undefined) return dark;
  }
  return rules.get(selector)?.get(property) ?? null;
}

/** The custom properties in force in `theme`. */
export function themeVariables(rules: Rules, theme: Theme): Map<string, string> {
  const vars = new Map<string, string>();
  const add = (selector: string): void => {
    for (const [k, v] of rules.get(selector) ?? []) if (k.startsWith("--")) vars.set(k, v);
  };
  add(":root");
  if (theme === "dark") add(DARK_ROOT);
  return vars;
}

/** The colour in a value (`3px dashed var(--line)`, `#0f7b6c`), variables resolved; null when none. */
export function colourIn(value: string, vars: Map<string, string>): Rgb | null {
  let v = value;
  for (let depth = 0; depth < 10 && v.includes("var("); depth++) {
    v = v.replace(/var\(\s*(--[\w-]+)\s*(?:,\s*([^)]*))?\)/g, (_, name: string, fallback: string | undefined) => vars.get(name) ?? fallback ?? "");
  }
  for (const token of v.match(/#[0-9a-fA-F]{3,6}\b|rgba?\([^)]*\)/g) ?? []) {
    const c = parseColor(token);
    if (c !== null) return c;
  }
  return null;
}
