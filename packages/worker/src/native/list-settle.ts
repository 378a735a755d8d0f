/**
 * Settling a row from its candidate list: shared by the native thread (TopK rows) and the select
 * thread (the symmetric kernel's row lists, select-thread.ts).
 */
import { shiftedGemmSquaredError } from "../gpu/error-bound.js";
import { kthSmallest, rerankedRadius } from "../rerank.js";

/** What the candidate limit needs of a call's centred float32 copy. */
export interface GemmBound {
  readonly d: number;
  /** |y_i|^2 of the centred float32 rows, in float64. */
  readonly norms: Float64Array;
  /** The largest |y_i|. */
  readonly maxNorm: number;
  /** How far the centred copy can move a distance (centre.ts's shift). */
  readonly eps: number;
}

/**
 * The squared value under which row i's candidates lie, given the k-th smallest approximate
 * squared distance tau among its others: every true k-nearest neighbour's approximate value is at
 * most this (E the Gemm's error, eps the centred copy's shift).
 */
export function candidateLimit(b: GemmBound, i: number, tau: number): number {
  const e = shiftedGemmSquaredError(b.d, Math.sqrt(b.norms[i]!), b.maxNorm);
  return (Math.sqrt(Math.max(tau, 0) + e) + 2 * b.eps) ** 2 + e;
}

/**
 * Row i's exact radius from its list's `count` values (unordered, self excluded; every value it
 * dropped at least `dropped`), or null when they may not hold every candidate (listCandidates).
 */
export function settleListRow(
  i: number,
  k: number,
  count: number,
  dropped: number,
  values: Float64Array,
  columns: Int32Array,
  b: GemmBound,
  data: Float32Array | Float64Array,
  exact: Float64Array,
): { radius: number; candidates: number } | null {
  const candidates = listCandidates(i, k, count, dropped, values, columns, b, exact);
  if (candidates === null) return null;
  return { radius: rerankedRadius(data, b.d, i, k, columns, candidates, exact), candidates };
}

/**
 * Row i's candidates from its row list's `count` values (unordered, self excluded; every value
 * the list dropped at least `dropped`): those at most candidateLimit's, their columns moved to
 * the front of `columns` (in order). `scratch` (at least `count` long) is overwritten.
 * @returns how many, or null when the list may not hold every candidate (fewer than k values, or
 *   `dropped` still under the limit: ties at it, or a list cut too short)
 */
export function listCandidates(
  i: number,
  k: number,
  count: number,
  dropped: number,
  values: Float64Array,
  columns: Int32Array,
  b: GemmBound,
  scratch: Float64Array,
): number | null {
  if (count < k) return null;
  // the k-th smallest of the kept values (reordered in the scratch)
  scratch.set(values.subarray(0, count));
  const limit = candidateLimit(b, i, kthSmallest(scratch.subarray(0, count), k - 1));
  if (dropped <= limit) return null;
  // read in order, written behind
  let candidates = 0;
  for (let p = 0; p < count; p++) if (values[p]! <= limit) columns[candidates++] = columns[p]!;
  return candidates;
}
