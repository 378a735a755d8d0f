import type { CoverageResult } from "@lacuna/core";
import { writeFile } from "node:fs/promises";
import {
  FileWriteError,
  type ImageDataset,
  type Labels,
  describeFsError,
  imageBytes,
} from "@lacuna/io";

// the drawing modules (and sharp) load only when a picture is asked for: the CLI starts faster

/** How many least-covered images the grid shows: the seed tutorial's 4 x 5. */
export const GRID_IMAGES = 20;

/**
 * The seed tutorial's picture: the least-covered images (largest radius first), each captioned
 * with its label and radius, 5 to a row.
 */
export async function leastCoveredGrid(
  images: ImageDataset,
  picked: Int32Array,
  result: CoverageResult,
  labels: Labels | undefined,
): Promise<Buffer> {
  const { gridPng } = await import("@lacuna/io/pictures");
  const rows = result.uncoveredIndices.subarray(0, GRID_IMAGES);
  const tiles = Array.from(rows, (row) => {
    const label = labels ? (labels.classNames[labels.labels[row]!] ?? "?") : "";
    return {
      pixels: imageBytes(images, picked[row]!),
      shape: images.imageShape,
      caption: `${label} r=${result.criticalValueRadii[row]!.toFixed(3)}`.trim(),
    };
  });
  return gridPng(tiles, { columns: 5, scale: 3, title: `${images.id}: least covered` });
}

/** A scatter plot of 2-D coordinates coloured by label, the `uncovered` rows ringed. */
export async function scatterPicture(
  coordinates: Float64Array,
  labels: Labels | undefined,
  uncovered: ReadonlySet<number>,
  title: string,
): Promise<Buffer> {
  const { scatterPng } = await import("@lacuna/io/pictures");
  const n = coordinates.length / 2;
  const perRow = Array.from({ length: n }, (_, i) => (labels ? (labels.labels[i] ?? null) : null));
  return scatterPng(coordinates, perRow, uncovered, { title, classNames: labels?.classNames });
}

/** Writes a PNG, naming the file in the error when it cannot. */
export async function writePng(path: string, png: Buffer): Promise<void> {
  try {
    await writeFile(path, png);
  } catch (error) {
    throw new FileWriteError(path, describeFsError(error), error);
  }
}
