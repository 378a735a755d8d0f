/**
 * Exact radii from approximate squared distances: given one row of approximate squared distances
 * (float32 GPU or GEMM output) and a rule that turns the k-th smallest of them into a threshold
 * every true k-nearest neighbour passes, re-measure the candidates exactly in float64 and rank them.
 */
/** Work a GEMM kernel's call did, for tests and benchmarks: `reranked` counts the candidates
 * re-measured exactly in float64 (k per row at best where all candidates are measured, 1 where
 * only those that may be the k-th are: list-settle.ts's boundedRadius; n - 1 when the bound rules
 * out nothing);
 * `products` the GEMM's output values (rows x columns multiplied), and `ms` where the time went
 * (milliseconds: the GEMM, the selection of candidates from its output, the exact re-ranking),
 * both counted by the native kernel. */
export interface GemmStats {
  reranked: number;
  products?: number;
  ms?: { gemm: number; select: number; rerank: number };
}

export interface RerankScratch {
  readonly approx: Float64Array;
  readonly exact: Float64Array;
  /** The candidates' rows. */
  readonly picked: Int32Array;
  /** Candidates re-measured exactly so far (k per row at best; n - 1 when nothing is ruled out). */
  reranked: number;
}

/** Scratch for exactRadius over rows of n distances. */
export function rerankScratch(n: number): RerankScratch {
  return {
    approx: new Float64Array(n),
    exact: new Float64Array(n),
    picked: new Int32Array(n),
    reranked: 0,
  };
}

/**
 * The exact k-th neighbour distance of row i. `approxSq[j]` is row i's approximate squared distance
 * to row j; `thresholdSq(tauSq)` the squared threshold for a k-th smallest approximate value tauSq.
 * @throws Error when fewer than k candidates pass, which a correct bound makes impossible
 */
export function exactRadius(
  i: number,
  n: number,
  k: number,
  approxSq: Float32Array | Float64Array,
  thresholdSq: (tauSq: number) => number,
  data: Float32Array | Float64Array,
  d: number,
  scratch: RerankScratch,
): number {
  const values = scratch.approx;
  let m = 0;
  for (let j = 0; j < n; j++) if (j !== i) values[m++] = approxSq[j]!;
  const limit = thresholdSq(Math.max(kthSmallest(values.subarray(0, m), k - 1), 0));
  const exact = scratch.exact;
  const picked = scratch.picked;
  let count = 0;
  for (let j = 0; j < n; j++) if (j !== i && approxSq[j]! <= limit) picked[count++] = j;
  scratch.reranked += count;
  return rerankedRadius(data, d, i, k, picked, count, exact);
}

/**
 * Row i's exact k-th neighbour distance among its candidate rows `rows[0..count)`: their squared
 * distances measured exactly (exactSquaredDistances, into `exact`), the k-th smallest's root.
 * @throws Error when fewer than k candidates are given, which a correct bound makes impossible
 */
export function rerankedRadius(
  data: Float32Array | Float64Array,
  d: number,
  i: number,
  k: number,
  rows: Int32Array,
  count: number,
  exact: Float64Array,
): number {
  if (count < k) {
    throw new Error(
      `approximate distances inconsistent with their error bound for row ${i}: ${count} candidates for k = ${k}`,
    );
  }
  exactSquaredDistances(data, d, i, rows, count, exact);
  return Math.sqrt(kthSmallest(exact.subarray(0, count), k - 1));
}

/** The m-th smallest (0-based) of `values`, reordering them in place (quickselect, O(length)). */
export function kthSmallest(values: Float32Array | Float64Array, m: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const tmp = values[i]!;
        values[i] = values[j]!;
        values[j] = tmp;
        i++;
        j--;
      }
    }
    if (m <= j) hi = j;
    else if (m >= i) lo = i;
    else break;
  }
  return values[m]!;
}

/**
 * The squared distance between rows i and j of n x d `data`, summed over the dimensions in order
 * from float64 differences: the arithmetic of @lacuna/core's kernels, so radii match to the bit.
 */
export function exactSquaredDistance(
  data: Float32Array | Float64Array,
  d: number,
  i: number,
  j: number,
): number {
  let s = 0;
  const oi = i * d;
  const oj = j * d;
  for (let t = 0; t < d; t++) {
    const diff = data[oi + t]! - data[oj + t]!;
    s += diff * diff;
  }
  return s;
}

/**
 * The squared distances from row i to rows `rows[0..count)` of n x d `data`, into out[0..count):
 * each summed exactly as exactSquaredDistance sums it (dimension order, float64 differences), so
 * the same to the bit, but four rows at a time: one sum is a chain of dependent additions (about
 * 4 cycles a dimension), and four independent chains overlap.
 */
export function exactSquaredDistances(
  data: Float32Array | Float64Array,
  d: number,
  i: number,
  rows: Int32Array,
  count: number,
  out: Float64Array,
): void {
  const oi = i * d;
  let p = 0;
  for (; p + 4 <= count; p += 4) {
    const o0 = rows[p]! * d;
    const o1 = rows[p + 1]! * d;
    const o2 = rows[p + 2]! * d;
    const o3 = rows[p + 3]! * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < d; t++) {
      const x = data[oi + t]!;
      const e0 = x - data[o0 + t]!;
      const e1 = x - data[o1 + t]!;
      const e2 = x - data[o2 + t]!;
      const e3 = x - data[o3 + t]!;
      s0 += e0 * e0;
      s1 += e1 * e1;
      s2 += e2 * e2;
      s3 += e3 * e3;
    }
    out[p] = s0;
    out[p + 1] = s1;
    out[p + 2] = s2;
    out[p + 3] = s3;
  }
  for (; p < count; p++) out[p] = exactSquaredDistance(data, d, i, rows[p]!);
}
