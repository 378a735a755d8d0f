import { mustBe } from "@lacuna/core";
import { CLASS_COLOURS, UNLABELLED_COLOUR } from "@lacuna/core/palette";
import {
  BLACK,
  MAX_RASTER_SIDE,
  Raster,
  type Rgb,
  WHITE,
  hexToRgb,
  measureText,
  requireInteger,
} from "./raster.js";

/** Class colours (core's palette, shared with the dashboard): label l in TABLEAU_10[l % 10]. */
export const TABLEAU_10: readonly Rgb[] = CLASS_COLOURS.map(hexToRgb);
/** Colour of points whose label is null. */
export const UNLABELLED_GREY: Rgb = hexToRgb(UNLABELLED_COLOUR);

/** Radius of an ordinary point, in pixels. */
export const POINT_RADIUS = 2.5;
/** Radius of the coloured disc of an uncovered point, in pixels. */
export const UNCOVERED_RADIUS = 4.5;
/** Width of the black ring around an uncovered point's disc, in pixels. */
export const UNCOVERED_RING = 2;
/** Outer margin of the picture and gap between title, plot and legend, in pixels. */
export const SCATTER_MARGIN = 16;
/** Side of a legend swatch, in pixels. */
export const LEGEND_SWATCH = 10;
/** Distance between the tops of consecutive legend rows, in pixels. */
export const LEGEND_ROW = 16;
/** Font scale of the title (the legend is drawn at scale 1). */
export const SCATTER_TITLE_SCALE = 2;

const LEGEND_TEXT_GAP = 6;
const FRAME_GREY: Rgb = [220, 220, 220];
// markers stay inside the frame: the widest one reaches this far from its centre
const INSET = Math.ceil(UNCOVERED_RADIUS + UNCOVERED_RING) + 1;

export interface ScatterPngOptions {
  /** Picture width in pixels, an integer in 1..MAX_RASTER_SIDE; default 800. */
  width?: number;
  /** Picture height in pixels, likewise; default 800. */
  height?: number;
  /** Drawn centred on top. */
  title?: string;
  /** Legend name of each label (index = label); labels beyond it are shown as numbers. */
  classNames?: readonly string[];
}

/** One legend row: a swatch colour, its text, and whether it shows the uncovered marker. */
export interface LegendEntry {
  colour: Rgb;
  text: string;
  marker: boolean;
}

/** Where scatterPng puts everything, in pixels of the output picture. */
export interface ScatterLayout {
  width: number;
  height: number;
  /** The framed plot area; every marker lies wholly inside it. */
  plot: { x: number; y: number; width: number; height: number };
  /** Top-left of the first legend swatch; row k is LEGEND_ROW * k lower. */
  legend: { x: number; y: number };
  entries: LegendEntry[];
  /** Pixel position of each point's centre, x then y per row (y grows downwards). */
  positions: Float64Array;
}

function classColour(label: number | null): Rgb {
  return label === null ? UNLABELLED_GREY : TABLEAU_10[label % TABLEAU_10.length]!;
}

function validate(
  coordinates: Float64Array,
  labels: readonly (number | null)[],
  uncovered: ReadonlySet<number>,
): number {
  if (!(coordinates instanceof Float64Array)) {
    throw new TypeError("scatterPng: coordinates must be a Float64Array (n x 2, row-major)");
  }
  if (coordinates.length % 2 !== 0) {
    throw new RangeError(
      `scatterPng: coordinates must hold 2 numbers per point, received ${coordinates.length} numbers`,
    );
  }
  const n = coordinates.length / 2;
  if (labels.length !== n) {
    throw new RangeError(`scatterPng: ${n} points need ${n} labels, received ${labels.length}`);
  }
  for (let i = 0; i < coordinates.length; i++) {
    if (!Number.isFinite(coordinates[i])) {
      throw new RangeError(
        mustBe(
          `scatterPng: coordinate ${i % 2 === 0 ? "x" : "y"} of row ${Math.floor(i / 2)}`,
          "finite",
          coordinates[i],
        ),
      );
    }
  }
  labels.forEach((label, i) => {
    if (label !== null && !(Number.isInteger(label) && label >= 0)) {
      throw new RangeError(
        mustBe(`scatterPng: the label of row ${i}`, "null or an integer >= 0", label),
      );
    }
  });
  for (const index of uncovered) {
    if (!Number.isInteger(index) || index < 0 || index >= n) {
      throw new RangeError(
        mustBe("scatterPng: an uncovered row index", `an integer in [0, ${n - 1}]`, index),
      );
    }
  }
  return n;
}

function legendEntries(
  labels: readonly (number | null)[],
  uncovered: ReadonlySet<number>,
  classNames: readonly string[] | undefined,
): LegendEntry[] {
  const present = new Set<number>();
  let unlabelled = false;
  for (const label of labels) {
    if (label === null) unlabelled = true;
    else present.add(label);
  }
  const entries = [...present]
    .sort((a, b) => a - b)
    .map((label) => ({
      colour: classColour(label),
      text: classNames?.[label] ?? String(label),
      marker: false,
    }));
  if (unlabelled) entries.push({ colour: UNLABELLED_GREY, text: "no label", marker: false });
  if (uncovered.size > 0) entries.push({ colour: WHITE, text: "uncovered", marker: true });
  return entries;
}

/**
 * Validates the input (RangeError or TypeError naming the bad value) and places the title, the
 * plot, the legend (to the right of the plot) and every point. The fit keeps the aspect ratio:
 * one scale for x and y, the data centred in the plot; y points up. When all points coincide (or
 * n = 1) they sit at the plot's centre.
 */
export function scatterLayout(
  coordinates: Float64Array,
  labels: readonly (number | null)[],
  uncovered: ReadonlySet<number>,
  options: ScatterPngOptions = {},
): ScatterLayout {
  const width = requireInteger("scatterPng: width", options.width ?? 800, 1, MAX_RASTER_SIDE);
  const height = requireInteger("scatterPng: height", options.height ?? 800, 1, MAX_RASTER_SIDE);
  const n = validate(coordinates, labels, uncovered);
  const entries = legendEntries(labels, uncovered, options.classNames);

  let textWidth = 0;
  for (const entry of entries) textWidth = Math.max(textWidth, measureText(entry.text).width);
  const legendWidth = entries.length === 0 ? 0 : LEGEND_SWATCH + LEGEND_TEXT_GAP + textWidth;
  const titleHeight = options.title
    ? measureText(options.title, SCATTER_TITLE_SCALE).height + SCATTER_MARGIN / 2
    : 0;
  const plotX = SCATTER_MARGIN;
  const plotY = SCATTER_MARGIN + titleHeight;
  const legendBlock = legendWidth === 0 ? 0 : legendWidth + SCATTER_MARGIN;
  const plotWidth = Math.max(1, width - 2 * SCATTER_MARGIN - legendBlock);
  const plotHeight = Math.max(1, height - plotY - SCATTER_MARGIN);

  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = coordinates[2 * i]!;
    const y = coordinates[2 * i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const innerWidth = Math.max(0, plotWidth - 2 * INSET);
  const innerHeight = Math.max(0, plotHeight - 2 * INSET);
  let scale = Math.min(
    maxX > minX ? innerWidth / (maxX - minX) : Infinity,
    maxY > minY ? innerHeight / (maxY - minY) : Infinity,
  );
  if (!Number.isFinite(scale)) scale = 0;
  // halves first: (min + max) / 2 overflows for coordinates near the float64 limit
  const midX = minX / 2 + maxX / 2;
  const midY = minY / 2 + maxY / 2;
  const centreX = plotX + plotWidth / 2;
  const centreY = plotY + plotHeight / 2;
  const positions = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    positions[2 * i] = centreX + (coordinates[2 * i]! - midX) * scale;
    positions[2 * i + 1] = centreY - (coordinates[2 * i + 1]! - midY) * scale;
  }
  return {
    width,
    height,
    plot: { x: plotX, y: plotY, width: plotWidth, height: plotHeight },
    legend: { x: plotX + plotWidth + SCATTER_MARGIN, y: plotY },
    entries,
    positions,
  };
}

/**
 * Draws a 2-D projection as a PNG: one disc per point (radius POINT_RADIUS) coloured by its label
 * (TABLEAU_10, UNLABELLED_GREY for null), then the uncovered rows on top, larger
 * (UNCOVERED_RADIUS) and ringed in black; a legend with a swatch and name per label present
 * (plus "no label" and "uncovered" when they occur) and the optional title, in the built-in
 * bitmap font, on white. Coordinates are n x 2 row-major, labels one per row, uncovered holds
 * row indices. No points gives an empty frame; see scatterLayout for the fit and the errors.
 */
export async function scatterPng(
  coordinates: Float64Array,
  labels: readonly (number | null)[],
  uncovered: ReadonlySet<number>,
  options: ScatterPngOptions = {},
): Promise<Buffer> {
  const layout = scatterLayout(coordinates, labels, uncovered, options);
  const { plot, positions } = layout;
  const raster = new Raster(layout.width, layout.height, WHITE);
  if (options.title) {
    const title = measureText(options.title, SCATTER_TITLE_SCALE);
    const x = Math.floor((layout.width - title.width) / 2);
    raster.text(x, SCATTER_MARGIN, options.title, BLACK, SCATTER_TITLE_SCALE);
  }
  raster.strokeRect(plot.x, plot.y, plot.width, plot.height, 1, FRAME_GREY);

  for (let i = 0; i < labels.length; i++) {
    if (uncovered.has(i)) continue;
    raster.disc(
      positions[2 * i]!,
      positions[2 * i + 1]!,
      POINT_RADIUS,
      classColour(labels[i] ?? null),
    );
  }
  for (const i of [...uncovered].sort((a, b) => a - b)) {
    const x = positions[2 * i]!;
    const y = positions[2 * i + 1]!;
    raster.disc(x, y, UNCOVERED_RADIUS, classColour(labels[i] ?? null));
    raster.ring(x, y, UNCOVERED_RADIUS + UNCOVERED_RING, UNCOVERED_RING, BLACK);
  }

  layout.entries.forEach((entry, k) => {
    const x = layout.legend.x;
    const y = layout.legend.y + k * LEGEND_ROW;
    if (entry.marker) {
      const r = LEGEND_SWATCH / 2;
      raster.ring(x + r, y + r, r, UNCOVERED_RING, BLACK);
    } else {
      raster.fillRect(x, y, LEGEND_SWATCH, LEGEND_SWATCH, entry.colour);
    }
    raster.text(x + LEGEND_SWATCH + LEGEND_TEXT_GAP, y + 1, entry.text, BLACK);
  });
  return raster.toPng();
}
