// How long opening a case takes, in parts, as performance measures that the canvas benchmark
// reads (tests/webdriver/bench/canvas.bench.mjs): `case-open-<part>` for each part the open
// path names (the core's answer, drawing it, the saved viewport…), and `case-open` from the open
// command until the first frame drawn after the canvas showed the saved view — what the
// investigator waits for. Work deferred until after that frame is `case-open-after`.

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
}

let current: Opening | null = null;

/** Starts timing an opening (the one in progress, if any, is forgotten). */
export function startOpening(): Opening {
  const since = performance.now();
  const measure = (name: string, start: number): void => {
    performance.measure(name, { start, end: performance.now() });
  };
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
    firstFrame() {
      return new Promise((resolve) => {
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            measure("case-open", since);
            if (current === opening) current = null;
            resolve();
          }),
        );
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
