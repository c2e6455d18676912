// Frame-time statistics shared by the canvas benchmarks (canvas.bench.mjs, renderer.bench.mjs).

/** The p-th percentile of `xs` (nearest rank), to 0.1 ms; null for no samples. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return null;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return Math.round(s[i] * 10) / 10;
}

/** Count, median, p95 and longest of a gesture's frame times. */
export const stats = (xs) => ({ frames: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95), max: percentile(xs, 100) });
