import { ComputationStoppedError } from "@lacuna/core";
import { centredFloat32 } from "../centre.js";
import { shiftedGemmSquaredError } from "../gpu/error-bound.js";
import { HeldPerCall } from "../held.js";
import type { NativeGemmTask, NativeProbeResult } from "../protocol.js";
import { exactSquaredDistance, type GemmStats, kthSmallest } from "../rerank.js";
import { nativeRuntime, type OrtTensor } from "./ort-runtime.js";
import { GRAPH } from "./onnx-model.js";

/**
 * Most float32 values one Gemm may produce (its m x n output, 32 MiB): the retries' row counts
 * are sized by it, as the pool's blocks are (see plan.ts's gemmBlockRows).
 */
export const MAX_GEMM_VALUES = 2 ** 23;

/** What the thread keeps of one call: the points, centred, outside shared memory (onnxruntime
 * refuses SharedArrayBuffer views), their squared norms, and the distance shift of that copy. */
interface Held {
  readonly points: Float32Array;
  readonly x: OrtTensor;
  readonly c: OrtTensor;
  readonly norms: Float64Array;
  readonly maxNorm: number;
  readonly eps: number;
}

const held = new HeldPerCall<number, Held>();

/** How many centred copies this thread has made (for tests: one per call, not one per block). */
let copiesMade = 0;
export function nativeCopiesMade(): number {
  return copiesMade;
}

/** Whether onnxruntime-node loads here, and its version or why not. */
export async function probeNative(threads: number): Promise<NativeProbeResult> {
  const runtime = await nativeRuntime(threads);
  return runtime.ok
    ? { available: true, detail: `onnxruntime ${runtime.version}` }
    : { available: false, detail: runtime.reason };
}

/**
 * The smallest-value list each row asks TopK for first: k + 1 (the row itself may be among them)
 * and a margin for near-ties; a row whose candidates run past it asks again with 8 times more.
 */
function firstKeep(n: number, k: number): number {
  return Math.min(n, k + 1 + Math.max(8, k));
}

/**
 * Exact radii of rows [rowA, rowB): onnxruntime computes every row's shifted squared distances
 * |x_j|^2 - 2 q . x_j in float32 (Gemm) and keeps the K smallest (TopK); with |q|^2 added in
 * float64 they are within E (shiftedGemmSquaredError) of the squared distances, so every true
 * k-nearest neighbour has a value at most the threshold of matmul-radii.ts, and those candidates
 * are re-measured exactly in float64 (the arithmetic of core). A row whose K-th value is still
 * under its threshold may have more candidates: it is asked again with a larger K, up to n.
 * @throws Error when onnxruntime is not available (the pool probes first), ComputationStoppedError
 */
export async function nativeGemmRadii(
  task: NativeGemmTask,
  stats?: GemmStats,
): Promise<Float64Array> {
  const runtime = await nativeRuntime(task.threads);
  if (!runtime.ok) throw new Error(runtime.reason);
  const { ort, session } = runtime;
  const { n, d, k, rowA, rowB } = task;
  const data = task.dtype === "float32" ? new Float32Array(task.data) : new Float64Array(task.data);
  const h = held.get(task.dataId, () => {
    copiesMade++;
    // centred: the float32 error then scales with the data's spread, not its distance from 0
    const { points, shift } = centredFloat32(data, n, d);
    const norms = new Float64Array(n);
    const c = new Float32Array(n);
    let maxNormSq = 0;
    for (let j = 0; j < n; j++) {
      norms[j] = exactSquaredNorm(points, d, j);
      c[j] = norms[j]!;
      if (norms[j]! > maxNormSq) maxNormSq = norms[j]!;
    }
    return {
      points,
      x: new ort.Tensor("float32", points, [n, d]),
      c: new ort.Tensor("float32", c, [1, n]),
      norms,
      maxNorm: Math.sqrt(maxNormSq),
      eps: shift,
    };
  });
  try {
    const cancel = new Int32Array(task.cancel);
    const radii = new Float64Array(rowB - rowA);
    const exact = new Float64Array(n);
    let pending = Int32Array.from({ length: rowB - rowA }, (_, r) => rowA + r);
    for (let keep = firstKeep(n, k); pending.length > 0; keep = Math.min(n, keep * 8)) {
      const again: number[] = [];
      const rowsPerRun = Math.max(1, Math.floor(MAX_GEMM_VALUES / keep));
      for (let a = 0; a < pending.length; a += rowsPerRun) {
        if (Atomics.load(cancel, 0) !== 0) throw new ComputationStoppedError();
        const rows = pending.subarray(a, Math.min(pending.length, a + rowsPerRun));
        const queries = gatherRows(h.points, d, rows);
        const out = await session.run({
          [GRAPH.queries]: new ort.Tensor("float32", queries, [rows.length, d]),
          [GRAPH.points]: h.x,
          [GRAPH.norms]: h.c,
          [GRAPH.keep]: new ort.Tensor("int64", BigInt64Array.of(BigInt(keep)), [1]),
        });
        const values = out[GRAPH.values]!.data;
        const indices = out[GRAPH.indices]!.data;
        if (!(values instanceof Float32Array) || !(indices instanceof BigInt64Array))
          throw new Error("onnxruntime returned unexpected tensor types");
        for (let r = 0; r < rows.length; r++) {
          const i = rows[r]!;
          const radius = settleRow(i, k, keep, n, d, values, indices, r * keep, h, data, exact);
          if (radius === null) again.push(i);
          else {
            radii[i - rowA] = radius.radius;
            if (stats) stats.reranked += radius.candidates;
          }
        }
      }
      if (again.length > 0 && keep === n) {
        throw new Error(
          `approximate distances inconsistent with their error bound for row ${again[0]}`,
        );
      }
      pending = Int32Array.from(again);
    }
    return radii;
  } finally {
    held.scheduleRelease();
  }
}

/**
 * Row i's exact radius from its `keep` smallest shifted values (ascending, at `base`), or null when
 * they may not hold every candidate (the last one still under the threshold, keep < n).
 */
function settleRow(
  i: number,
  k: number,
  keep: number,
  n: number,
  d: number,
  values: Float32Array,
  indices: BigInt64Array,
  base: number,
  h: Held,
  data: Float32Array | Float64Array,
  exact: Float64Array,
): { radius: number; candidates: number } | null {
  const nq = h.norms[i]!;
  let seen = 0;
  let tau = 0;
  for (let p = 0; p < keep; p++) {
    if (Number(indices[base + p]!) === i) continue;
    if (++seen === k) {
      tau = nq + values[base + p]!;
      break;
    }
  }
  const e = shiftedGemmSquaredError(d, Math.sqrt(nq), h.maxNorm);
  const limit = (Math.sqrt(Math.max(tau, 0) + e) + 2 * h.eps) ** 2 + e;
  if (keep < n && nq + values[base + keep - 1]! <= limit) return null;
  let count = 0;
  for (let p = 0; p < keep; p++) {
    if (!(nq + values[base + p]! <= limit)) break; // ascending: the rest are over too
    const j = Number(indices[base + p]!);
    if (j !== i) exact[count++] = exactSquaredDistance(data, d, i, j);
  }
  if (count < k) {
    throw new Error(
      `approximate distances inconsistent with their error bound for row ${i}: ${count} candidates for k = ${k}`,
    );
  }
  return { radius: Math.sqrt(kthSmallest(exact.subarray(0, count), k - 1)), candidates: count };
}

/** |x_j|^2 in float64 (exact products of float32 values, float64 sums). */
function exactSquaredNorm(points: Float32Array, d: number, j: number): number {
  let s = 0;
  for (let t = j * d; t < j * d + d; t++) s += points[t]! * points[t]!;
  return s;
}

/** The rows as one m x d block: a view when they are consecutive, else a copy. */
function gatherRows(points: Float32Array, d: number, rows: Int32Array): Float32Array {
  const first = rows[0]!;
  if (rows[rows.length - 1]! - first === rows.length - 1)
    return points.subarray(first * d, (first + rows.length) * d);
  const out = new Float32Array(rows.length * d);
  rows.forEach((i, r) => out.set(points.subarray(i * d, i * d + d), r * d));
  return out;
}
