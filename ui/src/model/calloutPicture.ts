// Callouts as pictures draw them, pure: the leader line from a callout's box to the node it
// annotates, the text wrapped into the box's width, the SVG of the callouts (escaped text) put
// into the canvas's SVG export, and where a callout lies on the minimap's thumbnail.

/** A rectangle in pixels of the canvas (left, top, width, height). */
export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface Line {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The leader line from the point of `box` nearest the anchor to the anchor; null when the
 * anchor lies inside the box (nothing to point across). */
export function leaderLine(box: Rect, anchor: Point): Line | null {
  const x = Math.min(Math.max(anchor.x, box.left), box.left + box.width);
  const y = Math.min(Math.max(anchor.y, box.top), box.top + box.height);
  if (x === anchor.x && y === anchor.y) return null;
  return { x1: x, y1: y, x2: anchor.x, y2: anchor.y };
}

/** `text` in lines no wider than `maxWidth` as `measure` measures them: whole words where they
 * fit, a word longer than a line cut by characters; the text's own line breaks kept. */
export function wrapText(text: string, maxWidth: number, measure: (s: string) => number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((w) => w !== "")) {
      const candidate = line === "" ? word : `${line} ${word}`;
      if (measure(candidate) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line !== "") out.push(line);
      line = "";
      let rest = word;
      while (measure(rest) > maxWidth && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && measure(rest.slice(0, cut)) > maxWidth) cut -= 1;
        out.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}

/** Text made safe for SVG/XML character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}

/** How a callout is drawn in a picture: its box, its wrapped lines and its leader (if anchored). */
export interface CalloutShape {
  id: number;
  box: Rect;
  lines: string[];
  leader: Line | null;
}

/** The colours and type of a callout as the theme draws it. */
export interface CalloutLook {
  fill: string;
  rule: string;
  text: string;
  tag: string;
  fontFamily: string;
  fontSize: number;
  lineHeight: number;
}

/** Left padding (after the 3 px rule), top padding, and the NOTE tag's line, in pixels. */
export const PAD = { left: 8, top: 4, tag: 12 } as const;

const n = (v: number): string => String(Math.round(v * 100) / 100);

/** The callouts as an SVG group: each leader a thin dashed line, each box a rule, the NOTE tag
 * and the text (as text, so a reader of the SVG finds it). */
export function calloutsSvg(shapes: readonly CalloutShape[], look: CalloutLook): string {
  const font = `font-family="${escapeXml(look.fontFamily)}"`;
  const parts: string[] = ['<g class="tracebench-callouts">'];
  for (const s of shapes) {
    const { left, top, width, height } = s.box;
    parts.push(`<g class="callout" data-callout-id="${s.id}">`);
    if (s.leader !== null) {
      const l = s.leader;
      parts.push(
        `<line class="callout-leader" x1="${n(l.x1)}" y1="${n(l.y1)}" x2="${n(l.x2)}" y2="${n(l.y2)}" stroke="${escapeXml(look.rule)}" stroke-width="1" stroke-dasharray="4 3"/>`,
      );
    }
    parts.push(`<rect x="${n(left)}" y="${n(top)}" width="${n(width)}" height="${n(height)}" fill="${escapeXml(look.fill)}"/>`);
    parts.push(`<rect x="${n(left)}" y="${n(top)}" width="3" height="${n(height)}" fill="${escapeXml(look.rule)}"/>`);
    parts.push(
      `<text x="${n(left + PAD.left)}" y="${n(top + PAD.top + 9)}" ${font} font-size="9" font-weight="700" letter-spacing="0.7" fill="${escapeXml(look.tag)}">NOTE</text>`,
    );
    s.lines.forEach((line, i) => {
      const y = top + PAD.top + PAD.tag + look.lineHeight * (i + 1) - (look.lineHeight - look.fontSize) / 2;
      parts.push(
        `<text x="${n(left + PAD.left)}" y="${n(y)}" ${font} font-size="${n(look.fontSize)}" font-style="italic" fill="${escapeXml(look.text)}" xml:space="preserve">${escapeXml(line)}</text>`,
      );
    });
    parts.push("</g>");
  }
  parts.push("</g>");
  return parts.join("");
}

/** How many of the SVG's own units one CSS pixel of the canvas is (the exporter scales by the
 * screen's pixel ratio): the root's `width` over the canvas's CSS width; 1 when unknown. */
export function svgScale(svg: string, cssWidth: number): number {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number(/\swidth="([0-9.]+)(px)?"/.exec(root)?.[1] ?? "");
  return width > 0 && cssWidth > 0 ? width / cssWidth : 1;
}

/** `svg` with `fragment` drawn last (over the graph), just before its closing tag. */
export function withFragment(svg: string, fragment: string): string {
  const end = svg.lastIndexOf("</svg>");
  if (end < 0) throw new Error("the canvas picture is not an SVG document (no </svg>)");
  return `${svg.slice(0, end)}${fragment}${svg.slice(end)}`;
}

/** The graph's extent in model coordinates (Cytoscape's bounding box). */
export interface GraphBox {
  x1: number;
  y1: number;
  w: number;
  h: number;
}

/** Where a model point lies on a `width`×`height` minimap that shows `graph` whole, centred
 * (as cytoscape-navigator draws its thumbnail); null when the graph has no extent. */
export function onMinimap(graph: GraphBox, width: number, height: number, p: Point): Point | null {
  if (!(graph.w > 0 && graph.h > 0 && Number.isFinite(graph.w) && Number.isFinite(graph.h))) return null;
  const zoom = Math.min(width / graph.w, height / graph.h);
  return {
    x: (width - zoom * graph.w) / 2 + (p.x - graph.x1) * zoom,
    y: (height - zoom * graph.h) / 2 + (p.y - graph.y1) * zoom,
  };
}
