import type { Embeddings } from "./embeddings.js";
import { InvalidParameterError } from "./errors.js";
import { PARTITION_MAX_DIMENSIONS, nearestNeighbours } from "./knn.js";
import { leafNeighbourHeaps } from "./leaf-knn.js";
import { median } from "./median.js";
import { buildSpatialIndex, leafSizeFor } from "./spatial-index.js";
import { validateK } from "./validate.js";

/** Nearest-neighbour pairs, each unordered pair once: pair t is (first[t], second[t]) at distances[t]. */
export interface NearestNeighbourPairs {
  readonly first: Int32Array;
  readonly second: Int32Array;
  /** Euclidean distance of each pair, in the embeddings' units. */
  readonly distances: Float64Array;
}

/**
 * Each row's nearest other row (itself excluded by index, its duplicates at distance 0 included;
 * ties to the smaller index), exact: the k-d partition up to PARTITION_MAX_DIMENSIONS dimensions,
 * brute force above. `index[i]` is the neighbour of row i, `distance[i]` its Euclidean distance.
 * @throws NotEnoughSamplesError for fewer than 2 rows
 */
export function nearestOther(embeddings: Embeddings): {
  index: Int32Array;
  distance: Float64Array;
} {
  validateK(1, embeddings.n);
  if (embeddings.d > PARTITION_MAX_DIMENSIONS) {
    const nn = nearestNeighbours(embeddings, 1);
    return { index: nn.indices, distance: nn.distances };
  }
  const n = embeddings.n;
  const spatial = buildSpatialIndex(embeddings, leafSizeFor(1));
  const heaps = leafNeighbourHeaps(spatial, 1, 0, spatial.leafStart.length - 1);
  const index = new Int32Array(n);
  const distance = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const row = spatial.order[p]!;
    index[row] = heaps.index[p]!;
    distance[row] = Math.sqrt(heaps.dist[p]!);
  }
  return { index, distance };
}

/**
 * DataEval's `nearest_neighbor_pairs` (from `completeness`): for each row i in index order, the pair
 * (i, its nearest other row), kept unless the same unordered pair came before (mutual nearest
 * neighbours appear once); then sorted by decreasing distance, equal distances in that first order.
 * Where sklearn's own tie order would decide (exact duplicates, equal distances), Lacuna takes the
 * smaller index and never pairs a row with itself.
 * @throws NotEnoughSamplesError for fewer than 2 rows
 */
export function nearestNeighbourPairs(embeddings: Embeddings): NearestNeighbourPairs {
  const { index, distance } = nearestOther(embeddings);
  const kept = dedupedPairs(index);
  const order = new Int32Array(kept.length);
  for (let t = 0; t < order.length; t++) order[t] = t;
  order.sort((a, b) => distance[kept[b]!]! - distance[kept[a]!]! || a - b);
  const first = new Int32Array(kept.length);
  const second = new Int32Array(kept.length);
  const distances = new Float64Array(kept.length);
  for (let t = 0; t < order.length; t++) {
    const i = kept[order[t]!]!;
    first[t] = i;
    second[t] = index[i]!;
    distances[t] = distance[i]!;
  }
  return { first, second, distances };
}

/**
 * Rows i, in index order, whose pair (i, neighbour[i]) is the first of its unordered pair: the
 * pair is a repeat exactly when row j = neighbour[i] < i already paired itself with i.
 */
function dedupedPairs(neighbour: Int32Array): Int32Array {
  const rows = new Int32Array(neighbour.length);
  let m = 0;
  for (let i = 0; i < neighbour.length; i++) {
    const j = neighbour[i]!;
    if (j < i && neighbour[j] === i) continue;
    rows[m++] = i;
  }
  return rows.slice(0, m);
}

/** The nearest-neighbour distances of the deduplicated pairs, in row order (see nearestNeighbourPairs). */
export function nearestPairDistances(embeddings: Embeddings): Float64Array {
  const { index, distance } = nearestOther(embeddings);
  const kept = dedupedPairs(index);
  const out = new Float64Array(kept.length);
  for (let t = 0; t < kept.length; t++) out[t] = distance[kept[t]!]!;
  return out;
}

/**
 * Share of nearest-neighbour pair distances below `factor` times their median (DataEval's
 * scope.Coverage near-duplicate fraction), in [0, 1]. When the median is 0 (most pairs are exact
 * duplicates) the share of distances equal to 0 instead. Units cancel.
 * @throws InvalidParameterError for no distances, or factor not a finite number >= 0
 */
export function nearDuplicateFraction(distances: Float64Array, factor: number): number {
  validateNearDuplicateFactor(factor);
  if (distances.length === 0) {
    throw new InvalidParameterError("distances", "an empty array", "at least one distance");
  }
  const mid = median(distances);
  let count = 0;
  if (mid === 0) {
    for (let t = 0; t < distances.length; t++) if (distances[t] === 0) count++;
  } else {
    const limit = factor * mid;
    for (let t = 0; t < distances.length; t++) if (distances[t]! < limit) count++;
  }
  return count / distances.length;
}

/**
 * Checks the near-duplicate factor: a finite number >= 0.
 * @throws InvalidParameterError
 */
export function validateNearDuplicateFactor(factor: number): void {
  if (typeof factor !== "number" || !Number.isFinite(factor) || factor < 0) {
    throw new InvalidParameterError("nearDuplicateFactor", factor, "a finite number >= 0");
  }
}
