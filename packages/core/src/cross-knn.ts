import { type Embeddings, toFloat64 } from "./embeddings.js";
import {
  ComputationStoppedError,
  InvalidEmbeddingsError,
  InvalidParameterError,
} from "./errors.js";
import { PARTITION_MAX_DIMENSIONS, type NearestNeighbours } from "./knn.js";
import {
  abandonedDistSq,
  boxCentreDistSq,
  boxGapSq,
  distSq,
  leafBallGap,
  pointLeafGap,
} from "./leaf-geometry.js";
import { NeighbourHeaps } from "./neighbour-heap.js";
import {
  BALL_MIN_DIMENSIONS,
  buildSpatialIndex,
  leafSizeFor,
  type SpatialIndex,
} from "./spatial-index.js";

/**
 * Checks that `other` has the reference's number of columns (distances between rows of two sets
 * need the same embedding space).
 * @throws InvalidEmbeddingsError naming both widths
 */
export function assertSameWidth(reference: Embeddings, other: Embeddings, name: string): void {
  if (other.d !== reference.d) {
    throw new InvalidEmbeddingsError(
      `${name} rows have d = ${other.d} columns but the reference rows have d = ${reference.d}; both sets must come from the same encoder`,
    );
  }
}

/**
 * Checks k for a search of one set against a reference of nRef rows, where nothing is excluded:
 * an integer in [1, nRef].
 * @throws InvalidParameterError
 */
export function validateCrossK(k: number, nRef: number): void {
  if (typeof k !== "number" || !Number.isSafeInteger(k) || k < 1 || k > nRef) {
    throw new InvalidParameterError(
      "k (numObservations)",
      k,
      `an integer in [1, ${nRef}] (the reference has ${nRef} rows)`,
    );
  }
}

/**
 * For every query row, the k nearest reference rows, ascending by (distance, reference index);
 * nothing is excluded (a query row equal to a reference row finds it at distance 0). Exact:
 * distances are summed over the dimensions in order from direct float64 differences and square
 * rooted, as core's self search does, so they are bit-identical to brute force. Up to
 * PARTITION_MAX_DIMENSIONS dimensions the reference's k-d partition skips far leaves; above it,
 * brute force. Time about nQuery * (leaves + scanned points) * d; memory O(nQuery k).
 * @throws InvalidEmbeddingsError for sets of different widths; InvalidParameterError for k
 *   outside [1, reference rows]
 */
export function crossNearestNeighbours(
  reference: Embeddings,
  query: Embeddings,
  k: number,
): NearestNeighbours {
  const heaps = crossHeaps(reference, query, k);
  heaps.sortRows();
  const distances = heaps.dist;
  for (let p = 0; p < distances.length; p++) distances[p] = Math.sqrt(distances[p]!);
  return { n: query.n, k, indices: heaps.index, distances };
}

/**
 * Cross-set critical value radii: for each query row, the Euclidean distance to its k-th nearest
 * reference row (counting from 1; nothing excluded), in the embeddings' units. Exact and
 * bit-identical to brute force (see crossNearestNeighbours).
 * @throws InvalidEmbeddingsError for sets of different widths; InvalidParameterError for k
 *   outside [1, reference rows]
 */
export function crossCriticalValueRadii(
  reference: Embeddings,
  query: Embeddings,
  k: number,
): Float64Array {
  const heaps = crossHeaps(reference, query, k);
  const radii = new Float64Array(query.n);
  // the root of each full max-heap is its k-th smallest squared distance
  for (let i = 0; i < query.n; i++) radii[i] = Math.sqrt(heaps.dist[i * k]!);
  return radii;
}

function crossHeaps(reference: Embeddings, query: Embeddings, k: number): NeighbourHeaps {
  assertSameWidth(reference, query, "query");
  validateCrossK(k, reference.n);
  if (reference.d > PARTITION_MAX_DIMENSIONS) return bruteCross(reference, query, k);
  const leaf = leafSizeFor(k);
  const qi = buildSpatialIndex(query, leaf);
  const byPosition = crossLeafNeighbourHeaps(
    buildSpatialIndex(reference, leaf),
    qi,
    k,
    0,
    qi.leafStart.length - 1,
  );
  // back to query row order: heap row p belongs to query row qi.order[p]
  const heaps = new NeighbourHeaps(query.n, k);
  for (let p = 0; p < query.n; p++) {
    const row = qi.order[p]!;
    heaps.dist.set(byPosition.dist.subarray(p * k, p * k + k), row * k);
    heaps.index.set(byPosition.index.subarray(p * k, p * k + k), row * k);
    heaps.size[row] = byPosition.size[p]!;
  }
  return heaps;
}

/** Every query row against every reference row, abandoning a distance once over the row's bound. */
function bruteCross(reference: Embeddings, query: Embeddings, k: number): NeighbourHeaps {
  const { d } = reference;
  const r = toFloat64(reference.data);
  const q = toFloat64(query.data);
  const heaps = new NeighbourHeaps(query.n, k);
  for (let i = 0; i < query.n; i++) {
    let bound = Infinity;
    for (let j = 0; j < reference.n; j++) {
      const s = abandonedDistSq(q, i * d, r, j * d, d, bound);
      if (s <= bound) {
        heaps.push(i, s, j);
        bound = heaps.bound(i);
      }
    }
  }
  return heaps;
}

/**
 * Exact k nearest reference rows (squared distances, reference row indices) of the query points
 * at leaves [leafA, leafB) of the query's own partition `qi`; heap row r is query position
 * qi.leafStart[leafA] + r (original row qi.order[that]). Separate leaf ranges are independent,
 * so a worker pool can split the queries by leaves over shared indexes, as it does the self search.
 * Query leaves against reference leaves, as core's self search does within one index: for each
 * query leaf, the reference leaves nearest first (by box centres, or ball centres with balls), each skipped when its box is
 * farther than every query's current k-th distance, and per query when farther than its own.
 * Every prune compares a box gap that rounding can only make smaller than a point's computed
 * distance, so no point that brute force would keep is skipped. From BALL_MIN_DIMENSIONS, leaves
 * are also tested by their balls, with the self search's rounding-safe ballGap.
 * The leaf geometry (box and ball gaps, distances) is leaf-geometry.ts's, shared with the self
 * search. `shouldStop`, asked before each query leaf, ends the work early with
 * ComputationStoppedError (how the worker pool cancels a running block).
 * @throws InvalidParameterError for k outside [1, reference rows] or a leaf range outside the
 *   query's; InvalidEmbeddingsError for indexes of different widths; ComputationStoppedError
 */
export function crossLeafNeighbourHeaps(
  ref: SpatialIndex,
  qi: SpatialIndex,
  k: number,
  leafA: number,
  leafB: number,
  shouldStop?: () => boolean,
): NeighbourHeaps {
  validateCrossK(k, ref.n);
  const leaves = qi.leafStart.length - 1;
  if (
    !Number.isSafeInteger(leafA) ||
    !Number.isSafeInteger(leafB) ||
    leafA < 0 ||
    leafA > leafB ||
    leafB > leaves
  ) {
    throw new InvalidParameterError(
      "query leaves",
      `[${leafA}, ${leafB})`,
      `a range within [0, ${leaves})`,
    );
  }
  if (qi.d !== ref.d) {
    throw new InvalidEmbeddingsError(
      `query rows have d = ${qi.d} columns but the reference rows have d = ${ref.d}; both sets must come from the same encoder`,
    );
  }
  const d = ref.d;
  const base = qi.leafStart[leafA]!;
  const heaps = new NeighbourHeaps(qi.leafStart[leafB]! - base, k);
  const refLeaves = ref.leafStart.length - 1;
  const order = new Int32Array(refLeaves);
  const centreGap = new Float64Array(refLeaves);
  const balls = d >= BALL_MIN_DIMENSIONS;
  for (let q = leafA; q < leafB; q++) {
    if (shouldStop?.()) throw new ComputationStoppedError();
    const qStart = qi.leafStart[q]!;
    const qEnd = qi.leafStart[q + 1]!;
    for (let l = 0; l < refLeaves; l++) {
      order[l] = l;
      centreGap[l] = balls
        ? distSq(qi.centre, q * d, ref.centre, l * d, d)
        : boxCentreDistSq(qi, q, ref, l, d);
    }
    order.sort((a, b) => centreGap[a]! - centreGap[b]! || a - b);
    let worst = Infinity;
    for (let c = 0; c < refLeaves; c++) {
      const l = order[c]!;
      if (boxGapSq(qi, q, ref, l, d) > worst) continue;
      if (balls && leafBallGap(qi, q, ref, l, d) > worst) continue;
      const lStart = ref.leafStart[l]!;
      const lEnd = ref.leafStart[l + 1]!;
      worst = 0;
      for (let p = qStart; p < qEnd; p++) {
        const row = p - base;
        let bound = heaps.bound(row);
        if (pointLeafGap(qi.points, p * d, ref, l, d, balls) <= bound) {
          for (let j = lStart; j < lEnd; j++) {
            const s = abandonedDistSq(qi.points, p * d, ref.points, j * d, d, bound);
            if (s <= bound) {
              heaps.push(row, s, ref.order[j]!);
              bound = heaps.bound(row);
            }
          }
        }
        if (bound > worst) worst = bound;
      }
    }
  }
  return heaps;
}
