import { assertSameWidth } from "./cross-knn.js";
import type { Embeddings } from "./embeddings.js";
import { ComputationStoppedError, InvalidParameterError } from "./errors.js";
import { countWithinRadius } from "./range-query.js";
import { buildSpatialIndex, leafSizeFor, type SpatialIndex } from "./spatial-index.js";

/**
 * Deficits of reference samples (issue 17's collect definition): for each u = indices[t], k minus
 * the number of OTHER reference rows within distance <= radius of u (duplicates of u count, u
 * itself does not), never below 0. A sample flagged by naive coverage has a deficit of at least 1;
 * adaptive coverage can flag a sample whose radius equals the coverage radius when radii tie at
 * the cut, and its deficit is then 0. Distances as core computes them (see range-query.ts). Work:
 * one range count per index, stopping at k.
 * @throws InvalidParameterError for k, the radius or an index out of range
 */
export function selfDeficits(
  reference: Embeddings,
  indices: Int32Array,
  radius: number,
  k: number,
): Int32Array {
  validateDeficitInputs(indices, reference.n, radius, k);
  const index = buildSpatialIndex(reference, leafSizeFor(k));
  const queries = rowsOf(reference, indices);
  return rangeDeficits(index, queries, indices, radius, k, 0, indices.length);
}

/**
 * Deficits of query rows against a reference: for each q = indices[t], k minus the number of
 * reference rows within distance <= radius of q (nothing excluded: q is not in the reference),
 * never below 0. A query row whose cross radius exceeds the radius has a deficit of at least 1.
 * @throws InvalidParameterError for k, the radius or an index out of range;
 *   InvalidEmbeddingsError for sets of different widths
 */
export function crossDeficits(
  reference: Embeddings,
  query: Embeddings,
  indices: Int32Array,
  radius: number,
  k: number,
): Int32Array {
  assertSameWidth(reference, query, "query");
  validateDeficitInputs(indices, query.n, radius, k);
  const index = buildSpatialIndex(reference, leafSizeFor(k));
  return rangeDeficits(index, rowsOf(query, indices), null, radius, k, 0, indices.length);
}

/**
 * The deficits of query rows [t0, t1) of `queries` (float64, d = index.d per row) against the
 * indexed reference: k minus how many indexed rows lie within distance <= radius, row exclude[t]
 * not counted (null: nothing excluded), each count stopping at k. The worker pool runs slices of
 * it (the same numbers).
 * @throws ComputationStoppedError when `shouldStop` (asked before each row) says so
 */
export function rangeDeficits(
  index: SpatialIndex,
  queries: Float64Array,
  exclude: Int32Array | null,
  radius: number,
  k: number,
  t0: number,
  t1: number,
  shouldStop?: () => boolean,
): Int32Array {
  const out = new Int32Array(t1 - t0);
  for (let t = t0; t < t1; t++) {
    if (shouldStop?.()) throw new ComputationStoppedError();
    const self = exclude === null ? -1 : exclude[t]!;
    out[t - t0] = k - countWithinRadius(index, queries, t * index.d, radius, self, k);
  }
  return out;
}

/** The rows `indices` of `set` as one float64 array (the same values: float32 widens exactly). */
function rowsOf(set: Embeddings, indices: Int32Array): Float64Array {
  const { d, data } = set;
  const out = new Float64Array(indices.length * d);
  for (let t = 0; t < indices.length; t++) {
    for (let c = 0; c < d; c++) out[t * d + c] = data[indices[t]! * d + c]!;
  }
  return out;
}

/**
 * Checks sample indices into n rows: each an integer in [0, n), none repeated.
 * @throws InvalidParameterError naming the first bad entry
 */
export function validateSampleIndices(indices: Int32Array, n: number, name = "indices"): void {
  if (!(indices instanceof Int32Array)) {
    throw new InvalidParameterError(name, indices, "an Int32Array of sample indices");
  }
  const seen = new Uint8Array(n);
  for (let t = 0; t < indices.length; t++) {
    const i = indices[t]!;
    if (i < 0 || i >= n)
      throw new InvalidParameterError(`${name}[${t}]`, i, `an index in [0, ${n})`);
    if (seen[i]) throw new InvalidParameterError(`${name}[${t}]`, i, "an index not already listed");
    seen[i] = 1;
  }
}

/** The deficits' input checks. @throws InvalidParameterError for k, the radius or an index */
export function validateDeficitInputs(
  indices: Int32Array,
  n: number,
  radius: number,
  k: number,
): void {
  validateSampleIndices(indices, n);
  if (typeof radius !== "number" || !(radius >= 0 && radius < Infinity)) {
    throw new InvalidParameterError("coverageRadius", radius, "a finite number >= 0");
  }
  if (typeof k !== "number" || !Number.isSafeInteger(k) || k < 1) {
    throw new InvalidParameterError("k (numObservations)", k, "an integer >= 1");
  }
}
