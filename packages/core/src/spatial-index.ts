import type { Embeddings } from "./embeddings.js";
import { gatherRowsInPlace } from "./row-order.js";

/**
 * An index's coordinates: float64, or float32 where the index was built `narrow` from float32
 * embeddings. Either way every value is the embedding's own, so every sum the searches compute
 * from them (each read widens exactly to float64) is the same, bit for bit.
 */
export type IndexPoints = Float32Array | Float64Array;

/**
 * A k-d partition of the rows into leaves of nearby points, each with its bounding box, stored
 * flat: points reordered so that every leaf is a contiguous run (cache-friendly scans), and the
 * permutation back to the original row indices. Built once; read-only afterwards, so it can be
 * shared between threads.
 */
export interface SpatialIndex {
  readonly n: number;
  readonly d: number;
  /** n x d points in leaf order (float32 only where built narrow from float32 embeddings). */
  readonly points: IndexPoints;
  /** order[p] = original row index of the point at position p. */
  readonly order: Int32Array;
  /** Leaf l holds positions [leafStart[l], leafStart[l + 1]). Length leaves + 1. */
  readonly leafStart: Int32Array;
  /** leaves x d lower and upper corners of each leaf's bounding box. */
  readonly boxLow: Float64Array;
  readonly boxHigh: Float64Array;
  /** leaves x d: the mean of each leaf's points, the centre of its bounding ball. */
  readonly centre: Float64Array;
  /** Per leaf: the largest distance from its centre to one of its points (the ball's radius). */
  readonly radius: Float64Array;
}

/**
 * From this many dimensions leaves are split across the data's own spread (the line through two
 * far-apart points, cut between them rather than at the median, so clusters part) rather than
 * along one coordinate, and searches prune by the leaves' balls instead of their boxes: a box in
 * 512-d splits a few coordinates of 512 and prunes nothing, a ball around one cluster's leaf rules
 * out the other clusters. Measured on ten clusters, k = 20, one thread: 5000 x 512 took 2.9 s
 * against brute force's 4.5 s, and 632 points scanned a query against 1012 with median cuts.
 * Below it the k-d boxes already prune about as well as leaves can: on the MNIST embeddings
 * (60 000 x 10) a query scans 4637 points, against 4485 in the leaves its final k-ball meets.
 */
export const BALL_MIN_DIMENSIONS = 32;

/**
 * Largest leaf for k neighbours. Median splits halve leaves, so leaves end up holding between half
 * this and this many points (a quarter, from BALL_MIN_DIMENSIONS): at least k + 1, so a point's
 * own leaf fills its heap. 4 (k + 1) rather than 2 (k + 1) because larger leaves cost more
 * distances inside a leaf but far fewer box tests and leaf visits in 10-d, where boxes prune
 * poorly (the measurement is in the README's "What made the difference").
 */
export function leafSizeFor(k: number): number {
  return Math.max(64, 4 * (k + 1));
}

/**
 * Builds the partition by splits until leaves hold at most `maxLeaf` points: at the median of the
 * widest dimension (so at least maxLeaf / 2 points, when n allows), or from BALL_MIN_DIMENSIONS
 * across the data's spread (at least maxLeaf / 4). O(n log n d) time; memory: the n x d float64
 * `points`, read from the embeddings as given (float32 values widen exactly, so no float64 copy
 * of them is made first). With `shared`, every array of the index lives in a SharedArrayBuffer,
 * so that threads can read them without a copy. With `narrow` and float32 embeddings the points
 * stay float32 (4 n d bytes instead of 8 n d: 64 MB less at 1M x 16, 512 MB at 1M x 128), with
 * the same values; float64 embeddings ignore it. With `inPlace`, where the points would have the
 * embeddings' own type (float64, or float32 and `narrow`), they are the embeddings' own array, its
 * rows reordered into leaf order (no copy: the caller's data is in leaf order until it calls
 * restoreRowsInPlace(data, d, index.order), and must not be read as rows meanwhile); `shared`
 * then says nothing about the points, whose buffer is the embeddings'.
 */
export function buildSpatialIndex(
  embeddings: Embeddings,
  maxLeaf: number,
  shared = false,
  narrow = false,
  inPlace = false,
): SpatialIndex {
  const { n, d } = embeddings;
  const x = embeddings.data;
  const order = int32s(n, shared);
  for (let i = 0; i < n; i++) order[i] = i;
  const starts: number[] = [];
  const values = new Float64Array(n);
  const across = d >= BALL_MIN_DIMENSIONS;
  split(x, d, order, values, across, 0, n, Math.max(1, maxLeaf), starts);
  const leaves = starts.length;
  const leafStart = int32s(leaves + 1, shared);
  for (let l = 0; l < leaves; l++) leafStart[l] = starts[l]!;
  leafStart[leaves] = n;
  const float32 = narrow && x instanceof Float32Array;
  let points: IndexPoints;
  if (inPlace && (float32 || x instanceof Float64Array)) {
    gatherRowsInPlace(x, d, order);
    points = x;
  } else {
    const bytes = n * d * (float32 ? 4 : 8);
    const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    points = float32 ? new Float32Array(buffer) : new Float64Array(buffer);
    for (let p = 0; p < n; p++) points.set(x.subarray(order[p]! * d, order[p]! * d + d), p * d);
  }
  const boxLow = float64s(leaves * d, shared).fill(Infinity);
  const boxHigh = float64s(leaves * d, shared).fill(-Infinity);
  for (let l = 0; l < leaves; l++) {
    for (let p = leafStart[l]!; p < leafStart[l + 1]!; p++) {
      for (let t = 0; t < d; t++) {
        const v = points[p * d + t]!;
        if (v < boxLow[l * d + t]!) boxLow[l * d + t] = v;
        if (v > boxHigh[l * d + t]!) boxHigh[l * d + t] = v;
      }
    }
  }
  const { centre, radius } = leafBalls(points, d, leafStart, shared);
  return { n, d, points, order, leafStart, boxLow, boxHigh, centre, radius };
}

/** `length` zeros, in a SharedArrayBuffer where `shared`. */
function float64s(length: number, shared: boolean): Float64Array {
  return new Float64Array(shared ? new SharedArrayBuffer(8 * length) : new ArrayBuffer(8 * length));
}

function int32s(length: number, shared: boolean): Int32Array {
  return new Int32Array(shared ? new SharedArrayBuffer(4 * length) : new ArrayBuffer(4 * length));
}

/** Each leaf's mean and the largest distance from it to one of the leaf's points. */
function leafBalls(
  points: IndexPoints,
  d: number,
  leafStart: Int32Array,
  shared: boolean,
): { centre: Float64Array; radius: Float64Array } {
  const leaves = leafStart.length - 1;
  const centre = float64s(leaves * d, shared);
  const radius = float64s(leaves, shared);
  for (let l = 0; l < leaves; l++) {
    const a = leafStart[l]!;
    const b = leafStart[l + 1]!;
    const oc = l * d;
    for (let p = a; p < b; p++) {
      for (let t = 0; t < d; t++) centre[oc + t] = centre[oc + t]! + points[p * d + t]!;
    }
    for (let t = 0; t < d; t++) centre[oc + t] = centre[oc + t]! / (b - a);
    let widest = 0;
    for (let p = a; p < b; p++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = points[p * d + t]! - centre[oc + t]!;
        s += diff * diff;
      }
      if (s > widest) widest = s;
    }
    radius[l] = Math.sqrt(widest);
  }
  return { centre, radius };
}

/**
 * Recursively partitions order[a, b) at the median of a projection: the widest coordinate, or
 * (`across`) the line through two far-apart points of the node; appends each leaf's start
 * position, left to right. `values` is scratch, one per position.
 */
function split(
  x: Float32Array | Float64Array,
  d: number,
  order: Int32Array,
  values: Float64Array,
  across: boolean,
  a: number,
  b: number,
  maxLeaf: number,
  starts: number[],
): void {
  if (b - a <= maxLeaf) {
    starts.push(a);
    return;
  }
  let mid = (a + b) >> 1;
  if (across) {
    // between the two far points rather than at the median, so that a node holding parts of two
    // clusters splits between them; but never into a side of under a quarter of maxLeaf (leaves
    // keep over k points) or an eighth of the node (the depth stays O(log n) on skewed data or
    // identical points, where every point is on one side of the cut)
    const cut = project(x, d, order, values, a, b);
    let below = a;
    for (let p = a; p < b; p++) if (values[p]! < cut) below++;
    const least = Math.max(1, Math.ceil(maxLeaf / 4), Math.floor((b - a) / 8));
    mid = Math.min(Math.max(below, a + least), b - least);
  } else {
    widestCoordinate(x, d, order, values, a, b);
  }
  select(values, order, a, b - 1, mid);
  split(x, d, order, values, across, a, mid, maxLeaf, starts);
  split(x, d, order, values, across, mid, b, maxLeaf, starts);
}

/**
 * values[p] = the coordinate of widest span among the points order[a, b) (the first such
 * coordinate on ties). Row by row, each row read once (one small allocation per node): a pass
 * per coordinate read every row d times in a random order (order is shuffled by then), which made
 * the 1M x 16 index take 39 s.
 */
function widestCoordinate(
  x: Float32Array | Float64Array,
  d: number,
  order: Int32Array,
  values: Float64Array,
  a: number,
  b: number,
): void {
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  for (let p = a; p < b; p++) {
    const o = order[p]! * d;
    for (let t = 0; t < d; t++) {
      const v = x[o + t]!;
      if (v < lo[t]!) lo[t] = v;
      if (v > hi[t]!) hi[t] = v;
    }
  }
  let widest = 0;
  let widestSpan = -1;
  for (let t = 0; t < d; t++) {
    if (hi[t]! - lo[t]! > widestSpan) {
      widestSpan = hi[t]! - lo[t]!;
      widest = t;
    }
  }
  for (let p = a; p < b; p++) values[p] = x[order[p]! * d + widest]!;
}

/**
 * values[p] = the projection of point order[p] on the line through two far-apart points of
 * order[a, b), u and v: the farthest from the first point, and the farthest from that one (two
 * passes of the usual approximation to the diameter; O((b - a) d)). Returns the projection of
 * the midpoint of u and v (points below it are nearer u).
 */
function project(
  x: Float32Array | Float64Array,
  d: number,
  order: Int32Array,
  values: Float64Array,
  a: number,
  b: number,
): number {
  const u = farthest(x, d, order, a, b, order[a]!);
  const v = farthest(x, d, order, a, b, u);
  const ou = u * d;
  const ov = v * d;
  let far = 0;
  for (let t = 0; t < d; t++) far += (x[ov + t]! - x[ou + t]!) * (x[ov + t]! - x[ou + t]!);
  for (let p = a; p < b; p++) {
    const op = order[p]! * d;
    let s = 0;
    for (let t = 0; t < d; t++) s += (x[op + t]! - x[ou + t]!) * (x[ov + t]! - x[ou + t]!);
    values[p] = s;
  }
  return far / 2;
}

/** The row among order[a, b) farthest from row `from`. */
function farthest(
  x: Float32Array | Float64Array,
  d: number,
  order: Int32Array,
  a: number,
  b: number,
  from: number,
): number {
  const of = from * d;
  let best = from;
  let bestDist = -1;
  for (let p = a; p < b; p++) {
    const op = order[p]! * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const diff = x[op + t]! - x[of + t]!;
      s += diff * diff;
    }
    if (s > bestDist) {
      bestDist = s;
      best = order[p]!;
    }
  }
  return best;
}

/**
 * Quickselect: reorders positions lo..hi (values and order together) so that position m holds
 * the median value, smaller values before it and larger after.
 */
function select(values: Float64Array, order: Int32Array, lo: number, hi: number, m: number): void {
  while (hi > lo) {
    // median of three as pivot keeps sorted or clustered input from going quadratic
    const mid = (lo + hi) >> 1;
    const a = values[lo]!;
    const b = values[mid]!;
    const c = values[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const tmp = order[i]!;
        order[i] = order[j]!;
        order[j] = tmp;
        const tv = values[i]!;
        values[i] = values[j]!;
        values[j] = tv;
        i++;
        j--;
      }
    }
    if (m <= j) hi = j;
    else if (m >= i) lo = i;
    else return;
  }
}
