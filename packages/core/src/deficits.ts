import { assertSameWidth } from "./cross-knn.js";
import { type Embeddings, toFloat64 } from "./embeddings.js";
import { InvalidParameterError } from "./errors.js";
import { countWithinRadius } from "./range-query.js";
import { buildSpatialIndex, leafSizeFor } from "./spatial-index.js";

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
  const x = toFloat64(reference.data);
  const index = buildSpatialIndex(reference, leafSizeFor(k));
  const out = new Int32Array(indices.length);
  for (let t = 0; t < indices.length; t++) {
    const u = indices[t]!;
    out[t] = k - countWithinRadius(index, x, u * reference.d, radius, u, k);
  }
  return out;
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
  const x = toFloat64(query.data);
  const index = buildSpatialIndex(reference, leafSizeFor(k));
  const out = new Int32Array(indices.length);
  for (let t = 0; t < indices.length; t++) {
    out[t] = k - countWithinRadius(index, x, indices[t]! * query.d, radius, -1, k);
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

function validateDeficitInputs(indices: Int32Array, n: number, radius: number, k: number): void {
  validateSampleIndices(indices, n);
  if (typeof radius !== "number" || !(radius >= 0 && radius < Infinity)) {
    throw new InvalidParameterError("coverageRadius", radius, "a finite number >= 0");
  }
  if (typeof k !== "number" || !Number.isSafeInteger(k) || k < 1) {
    throw new InvalidParameterError("k (numObservations)", k, "an integer >= 1");
  }
}
