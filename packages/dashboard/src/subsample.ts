import { ProjectionMethod } from "@lacuna/client";

/**
 * Most points the dashboard asks a t-SNE or UMAP projection for: the server's default
 * LACUNA_MAX_PROJECTION_SAMPLES (their cost grows faster than n). PCA, linear in n, is asked for
 * every sample. A server configured lower refuses, and the scatter says why.
 */
export const MAX_NONLINEAR_POINTS = 10_000;

/** Whether a projection of `limit` samples by `method` is asked for a subsample of them. */
export function needsSubsample(
  method: ProjectionMethod,
  limit: number,
  max = MAX_NONLINEAR_POINTS,
): boolean {
  return method !== ProjectionMethod.Pca && limit > max;
}

/** The points a subsampled projection is asked for, and what they leave out. */
export interface Subsample {
  /** Dataset indices to project, ascending. */
  readonly indices: Int32Array;
  readonly total: number;
  readonly flaggedTotal: number;
  /** Flagged samples among `indices` (all of them unless more are flagged than `max`). */
  readonly flaggedKept: number;
}

/**
 * At most `max` of the rows, every flagged row first: the flagged rows all (or, when more than
 * `max` are flagged, `max` of them evenly spread), the rest filled with unflagged rows evenly
 * spread over the row order. Evenly spaced rather than random: deterministic with no seed to
 * carry, and a stratified sample of the selection's order (so of its classes when the dataset is
 * sorted by class). The same result gives the same indices, so the server's projection cache and
 * its shared jobs apply.
 * @param indices dataset index of each row
 * @param flagged 1 where a row is flagged (same length as `indices`)
 * @param max most points, at least 1; `indices.length <= max` keeps every row
 */
export function subsampleRows(indices: Int32Array, flagged: Uint8Array, max: number): Subsample {
  const flaggedRows: number[] = [];
  const plainRows: number[] = [];
  indices.forEach((_, row) => (flagged[row] ? flaggedRows : plainRows).push(row));
  const keptFlagged = spread(flaggedRows, Math.min(flaggedRows.length, max));
  const keptPlain = spread(plainRows, Math.min(plainRows.length, max - keptFlagged.length));
  const chosen = Int32Array.from([...keptFlagged, ...keptPlain], (row) => indices[row]!);
  return {
    indices: chosen.sort(),
    total: indices.length,
    flaggedTotal: flaggedRows.length,
    flaggedKept: keptFlagged.length,
  };
}

/** `count` items of `items` evenly spaced (the middle of each of `count` equal stretches). */
function spread(items: readonly number[], count: number): number[] {
  if (count >= items.length) return [...items];
  return Array.from(
    { length: count },
    (_, j) => items[Math.floor(((j + 0.5) * items.length) / count)]!,
  );
}

/** What the scatter says of a subsample: "showing 10 000 of 60 000 points, every flagged one included". */
export function subsampleNote(s: Subsample): string {
  const count = (n: number) => n.toLocaleString("en-GB").replace(/,/g, " ");
  const flagged =
    s.flaggedKept === s.flaggedTotal
      ? "every flagged one included"
      : `${count(s.flaggedKept)} of the ${count(s.flaggedTotal)} flagged`;
  return `showing ${count(s.indices.length)} of ${count(s.total)} points, ${flagged} (t-SNE and UMAP project at most ${count(MAX_NONLINEAR_POINTS)}; PCA shows every point)`;
}
