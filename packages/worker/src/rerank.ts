/**
 * Exact radii from approximate squared distances: given one row of approximate squared distances
 * (float32 GPU or GEMM output) and a rule that turns the k-th smallest of them into a threshold
 * every true k-nearest neighbour passes, re-measure the candidates exactly in float64 and rank them.
 */
/** Work a GEMM kernel's call did, for tests and benchmarks: `reranked` counts the candidates
 * re-measured exactly in float64 (k per row at best, n - 1 when the bound rules out nothing);
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
  /** Candidates re-measured exactly so far (k per row at best; n - 1 when nothing is ruled out). */
  reranked: number;
}

/** Scratch for exactRadius over rows of n distances. */
export function rerankScratch(n: number): RerankScratch {
  return { approx: new Float64Array(n), exact: new Float64Array(n), reranked: 0 };
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
  let count = 0;
  for (let j = 0; j < n; j++) {
    if (j === i || !(approxSq[j]! <= limit)) continue;
    exact[count++] = exactSquaredDistance(data, d, i, j);
  }
  if (count < k) {
    throw new Error(
      `approximate distances inconsistent with their error bound for row ${i}: ${count} candidates for k = ${k}`,
    );
  }
  scratch.reranked += count;
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
