import {
  COVERED_COLOUR,
  FLAGGED_COLOUR,
  type Rgb,
  classColour,
  rampColour,
  rgbHex,
} from "@lacuna/core";
import type { ColourBy } from "../url-state.js";
import { type View, toScreen } from "./view.js";

/** The points of a scatter, each a row of the projection. */
export interface ScatterPoints {
  /** n x 2, row-major, projection coordinates. */
  readonly coordinates: ArrayLike<number>;
  /** Dataset index of each point. */
  readonly indices: ArrayLike<number>;
  readonly labels: readonly (number | null)[];
  /** Radius of each point (NaN where the coverage result has no row for it). */
  readonly radii: Float64Array;
  /** 1 where the point is flagged. */
  readonly flagged: Uint8Array;
}

/** What the picture shows besides the points. */
export interface Overlay {
  readonly colour: ColourBy;
  /** Points of other classes are faded when a class is chosen. */
  readonly cls: number | null;
  /** The box selection in projection coordinates. */
  readonly box: readonly [number, number, number, number] | null;
  /** The point under the pointer or chosen from the keyboard. */
  readonly focus: number | null;
  /** Colours of the page (light or dark): background, ring and text. */
  readonly theme: { readonly background: string; readonly ring: string; readonly text: string };
}

const RAMP_STEPS = 32;

/** The smallest and largest finite radius, for the radius scale; [0, 1] when there are none. */
export function radiusRange(radii: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of radii) {
    if (!Number.isFinite(r)) continue;
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/**
 * Each point's colour bucket and the bucket colours: by class, by radius (the viridis ramp in 32
 * steps) or flagged/covered. Buckets let the canvas fill all points of one colour in one path,
 * which is what keeps 100k points at a few milliseconds.
 */
export function colourBuckets(
  points: ScatterPoints,
  colour: ColourBy,
): { bucket: Uint16Array; colours: string[] } {
  const n = points.flagged.length;
  const bucket = new Uint16Array(n);
  const colours: string[] = [];
  const ids = new Map<string, number>();
  const id = (rgb: Rgb) => {
    const hex = rgbHex(rgb);
    let b = ids.get(hex);
    if (b === undefined) {
      b = colours.push(hex) - 1;
      ids.set(hex, b);
    }
    return b;
  };
  const [lo, hi] = radiusRange(points.radii);
  for (let i = 0; i < n; i++) {
    if (colour === "label") bucket[i] = id(classColour(points.labels[i] ?? null));
    else if (colour === "flagged")
      bucket[i] = id(points.flagged[i] ? FLAGGED_COLOUR : COVERED_COLOUR);
    else {
      const t = (points.radii[i]! - lo) / (hi - lo || 1);
      bucket[i] = id(rampColour(Math.round(t * (RAMP_STEPS - 1)) / (RAMP_STEPS - 1)));
    }
  }
  return { bucket, colours };
}

/**
 * Draws the scatter into a context already scaled to CSS pixels: the points by colour bucket
 * (faded outside the chosen class and the box selection), every flagged point ringed on top, the box selection and the
 * focused point. Returns how many flagged points were ringed.
 */
export function drawPoints(
  context: CanvasRenderingContext2D,
  width: number,
  height: number,
  points: ScatterPoints,
  buckets: { bucket: Uint16Array; colours: string[] },
  view: View,
  overlay: Overlay,
): number {
  const n = points.flagged.length;
  context.fillStyle = overlay.theme.background;
  context.fillRect(0, 0, width, height);
  const size = Math.max(2, Math.min(4, 1.2 + Math.sqrt(view.scale) * 0.05));
  const half = size / 2;
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [x, y] = toScreen(view, points.coordinates[2 * i]!, points.coordinates[2 * i + 1]!);
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
  }
  const visible = (i: number) =>
    xy[2 * i]! > -8 && xy[2 * i]! < width + 8 && xy[2 * i + 1]! > -8 && xy[2 * i + 1]! < height + 8;
  const box = overlay.box;
  const inBox = (i: number) => {
    if (!box) return true;
    const x = points.coordinates[2 * i]!;
    const y = points.coordinates[2 * i + 1]!;
    return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
  };
  // what the grid shows stands out: the chosen class, inside the selection
  const inClass = (i: number) =>
    (overlay.cls === null || points.labels[i] === overlay.cls) && inBox(i);
  for (const faded of [true, false]) {
    if (faded && overlay.cls === null && !box) continue;
    context.globalAlpha = faded ? 0.12 : 0.75;
    buckets.colours.forEach((colour, b) => {
      context.fillStyle = colour;
      context.beginPath();
      for (let i = 0; i < n; i++) {
        if (buckets.bucket[i] !== b || inClass(i) === faded || !visible(i)) continue;
        context.rect(xy[2 * i]! - half, xy[2 * i + 1]! - half, size, size);
      }
      context.fill();
    });
  }
  context.globalAlpha = 1;
  let ringed = 0;
  context.lineWidth = 1.5;
  context.strokeStyle = overlay.theme.ring;
  context.beginPath();
  for (let i = 0; i < n; i++) {
    if (!points.flagged[i]) continue;
    ringed++;
    if (!visible(i) || !inClass(i)) continue;
    context.moveTo(xy[2 * i]! + 4.5, xy[2 * i + 1]!);
    context.arc(xy[2 * i]!, xy[2 * i + 1]!, 4.5, 0, 2 * Math.PI);
  }
  context.stroke();
  if (overlay.box) {
    const [x0, y0, x1, y1] = overlay.box;
    const [ax, ay] = toScreen(view, x0, y1);
    const [bx, by] = toScreen(view, x1, y0);
    context.setLineDash([5, 4]);
    context.strokeStyle = overlay.theme.text;
    context.lineWidth = 1;
    context.strokeRect(ax, ay, bx - ax, by - ay);
    context.setLineDash([]);
  }
  if (overlay.focus !== null && overlay.focus < n) {
    const x = xy[2 * overlay.focus]!;
    const y = xy[2 * overlay.focus + 1]!;
    context.strokeStyle = overlay.theme.text;
    context.lineWidth = 2.5;
    context.beginPath();
    context.arc(x, y, 9, 0, 2 * Math.PI);
    context.stroke();
  }
  return ringed;
}
