import { COVERED_COLOUR, FLAGGED_COLOUR, classColour, rampColour } from "@lacuna/core/palette";
import type { ColourBy } from "../url-state.js";
import { type RegionMembers, drawRegions, regionOutlines } from "./regions.js";
import { type View, toScreen } from "./view.js";

/** An sRGB colour, each channel 0 to 255. */
export type Rgb = readonly [number, number, number];

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
  /** Colours of the page (light or dark): background, ring and text. */
  readonly theme: { readonly background: string; readonly ring: string; readonly text: string };
  /** Gap regions to outline (members by dataset index); none when absent. */
  readonly regions?: readonly RegionMembers[];
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

/** Points grouped by colour: bucket b holds order[starts[b]] to order[starts[b + 1]] exclusive. */
export interface Buckets {
  readonly colours: readonly string[];
  /** The same colours as sRGB channels, for writing pixels. */
  readonly rgb: readonly Rgb[];
  readonly order: Uint32Array;
  readonly starts: Uint32Array;
}

/**
 * Groups the points by colour: by class, by radius (the viridis ramp in 32 steps) or
 * flagged/covered. A canvas fills all points of one colour in one path, and grouping once (a
 * counting sort, O(n)) lets each redraw visit every point once: what keeps 100k points fast.
 */
export function colourBuckets(points: ScatterPoints, colour: ColourBy): Buckets {
  const n = points.flagged.length;
  const bucket = new Uint16Array(n);
  let colours: string[];
  if (colour === "flagged") {
    colours = [COVERED_COLOUR, FLAGGED_COLOUR];
    for (let i = 0; i < n; i++) bucket[i] = points.flagged[i]!;
  } else if (colour === "radius") {
    colours = Array.from({ length: RAMP_STEPS }, (_, b) => rampColour(b / (RAMP_STEPS - 1)));
    const [lo, hi] = radiusRange(points.radii);
    for (let i = 0; i < n; i++) {
      const t = (points.radii[i]! - lo) / (hi - lo || 1);
      bucket[i] = Number.isFinite(t) ? Math.round(t * (RAMP_STEPS - 1)) : 0;
    }
  } else {
    const ids = new Map<number | null, number>();
    colours = [];
    for (let i = 0; i < n; i++) {
      const label = points.labels[i] ?? null;
      let b = ids.get(label);
      if (b === undefined) {
        b = colours.push(classColour(label)) - 1;
        ids.set(label, b);
      }
      bucket[i] = b;
    }
  }
  const rgb = colours.map(hexToRgb);
  const starts = new Uint32Array(colours.length + 1);
  for (let i = 0; i < n; i++) starts[bucket[i]! + 1]!++;
  for (let b = 0; b < colours.length; b++) starts[b + 1]! += starts[b]!;
  const fill = starts.slice(0, colours.length);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[fill[bucket[i]!]!++] = i;
  return { colours, rgb, order, starts };
}

/**
 * Draws the scatter into a context already scaled to CSS pixels: the points by colour bucket
 * (faded outside the chosen class and the box selection), every flagged point ringed on top, the
 * gap regions outlined, and the box selection. Returns how many rings were drawn (flagged points
 * on screen, in the chosen class and box) and how many regions were outlined.
 */
export function drawPoints(
  context: CanvasRenderingContext2D,
  width: number,
  height: number,
  points: ScatterPoints,
  buckets: Buckets,
  view: View,
  overlay: Overlay,
): { ringed: number; regions: number } {
  const n = points.flagged.length;
  const size = Math.max(2, Math.min(4, 1.2 + Math.sqrt(view.scale) * 0.05));
  const half = size / 2;
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = view.x + points.coordinates[2 * i]! * view.scale;
    xy[2 * i + 1] = view.y - points.coordinates[2 * i + 1]! * view.scale;
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
  // the points are written as pixels: a canvas path of 100k squares takes Chromium's software
  // rasteriser hundreds of milliseconds, a pixel buffer a few
  const ratio = context.canvas.width / width;
  const image = context.createImageData(context.canvas.width, context.canvas.height);
  const pixels = new Uint32Array(image.data.buffer);
  const [br, bg, bb] = hexToRgb(overlay.theme.background);
  pixels.fill(rgba(br, bg, bb));
  const side = Math.max(1, Math.round(size * ratio));
  for (const faded of [true, false]) {
    if (faded && overlay.cls === null && !box) continue;
    const alpha = faded ? 0.12 : 0.75;
    buckets.rgb.forEach(([r, g, b], bucket) => {
      for (let k = buckets.starts[bucket]!; k < buckets.starts[bucket + 1]!; k++) {
        const i = buckets.order[k]!;
        if (inClass(i) === faded || !visible(i)) continue;
        const x0 = Math.round((xy[2 * i]! - half) * ratio);
        const y0 = Math.round((xy[2 * i + 1]! - half) * ratio);
        blendSquare(image, pixels, x0, y0, side, r, g, b, alpha);
      }
    });
  }
  context.putImageData(image, 0, 0);
  context.globalAlpha = 1;
  let ringed = 0;
  context.lineWidth = 1.5;
  context.strokeStyle = overlay.theme.ring;
  context.beginPath();
  for (let i = 0; i < n; i++) {
    if (!points.flagged[i] || !visible(i) || !inClass(i)) continue;
    ringed++;
    context.moveTo(xy[2 * i]! + 4.5, xy[2 * i + 1]!);
    context.arc(xy[2 * i]!, xy[2 * i + 1]!, 4.5, 0, 2 * Math.PI);
  }
  context.stroke();
  const outlines = regionOutlines(points, overlay.regions ?? []);
  drawRegions(context, view, outlines, overlay.theme.text);
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
  return { ringed, regions: outlines.length };
}

/** Rings the point under the pointer (or chosen from the keyboard) at screen position (x, y). */
export function drawFocus(
  context: CanvasRenderingContext2D,
  x: number,
  y: number,
  colour: string,
): void {
  context.strokeStyle = colour;
  context.lineWidth = 2.5;
  context.beginPath();
  context.arc(x, y, 9, 0, 2 * Math.PI);
  context.stroke();
}

/** A pixel of the canvas's buffer (RGBA bytes, read as one little-endian 32-bit word). */
function rgba(r: number, g: number, b: number): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** `#rgb` or `#rrggbb` as channels; anything else (a named colour) reads as white. */
export function hexToRgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return [255, 255, 255];
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join("") : m[1]!;
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

/** Paints a side x side square at (x0, y0) over what is there, with opacity `alpha`, clipped. */
function blendSquare(
  image: ImageData,
  pixels: Uint32Array,
  x0: number,
  y0: number,
  side: number,
  r: number,
  g: number,
  b: number,
  alpha: number,
): void {
  const w = image.width;
  const xs = Math.max(0, x0);
  const xe = Math.min(w, x0 + side);
  const ys = Math.max(0, y0);
  const ye = Math.min(image.height, y0 + side);
  const keep = 1 - alpha;
  for (let y = ys; y < ye; y++) {
    for (let x = xs; x < xe; x++) {
      const p = pixels[y * w + x]!;
      pixels[y * w + x] = rgba(
        Math.round(r * alpha + (p & 255) * keep),
        Math.round(g * alpha + ((p >>> 8) & 255) * keep),
        Math.round(b * alpha + ((p >>> 16) & 255) * keep),
      );
    }
  }
}
