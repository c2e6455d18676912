// The wheel zoom's arithmetic, as Cytoscape 3.34 does it (its renderer's `wheelHandler` and
// `cy.zoom({level, renderedPosition})`), so the canvas can run the gesture itself
// (features/canvas/wheelZoom.ts) and still end on exactly the view Cytoscape's own handler
// would have reached: the same step per wheel event (`wheelSensitivity`, the clamp of a new
// device's first events, the coarse-wheel correction), the same limits (`minZoom`, `maxZoom`)
// and the same point kept under the cursor. While the gesture runs, the picture already drawn
// is scaled by a CSS transform (`layerTransform`), so no frame redraws the graph.

/** Zoom and pan as Cytoscape keeps them: rendered = model × zoom + pan (CSS pixels). */
export interface View {
  zoom: number;
  panX: number;
  panY: number;
}

export interface ZoomLimits {
  minZoom: number;
  maxZoom: number;
}

/** A point in the canvas's rendered (CSS pixel) coordinates, from its top left. */
export interface RenderedPoint {
  x: number;
  y: number;
}

/**
 * What Cytoscape learns about the wheel from its first events: their magnitudes (the first
 * SAMPLE ones, clamped to ±CLAMP meanwhile) and then whether it is a coarse wheel (every sample
 * a multiple of one integer above 1), whose steps it divides by that base.
 */
export interface WheelDevice {
  samples: number[];
  /** null until SAMPLE events were seen. */
  coarse: boolean | null;
  /** The coarse wheel's base step (only meaningful when `coarse`). */
  base: number;
}

/** How many first wheel events Cytoscape samples. */
const SAMPLE = 4;
/** The largest |delta| of an event while sampling. */
const CLAMP = 5;
/** Cytoscape's `inaccurateScrollFactor` before it learns one. */
const NO_BASE = 100_000;

export function newWheelDevice(): WheelDevice {
  return { samples: [], coarse: null, base: NO_BASE };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The greatest common divisor of integers, or 0 when one is not an integer. */
function gcdOfIntegers(xs: readonly number[]): number {
  let out = xs[0] ?? 0;
  for (let i = 0; i < xs.length; i += 1) {
    const x = xs[i] as number;
    if (!Number.isInteger(x)) return 0;
    if (i > 0) out = gcd(out, x);
  }
  return out;
}

/** A wheel event as the zoom reads it (`WheelEvent` fields). */
export interface WheelInput {
  deltaY: number;
  /** 0 pixels, 1 lines, 2 pages. */
  deltaMode: number;
}

/**
 * The zoom factor of one wheel event (1 for none) and the device as it stands after it:
 * Cytoscape's `wheelHandler` step, `10 ^ (delta / -250 × sensitivity)`.
 */
export function wheelFactor(
  device: WheelDevice,
  input: WheelInput,
  sensitivity: number,
): { factor: number; device: WheelDevice } {
  let delta = input.deltaY;
  if (delta === 0 || !Number.isFinite(delta)) return { factor: 1, device };
  let next = device;
  let clamp = false;
  if (device.coarse === null) {
    if (device.samples.length >= SAMPLE) {
      const samples = device.samples;
      let coarse = false;
      let base = device.base;
      if ((samples[0] as number) >= CLAMP) {
        const first = Math.abs(samples[0] as number);
        const same = samples.every((s) => Math.abs(s) === first);
        const factor = same ? (samples[0] as number) : gcdOfIntegers(samples);
        if (factor > 1) {
          coarse = true;
          base = factor;
        }
      }
      next = { samples, coarse, base };
    } else {
      next = { ...device, samples: [...device.samples, Math.abs(delta)] };
      clamp = true;
    }
  } else if (device.coarse) {
    next = { ...device, base: Math.min(Math.abs(delta), device.base) };
  }
  if (clamp && Math.abs(delta) > CLAMP) delta = Math.sign(delta) * CLAMP;
  let diff = delta / -250;
  if (next.coarse === true) diff = (diff / next.base) * 3;
  diff *= sensitivity;
  if (input.deltaMode === 1) diff *= 33;
  return { factor: Math.pow(10, diff), device: next };
}

/**
 * The view after zooming `view` to `level` about the rendered point `at`, as
 * `cy.zoom({level, renderedPosition: at})` computes it: the level kept within the limits, the
 * model point under `at` still under it. Null when the zoom would not change (at a limit).
 */
export function zoomAbout(view: View, level: number, at: RenderedPoint, limits: ZoomLimits): View | null {
  let zoom = level > limits.maxZoom ? limits.maxZoom : level;
  zoom = zoom < limits.minZoom ? limits.minZoom : zoom;
  if (!Number.isFinite(zoom) || zoom === view.zoom || !Number.isFinite(at.x) || !Number.isFinite(at.y)) return null;
  return {
    zoom,
    panX: (-zoom / view.zoom) * (at.x - view.panX) + at.x,
    panY: (-zoom / view.zoom) * (at.y - view.panY) + at.y,
  };
}

/** A scale about the layer's top left corner, then a shift: `translate(x, y) scale(scale)`. */
export interface LayerTransform {
  scale: number;
  x: number;
  y: number;
}

/**
 * The CSS transform that turns a picture drawn at view `drawn` into the picture of view `now`
 * (both the same graph): a point drawn at p is at `scale × p + (x, y)` in the new view.
 */
export function layerTransform(drawn: View, now: View): LayerTransform {
  const scale = now.zoom / drawn.zoom;
  return { scale, x: now.panX - scale * drawn.panX, y: now.panY - scale * drawn.panY };
}

/**
 * Where a point drawn at `p` in the picture is shown under the transform `t` (what the CSS
 * transform does to it). A callout placed at its graph position in the gesture's view is placed
 * exactly here, over the spot of the scaled picture it annotates.
 */
export function transformPoint(t: LayerTransform, p: RenderedPoint): RenderedPoint {
  return { x: t.scale * p.x + t.x, y: t.scale * p.y + t.y };
}

/**
 * The view the canvas shows: while a gesture runs, the view its scaled picture shows (its
 * target, which Cytoscape gets only once the wheel is quiet), else Cytoscape's own view. What
 * lies over the canvas (the callouts) is placed in this view, so it moves with the picture.
 */
export function shownView(gesture: WheelGesture | null, cytoscape: View): View {
  return gesture === null ? cytoscape : gesture.target;
}

/** The transform as a CSS `transform` value (with `transform-origin: 0 0`). */
export function cssTransform(t: LayerTransform): string {
  return `translate(${t.x}px, ${t.y}px) scale(${t.scale})`;
}

/** Whether two views are the same (the picture needs no transform). */
export function sameView(a: View, b: View): boolean {
  return a.zoom === b.zoom && a.panX === b.panX && a.panY === b.panY;
}

/**
 * A wheel gesture: the view Cytoscape drew last (`drawn`) and the view the wheel events so far
 * lead to (`target`), event by event as Cytoscape's handler would have zoomed.
 */
export interface WheelGesture {
  drawn: View;
  target: View;
  device: WheelDevice;
}

/** A gesture from Cytoscape's view `target`, whose canvas shows view `drawn` (the same view
 * unless a render of the last one is still to come). */
export function startGesture(drawn: View, target: View, device: WheelDevice): WheelGesture {
  return { drawn, target, device };
}

/** The gesture after one more wheel event at the rendered point `at`. */
export function wheelStep(
  gesture: WheelGesture,
  input: WheelInput,
  at: RenderedPoint,
  sensitivity: number,
  limits: ZoomLimits,
): WheelGesture {
  const { factor, device } = wheelFactor(gesture.device, input, sensitivity);
  if (factor === 1) return { ...gesture, device };
  const target = zoomAbout(gesture.target, gesture.target.zoom * factor, at, limits) ?? gesture.target;
  return { drawn: gesture.drawn, target, device };
}
