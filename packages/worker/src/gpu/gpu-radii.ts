import { ComputationStoppedError } from "@lacuna/core";
import type { GpuTask } from "../protocol.js";
import { candidateThreshold, float32DistanceBound } from "./error-bound.js";
import { distanceTile } from "./gpu-kernel.js";
import { exactRadius, rerankScratch } from "../rerank.js";

/** Query rows per kernel call: large enough to amortise the upload, small enough for texture limits. */
const TILE_ROWS = 64;

/**
 * Exact radii of rows [rowA, rowB): the GPU computes approximate (float32) distances to every row;
 * per row, the k-th smallest approximate distance gives a threshold (error-bound.ts) that every true
 * k-nearest neighbour passes; those candidates are re-measured exactly in float64 and ranked.
 */
export async function gpuRadii(task: GpuTask): Promise<Float64Array> {
  const { n, d, k, rowA, rowB, mode } = task;
  const data = task.dtype === "float32" ? new Float32Array(task.data) : new Float64Array(task.data);
  const data32 = new Float32Array(task.data32);
  let maxAbs = 0;
  for (let p = 0; p < data.length; p++) {
    const v = Math.abs(data[p]!);
    if (v > maxAbs) maxAbs = v;
  }
  const bound = float32DistanceBound(d, maxAbs, task.dtype === "float32");
  const thresholdSq = (tauSq: number) => candidateThreshold(Math.sqrt(tauSq), bound) ** 2;
  const radii = new Float64Array(rowB - rowA);
  const scratch = rerankScratch(n);
  const cancel = new Int32Array(task.cancel);
  for (let row0 = rowA; row0 < rowB; row0 += TILE_ROWS) {
    if (Atomics.load(cancel, 0) !== 0) throw new ComputationStoppedError();
    const rows = Math.min(TILE_ROWS, rowB - row0);
    const tile = await distanceTile(mode, data32, n, d, row0, rows);
    for (let r = 0; r < rows; r++) {
      const approx = tile[r]!;
      radii[row0 + r - rowA] = exactRadius(row0 + r, n, k, approx, thresholdSq, data, d, scratch);
    }
  }
  return radii;
}
