import { ComputationStoppedError } from "@lacuna/core";
import type { GpuTask } from "../protocol.js";
import { candidateThreshold, float32DistanceBound } from "./error-bound.js";
import { distanceTile } from "./gpu-kernel.js";

/** Query rows per kernel call: large enough to amortise the upload, small enough for texture limits. */
const TILE_ROWS = 64;

/**
 * Exact radii of rows [rowA, rowB): the GPU computes approximate (float32) distances to every row;
 * per row, the k-th smallest approximate distance gives a threshold (error-bound.ts) that every true
 * k-nearest neighbour passes; those candidates are re-measured exactly in float64 and ranked.
 */
export function gpuRadii(task: GpuTask): Float64Array {
  const { n, d, k, rowA, rowB, mode } = task;
  const data = task.dtype === "float32" ? new Float32Array(task.data) : new Float64Array(task.data);
  const data32 = new Float32Array(task.data32);
  let maxAbs = 0;
  for (let p = 0; p < data.length; p++) {
    const v = Math.abs(data[p]!);
    if (v > maxAbs) maxAbs = v;
  }
  const bound = float32DistanceBound(d, maxAbs, task.dtype === "float32");
  const radii = new Float64Array(rowB - rowA);
  const scratch = new Float32Array(n - 1);
  const exact = new Float64Array(n);
  const cancel = new Int32Array(task.cancel);
  for (let row0 = rowA; row0 < rowB; row0 += TILE_ROWS) {
    if (Atomics.load(cancel, 0) !== 0) throw new ComputationStoppedError();
    const rows = Math.min(TILE_ROWS, rowB - row0);
    const tile = distanceTile(mode, data32, n, d, row0, rows);
    for (let r = 0; r < rows; r++) {
      const i = row0 + r;
      const approx = tile[r]!;
      // k-th smallest approximate distance among j != i
      let m = 0;
      for (let j = 0; j < n; j++) if (j !== i) scratch[m++] = approx[j]!;
      const tauSq = kthSmallest(scratch, k - 1);
      const threshold = candidateThreshold(Math.sqrt(Math.max(tauSq, 0)), bound);
      const thresholdSq = threshold * threshold;
      let count = 0;
      const oi = i * d;
      for (let j = 0; j < n; j++) {
        if (j === i || !(approx[j]! <= thresholdSq)) continue;
        let s = 0;
        const oj = j * d;
        for (let t = 0; t < d; t++) {
          const diff = data[oi + t]! - data[oj + t]!;
          s += diff * diff;
        }
        exact[count++] = s;
      }
      if (count < k)
        throw new Error(
          `gpu.js kernel returned inconsistent distances for row ${i}: ${count} candidates for k = ${k}`,
        );
      radii[i - rowA] = Math.sqrt(kthSmallest(exact.subarray(0, count), k - 1));
    }
  }
  return radii;
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
