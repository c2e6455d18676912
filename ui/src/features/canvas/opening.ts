// How long opening a case takes, in parts, as performance measures that the canvas benchmark
// reads (tests/webdriver/bench/canvas.bench.mjs): `case-open-<part>` for each part the open
// path names (the core's answer, drawing it, the saved viewport…), and `case-open` from the open
// command until the first frame drawn after the canvas showed the saved view — what the
// investigator waits for. Work deferred until after that frame is `case-open-after`.
// The first frame itself is split as `case-open-frame-<part>`: the renderer's parts (its
// before-render callbacks by name, e.g. `eleCalcs`, and `render`; features/canvas/firstFrame.ts)
// from the end of `draw` until the frame was drawn, `wait` from the end of `draw` until the
// first animation frame began (timers and tasks queued meanwhile), and `paint` from the end of
// the frame's callbacks until the next frame (the page's style, layout, paint and compositing).

export interface Opening {
  /** Runs one part of the opening and records it as `case-open-<name>`. */
  part<T>(name: string, run: () => T): T;
  /** The same for a part that resolves later. */
  partAsync<T>(name: string, run: () => Promise<T>): Promise<T>;
  /**
   * Records `case-open` once the next frame has been drawn and resolves then (two animation
   * frames: Cytoscape draws in the first, the second starts after it was painted).
   */
  firstFrame(): Promise<void>;
  /** Reads the renderer's parts of the first frame (ms by part) when it has been drawn. */
  frameParts(read: () => Record<string, number>): void;
}

let current: Opening | null = null;

/** Starts timing an opening (the one in progress, if any, is forgotten). */
export function startOpening(): Opening {
  const since = performance.now();
  const measure = (name: string, start: number): void => {
    performance.measure(name, { start, end: performance.now() });
  };
  let readParts: (() => Record<string, number>) | null = null;
  const opening: Opening = {
    part(name, run) {
      const start = performance.now();
      try {
        return run();
      } finally {
        measure(`case-open-${name}`, start);
      }
    },
    async partAsync(name, run) {
      const start = performance.now();
      try {
        return await run();
      } finally {
        measure(`case-open-${name}`, start);
      }
    },
    frameParts(read) {
      readParts = read;
    },
    firstFrame() {
      const asked = performance.now();
      return new Promise((resolve) => {
        requestAnimationFrame((began) => {
          // The frame's timestamp is when it began: before Cytoscape's callback drew in it.
          performance.measure("case-open-frame-wait", { start: asked, end: Math.max(asked, began) });
          // Cytoscape drew in this frame before this callback: from here to the next frame is the
          // page's own style, layout, paint and compositing of what changed.
          const drawn = performance.now();
          requestAnimationFrame(() => {
            const end = performance.now();
            performance.measure("case-open-frame-paint", { start: drawn, end });
            for (const [part, ms] of Object.entries(readParts?.() ?? {})) {
              performance.measure(`case-open-frame-${part}`, { start: end - ms, end });
            }
            measure("case-open", since);
            if (current === opening) current = null;
            resolve();
          });
        });
      });
    },
  };
  current = opening;
  return opening;
}

/** Runs `run`, recorded as a part of the opening in progress when there is one. */
export function openingPart<T>(name: string, run: () => T): T {
  return current === null ? run() : current.part(name, run);
}

/** Hands the opening in progress, if any, the reader of its first frame's parts. */
export function openingFrameParts(read: () => Record<string, number>): void {
  current?.frameParts(read);
}
