// The report preview: the exhibit's PDF bytes drawn page by page into canvases with pdf.js, in
// the webview (no external program). Pages are drawn when they scroll into view, so a long
// exhibit opens at once; every page gets its frame at once, so the count is known immediately.

import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

import { make } from "../dom";

GlobalWorkerOptions.workerSrc = workerUrl;

/** Width of a preview page in CSS pixels. */
const PAGE_WIDTH_PX = 420;

export interface Preview {
  /** Pages of the document shown. */
  readonly pages: number;
  /** Stops drawing and releases the document. */
  close(): void;
}

/** Shows `bytes` in `host` (replacing what it held). */
export async function showPdf(host: HTMLElement, bytes: Uint8Array): Promise<Preview> {
  host.replaceChildren();
  // pdf.js takes ownership of the buffer it is given; hand it a copy.
  const doc: PDFDocumentProxy = await getDocument({ data: bytes.slice(), isEvalSupported: false })
    .promise;
  const draw = async (canvas: HTMLCanvasElement): Promise<void> => {
    if (canvas.dataset.state !== "waiting") return;
    canvas.dataset.state = "drawing";
    const page = await doc.getPage(Number(canvas.dataset.page));
    const unscaled = page.getViewport({ scale: 1 });
    const ratio = window.devicePixelRatio || 1;
    const viewport = page.getViewport({ scale: (PAGE_WIDTH_PX / unscaled.width) * ratio });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    const context = canvas.getContext("2d");
    if (context === null) throw new Error("the preview cannot draw: no 2D canvas");
    await page.render({ canvas, canvasContext: context, viewport }).promise;
    canvas.dataset.state = "drawn";
  };
  const observer = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (e.isIntersecting && e.target instanceof HTMLCanvasElement) {
          draw(e.target).catch((err: unknown) => {
            if (e.target instanceof HTMLCanvasElement) e.target.dataset.state = "failed";
            host.dataset.error = err instanceof Error ? err.message : String(err);
          });
        }
      }
    },
    { root: host, rootMargin: "400px" },
  );
  for (let i = 1; i <= doc.numPages; i += 1) {
    const v = (await doc.getPage(i)).getViewport({ scale: 1 });
    const canvas = make("canvas", "report-preview-page");
    canvas.dataset.testid = "rb-preview-page";
    canvas.dataset.page = String(i);
    canvas.dataset.state = "waiting";
    canvas.style.width = `${PAGE_WIDTH_PX}px`;
    canvas.style.height = `${Math.round((PAGE_WIDTH_PX * v.height) / v.width)}px`;
    canvas.setAttribute("aria-label", `Page ${i} of ${doc.numPages}`);
    host.append(canvas);
    observer.observe(canvas);
  }
  return {
    pages: doc.numPages,
    close: () => {
      observer.disconnect();
      void doc.destroy();
    },
  };
}
