import { describe, expect, it } from "vitest";
import { calloutsSvg, escapeXml, leaderLine, onMinimap, svgScale, withFragment, wrapText } from "./calloutPicture";

const box = { left: 100, top: 50, width: 80, height: 40 };
/** Every character 1 px wide: widths are lengths. */
const chars = (s: string): number => s.length;
const look = {
  fill: "#f5f1fc",
  rule: "#8a63d2",
  text: "#2b2140",
  tag: "#6b48b0",
  fontFamily: 'system-ui, "Segoe UI"',
  fontSize: 12,
  lineHeight: 15.6,
};

describe("leaderLine", () => {
  it("starts at the box's nearest border point and ends at the anchor", () => {
    expect(leaderLine(box, { x: 300, y: 70 }), "anchor to the right: from the right edge, same height").toEqual({
      x1: 180,
      y1: 70,
      x2: 300,
      y2: 70,
    });
    expect(leaderLine(box, { x: 0, y: 0 }), "anchor above left: from the top-left corner").toEqual({
      x1: 100,
      y1: 50,
      x2: 0,
      y2: 0,
    });
  });
  it("is null when the anchor lies under the box", () => {
    expect(leaderLine(box, { x: 120, y: 60 }), "nothing to point across").toBeNull();
  });
});

describe("wrapText", () => {
  it("breaks between words within the width and keeps the text's own line breaks", () => {
    expect(wrapText("cash out starts here\nsee tx", 10, chars), "words packed up to 10 characters").toEqual([
      "cash out",
      "starts",
      "here",
      "see tx",
    ]);
  });
  it("cuts a word longer than a line", () => {
    expect(wrapText("bc1qxyzxyzxyz end", 5, chars), "an address is cut by characters, nothing lost").toEqual([
      "bc1qx",
      "yzxyz",
      "xyz",
      "end",
    ]);
  });
});

describe("calloutsSvg", () => {
  it("draws the text as escaped SVG text, the NOTE tag and a dashed leader for an anchored callout", () => {
    const svg = calloutsSvg(
      [
        { id: 7, box, lines: ["<script>&", "two"], leader: { x1: 180, y1: 70, x2: 300, y2: 70 } },
        { id: 8, box: { ...box, top: 200 }, lines: ["free"], leader: null },
      ],
      look,
    );
    expect(svg, "text from the analyst is data, never markup").toContain(">&lt;script&gt;&amp;</text>");
    expect(svg, "the font family's quotes are escaped in the attribute").toContain('font-family="system-ui, &quot;Segoe UI&quot;"');
    expect(svg.match(/class="callout-leader"/g)?.length, "only the anchored callout has a leader").toBe(1);
    expect(svg, "the leader is dashed").toContain('stroke-dasharray="4 3"');
    expect(svg.match(/>NOTE</g)?.length, "each callout is tagged as an analyst note").toBe(2);
  });
});

describe("withFragment", () => {
  it("puts the fragment before the closing tag, over the graph", () => {
    expect(withFragment('<svg a="1"><g/></svg>', "<g id='c'/>"), "drawn last").toBe(`<svg a="1"><g/><g id='c'/></svg>`);
  });
  it("refuses text that is not an SVG document", () => {
    expect(() => withFragment("<html></html>", "<g/>"), "a broken picture is an error, not a silent skip").toThrow(/not an SVG/);
  });
});

describe("onMinimap", () => {
  it("maps model points like the navigator's thumbnail: fitted and centred", () => {
    const graph = { x1: -100, y1: 0, w: 400, h: 100 };
    // zoom = min(180/400, 120/100) = 0.45; the graph is 45 px tall, centred in 120 px.
    expect(onMinimap(graph, 180, 120, { x: -100, y: 0 }), "top-left of the graph").toEqual({ x: 0, y: 37.5 });
    expect(onMinimap(graph, 180, 120, { x: 300, y: 100 }), "bottom-right of the graph").toEqual({ x: 180, y: 82.5 });
  });
  it("is null for a graph without extent", () => {
    expect(onMinimap({ x1: 0, y1: 0, w: 0, h: 0 }, 180, 120, { x: 0, y: 0 }), "an empty graph has no thumbnail").toBeNull();
  });
});

describe("escapeXml", () => {
  it("escapes the five XML specials", () => {
    expect(escapeXml(`<a href="x">'&'</a>`), "all five").toBe("&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
  });
});

describe("svgScale", () => {
  it("reads the picture's width against the canvas's CSS width", () => {
    expect(svgScale('<?xml version="1.0"?><svg xmlns="x" width="2400" height="1200">', 1200), "pixel ratio 2").toBe(2);
    expect(svgScale("<svg>", 1200), "no width: drawn 1:1").toBe(1);
  });
});
