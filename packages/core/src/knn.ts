import { expandRadii, planDuplicates } from "./duplicates.js";
import { type Embeddings, toFloat64 } from "./embeddings.js";
import { NeighbourHeaps } from "./neighbour-heap.js";
import { leafRadii, partitionWorkShare } from "./leaf-knn.js";
import { buildSpatialIndex, leafSizeFor, type SpatialIndex } from "./spatial-index.js";
import { validateK } from "./validate.js";

/** Each row's k nearest neighbours, self excluded, ascending by (distance, index). */
export interface NearestNeighbours {
  readonly n: number;
  readonly k: number;
  /** n * k neighbour indices, row-major. */
  readonly indices: Int32Array;
  /** n * k Euclidean distances, row-major, matching `indices`. */
  readonly distances: Float64Array;
}

/** Rows per tile: 128 rows of d = 10 float64 are 10 KiB, two tiles fit in L1. */
const BLOCK_ROWS = 128;

/**
 * Exact k nearest neighbours of every row by direct differences in float64 (no |a|^2 + |b|^2 - 2ab
 * expansion, so duplicates are at exactly 0). The sample itself is excluded by index; its
 * duplicates are not. Work: n^2 d / 2 (each pair once, offered to both rows); memory O(n k).
 * Ties are broken by the smaller index, so the result is deterministic.
 * @throws InvalidParameterError for k not an integer >= 1; NotEnoughSamplesError for n <= k
 */
export function nearestNeighbours(embeddings: Embeddings, k: number): NearestNeighbours {
  const heaps = searchHeaps(embeddings, k);
  heaps.sortRows();
  const distances = heaps.dist;
  for (let p = 0; p < distances.length; p++) distances[p] = Math.sqrt(distances[p]!);
  return { n: embeddings.n, k, indices: heaps.index, distances };
}

/**
 * Up to this many dimensions the k-d partition beats the symmetric brute force on clustered data
 * (k = 20, one thread; the figures are in the README's "What made the difference"); above it, the
 * partition is used only where it prunes (BRUTE_MIN_SHARE).
 */
export const PARTITION_MAX_DIMENSIONS = 128;

/**
 * Critical value radii: for each sample, the Euclidean distance to its k-th nearest neighbour,
 * itself excluded (duplicates of it count, at distance 0). Exact; same units as the embeddings.
 * Takes the faster of two exact methods for this d and, above PARTITION_MAX_DIMENSIONS, for how
 * well the partition prunes this data (both give bit-identical radii). Exact duplicate rows beyond
 * k + 1 copies are collapsed first (`planDuplicates`): identical data costs O(n d), not O(n^2 d).
 * @throws InvalidParameterError for k not an integer >= 1; NotEnoughSamplesError for n <= k
 */
export function criticalValueRadii(embeddings: Embeddings, k: number): Float64Array {
  validateK(k, embeddings.n);
  const plan = planDuplicates(embeddings, k);
  if (plan) return expandRadii(plan, searchRadii(plan.reduced, k));
  return searchRadii(embeddings, k);
}

function searchRadii(embeddings: Embeddings, k: number): Float64Array {
  if (embeddings.d <= PARTITION_MAX_DIMENSIONS) return criticalValueRadiiPartitioned(embeddings, k);
  // in high dimension the partition pays only where its balls prune (clustered data): measure
  const index = buildSpatialIndex(embeddings, leafSizeFor(k));
  return partitionWorkShare(index, k) <= BRUTE_MIN_SHARE
    ? radiiFromIndex(index, k)
    : criticalValueRadiiBrute(embeddings, k);
}

/**
 * Above PARTITION_MAX_DIMENSIONS, brute force (each pair once, both rows served) wins when the
 * partition would do more than this share of the n^2 query-point work: ten clusters (share 0.2)
 * favour the partition, uniform noise (share 1) brute force (figures in the README).
 */
const BRUTE_MIN_SHARE = 0.5;

/**
 * Critical value radii by brute force over tiles, each pair once: the faster method in high
 * dimension, where no partition prunes.
 * @throws InvalidParameterError for k not an integer >= 1; NotEnoughSamplesError for n <= k
 */
export function criticalValueRadiiBrute(embeddings: Embeddings, k: number): Float64Array {
  const heaps = searchHeaps(embeddings, k);
  const radii = new Float64Array(embeddings.n);
  // the root of each full max-heap is its k-th smallest squared distance
  for (let i = 0; i < embeddings.n; i++) radii[i] = Math.sqrt(heaps.dist[i * k]!);
  return radii;
}

function searchHeaps(embeddings: Embeddings, k: number): NeighbourHeaps {
  const { n, d } = embeddings;
  validateK(k, n);
  const x = toFloat64(embeddings.data);
  const heaps = new NeighbourHeaps(n, k);
  for (let bi = 0; bi < n; bi += BLOCK_ROWS) {
    const iEnd = Math.min(bi + BLOCK_ROWS, n);
    for (let bj = bi; bj < n; bj += BLOCK_ROWS) {
      const jEnd = Math.min(bj + BLOCK_ROWS, n);
      scanTile(x, d, heaps, bi, iEnd, bj, jEnd);
    }
  }
  return heaps;
}

/**
 * Offers every pair (i, j), i in [i0, i1), j in [j0, j1), j > i, to both rows' heaps. A distance is
 * abandoned part-way once it exceeds both rows' current k-th distance (it could enter neither).
 */
function scanTile(
  x: Float64Array,
  d: number,
  heaps: NeighbourHeaps,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
): void {
  for (let i = i0; i < i1; i++) {
    const oi = i * d;
    let boundI = heaps.bound(i);
    for (let j = j0 > i ? j0 : i + 1; j < j1; j++) {
      const boundJ = heaps.bound(j);
      const limit = boundI > boundJ ? boundI : boundJ;
      const oj = j * d;
      let s = 0;
      let t = 0;
      // check the bound every 8 dimensions: often enough to cut high-d work, rarely enough to stay cheap
      while (t < d) {
        const stop = t + 8 < d ? t + 8 : d;
        for (; t < stop; t++) {
          const diff = x[oi + t]! - x[oj + t]!;
          s += diff * diff;
        }
        if (s > limit) break;
      }
      if (s > limit) continue;
      if (s <= boundI) {
        heaps.push(i, s, j);
        boundI = heaps.bound(i);
      }
      if (s <= boundJ) heaps.push(j, s, i);
    }
  }
}

/**
 * Readable O(n^2 d) reference for tests: the full sorted distance row per sample. Not for large n.
 */
export function criticalValueRadiiReference(embeddings: Embeddings, k: number): Float64Array {
  const { n, d, data } = embeddings;
  validateK(k, n);
  const radii = new Float64Array(n);
  const row = new Float64Array(n - 1);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = data[i * d + t]! - data[j * d + t]!;
        s += diff * diff;
      }
      row[m++] = Math.sqrt(s);
    }
    row.sort();
    radii[i] = row[k - 1]!;
  }
  return radii;
}

/**
 * The same radii as criticalValueRadii, through a k-d partition that skips far leaves: far less
 * work than brute force on low-dimensional or clustered data, bit-identical results.
 * @throws InvalidParameterError for k not an integer >= 1; NotEnoughSamplesError for n <= k
 */
export function criticalValueRadiiPartitioned(embeddings: Embeddings, k: number): Float64Array {
  validateK(k, embeddings.n);
  return radiiFromIndex(buildSpatialIndex(embeddings, leafSizeFor(k)), k);
}

function radiiFromIndex(index: SpatialIndex, k: number): Float64Array {
  const byPosition = leafRadii(index, k, 0, index.leafStart.length - 1);
  const radii = new Float64Array(index.n);
  for (let p = 0; p < index.n; p++) radii[index.order[p]!] = byPosition[p]!;
  return radii;
}
