/**
 * The colours every Lacuna picture uses (the PNG scatter and the dashboard's scatter, legend and
 * per-class bars), so that class 7 is the same orange everywhere. Pure data and arithmetic.
 */

/** An sRGB colour, each channel 0 to 255. */
export type Rgb = readonly [number, number, number];

/** Class colours: Tableau 10, label l drawn in CLASS_COLOURS[l % 10]. */
export const CLASS_COLOURS: readonly Rgb[] = [
  [0x4e, 0x79, 0xa7],
  [0xf2, 0x8e, 0x2b],
  [0xe1, 0x57, 0x59],
  [0x76, 0xb7, 0xb2],
  [0x59, 0xa1, 0x4f],
  [0xed, 0xc9, 0x48],
  [0xb0, 0x7a, 0xa1],
  [0xff, 0x9d, 0xa7],
  [0x9c, 0x75, 0x5f],
  [0xba, 0xb0, 0xac],
];

/** Points without a label: a mid grey, readable on white and on a dark background. */
export const UNLABELLED_COLOUR: Rgb = [128, 128, 128];

/** Flagged (uncovered) and covered samples when colouring by that alone. */
export const FLAGGED_COLOUR: Rgb = [0xe1, 0x57, 0x59];
export const COVERED_COLOUR: Rgb = [0x9a, 0xa4, 0xb0];

/**
 * Stops of the continuous radius scale (viridis at 0, 1/4, 1/2, 3/4, 1): perceptually even and
 * readable by the colour-blind, dark for small radii (well covered), yellow for the largest.
 */
const RAMP: readonly Rgb[] = [
  [0x44, 0x01, 0x54],
  [0x3b, 0x52, 0x8b],
  [0x21, 0x91, 0x8c],
  [0x5e, 0xc9, 0x62],
  [0xfd, 0xe7, 0x25],
];

/** The colour of a class label; a label of null (unlabelled data) is grey; negative labels wrap. */
export function classColour(label: number | null): Rgb {
  if (label === null) return UNLABELLED_COLOUR;
  const n = CLASS_COLOURS.length;
  return CLASS_COLOURS[((label % n) + n) % n]!;
}

/**
 * The radius scale at t in [0, 1] (0: smallest radius shown, 1: largest), interpolated linearly
 * between viridis stops; t outside [0, 1] is clamped and NaN reads as 0.
 */
export function rampColour(t: number): Rgb {
  const x = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i]!;
  const b = RAMP[i + 1]!;
  return [
    Math.round(a[0] + f * (b[0] - a[0])),
    Math.round(a[1] + f * (b[1] - a[1])),
    Math.round(a[2] + f * (b[2] - a[2])),
  ];
}

/** CSS hex notation of a colour, `#rrggbb`. */
export function rgbHex(colour: Rgb): string {
  return `#${colour.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}
