// How the graph looks. Kinds differ by shape, not only by colour: addresses are ellipses,
// transactions rounded rectangles. Incomplete nodes (data missing, offline) get a dashed border;
// nodes with analyst notes a violet ring, the notes' colour in the details panel. Nodes a label
// store flagged are octagons with a double border and a `⚑ category` line above their id, so
// the flag reads without colour; sanctioned and criminal categories are also drawn in red.
// (Amber is the attributions' colour in the details and screening panels too.)

// Colours come from CSS variables (`--g-*`, set per theme by features/theme), read when the
// style is built: `themedStyle()` again after a theme change. Edge labels carry the amount and,
// on a second line, the UTC minute (`2024-03-05 14:02Z`; a time range when several transfers
// were summed), from the edge's `when` data.

import type { EdgeSingular, StylesheetJson } from "cytoscape";

/** The light theme's colours: the fallbacks when a variable is not set. */
const LIGHT: Record<string, string> = {
  "node-text": "#1b2430",
  "label-bg": "#f7f9fb",
  "addr-bg": "#d8e7fb",
  "addr-border": "#1f5fae",
  "tx-bg": "#e9edf2",
  "tx-border": "#5b6676",
  "tx-text": "#5b6676",
  note: "#8a63d2",
  "flag-border": "#8a5a00",
  "flag-bg": "#ffe9b8",
  "severe-border": "#b3261e",
  "severe-bg": "#fbd9d5",
  "severe-text": "#7a1510",
  trace: "#0f7b6c",
  "entity-bg": "#eef2f6",
  "entity-border": "#3d4b5c",
  edge: "#8d9aab",
  "edge-text": "#2c3a4d",
  "edge-label-bg": "#ffffff",
  "edge-label-border": "#d5dbe3",
  selected: "#e07b00",
  "selected-bg": "#fff1dc",
  "new-bg": "#dff3e4",
  range: "#c2410c",
};

/** Reads `--g-<name>` from the document root, else the light theme's colour. */
function colour(name: string): string {
  const fallback = LIGHT[name] ?? "#888888";
  if (typeof document === "undefined") return fallback;
  const v = getComputedStyle(document.documentElement).getPropertyValue(`--g-${name}`).trim();
  return v === "" ? fallback : v;
}

/** The edge's label: amount (with its fiat value when a rate is known), then the UTC time line
 * when known. */
export function edgeLabel(e: EdgeSingular): string {
  return edgeText(String(e.data("amount")), e.data("fiat") as string | undefined, e.data("when") as string | undefined);
}

/** The edge label's text from its parts; the canvas stores it as the edge's `display` data, so
 * the stylesheet maps data, not a function called for every edge at each style pass. */
export function edgeText(amount: string, fiat: string | undefined, when: string | undefined): string {
  const line = fiat === undefined || fiat === "" ? amount : `${amount} · ${fiat}`;
  return when === undefined || when === "" ? line : `${line}\n${when}`;
}

/** The graph's stylesheet in the current theme's colours. */
export function themedStyle(): StylesheetJson {
  const c = colour;
  return [
    {
      selector: "node",
      style: {
        label: "data(display)",
        "text-wrap": "wrap",
        "font-family": "DejaVu Sans Mono, monospace",
        "font-size": 12,
        color: c("node-text"),
        "text-valign": "bottom",
        "text-halign": "center",
        "text-margin-y": 5,
        "text-background-color": c("label-bg"),
        "text-background-opacity": 0.85,
        "text-background-padding": "2px",
        "text-background-shape": "roundrectangle",
        "min-zoomed-font-size": 6,
        "border-width": 2,
        "overlay-padding": 4,
      },
    },
    {
      selector: "node[kind = 'address']",
      style: {
        shape: "ellipse",
        width: 34,
        height: 34,
        "background-color": c("addr-bg"),
        "border-color": c("addr-border"),
      },
    },
    {
      selector: "node[kind = 'transaction']",
      style: {
        shape: "round-rectangle",
        width: 40,
        height: 22,
        "background-color": c("tx-bg"),
        "border-color": c("tx-border"),
        color: c("tx-text"),
        "font-size": 11,
      },
    },
    {
      selector: "node[?incomplete]",
      style: { "border-style": "dashed", "background-opacity": 0.55 },
    },
    {
      selector: "node[noteCount > 0]",
      style: {
        "outline-width": 3,
        "outline-color": c("note"),
        "outline-offset": 2,
        "outline-opacity": 0.9,
      },
    },
    {
      selector: "node[?flagged]",
      style: {
        shape: "octagon",
        width: 40,
        height: 40,
        "border-style": "double",
        "border-width": 6,
        "border-color": c("flag-border"),
        "background-color": c("flag-bg"),
        "font-weight": "bold",
        // Two lines of label: above the node, where they do not run into the next row of nodes.
        "text-valign": "top",
        "text-margin-y": -5,
      },
    },
    {
      selector: "node[?severe]",
      style: { "border-color": c("severe-border"), "background-color": c("severe-bg"), color: c("severe-text") },
    },
    {
      // A flagged node whose history is incomplete keeps the dashed border that says so (the
      // flag still shows by its octagon, its wide border and its label's text marker).
      selector: "node[?flagged][?incomplete]",
      style: { "border-style": "dashed" },
    },
    {
      // Reached by a trace: a wide halo under the node and the `⇢ amount` label line (so it reads
      // without colour; the notes' ring stays visible on top of the halo).
      selector: "node[?traced]",
      style: {
        "underlay-color": c("trace"),
        "underlay-padding": 9,
        "underlay-opacity": 0.35,
        "underlay-shape": "ellipse",
        "font-weight": "bold",
      },
    },
    {
      // An entity the analyst grouped: a box around its members with a solid slate border and a
      // caption line that names its category in text (⚠ suspect, ⇄ exchange…), not by colour.
      selector: "node[kind = 'entity']",
      style: {
        shape: "round-rectangle",
        "background-color": c("entity-bg"),
        "background-opacity": 0.55,
        "border-color": c("entity-border"),
        "border-width": 3,
        "border-style": "solid",
        label: "data(display)",
        "font-family": "DejaVu Sans, sans-serif",
        "font-weight": "bold",
        "text-valign": "top",
        "text-margin-y": -4,
        padding: "14px",
      },
    },
    {
      // Collapsed: one hexagon standing for its members.
      selector: "node[kind = 'entity'][?collapsed]",
      style: {
        shape: "hexagon",
        width: 56,
        height: 48,
        "background-color": c("entity-border"),
        "background-opacity": 1,
        "text-valign": "bottom",
        "text-margin-y": 5,
      },
    },
    {
      selector: "edge",
      style: {
        width: 1.6,
        "curve-style": "bezier",
        "line-color": c("edge"),
        "target-arrow-color": c("edge"),
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.9,
        label: "data(display)",
        "text-wrap": "wrap",
        "font-family": "DejaVu Sans Mono, monospace",
        "font-size": 11,
        color: c("edge-text"),
        "text-rotation": "autorotate",
        "text-background-color": c("edge-label-bg"),
        "text-background-opacity": 0.9,
        "text-background-padding": "2px",
        "text-border-width": 1,
        "text-border-color": c("edge-label-border"),
        "text-border-opacity": 1,
        // Amounts are unreadable when zoomed far out; hide them rather than draw a grey smear.
        "min-zoomed-font-size": 7,
      },
    },
    {
      selector: "node:selected",
      style: {
        "border-width": 4,
        "border-color": c("selected"),
        "background-color": c("selected-bg"),
        "z-index": 10,
      },
    },
    {
      selector: "edge:selected",
      style: {
        width: 3,
        "line-color": c("selected"),
        "target-arrow-color": c("selected"),
        "z-index": 10,
      },
    },
    { selector: "node.is-new", style: { "background-color": c("new-bg") } },
    {
      // In the range selected on the timeline: a wide square halo and a bold label, so it reads
      // without colour; the rest of the graph stays as it is.
      selector: "node.in-range",
      style: {
        "underlay-color": c("range"),
        "underlay-padding": 7,
        "underlay-opacity": 0.45,
        "underlay-shape": "round-rectangle",
        "font-weight": "bold",
      },
    },
    {
      selector: "edge.in-range",
      style: {
        width: 4,
        "line-style": "solid",
        "line-color": c("range"),
        "target-arrow-color": c("range"),
        "font-weight": "bold",
        "underlay-color": c("range"),
        "underlay-padding": 3,
        "underlay-opacity": 0.3,
      },
    },
    {
      // Last, so it overrides every label above: a big graph's element outside the view or
      // below the zoom labels are drawn at has no label text yet (features/canvas/labels.ts).
      selector: ".label-quiet",
      style: { label: "" },
    },
  ];
}
