import type { Embeddings } from "./embeddings.js";
import { InvalidParameterError } from "./errors.js";
import { NeighbourHeaps } from "./neighbour-heap.js";
import { validateK } from "./validate.js";

/** Why a sample is (or is not) flagged: its neighbourhood and where its radius stands. */
export interface SampleExplanation {
  readonly index: number;
  /** Its k nearest other samples, ascending by (distance, index); duplicates of it included. */
  readonly neighbours: Int32Array;
  /** Their Euclidean distances, matching `neighbours`; the last is the k-th neighbour distance. */
  readonly distances: Float64Array;
  /** radii[index], its critical value radius. */
  readonly radius: number;
  readonly coverageRadius: number;
  /**
   * radius > coverageRadius. Naive coverage flags exactly these; adaptive flags the top ranks,
   * which can include radii equal to the coverage radius when radii tie at the cut.
   */
  readonly exceedsCoverageRadius: boolean;
  /** 1 = the largest radius; equal radii rank larger index first (adaptive coverage's order). */
  readonly rank: number;
}

/**
 * Explains one sample: its k nearest neighbours by exact float64 distances (the same values and
 * tie order, (distance, index), as `nearestNeighbours`), its radius against the coverage radius and
 * its rank among all radii. Pass the embeddings the radii were computed on (after any unit-interval
 * rescale), so that distances[k - 1] equals radii[index]. O(n d); labels are the caller's to add.
 * @throws InvalidParameterError for an index outside [0, n), radii of another length, or a
 *   coverage radius that is not a finite number; InvalidParameterError or NotEnoughSamplesError for k
 */
export function explainSample(
  embeddings: Embeddings,
  index: number,
  k: number,
  radii: Float64Array,
  coverageRadius: number,
): SampleExplanation {
  const { n, d, data } = embeddings;
  if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0 || index >= n) {
    throw new InvalidParameterError("index", index, `an integer in [0, ${n})`);
  }
  validateK(k, n);
  if (radii.length !== n) {
    throw new InvalidParameterError("radii.length", radii.length, `${n}, one radius per sample`);
  }
  if (typeof coverageRadius !== "number" || !Number.isFinite(coverageRadius)) {
    throw new InvalidParameterError("coverageRadius", coverageRadius, "a finite number");
  }
  const heap = new NeighbourHeaps(1, k);
  const oi = index * d;
  for (let j = 0; j < n; j++) {
    if (j === index) continue;
    const oj = j * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = data[oi + t]! - data[oj + t]!;
      s += diff * diff;
    }
    if (s <= heap.bound(0)) heap.push(0, s, j);
  }
  heap.sortRows();
  const distances = new Float64Array(k);
  for (let t = 0; t < k; t++) distances[t] = Math.sqrt(heap.dist[t]!);
  const radius = radii[index]!;
  return {
    index,
    neighbours: heap.index.slice(),
    distances,
    radius,
    coverageRadius,
    exceedsCoverageRadius: radius > coverageRadius,
    rank: radiusRank(radii, index),
  };
}

/**
 * Rank of radii[index] among all radii, 1 = largest; equal radii rank the larger index first,
 * so the rank is the sample's position (1-based) in adaptive coverage's descending order. O(n).
 * @throws InvalidParameterError for an index outside [0, radii.length)
 */
export function radiusRank(radii: Float64Array, index: number): number {
  if (!Number.isSafeInteger(index) || index < 0 || index >= radii.length) {
    throw new InvalidParameterError("index", index, `an integer in [0, ${radii.length})`);
  }
  const r = radii[index]!;
  let rank = 1;
  for (let j = 0; j < radii.length; j++) {
    const v = radii[j]!;
    if (v > r || (v === r && j > index)) rank++;
  }
  return rank;
}
