/**
 * The plan of one radii call (plan.ts's pick, from the facts gathered here) and its blocks: the
 * share sample, the full index where needed, the native thread's early centring; the pool
 * (pool.ts) runs the blocks.
 */
import type { Embeddings } from "@lacuna/core";
import {
  buildSpatialIndex,
  leafSizeFor,
  partitionWorkShare,
  restoreRowsInPlace,
  type SpatialIndex,
} from "@lacuna/core/internal";
import type { Piscina } from "piscina";
import {
  gemmBlockRows,
  gemmBreakEvenShare,
  planRadii,
  type RadiiPlan,
  sampleSettlesGemm,
  PREPARE_MIN_DIMENSIONS,
  SAMPLE_MIN_DIMENSIONS,
  SHARE_SAMPLE_ROWS,
  SYMMETRIC_MIN_DIMENSIONS,
} from "./plan.js";
import type { GpuMode, NativeProbeResult } from "./protocol.js";
import type { RadiiOptions } from "./pool-options.js";
import {
  nextDataId,
  partitionBlocks,
  type RadiiBlock,
  rowBlocks,
  sampleRows,
} from "./radii-blocks.js";
import { runTask } from "./scheduler.js";
import { isWholeShared, toShared } from "./shared-index.js";

/** What planning needs of the pool: its thread count, threads and the onnxruntime probe. */
export interface PlanThreads {
  readonly threads: number;
  /** The worker threads (the partition's, TensorFlow.js's), started by the first call. */
  workers(): Piscina;
  gpuThread(): Piscina;
  nativeThread(): Piscina;
  nativeInfo(): Promise<NativeProbeResult>;
}

/** A call's plan, its blocks, and where and how many at once they run. */
export interface CallPlan {
  readonly plan: RadiiPlan;
  readonly blocks: RadiiBlock[];
  readonly pool: Piscina;
  readonly concurrency: number;
  /** Puts the caller's rows back in their order, where the index took them in place (the pool
   * calls it once the call's outcome is known, whatever it is: after a cancel or a failed block,
   * blocks still running may read rows in either order, and their results are dropped). */
  readonly restore?: () => void;
}

/**
 * The plan for a radii call and its blocks. The spatial index lives only here: where a GEMM runs,
 * it is garbage before the GEMM's own copies are made.
 */
export async function planCall(
  pool: PlanThreads,
  embeddings: Embeddings,
  k: number,
  gpu: { mode: GpuMode | null; detail: string },
  cancel: SharedArrayBuffer,
  force: RadiiOptions["kernel"],
  reorderInPlace = false,
): Promise<CallPlan> {
  const { n, d } = embeddings;
  if (gpu.mode !== null) {
    const blocks = rowBlocks(
      embeddings,
      k,
      cancel,
      { kind: "gpujs", mode: gpu.mode },
      Math.max(64, Math.ceil(n / 4)),
    );
    const plan = planRadii({ d, gpu, native: null, share: null });
    return { plan, blocks, pool: pool.gpuThread(), concurrency: 2 };
  }
  let share: number | null = null;
  let sampled: number | undefined;
  let native: NativeProbeResult | null = null;
  // the native thread centres the data for its GEMM while the sample is measured (plan.ts)
  const dataId = nextDataId();
  const early = force !== "partition" && d >= PREPARE_MIN_DIMENSIONS;
  // shared once here only where the native thread gets it early (rowBlocks shares it otherwise,
  // and the partition never needs a shared copy of data that is not already shared)
  const shared = early ? { n, d, data: sharedView(embeddings.data) } : embeddings;
  const prepared = early ? prepareNative(pool, shared, dataId, false) : null;
  if (force === undefined && d >= SAMPLE_MIN_DIMENSIONS) {
    // high-d data no partition prunes (real pixels) is told from a sample: no full index then
    const rows = Math.min(n, SHARE_SAMPLE_ROWS);
    const sample = rows < n ? sampleRows(embeddings, rows) : embeddings;
    const sampleShare = partitionWorkShare(buildSpatialIndex(sample, leafSizeFor(k)), k);
    if (sampleSettlesGemm(sampleShare, d)) {
      share = sampleShare;
      if (rows < n) sampled = rows;
    }
  }
  // the partition is likely (the native thread was not started early, the sample did not settle
  // the GEMM): its threads start while the full index is built
  if (!early && force !== "gemm" && sampled === undefined) pool.workers();
  // no centred copy beside the full index
  if (prepared !== null && force !== "gemm" && sampled === undefined) {
    await prepared;
    await prepareNative(pool, shared, dataId, true);
  }
  // float32 data keeps float32 points in the shared index (narrow): the same values in half the
  // memory; the WebAssembly layout is made from them (wasm-kernel.ts). Where the caller allows it
  // and the data is already shared, the index's points are the data itself, its rows reordered
  // (no prepared copy is held by then: it was released above)
  const inPlace = reorderInPlace && isWholeShared(embeddings.data);
  const fullIndex = (): SpatialIndex =>
    buildSpatialIndex(embeddings, leafSizeFor(k), true, true, inPlace);
  const restore = (built: SpatialIndex): (() => void) | undefined =>
    built.points === embeddings.data
      ? () => restoreRowsInPlace(embeddings.data, d, built.order)
      : undefined;
  const index = force === "gemm" || sampled !== undefined ? null : fullIndex();
  let plan: RadiiPlan;
  // a throw from here on (the native thread failing to start, no memory for the blocks) puts
  // the caller's rows back before it leaves, as a settled call does
  let built = index;
  try {
    if (index !== null) share = partitionWorkShare(index, k);
    // load onnxruntime only where its GEMM would win, or is asked for
    if (force === "gemm" || (share !== null && share > gemmBreakEvenShare(d, "native-gemm")))
      native = await pool.nativeInfo();
    plan = planRadii({ d, gpu, native, share, force, sampled });
    if (plan.kernel === "partition") {
      // a sample that did not settle the GEMM for onnxruntime may still not for TensorFlow.js
      const full = (built = index ?? fullIndex());
      const blocks = partitionBlocks(full, k, cancel, pool.threads);
      return {
        plan,
        blocks,
        pool: pool.workers(),
        concurrency: pool.threads * 2,
        restore: restore(full),
      };
    }
  } catch (error) {
    if (built !== null) restore(built)?.();
    throw error;
  }
  // the GEMMs read the rows in their own order
  if (index !== null) restore(index)?.();
  if (plan.kernel === "native-gemm") {
    // the whole call, blocks in row order on the one native thread: the upper triangle only
    const symmetric = d >= SYMMETRIC_MIN_DIMENSIONS;
    const kernel = { kind: "native-gemm", threads: pool.threads, symmetric } as const;
    const blocks = rowBlocks(shared, k, cancel, kernel, gemmBlockRows(n), 0, n, dataId);
    return { plan, blocks, pool: pool.nativeThread(), concurrency: 2 };
  }
  const size = Math.max(64, Math.ceil(n / (pool.threads * 4)));
  const blocks = rowBlocks(embeddings, k, cancel, { kind: "matmul" }, size);
  return { plan, blocks, pool: pool.workers(), concurrency: pool.threads * 2 };
}

/**
 * Has the native thread centre the call's data for its GEMM ahead of the blocks, or (`release`)
 * drop that copy (plan.ts's PREPARE_MIN_DIMENSIONS).
 * @returns whether the copy is held; false too where onnxruntime does not load or the task fails
 *   (the blocks then make the copy themselves, or fail on their own)
 */
function prepareNative(
  pool: PlanThreads,
  e: Embeddings,
  dataId: number,
  release: boolean,
): Promise<boolean> {
  // sent now rather than after the probe's answer: the main thread measures the share sample
  // next, synchronously, and a task sent after an await waited for it (measured: the centring
  // began when the sample ended); the native thread loads onnxruntime itself, and answers false
  // where it does not load. The probe goes first, so the thread exists.
  pool.nativeInfo().catch(() => undefined);
  const dtype = e.data instanceof Float32Array ? "float32" : "float64";
  const { n, d } = e;
  const data = toShared(e.data);
  const task = {
    kind: "native-prepare",
    threads: pool.threads,
    data,
    dataId,
    dtype,
    n,
    d,
    release,
  } as const;
  return runTask(pool.nativeThread(), task).catch(() => false);
}

/** The same values in shared memory: the array itself where it already is, else a copy. */
function sharedView(data: Float32Array | Float64Array): Float32Array | Float64Array {
  if (isWholeShared(data)) return data;
  const shared = toShared(data);
  return data instanceof Float32Array ? new Float32Array(shared) : new Float64Array(shared);
}
