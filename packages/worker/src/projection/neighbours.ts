import { type Embeddings, nearestNeighbours } from "@lacuna/core";
import {
  buildSpatialIndex,
  leafNeighbourHeaps,
  leafSizeFor,
  PARTITION_MAX_DIMENSIONS,
} from "@lacuna/core/internal";

/** Each row's k nearest neighbours, self excluded, ascending by (distance, index). */
export interface SquaredNeighbours {
  readonly k: number;
  /** n * k neighbour indices, row-major. */
  readonly indices: Int32Array;
  /** n * k squared Euclidean distances, matching `indices`. */
  readonly squared: Float64Array;
}

/**
 * Exact k nearest neighbours (squared distances) of every row: @lacuna/core's k-d partition in low
 * dimension, which `shouldStop` can interrupt between leaves (ComputationStoppedError), its brute
 * force above PARTITION_MAX_DIMENSIONS (not interruptible; its distances come back as square
 * roots, squared again here, so they may differ from the direct sums in the last bit). Both keep
 * the same (distance, index)-ordered set. Requires 1 <= k < n.
 */
export function exactNeighbours(
  embeddings: Embeddings,
  k: number,
  shouldStop?: () => boolean,
): SquaredNeighbours {
  const { n } = embeddings;
  if (embeddings.d > PARTITION_MAX_DIMENSIONS) {
    const { indices, distances } = nearestNeighbours(embeddings, k);
    for (let p = 0; p < distances.length; p++) distances[p] = distances[p]! * distances[p]!;
    return { k, indices, squared: distances };
  }
  const index = buildSpatialIndex(embeddings, leafSizeFor(k));
  const heaps = leafNeighbourHeaps(index, k, 0, index.leafStart.length - 1, shouldStop);
  heaps.sortRows();
  // heap rows are in leaf order: put them back in row order
  const indices = new Int32Array(n * k);
  const squared = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const row = index.order[r]!;
    indices.set(heaps.index.subarray(r * k, r * k + k), row * k);
    squared.set(heaps.dist.subarray(r * k, r * k + k), row * k);
  }
  return { k, indices, squared };
}
