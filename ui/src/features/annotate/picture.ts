// Callouts in the pictures of the view: the canvas's PNG and SVG show only the graph, so the
// callouts (boxes, NOTE tags, text, dashed leaders) are drawn over them here, in the colours
// the theme gives the boxes on screen.

import { type CalloutLook, type CalloutShape, PAD, calloutsSvg, svgScale, withFragment } from "../../model/calloutPicture";

/** The callouts' colours and type as drawn on screen (from a box in `layer`, else the light theme's). */
export function calloutLook(layer: ParentNode): CalloutLook {
  const box = layer.querySelector<HTMLElement>(".callout");
  const text = layer.querySelector<HTMLElement>(".callout-text");
  const tag = layer.querySelector<HTMLElement>(".callout-tag");
  const fallback: CalloutLook = {
    fill: "#f5f1fc",
    rule: "#8a63d2",
    text: "#2b2140",
    tag: "#6b48b0",
    fontFamily: "sans-serif",
    fontSize: 12,
    lineHeight: 15.6,
  };
  if (box === null || text === null || tag === null) return fallback;
  const b = getComputedStyle(box);
  const t = getComputedStyle(text);
  const fontSize = Number.parseFloat(t.fontSize) || fallback.fontSize;
  return {
    fill: b.backgroundColor,
    rule: b.borderLeftColor,
    text: t.color,
    tag: getComputedStyle(tag).color,
    fontFamily: t.fontFamily,
    fontSize,
    lineHeight: Number.parseFloat(t.lineHeight) || fontSize * 1.3,
  };
}

/** The canvas's SVG with the callouts drawn over the graph (scaled like the picture). */
export function svgWithCallouts(svg: string, cssWidth: number, shapes: readonly CalloutShape[], look: CalloutLook): string {
  if (shapes.length === 0) return svg;
  const scale = svgScale(svg, cssWidth);
  return withFragment(svg, `<g transform="scale(${scale})">${calloutsSvg(shapes, look)}</g>`);
}

/** The canvas's PNG with the callouts drawn over the graph; `cssWidth` is the canvas's width the
 * shapes are measured in (the PNG may have more pixels). */
export async function pngWithCallouts(
  png: Uint8Array,
  cssWidth: number,
  shapes: readonly CalloutShape[],
  look: CalloutLook,
): Promise<Uint8Array> {
  if (shapes.length === 0) return png;
  const bitmap = await createImageBitmap(new Blob([png as BlobPart], { type: "image/png" }));
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext("2d");
  if (ctx === null) throw new Error("no 2D canvas to draw the callouts into the PNG");
  ctx.drawImage(bitmap, 0, 0);
  const scale = cssWidth > 0 ? bitmap.width / cssWidth : 1;
  ctx.scale(scale, scale);
  for (const s of shapes) {
    const { left, top, width, height } = s.box;
    if (s.leader !== null) {
      ctx.save();
      ctx.strokeStyle = look.rule;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(s.leader.x1, s.leader.y1);
      ctx.lineTo(s.leader.x2, s.leader.y2);
      ctx.stroke();
      ctx.restore();
    }
    ctx.fillStyle = look.fill;
    ctx.fillRect(left, top, width, height);
    ctx.fillStyle = look.rule;
    ctx.fillRect(left, top, 3, height);
    ctx.fillStyle = look.tag;
    ctx.font = `700 9px ${look.fontFamily}`;
    ctx.fillText("NOTE", left + PAD.left, top + PAD.top + 9);
    ctx.fillStyle = look.text;
    ctx.font = `italic ${look.fontSize}px ${look.fontFamily}`;
    s.lines.forEach((line, i) => {
      const y = top + PAD.top + PAD.tag + look.lineHeight * (i + 1) - (look.lineHeight - look.fontSize) / 2;
      ctx.fillText(line, left + PAD.left, y);
    });
  }
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  if (blob === null) throw new Error("the PNG with its callouts could not be encoded");
  return new Uint8Array(await blob.arrayBuffer());
}
