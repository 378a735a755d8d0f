/**
 * The options and results of KnnPool's calls (kept beside pool.ts so that the pool's file holds
 * the pool).
 */
import type { Backend } from "./plan.js";
import type { RanKernel } from "./protocol.js";

/**
 * Piscina's queue bound. Each call keeps at most two blocks per thread in flight; the bound is a
 * safety net for many concurrent calls, not the flow control.
 */
export const MAX_QUEUE = 4096;

export interface PoolOptions {
  /** Worker threads; default LACUNA_THREADS, else the machine's available parallelism. */
  readonly threads?: number;
  /** The worker script (compiled JavaScript). Tests pass a wrapper that injects faults. */
  readonly workerFile?: string | URL;
}

/** Cancellation and progress (units done, total) of a pool call. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RadiiOptions {
  /** `auto` (default): the GPU kernel on a hardware GPU, else the CPU kernel. */
  readonly backend?: Backend;
  /**
   * CPU only: run the partition kernel or the GEMM whatever the plan says (benchmarks and tests
   * compare them); the detail still gives the plan's reason.
   */
  readonly kernel?: "partition" | "gemm";
  /** Cancels queued and running work; the call then rejects with CancelledError. */
  readonly signal?: AbortSignal;
  /** Called after each block with the rows done so far and n; the last call has done = n. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * The call may put the rows of `embeddings.data` in its spatial index's order in place while it
   * runs, and puts them back before it settles (resolved, rejected or cancelled): the partition
   * kernel then needs no reordered copy of the data (1M x 128 float32: 512 MB less at the peak).
   * Only for data nobody else reads while the call runs (the CLI's own array); used where the
   * data is the whole of a SharedArrayBuffer (as readNpyFile makes large arrays), else ignored.
   */
  readonly reorderInPlace?: boolean;
}

export interface RadiiResult {
  readonly radii: Float64Array;
  /** The backend that ran. */
  readonly backend: "cpu" | "gpujs";
  /** The kernels the workers report having run (more than one where some blocks fell back). */
  readonly kernels: readonly RanKernel[];
  /** Human-readable: threads, the plan's reason, and the kernels that ran. */
  readonly detail: string;
  /**
   * The native parts that would have run but could not be loaded, for the caller to tell its user:
   * headless-gl (not installed or not built) for a GPU that was asked for (`gpujs`) or that exists
   * (`auto` with a GPU device node), onnxruntime-node where the plan chose its GEMM. The radii are
   * the same either way. Absent when every part the plan wanted ran.
   */
  readonly unavailable?: readonly UnavailablePart[];
}

/** A native part that could not be loaded for a call, and what ran instead. */
export interface UnavailablePart {
  /** What could not be loaded, as a user knows it: "GPU backend", "onnxruntime-node". */
  readonly part: string;
  /** Why, as the loader said (the package missing, unbuilt, or disabled by an environment variable). */
  readonly reason: string;
  /** What ran instead, with the same radii: "computed without it (same radii)". */
  readonly instead: string;
}

/**
 * The result's `unavailable` field: headless-gl's reason (choose-gpu.ts) and onnxruntime's
 * (plan.ts, where the plan asked for it); `{}` when neither is given.
 */
export function unavailableParts(
  gpu: string | undefined,
  native: string | undefined,
): { unavailable?: readonly UnavailablePart[] } {
  const parts: UnavailablePart[] = [];
  if (gpu !== undefined)
    parts.push({ part: "GPU backend", reason: gpu, instead: "computed without it (same radii)" });
  if (native !== undefined)
    parts.push({
      part: "onnxruntime-node",
      reason: native,
      instead: "computed without it (same radii, slower)",
    });
  return parts.length > 0 ? { unavailable: parts } : {};
}
