import type { Embeddings } from "@lacuna/core";
import { exactNeighbours } from "./neighbours.js";

/**
 * A sparse symmetric n x n matrix in compressed rows: row i's entries are
 * columns[rowStart[i] .. rowStart[i + 1]) with their values. No diagonal entries.
 */
export interface SparseAffinities {
  readonly n: number;
  /** Length n + 1. */
  readonly rowStart: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
}

/** Stop the bisection on sigma once the row's entropy is this close (in nats) to log(perplexity). */
const ENTROPY_TOLERANCE = 1e-5;
const MAX_BISECTION_STEPS = 200;

/**
 * t-SNE's input affinities (van der Maaten 2014, section 4.1): each point's Gaussian conditional
 * distribution over its k = min(n - 1, floor(3 * perplexity)) exact nearest neighbours, its
 * precision found by bisection so that the distribution's perplexity matches, then symmetrised:
 * p_ij = (p_j|i + p_i|j) / 2n. Squared Euclidean distances, as in the paper and scikit-learn. The
 * values sum to 1. Memory O(n k).
 * @param perplexity already checked and clamped (see resolvePerplexity)
 * @param shouldStop asked during the neighbour search; ComputationStoppedError when it says stop
 */
export function inputAffinities(
  embeddings: Embeddings,
  perplexity: number,
  shouldStop?: () => boolean,
): SparseAffinities {
  const { n } = embeddings;
  // the epsilon keeps floor(3 * ((n - 1) / 3)) from rounding down to n - 2
  const k = Math.min(n - 1, Math.max(1, Math.floor(3 * perplexity + 1e-9)));
  const { indices, squared } = exactNeighbours(embeddings, k, shouldStop);
  const conditional = new Float64Array(n * k);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) conditionalRow(squared, conditional, i * k, k, target);
  return symmetrize(n, k, indices, conditional);
}

/**
 * Writes p_j|i for one row into out[offset .. offset + k) by bisection on the precision beta, so
 * that the row's entropy equals `target` (log perplexity, in nats). Distances are shifted by the
 * row's smallest, which leaves the normalised row unchanged and keeps the largest term at 1 (no
 * underflow to an all-zero row). When the target cannot be met (duplicates, tiny k), the search
 * ends after MAX_BISECTION_STEPS with the closest row it reached.
 */
export function conditionalRow(
  squared: Float64Array,
  out: Float64Array,
  offset: number,
  k: number,
  target: number,
): void {
  const nearest = squared[offset]!;
  let beta = 1;
  let low = 0;
  let high = Number.POSITIVE_INFINITY;
  let sum = 0;
  for (let step = 0; step < MAX_BISECTION_STEPS; step++) {
    sum = 0;
    let weighted = 0;
    for (let j = 0; j < k; j++) {
      const shifted = squared[offset + j]! - nearest;
      const p = Math.exp(-beta * shifted);
      out[offset + j] = p;
      sum += p;
      weighted += shifted * p;
    }
    const entropy = Math.log(sum) + (beta * weighted) / sum;
    const excess = entropy - target;
    if (Math.abs(excess) <= ENTROPY_TOLERANCE) break;
    // too flat (entropy too high): sharpen; too peaked: widen
    if (excess > 0) {
      low = beta;
      beta = high === Number.POSITIVE_INFINITY ? beta * 2 : (beta + high) / 2;
    } else {
      high = beta;
      beta = (beta + low) / 2;
    }
  }
  for (let j = 0; j < k; j++) out[offset + j] = out[offset + j]! / sum;
}

/**
 * p_ij = (p_j|i + p_i|j), normalised to sum 1. Row i lists its own neighbours first (in distance
 * order), then the points that have i as a neighbour and are not already listed (ascending), so
 * the layout, and every sum over it, is deterministic.
 */
export function symmetrize(
  n: number,
  k: number,
  indices: Int32Array,
  conditional: Float64Array,
): SparseAffinities {
  // the transpose: for each j, the rows i that list j, ascending
  const inStart = new Int32Array(n + 1);
  for (let p = 0; p < n * k; p++) inStart[indices[p]! + 1]!++;
  for (let j = 0; j < n; j++) inStart[j + 1]! += inStart[j]!;
  const inSource = new Int32Array(n * k);
  const inValue = new Float64Array(n * k);
  const fill = inStart.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t]!;
      const at = fill[j]!++;
      inSource[at] = i;
      inValue[at] = conditional[i * k + t]!;
    }
  }
  // mark[j] = i + 1 while row i lists j; slot[j] = its position in the row
  const mark = new Int32Array(n);
  const slot = new Int32Array(n);
  const rowStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let count = k;
    for (let t = 0; t < k; t++) mark[indices[i * k + t]!] = i + 1;
    for (let p = inStart[i]!; p < inStart[i + 1]!; p++) if (mark[inSource[p]!] !== i + 1) count++;
    rowStart[i + 1] = rowStart[i]! + count;
  }
  const size = rowStart[n]!;
  const columns = new Int32Array(size);
  const values = new Float64Array(size);
  mark.fill(0);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let at = rowStart[i]!;
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t]!;
      mark[j] = i + 1;
      slot[j] = at;
      columns[at] = j;
      values[at++] = conditional[i * k + t]!;
    }
    for (let p = inStart[i]!; p < inStart[i + 1]!; p++) {
      const j = inSource[p]!;
      if (mark[j] === i + 1) values[slot[j]!]! += inValue[p]!;
      else {
        columns[at] = j;
        values[at++] = inValue[p]!;
      }
    }
    for (let p = rowStart[i]!; p < at; p++) total += values[p]!;
  }
  for (let p = 0; p < size; p++) values[p] = values[p]! / total;
  return { n, rowStart, columns, values };
}
