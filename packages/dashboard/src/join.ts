import type { Projection } from "@lacuna/client";
import type { Flagged, RunResult } from "./flagged.js";
import type { ScatterPoints } from "./scatter/draw.js";

/** A projection joined to the coverage result of the same selection, point by row. */
export interface Joined {
  readonly projection: Projection;
  readonly points: ScatterPoints;
  /** The coverage row of each projection point, -1 where the result has none. */
  readonly rowOfPoint: Int32Array;
  /** A mask over points, as a mask over coverage rows. */
  rowsOf(pointMask: Uint8Array): Uint8Array;
  /** The points of the given rows, in their order (rows without a point are left out). */
  pointsOf(rows: Int32Array): Int32Array;
}

/**
 * Joins a projection to a coverage result by dataset index (both come from the same selection, so
 * this is normally the identity, but nothing here assumes it): each point gets its row's radius
 * and flag, so that the scatter rings every flagged sample and colours by radius.
 */
export function joinProjection(projection: Projection, rows: RunResult, flagged: Flagged): Joined {
  const n = projection.indices.length;
  const rowOfIndex = new Map<number, number>();
  rows.indices.forEach((index, row) => rowOfIndex.set(index, row));
  const rowOfPoint = new Int32Array(n);
  const pointOfRow = new Int32Array(rows.indices.length).fill(-1);
  const radii = new Float64Array(n);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const row = rowOfIndex.get(projection.indices[i]!) ?? -1;
    rowOfPoint[i] = row;
    if (row >= 0) pointOfRow[row] = i;
    radii[i] = row >= 0 ? rows.radii[row]! : Number.NaN;
    mask[i] = row >= 0 ? flagged.mask[row]! : 0;
  }
  return {
    projection,
    points: {
      coordinates: projection.coordinates,
      indices: projection.indices,
      labels: projection.labels,
      radii,
      flagged: mask,
    },
    rowOfPoint,
    rowsOf(pointMask) {
      const out = new Uint8Array(rows.indices.length);
      for (let i = 0; i < n; i++) if (pointMask[i] && rowOfPoint[i]! >= 0) out[rowOfPoint[i]!] = 1;
      return out;
    },
    pointsOf(list) {
      return Int32Array.from(list, (row) => pointOfRow[row]!).filter((p) => p >= 0);
    },
  };
}
