// How the graph looks. Kinds differ by shape, not only by colour: addresses are ellipses,
// transactions rounded rectangles. Incomplete nodes (data missing, offline) get a dashed border;
// nodes with analyst notes a violet ring, the notes' colour in the details panel. Nodes a label
// store flagged are octagons with a double border and a `⚑ category` line above their id, so
// the flag reads without colour; sanctioned and criminal categories are also drawn in red.
// (Amber is the attributions' colour in the details and screening panels too.)

import type { StylesheetJson } from "cytoscape";

export const graphStyle: StylesheetJson = [
  {
    selector: "node",
    style: {
      label: "data(display)",
      "text-wrap": "wrap",
      "font-family": "DejaVu Sans Mono, monospace",
      "font-size": 12,
      color: "#1b2430",
      "text-valign": "bottom",
      "text-halign": "center",
      "text-margin-y": 5,
      "text-background-color": "#f7f9fb",
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
      "background-color": "#d8e7fb",
      "border-color": "#1f5fae",
    },
  },
  {
    selector: "node[kind = 'transaction']",
    style: {
      shape: "round-rectangle",
      width: 40,
      height: 22,
      "background-color": "#e9edf2",
      "border-color": "#5b6676",
      color: "#5b6676",
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
      "outline-color": "#8a63d2",
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
      "border-color": "#8a5a00",
      "background-color": "#ffe9b8",
      "font-weight": "bold",
      // Two lines of label: above the node, where they do not run into the next row of nodes.
      "text-valign": "top",
      "text-margin-y": -5,
    },
  },
  {
    selector: "node[?severe]",
    style: { "border-color": "#b3261e", "background-color": "#fbd9d5", color: "#7a1510" },
  },
  {
    // Reached by a trace: a wide halo under the node and the `⇢ amount` label line (so it reads
    // without colour; the notes' ring stays visible on top of the halo).
    selector: "node[?traced]",
    style: {
      "underlay-color": "#0f7b6c",
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
      "background-color": "#eef2f6",
      "background-opacity": 0.55,
      "border-color": "#3d4b5c",
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
      "background-color": "#3d4b5c",
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
      "line-color": "#8d9aab",
      "target-arrow-color": "#8d9aab",
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.9,
      label: "data(amount)",
      "font-family": "DejaVu Sans Mono, monospace",
      "font-size": 11,
      color: "#2c3a4d",
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.9,
      "text-background-padding": "2px",
      "text-border-width": 1,
      "text-border-color": "#d5dbe3",
      "text-border-opacity": 1,
      // Amounts are unreadable when zoomed far out; hide them rather than draw a grey smear.
      "min-zoomed-font-size": 7,
    },
  },
  {
    selector: "node:selected",
    style: {
      "border-width": 4,
      "border-color": "#e07b00",
      "background-color": "#fff1dc",
      "z-index": 10,
    },
  },
  {
    selector: "edge:selected",
    style: {
      width: 3,
      "line-color": "#e07b00",
      "target-arrow-color": "#e07b00",
      "z-index": 10,
    },
  },
  { selector: "node.is-new", style: { "background-color": "#dff3e4" } },
];
