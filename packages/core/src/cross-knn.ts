import { type Embeddings, toFloat64 } from "./embeddings.js";
import { InvalidEmbeddingsError, InvalidParameterError } from "./errors.js";
import { PARTITION_MAX_DIMENSIONS, type NearestNeighbours } from "./knn.js";
import { ballGap } from "./leaf-bounds.js";
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
 * @throws InvalidParameterError for k outside [1, reference rows] or a leaf range outside the
 *   query's; InvalidEmbeddingsError for indexes of different widths
 */
export function crossLeafNeighbourHeaps(
  ref: SpatialIndex,
  qi: SpatialIndex,
  k: number,
  leafA: number,
  leafB: number,
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
        if (pointGap(qi.points, p * d, ref, l, d, balls) <= bound) {
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

/**
 * Squared distance between x[ox..ox+d) and y[oy..oy+d), summed in dimension order; once a partial
 * sum exceeds `bound` (checked every 8 dimensions) the partial sum is returned, which is then also
 * over the bound: partial sums of non-negative terms never decrease under rounding.
 */
export function abandonedDistSq(
  x: Float64Array,
  ox: number,
  y: Float64Array,
  oy: number,
  d: number,
  bound: number,
): number {
  let s = 0;
  let t = 0;
  while (t < d) {
    const stop = t + 8 < d ? t + 8 : d;
    for (; t < stop; t++) {
      const diff = x[ox + t]! - y[oy + t]!;
      s += diff * diff;
    }
    if (s > bound) return s;
  }
  return s;
}

/**
 * Squared gap from the point x[ox..ox+d) to leaf l's box in `index`: no point of the leaf has a
 * smaller computed squared distance to it (each coordinate's rounded gap is at most the rounded
 * difference).
 */
export function pointBoxGapSq(
  x: Float64Array,
  ox: number,
  index: SpatialIndex,
  l: number,
  d: number,
): number {
  const { boxLow, boxHigh } = index;
  const ol = l * d;
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = x[ox + t]!;
    const below = boxLow[ol + t]! - v;
    const above = v - boxHigh[ol + t]!;
    const g = below > 0 ? below : above > 0 ? above : 0;
    s += g * g;
  }
  return s;
}

/** Squared gap between leaf a's box of index `ia` and leaf b's box of index `ib` (0 if they meet). */
function boxGapSq(ia: SpatialIndex, a: number, ib: SpatialIndex, b: number, d: number): number {
  let s = 0;
  const oa = a * d;
  const ob = b * d;
  for (let t = 0; t < d; t++) {
    const g1 = ib.boxLow[ob + t]! - ia.boxHigh[oa + t]!;
    const g2 = ia.boxLow[oa + t]! - ib.boxHigh[ob + t]!;
    const g = g1 > 0 ? g1 : g2 > 0 ? g2 : 0;
    s += g * g;
  }
  return s;
}

/** Squared distance between the two boxes' centres, times 4 (which keeps the order). */
function boxCentreDistSq(
  ia: SpatialIndex,
  a: number,
  ib: SpatialIndex,
  b: number,
  d: number,
): number {
  let s = 0;
  const oa = a * d;
  const ob = b * d;
  for (let t = 0; t < d; t++) {
    const diff =
      ia.boxLow[oa + t]! + ia.boxHigh[oa + t]! - ib.boxLow[ob + t]! - ib.boxHigh[ob + t]!;
    s += diff * diff;
  }
  return s;
}

/**
 * A lower bound on the squared distance from the point x[ox..ox+d) to leaf l's points: its box
 * gap, or from BALL_MIN_DIMENSIONS its ball gap (a box in high dimension prunes little a ball has
 * not, as the self search found).
 */
function pointGap(
  x: Float64Array,
  ox: number,
  index: SpatialIndex,
  l: number,
  d: number,
  balls: boolean,
): number {
  if (!balls) return pointBoxGapSq(x, ox, index, l, d);
  return ballGap(Math.sqrt(distSq(x, ox, index.centre, l * d, d)), index.radius[l]!, d);
}

/** A lower bound on the squared distance between leaf a's points of `ia` and leaf b's of `ib`, by their balls. */
function leafBallGap(ia: SpatialIndex, a: number, ib: SpatialIndex, b: number, d: number): number {
  const centres = Math.sqrt(distSq(ia.centre, a * d, ib.centre, b * d, d));
  return ballGap(centres, ia.radius[a]! + ib.radius[b]!, d);
}

/** Squared distance between x[ox..ox+d) and y[oy..oy+d), summed in dimension order. */
export function distSq(
  x: Float64Array,
  ox: number,
  y: Float64Array,
  oy: number,
  d: number,
): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = x[ox + t]! - y[oy + t]!;
    s += diff * diff;
  }
  return s;
}
