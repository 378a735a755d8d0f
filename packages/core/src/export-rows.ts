import { validateLabels } from "./validate.js";
import { validateSampleIndices } from "./deficits.js";
import type { Embeddings } from "./embeddings.js";
import { InvalidParameterError } from "./errors.js";
import type { NearestNeighbours } from "./knn.js";
import { descendingOrder } from "./radius.js";

/**
 * One flagged sample as an export line (CSV, JSON Lines, a labelling tool's task): the shape io
 * writes, so that the writers only format. Where the row came from (a file, a dataset and its
 * index) is the writer's to add.
 */
export interface FlaggedSampleRow {
  /** Row index in the measured set (the dataset, or the query of a cross coverage). */
  readonly index: number;
  /** Its class label, or null without labels. */
  readonly label: number | null;
  /** Its critical value radius. */
  readonly radius: number;
  /** 1 = the largest radius of the set; equal radii rank larger index first (adaptive's order). */
  readonly rank: number;
  /** Its gap region's id, or null without regions. */
  readonly region: number | null;
  /** Its k nearest neighbours (reference rows for a cross coverage), nearest first; empty if not given. */
  readonly neighbours: readonly number[];
  /** Their distances, matching `neighbours`. */
  readonly neighbourDistances: readonly number[];
}

export interface FlaggedRowsInput {
  /** The flagged samples, in the order the rows should come out. */
  readonly flagged: Int32Array;
  /** Every sample's radius (the measured set's, all n). */
  readonly radii: Float64Array;
  /** One label per sample of the measured set. */
  readonly labels?: ArrayLike<number>;
  /** regionOf[t] = region of flagged[t] (GapRegions.regionOf). */
  readonly regionOf?: Int32Array;
  /** Row t = the neighbours of flagged[t] (e.g. crossNearestNeighbours on the flagged rows). */
  readonly neighbours?: NearestNeighbours;
}

/**
 * Export rows for flagged samples, in the order of `flagged`; ranks come from one sort of all
 * radii (O(n log n)).
 * @throws InvalidParameterError for repeated or out-of-range indices, or labels, regions or
 *   neighbours of another length than they describe
 */
export function flaggedSampleRows(input: FlaggedRowsInput): FlaggedSampleRow[] {
  const { flagged, radii, regionOf, neighbours } = input;
  const n = radii.length;
  validateSampleIndices(flagged, n, "flagged");
  const labels = input.labels === undefined ? undefined : validateLabels(input.labels, n);
  if (regionOf !== undefined && regionOf.length !== flagged.length) {
    throw new InvalidParameterError(
      "regionOf.length",
      regionOf.length,
      `${flagged.length}, one per flagged sample`,
    );
  }
  if (neighbours !== undefined && neighbours.n !== flagged.length) {
    throw new InvalidParameterError(
      "neighbours.n",
      neighbours.n,
      `${flagged.length}, one row per flagged sample`,
    );
  }
  const rankOf = new Int32Array(n);
  const order = descendingOrder(radii);
  for (let r = 0; r < n; r++) rankOf[order[r]!] = r + 1;
  const rows: FlaggedSampleRow[] = [];
  for (let t = 0; t < flagged.length; t++) {
    const i = flagged[t]!;
    const k = neighbours?.k ?? 0;
    rows.push({
      index: i,
      label: labels === undefined ? null : labels[i]!,
      radius: radii[i]!,
      rank: rankOf[i]!,
      region: regionOf === undefined ? null : regionOf[t]!,
      neighbours:
        neighbours === undefined ? [] : Array.from(neighbours.indices.subarray(t * k, t * k + k)),
      neighbourDistances:
        neighbours === undefined ? [] : Array.from(neighbours.distances.subarray(t * k, t * k + k)),
    });
  }
  return rows;
}

/**
 * The rows `indices` of a set, copied into new float64 embeddings (row t = row indices[t]): how a
 * caller asks for the neighbours of the flagged rows only.
 * @throws InvalidParameterError for repeated or out-of-range indices
 */
export function selectRows(embeddings: Embeddings, indices: Int32Array): Embeddings {
  validateSampleIndices(indices, embeddings.n);
  const { d, data } = embeddings;
  const out = new Float64Array(indices.length * d);
  for (let t = 0; t < indices.length; t++) {
    for (let c = 0; c < d; c++) out[t * d + c] = data[indices[t]! * d + c]!;
  }
  return { data: out, n: indices.length, d };
}
