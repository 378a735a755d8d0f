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
 * dropped at least `dropped`), or null when they may not hold every candidate (listCandidates);
 * only the candidates that may be the k-th nearest are measured (boundedRadius).
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
  return boundedRadius(i, k, candidates, values, columns, b, data, exact);
}

/** Relative widening of boundedRadius's intervals: more than their few roundings can move them. */
const WIDEN = 2 ** -40;

/**
 * Row i's exact radius from its `count` candidates (columns[0..count), their approximate values
 * values[0..count), at least k), measuring exactly only the candidates that may be its k-th
 * nearest. Each candidate's true distance lies in [lo, hi], lo = sqrt(max(v - E, 0)) - eps and hi
 * = sqrt(v + E) + eps for its approximate value v (E the Gemm's bound for row i, eps the centred
 * copy's shift: the bounds candidateLimit rests on), widened for their own roundings; the k-th
 * smallest distance R then lies in [L, H], the k-th smallest lo and hi (both rise with v, so they
 * are lo and hi of the k-th smallest v). A candidate with hi < L is nearer than R, one with lo > H
 * farther: the others are measured, and R is the (k - nearer)-th smallest of their exact distances.
 * The exact distance is core's arithmetic, so the radius is core's to the bit; on MNIST pixels 3 or
 * so candidates are measured a row instead of k (the intervals are narrower than the gaps between
 * neighbours), where ties measure them all.
 * `values` and `columns` are reordered; `exact` (at least count long) is overwritten.
 * @returns the radius and how many candidates were measured
 */
export function boundedRadius(
  i: number,
  k: number,
  count: number,
  values: Float64Array,
  columns: Int32Array,
  b: GemmBound,
  data: Float32Array | Float64Array,
  exact: Float64Array,
): { radius: number; candidates: number } {
  const e = shiftedGemmSquaredError(b.d, Math.sqrt(b.norms[i]!), b.maxNorm);
  const lo = (v: number) => Math.max(0, (Math.sqrt(Math.max(v - e, 0)) - b.eps) * (1 - WIDEN));
  const hi = (v: number) => (Math.sqrt(v + e) + b.eps) * (1 + WIDEN);
  exact.set(values.subarray(0, count));
  const tau = kthSmallest(exact.subarray(0, count), k - 1);
  const low = lo(tau);
  const high = hi(tau);
  // nearer than R: counted, not measured; farther: dropped; the rest moved to the front
  let nearer = 0;
  let measured = 0;
  for (let p = 0; p < count; p++) {
    const v = values[p]!;
    if (hi(v) < low) nearer++;
    else if (!(lo(v) > high)) columns[measured++] = columns[p]!;
  }
  return {
    radius: rerankedRadius(data, b.d, i, k - nearer, columns, measured, exact),
    candidates: measured,
  };
}

/**
 * Row i's candidates from its row list's `count` values (unordered, self excluded; every value
 * the list dropped at least `dropped`): those at most candidateLimit's, their columns and values
 * moved to the front of `columns` and `values` (in order). `scratch` (at least `count` long) is overwritten.
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
  // read in order, written behind (values beside their columns)
  let candidates = 0;
  for (let p = 0; p < count; p++) {
    if (values[p]! <= limit) {
      values[candidates] = values[p]!;
      columns[candidates++] = columns[p]!;
    }
  }
  return candidates;
}
