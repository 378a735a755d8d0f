import { ComputationStoppedError } from "@lacuna/core/internal";
import { centredFloat32 } from "../centre.js";
import { HeldPerCall } from "../held.js";
import type { NativeGemmTask, NativePrepareTask, NativeProbeResult } from "../protocol.js";
import type { GemmStats } from "../rerank.js";
import { type NativeRuntime, nativeRuntime, type OrtTensor } from "./ort-runtime.js";
import { RowLists } from "./row-lists.js";
import { boundedRadius, candidateLimit, type GemmBound } from "./list-settle.js";
import { SelectPipe } from "./select-pipe.js";
import { GRAPH } from "./onnx-model.js";
import { GEMM_BLOCK_VALUES, SYMMETRIC_MIN_DIMENSIONS } from "../plan.js";

/**
 * Most float32 values one Gemm may produce (its m x n output): the retries' row counts are sized
 * by it, as the pool's blocks are (plan.ts's gemmBlockRows).
 */
export const MAX_GEMM_VALUES = GEMM_BLOCK_VALUES;

/** What the thread keeps of one call: the points, centred, outside shared memory (onnxruntime
 * refuses SharedArrayBuffer views), their squared norms, and the distance shift of that copy. */
interface Held extends GemmBound {
  readonly points: Float32Array;
  readonly x: OrtTensor;
  /** The squared norms in float32 (the Gemm's C), and as a 1 x n tensor. */
  readonly c: Float32Array;
  readonly cTensor: OrtTensor;
  /** GemmBound's norms, in shared memory: the select thread reads them too. */
  readonly norms: Float64Array;
}

const held = new HeldPerCall<number, Held>();

/** The symmetric kernel's row lists and re-ranking, on their own thread (select-pipe.ts). */
const pipe = new SelectPipe();

/** How many centred copies this thread has made (for tests: one per call, not one per block). */
let copiesMade = 0;
export function nativeCopiesMade(): number {
  return copiesMade;
}

/** Whether this thread's select thread is running (for tests: started by a prepare, stopped). */
export function selectThreadRunning(): boolean {
  return pipe.running;
}

/** Whether onnxruntime-node loads here, and its version or why not. */
export async function probeNative(threads: number): Promise<NativeProbeResult> {
  const runtime = await nativeRuntime(threads);
  return runtime.ok
    ? { available: true, detail: `onnxruntime ${runtime.version}` }
    : { available: false, detail: runtime.reason };
}

/**
 * The native-prepare task: loads onnxruntime and centres the call's data ahead of its blocks, or
 * drops that copy (`release`).
 * @returns whether the copy is held
 */
export async function prepareNative(task: NativePrepareTask): Promise<boolean> {
  if (task.release) {
    held.drop(task.dataId);
    // the partition took the call: no select thread idles beside it
    pipe.stopIdle();
    return false;
  }
  const runtime = await nativeRuntime(task.threads);
  if (!runtime.ok) return false;
  // the symmetric kernel's select thread starts now, not at the first block
  if (task.d >= SYMMETRIC_MIN_DIMENSIONS) pipe.warm();
  holdCentred(task, runtime.ort);
  held.scheduleRelease();
  return true;
}

/**
 * The call's centred float32 copy, its norms and bound, made on the call's first task (a prepare
 * or a block) and kept by dataId for the others.
 */
function holdCentred(
  task: Pick<NativeGemmTask, "data" | "dataId" | "dtype" | "n" | "d">,
  ort: Extract<NativeRuntime, { ok: true }>["ort"],
): Held {
  const { n, d } = task;
  const data = task.dtype === "float32" ? new Float32Array(task.data) : new Float64Array(task.data);
  return held.get(task.dataId, () => {
    copiesMade++;
    // centred: the float32 error then scales with the data's spread, not its distance from 0
    const { points, shift } = centredFloat32(data, n, d);
    const norms = new Float64Array(new SharedArrayBuffer(8 * n));
    const c = new Float32Array(n);
    let maxNormSq = 0;
    for (let j = 0; j < n; j++) {
      norms[j] = exactSquaredNorm(points, d, j);
      c[j] = norms[j]!;
      if (norms[j]! > maxNormSq) maxNormSq = norms[j]!;
    }
    return {
      d,
      points,
      x: new ort.Tensor("float32", points, [n, d]),
      c,
      cTensor: new ort.Tensor("float32", c, [1, n]),
      norms,
      maxNorm: Math.sqrt(maxNormSq),
      eps: shift,
    };
  });
}

/**
 * The smallest-value list each row asks TopK for first: k + 1 (the row itself may be among them)
 * and a margin for near-ties; a row whose candidates run past it asks again with 8 times more.
 */
export function firstKeep(n: number, k: number): number {
  return Math.min(n, k + 1 + Math.max(8, k));
}

/**
 * Exact radii of rows [rowA, rowB): onnxruntime computes every row's shifted squared distances
 * |x_j|^2 - 2 q . x_j in float32 (Gemm); with |q|^2 added in float64 they are within E
 * (shiftedGemmSquaredError) of the squared distances, so every true k-nearest neighbour has a
 * value at most candidateLimit's, and those candidates are re-measured exactly in float64 (the
 * arithmetic of core).
 *
 * A symmetric task (the blocks of a whole call, in row order, on this one thread) multiplies only
 * the upper triangle, columns from rowA on, and keeps each row's smallest values in RowLists
 * (row-lists.ts), which the earlier blocks' columns have already filled: half the multiply-adds.
 * The lists and the re-ranking of their candidates live on the select thread (select-pipe.ts), so
 * with two of a call's blocks in flight (the pool's native thread runs two tasks at once) the next
 * block's Gemm runs here while the select thread scans this one. Otherwise (a distributed worker's rows, a block out of order, lists over maxListBytes) each
 * row keeps its K smallest through onnxruntime's TopK over all n columns. A row whose K-th value
 * is still under its limit may have more candidates: it is asked again through TopK with a larger
 * K, up to n.
 * @throws Error when onnxruntime is not available (the pool probes first), ComputationStoppedError
 */
export async function nativeGemmRadii(
  task: NativeGemmTask,
  stats?: GemmStats,
): Promise<Float64Array> {
  const runtime = await nativeRuntime(task.threads);
  if (!runtime.ok) throw new Error(runtime.reason);
  const { ort } = runtime;
  const { n, d, k, rowA, rowB } = task;
  const data = task.dtype === "float32" ? new Float32Array(task.data) : new Float64Array(task.data);
  const h = holdCentred(task, ort);
  try {
    const cancel = new Int32Array(task.cancel);
    const stop = () => {
      if (Atomics.load(cancel, 0) !== 0) throw new ComputationStoppedError();
    };
    const radii = new Float64Array(rowB - rowA);
    const keep = firstKeep(n, k);
    const symmetric = symmetricBlock(task, h, keep - 1);
    let pending: Int32Array;
    if (symmetric) {
      stop();
      const m = rowB - rowA;
      const w = n - rowA;
      const clock = stopwatch(stats);
      const out = await runtime.gemm.run({
        [GRAPH.queries]: new ort.Tensor("float32", h.points.subarray(rowA * d, rowB * d), [m, d]),
        [GRAPH.points]: new ort.Tensor("float32", h.points.subarray(rowA * d), [w, d]),
        [GRAPH.norms]: new ort.Tensor("float32", h.c.subarray(rowA), [1, w]),
      });
      const shifted = out[GRAPH.shifted]!.data;
      if (!(shifted instanceof Float32Array))
        throw new Error("onnxruntime returned unexpected tensor types");
      if (stats) stats.products = (stats.products ?? 0) + m * w;
      clock("gemm");
      // scanned and settled on the select thread while the next block's Gemm runs here
      const answer = await pipe.block(task.dataId, rowA, rowB, shifted).catch((error: unknown) => {
        if ((error as { stopped?: boolean }).stopped === true) throw new ComputationStoppedError();
        return null; // the select thread failed: these rows and the call's later ones by TopK
      });
      if (rowB === n) pipe.finish(task.dataId);
      if (answer !== null) {
        radii.set(answer.radii);
        pending = answer.pending;
        if (stats) {
          stats.reranked += answer.reranked;
          stats.ms ??= { gemm: 0, select: 0, rerank: 0 };
          stats.ms.select += answer.ms.select;
          stats.ms.rerank += answer.ms.rerank;
        }
      } else pending = Int32Array.from({ length: m }, (_, r) => rowA + r);
    } else pending = Int32Array.from({ length: rowB - rowA }, (_, r) => rowA + r);
    // rows the lists could not settle start past their K; the others with the first list
    const start = symmetric ? Math.min(n, keep * 8) : keep;
    await topKRadii(runtime, h, pending, start, task, data, radii, stop, stats);
    return radii;
  } finally {
    held.scheduleRelease();
  }
}

/**
 * Adds the time since the last call (or since this was made) to `stats.ms[phase]`; nothing
 * without stats.
 */
function stopwatch(stats: GemmStats | undefined): (phase: "gemm" | "select" | "rerank") => void {
  if (stats === undefined) return () => {};
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    stats.ms ??= { gemm: 0, select: 0, rerank: 0 };
    stats.ms[phase] += now - last;
    last = now;
  };
}

/**
 * Most bytes of row lists a thread keeps: 256 MiB, or half the float32 copy it already holds
 * (2 n d bytes) where that is more, so the lists never add more than half the input to the memory
 * goal (3 x the input + 300 MB). A million rows keeping 40 each take 972 MB: from about 250-d on.
 */
function maxListBytes(n: number, d: number): number {
  return Math.max(2 ** 28, 2 * n * d);
}

/**
 * Whether this symmetric task's block goes through the row lists on the select thread: a call's
 * first block starts them there, its next blocks in row order continue them; otherwise (not
 * symmetric, out of order, another call's lists held, or lists over maxListBytes) TopK.
 */
function symmetricBlock(task: NativeGemmTask, h: Held, keep: number): boolean {
  const { n, d, k, rowA, rowB, dataId } = task;
  if (!task.symmetric || keep >= n - 1 || RowLists.bytes(n, keep) > maxListBytes(n, d))
    return false;
  if (rowA === 0) {
    const { norms, maxNorm, eps } = h;
    const { data, dtype, cancel } = task;
    pipe.start({
      call: dataId,
      n,
      d,
      k,
      keep,
      data,
      dtype,
      norms: norms.buffer as SharedArrayBuffer,
      maxNorm,
      eps,
      cancel,
    });
  }
  return pipe.claim(dataId, rowA, rowB);
}

/**
 * Radii of `pending` rows through Gemm + TopK over all n columns, K from `keep` up (8 times more
 * for the rows whose K-th value was still under their limit), into radii[i - rowA].
 */
async function topKRadii(
  runtime: Extract<NativeRuntime, { ok: true }>,
  h: Held,
  rows0: Int32Array,
  keep0: number,
  task: NativeGemmTask,
  data: Float32Array | Float64Array,
  radii: Float64Array,
  stop: () => void,
  stats: GemmStats | undefined,
): Promise<void> {
  const { ort, session } = runtime;
  const { n, d, k, rowA } = task;
  const exact = new Float64Array(n);
  const approx = new Float64Array(n);
  const picked = new Int32Array(n);
  let pending = rows0;
  for (let keep = keep0; pending.length > 0; keep = Math.min(n, keep * 8)) {
    const again: number[] = [];
    const rowsPerRun = Math.max(1, Math.floor(MAX_GEMM_VALUES / keep));
    for (let a = 0; a < pending.length; a += rowsPerRun) {
      stop();
      const clock = stopwatch(stats);
      const rows = pending.subarray(a, Math.min(pending.length, a + rowsPerRun));
      const queries = gatherRows(h.points, d, rows);
      const out = await session.run({
        [GRAPH.queries]: new ort.Tensor("float32", queries, [rows.length, d]),
        [GRAPH.points]: h.x,
        [GRAPH.norms]: h.cTensor,
        [GRAPH.keep]: new ort.Tensor("int64", BigInt64Array.of(BigInt(keep)), [1]),
      });
      if (stats) stats.products = (stats.products ?? 0) + rows.length * n;
      clock("gemm");
      const values = out[GRAPH.values]!.data;
      const indices = out[GRAPH.indices]!.data;
      if (!(values instanceof Float32Array) || !(indices instanceof BigInt64Array))
        throw new Error("onnxruntime returned unexpected tensor types");
      for (let r = 0; r < rows.length; r++) {
        const i = rows[r]!;
        const radius = settleRow(
          i,
          k,
          keep,
          n,
          d,
          values,
          indices,
          r * keep,
          h,
          data,
          exact,
          approx,
          picked,
        );
        if (radius === null) again.push(i);
        else {
          radii[i - rowA] = radius.radius;
          if (stats) stats.reranked += radius.candidates;
        }
      }
      clock("rerank");
    }
    if (again.length > 0 && keep === n) {
      throw new Error(
        `approximate distances inconsistent with their error bound for row ${again[0]}`,
      );
    }
    pending = Int32Array.from(again);
  }
}

/**
 * Row i's exact radius from its `keep` smallest shifted values (ascending, at `base`), or null when
 * they may not hold every candidate (the last one still under the threshold, keep < n); only the
 * candidates that may be the k-th nearest are measured (list-settle.ts's boundedRadius).
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
  approx: Float64Array,
  picked: Int32Array,
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
  const limit = candidateLimit(h, i, tau);
  if (keep < n && nq + values[base + keep - 1]! <= limit) return null;
  let count = 0;
  for (let p = 0; p < keep; p++) {
    const v = nq + values[base + p]!;
    if (!(v <= limit)) break; // ascending: the rest are over too
    const j = Number(indices[base + p]!);
    if (j !== i) {
      approx[count] = v;
      picked[count++] = j;
    }
  }
  return boundedRadius(i, k, count, approx, picked, h, data, exact);
}

/** |x_j|^2 in float64 (exact products of float32 values, float64 sums). */
export function exactSquaredNorm(points: Float32Array, d: number, j: number): number {
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
