/**
 * The class colours every Lacuna picture uses (the PNG scatter of `@lacuna/io/pictures` and the
 * dashboard's canvas), so that a class looks the same everywhere. Plain data, no drawing: it lives
 * in core, the one package both the browser and the server side may import
 * (`@lacuna/core/palette`, outside core's root, which holds the maths).
 */

/** Ten distinguishable colours (Tableau 10) as `#rrggbb`; label l is drawn in `CLASS_COLOURS[l % 10]`. */
export const CLASS_COLOURS: readonly string[] = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];

/** The colour of a sample without a label. */
export const UNLABELLED_COLOUR = "#808080";

/**
 * The colour of a class label: null (unlabelled) is grey; labels beyond ten reuse the palette;
 * a negative or fractional label is treated as unlabelled (it names no class).
 */
export function classColour(label: number | null): string {
  if (label === null || !Number.isInteger(label) || label < 0) return UNLABELLED_COLOUR;
  return CLASS_COLOURS[label % CLASS_COLOURS.length]!;
}

/** Flagged (uncovered) and covered samples when a picture colours by that alone. */
export const FLAGGED_COLOUR = "#e15759";
export const COVERED_COLOUR = "#9aa4b0";

/**
 * Stops of the continuous radius scale (viridis at 0, 1/4, 1/2, 3/4, 1): perceptually even and
 * readable by the colour-blind, dark for small radii (well covered), yellow for the largest.
 */
const RAMP: readonly (readonly [number, number, number])[] = [
  [0x44, 0x01, 0x54],
  [0x3b, 0x52, 0x8b],
  [0x21, 0x91, 0x8c],
  [0x5e, 0xc9, 0x62],
  [0xfd, 0xe7, 0x25],
];

/**
 * The radius scale at t in [0, 1] (0: the smallest radius shown, 1: the largest) as `#rrggbb`,
 * interpolated linearly between viridis stops; t outside [0, 1] is clamped and NaN reads as 0.
 */
export function rampColour(t: number): string {
  const x = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i]!;
  const b = RAMP[i + 1]!;
  const channel = (c: 0 | 1 | 2) => Math.round(a[c] + f * (b[c] - a[c]));
  return `#${[channel(0), channel(1), channel(2)].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}
