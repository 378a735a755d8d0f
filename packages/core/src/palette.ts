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
