/**
 * The steps of gap regions (gaps.ts), each over a slice of its input, so that the worker pool can
 * run the slices on its threads and core can run them whole on the calling thread with the same
 * arithmetic: the answers are the same to the bit however the work is cut.
 *
 * Rows here are positions in the flagged list (t for flagged[t]); the links search a spatial
 * index built on the flagged rows alone, and the medoid sums read that index's points (float64
 * copies of the rows, so the distances are those of the rows themselves).
 */
import type { Embeddings } from "./embeddings.js";
import { ComputationStoppedError, InvalidParameterError } from "./errors.js";
import type { NearestNeighbours } from "./knn.js";
import { distSq } from "./leaf-geometry.js";
import { forEachWithinRadius } from "./range-query.js";
import { type IndexPoints, type SpatialIndex, buildSpatialIndex } from "./spatial-index.js";

/** Leaf size of the flagged rows' index (the link searches' cost barely moves with it). */
const GAP_LEAF = 32;

/** The spatial index of the flagged rows of `points`, in flagged order (row t = flagged[t]). */
export function flaggedIndex(
  points: Embeddings,
  flagged: Int32Array,
  shared = false,
): SpatialIndex {
  const { d } = points;
  const m = flagged.length;
  const sub = new Float64Array(m * d);
  for (let t = 0; t < m; t++) {
    const i = flagged[t]! * d;
    for (let c = 0; c < d; c++) sub[t * d + c] = points.data[i + c]!;
  }
  return buildSpatialIndex({ data: sub, n: m, d }, GAP_LEAF, shared);
}

/** Union-find with the smaller root winning, so the roots do not depend on the order of unions. */
class Forest {
  readonly parent: Int32Array;
  constructor(m: number) {
    this.parent = new Int32Array(m);
    for (let t = 0; t < m; t++) this.parent[t] = t;
  }
  find(a: number): number {
    const parent = this.parent;
    let r = a;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[a] !== r) {
      const next = parent[a]!;
      parent[a] = r;
      a = next;
    }
    return r;
  }
  /** Joins the trees of a and b; false when they were already one. */
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
    return true;
  }
}

/**
 * The links found from the points at index positions [p0, p1): for each such row a, the rows
 * b > a within distance <= link (core's range search), kept only where they join two trees of a
 * union-find local to the call, so at most m - 1 pairs come back whatever the density. A pair whose
 * rows this call has already joined is skipped before its distance is computed: inside a large
 * region most are. The union of every slice's links has the components of all pairs within link.
 * @returns pairs (a, b) back to back
 * @throws ComputationStoppedError when `shouldStop` (asked before each row) says so
 */
export function gapLinks(
  index: SpatialIndex,
  p0: number,
  p1: number,
  link: number,
  shouldStop?: () => boolean,
): Int32Array {
  const { d, points, order } = index;
  const forest = new Forest(index.n);
  const pairs: number[] = [];
  for (let p = p0; p < p1; p++) {
    if (shouldStop?.()) throw new ComputationStoppedError();
    const a = order[p]!;
    forEachWithinRadius(
      index,
      points,
      p * d,
      link,
      (b) => {
        if (forest.union(a, b)) pairs.push(a, b);
      },
      (b) => b <= a || forest.find(a) === forest.find(b),
    );
  }
  return Int32Array.from(pairs);
}

/** The root (smallest member) of each row's component, from every slice's links. */
export function linkRoots(m: number, links: Iterable<Int32Array>): Int32Array {
  const forest = new Forest(m);
  for (const pairs of links) {
    for (let e = 0; e < pairs.length; e += 2) forest.union(pairs[e]!, pairs[e + 1]!);
  }
  const root = new Int32Array(m);
  for (let t = 0; t < m; t++) root[t] = forest.find(t);
  return root;
}

/**
 * For members [a0, a1) of one region (index positions, in ascending sample order), the sum of the
 * distances to every other member, added in that order: the medoid's criterion.
 * Work: (a1 - a0) * members * d.
 * @throws ComputationStoppedError when `shouldStop` (asked before each member) says so
 */
export function distanceSums(
  points: IndexPoints,
  d: number,
  positions: Int32Array,
  a0: number,
  a1: number,
  shouldStop?: () => boolean,
): Float64Array {
  const sums = new Float64Array(a1 - a0);
  for (let a = a0; a < a1; a++) {
    if (shouldStop?.()) throw new ComputationStoppedError();
    const pa = positions[a]! * d;
    let sum = 0;
    for (let b = 0; b < positions.length; b++) {
      if (b !== a) sum += Math.sqrt(distSq(points, pa, points, positions[b]! * d, d));
    }
    sums[a - a0] = sum;
  }
  return sums;
}

/**
 * Deficits from each row's nearest neighbours (issue 17's definition, see deficits.ts): k minus
 * how many of its k nearest (others, for a reference sample: drop its own entry first with
 * withoutSelf) lie within distance <= radius. The same as selfDeficits / crossDeficits, whose range
 * counts stop at k, when the neighbours come from core's exact search (same distances).
 */
export function neighbourDeficits(neighbours: NearestNeighbours, radius: number): Int32Array {
  const { n, k, distances } = neighbours;
  const out = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    let within = 0;
    for (let c = 0; c < k; c++) if (distances[t * k + c]! <= radius) within++;
    out[t] = k - within;
  }
  return out;
}

/**
 * The k nearest OTHER rows of each of `rows`, from a search of those rows against the set they
 * belong to for k + 1 neighbours: each row's own entry removed. When a row has more than k rows at
 * distance 0 before it in index order its own entry is not among the k + 1, and the last one is
 * dropped instead: the k that remain are still its k nearest others.
 * @throws InvalidParameterError when `found` is not rows.length x (k + 1)
 */
export function withoutSelf(
  found: NearestNeighbours,
  rows: Int32Array,
  k: number,
): NearestNeighbours {
  const m = rows.length;
  if (found.n !== m || found.k !== k + 1) {
    throw new InvalidParameterError("neighbours", `${found.n} x ${found.k}`, `${m} x ${k + 1}`);
  }
  const indices = new Int32Array(m * k);
  const distances = new Float64Array(m * k);
  for (let t = 0; t < m; t++) {
    let out = t * k;
    let skipped = false;
    for (let c = 0; c <= k && out < (t + 1) * k; c++) {
      const j = found.indices[t * (k + 1) + c]!;
      if (!skipped && j === rows[t]) {
        skipped = true;
        continue;
      }
      indices[out] = j;
      distances[out] = found.distances[t * (k + 1) + c]!;
      out++;
    }
  }
  return { n: m, k, indices, distances };
}

/** The last of each row's k ascending distances: each row's k-th nearest, its radius. */
export function kthDistances(neighbours: NearestNeighbours): Float64Array {
  const { n, k, distances } = neighbours;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = distances[i * k + k - 1]!;
  return out;
}

/**
 * Rows `rows` of a neighbour table, in that order (the flagged rows' neighbours of a search over
 * all rows).
 * @throws InvalidParameterError for a row outside [0, n)
 */
export function neighbourRows(neighbours: NearestNeighbours, rows: Int32Array): NearestNeighbours {
  const { n, k } = neighbours;
  const indices = new Int32Array(rows.length * k);
  const distances = new Float64Array(rows.length * k);
  for (let t = 0; t < rows.length; t++) {
    const row = rows[t]!;
    if (!(row >= 0 && row < n)) throw new InvalidParameterError(`rows[${t}]`, row, `in [0, ${n})`);
    indices.set(neighbours.indices.subarray(row * k, row * k + k), t * k);
    distances.set(neighbours.distances.subarray(row * k, row * k + k), t * k);
  }
  return { n: rows.length, k, indices, distances };
}
