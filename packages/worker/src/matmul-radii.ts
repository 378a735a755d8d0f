import { ComputationStoppedError } from "@lacuna/core";
import type { Tensor2D } from "@tensorflow/tfjs-core";
import type { MatmulTask } from "./protocol.js";
import { centredFloat32 } from "./centre.js";
import { gemmSquaredError } from "./gpu/error-bound.js";
import { exactRadius, type GemmStats, rerankScratch } from "./rerank.js";
import { tfRuntime } from "./tfjs/runtime.js";

/** Query rows per GEMM: 1000 x n float32 results stay a few tens of MB. */
const BLOCK_ROWS = 1000;

/** The embeddings uploaded to the wasm heap, kept while calls reuse the same shared buffer. */
let cached:
  | {
      key: number;
      x: Tensor2D;
      xt: Tensor2D;
      norms: Float64Array;
      maxNorm: number;
      shift: number;
    }
  | undefined;

/**
 * Exact radii of rows [rowA, rowB) for high dimension: TensorFlow.js's wasm GEMM gives every dot
 * product q . x in float32, so |q|^2 + |x|^2 - 2 q . x approximates each squared distance (norms
 * in float64) within E (gemmSquaredError, error-bound.ts), on the centred float32 copy
 * (centre.ts). The true k nearest then all have approximate values at most tau^2 + 2E (plus that
 * copy's rounding shift), and are re-measured exactly.
 */
export async function matmulRadii(task: MatmulTask, stats?: GemmStats): Promise<Float64Array> {
  const { tf } = await tfRuntime();
  const { n, d, k, rowA, rowB } = task;
  const data = task.dtype === "float32" ? new Float32Array(task.data) : new Float64Array(task.data);
  if (cached?.key !== task.dataId) {
    cached?.x.dispose();
    cached?.xt.dispose();
    cached = undefined;
    // centred: the float32 error then scales with the data's spread (centre.ts)
    const { points, shift } = centredFloat32(data, n, d);
    const x = tf.tensor2d(points, [n, d]);
    const norms = new Float64Array(n);
    let maxNorm = 0;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += points[j * d + t]! * points[j * d + t]!;
      norms[j] = s;
      if (s > maxNorm) maxNorm = s;
    }
    // pre-transposed: matMul(A, B, false, true) is about 9 times slower on this backend
    cached = {
      key: task.dataId,
      x,
      xt: tf.transpose(x),
      norms,
      maxNorm: Math.sqrt(maxNorm),
      shift,
    };
  }
  const { x, xt, norms, maxNorm, shift: eps } = cached;
  const radii = new Float64Array(rowB - rowA);
  const scratch = rerankScratch(n);
  const row = new Float64Array(n);
  const cancel = new Int32Array(task.cancel);
  for (let a = rowA; a < rowB; a += BLOCK_ROWS) {
    if (Atomics.load(cancel, 0) !== 0) throw new ComputationStoppedError();
    const rows = Math.min(BLOCK_ROWS, rowB - a);
    const product = tf.tidy(() => tf.matMul(tf.slice(x, [a, 0], [rows, d]), xt));
    const dots = product.dataSync() as Float32Array;
    product.dispose();
    for (let r = 0; r < rows; r++) {
      const i = a + r;
      const nq = norms[i]!;
      const base = r * n;
      for (let j = 0; j < n; j++) row[j] = nq + norms[j]! - 2 * dots[base + j]!;
      const e = gemmSquaredError(d, Math.sqrt(nq), maxNorm);
      const thresholdSq = (tauSq: number) => (Math.sqrt(tauSq + e) + 2 * eps) ** 2 + e;
      radii[r + a - rowA] = exactRadius(i, n, k, row, thresholdSq, data, d, scratch);
    }
  }
  if (stats) stats.reranked += scratch.reranked;
  return radii;
}
