import { type Embeddings, validateK } from "@lacuna/core";
import {
  expandRadii,
  planDuplicates,
  assertSameWidth,
  validateCrossK,
} from "@lacuna/core/internal";
import { Piscina } from "piscina";
import { encodeBlocks, type EncodeOptions, type EncodeResult } from "./encode-blocks.js";
import { type PlanThreads, planCall } from "./call-plan.js";
import { chooseGpu } from "./choose-gpu.js";
import { gpuDeviceNode } from "./gpu/device.js";
import { crossBlocks } from "./cross-blocks.js";
import { CancelledError } from "./pool-errors.js";
import {
  type CallOptions,
  MAX_QUEUE,
  type PoolOptions,
  type RadiiOptions,
  type RadiiResult,
  unavailableParts,
} from "./pool-options.js";
import {
  type Backend,
  BACKENDS,
  gemmBlockRows,
  PREPARE_MIN_DIMENSIONS,
  SAMPLE_MIN_DIMENSIONS,
} from "./plan.js";
import {
  KERNEL_NAMES,
  type NativeProbeResult,
  type ProbeResult,
  type RanKernel,
  type ResultOf,
  type WorkerTask,
} from "./protocol.js";
import { type ProjectionMethod, resolveProjection } from "./projection/options.js";
import {
  projectionTask,
  type ProjectionOptions,
  type ProjectionResult,
} from "./projection/project-dispatch.js";
import { rowBlocks } from "./radii-blocks.js";
import { runTask, type ScheduledBlock, schedule, tracked } from "./scheduler.js";
import { resolveThreadCount, PoolOptionError } from "./threads.js";

export { CancelledError, WorkerFailedError } from "./pool-errors.js";
export { type Backend, BACKENDS } from "./plan.js";
export type { EncodeOptions } from "./encode-blocks.js";
export type {
  CallOptions,
  PoolOptions,
  RadiiOptions,
  RadiiResult,
  UnavailablePart,
} from "./pool-options.js";

/**
 * The pool's threads load the task file by import(), never by require(): Piscina tries require()
 * first, and Node 20's require() of an ES module can meet an import() of the same graph still in
 * flight in that thread (two tasks reaching a new thread at once) and abort the whole process
 * ("FATAL ERROR: v8::Module::IsGraphAsync must be used on an instantiated module", seen in CI).
 * With the flag, require() refuses at once and Piscina falls back to import(). Only where this
 * Node has the flag (an unknown one would stop every thread from starting).
 */
export const WORKER_EXEC_ARGV: string[] | undefined = process.allowedNodeEnvironmentFlags.has(
  "--no-experimental-require-module",
)
  ? [...process.execArgv, "--no-experimental-require-module"]
  : undefined;

/**
 * A pool of worker threads computing exact critical value radii, encodings and projections.
 * Start once, reuse, close. Each call shares its data with the workers once (SharedArrayBuffer)
 * and runs its tasks through the one scheduler (scheduler.ts).
 */
export class KnnPool {
  readonly threads: number;
  /** The partition's and TensorFlow.js's threads, started on first use (workers()). */
  private piscinaPool: Piscina | undefined;
  /** Set by close(): warm() starts nothing after it. */
  private closed = false;
  private readonly filename: string;
  /** One thread for gpu.js (see worker.ts), started on first use. */
  private gpuThread: Piscina | undefined;
  /** One thread for onnxruntime, which brings its own intra-op threads; started on first use. */
  private nativeThread: Piscina | undefined;
  private probe: Promise<ProbeResult> | undefined;
  private nativeProbe: Promise<NativeProbeResult> | undefined;
  /** Tasks sent and not yet settled, a cancelled or failed call's stragglers included. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(options: PoolOptions = {}) {
    this.threads = resolveThreadCount(options.threads);
    // the compiled worker, whether this module runs from dist/ or (under a test runner) from src/
    const filename = options.workerFile ?? new URL("../dist/worker.js", import.meta.url);
    this.filename = filename instanceof URL ? filename.href : filename;
  }

  /**
   * The worker threads, started on first use: a call the native GEMM takes never needs them, and
   * each costs a third of a second of CPU to start (Node and the worker's modules), which the
   * GEMM's two cores paid for when the pool started them with itself. call-plan.ts asks for them
   * as soon as the partition is likely, so that they start while the index is built.
   */
  private get piscina(): Piscina {
    this.piscinaPool ??= new Piscina({
      filename: this.filename,
      execArgv: WORKER_EXEC_ARGV,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      maxQueue: MAX_QUEUE,
    });
    return this.piscinaPool;
  }

  /**
   * A single-thread pool that keeps its thread (a GL context, an onnxruntime session), running
   * up to `concurrent` of its tasks at once (their awaits interleave).
   */
  private singleThread(concurrent = 1): Piscina {
    return new Piscina({
      filename: this.filename,
      execArgv: WORKER_EXEC_ARGV,
      minThreads: 1,
      maxThreads: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      maxQueue: MAX_QUEUE,
      concurrentTasksPerWorker: concurrent,
    });
  }

  /**
   * What the GPU thread found about headless-gl (asked once, then cached). headless-gl loads in one
   * thread per process only: a second pool in the same process gets gpu.js's CPU mode.
   */
  backendInfo(): Promise<ProbeResult> {
    this.gpuThread ??= this.singleThread();
    this.probe ??= runTask(this.gpuThread, { kind: "probe" });
    return this.probe;
  }

  /**
   * Starts, ahead of a radii call in d dimensions, the threads its plan will likely use, so that
   * they start while the caller reads and checks its data (a call starts what it needs anyway):
   * the native thread with onnxruntime from PREPARE_MIN_DIMENSIONS, where planning hands it the
   * data at once, the worker threads below SAMPLE_MIN_DIMENSIONS, where no GEMM is chosen from a
   * sample; nothing in between (the sample decides), where a GPU may take the call, or once closed.
   */
  warm(d: number, backend: Backend = "auto"): void {
    if (this.closed) return;
    if (backend === "gpujs" || (backend === "auto" && gpuDeviceNode() !== null)) return;
    if (d >= PREPARE_MIN_DIMENSIONS) this.nativeInfo().catch(() => undefined);
    else if (d < SAMPLE_MIN_DIMENSIONS) void this.piscina;
  }

  /** What call-plan.ts needs of this pool. */
  private planThreads(): PlanThreads {
    return {
      threads: this.threads,
      workers: () => this.piscina,
      gpuThread: () => this.gpuThread!,
      nativeThread: () => this.nativeThread!,
      nativeInfo: () => this.nativeInfo(),
    };
  }

  /** Whether onnxruntime-node loads in the native thread (asked once, then cached). */
  nativeInfo(): Promise<NativeProbeResult> {
    // two tasks at once: a block's Gemm runs while the last one is scanned (native/select-pipe.ts)
    this.nativeThread ??= this.singleThread(2);
    this.nativeProbe ??= runTask(this.nativeThread, {
      kind: "native-probe",
      threads: this.threads,
    });
    return this.nativeProbe;
  }

  /**
   * Exact radii (distance to the k-th nearest neighbour, self excluded) of every row, the same as
   * @lacuna/core's criticalValueRadii, computed on all threads with the kernel plan.ts picks.
   * @throws core's InvalidParameterError / NotEnoughSamplesError, PoolOptionError for an unknown
   *   backend or kernel, CancelledError, WorkerFailedError
   */
  async computeRadii(
    embeddings: Embeddings,
    k: number,
    options: RadiiOptions = {},
  ): Promise<RadiiResult> {
    const backend = options.backend ?? "auto";
    if (!BACKENDS.includes(backend))
      throw new PoolOptionError("backend", backend, `one of ${BACKENDS.join(", ")}`);
    if (options.kernel !== undefined && options.kernel !== "partition" && options.kernel !== "gemm")
      throw new PoolOptionError("kernel", options.kernel, "partition or gemm");
    validateK(k, embeddings.n);
    // exact duplicates beyond k + 1 copies: searched once, their radii copied (bit-identical;
    // core's duplicates.ts says why), so identical data is O(n d) instead of O(n^2 d)
    const duplicates = planDuplicates(embeddings, k);
    if (duplicates) {
      const reduced = await this.computeRadii(duplicates.reduced, k, options);
      return {
        ...reduced,
        radii: expandRadii(duplicates, reduced.radii),
        detail: `${reduced.detail}; ${embeddings.n - duplicates.reduced.n} duplicate rows collapsed first`,
      };
    }
    await this.ready(options.signal);
    const gpu = await chooseGpu(backend, () => this.backendInfo());
    const cancel = new SharedArrayBuffer(4);
    const { plan, blocks, pool, concurrency, restore } = await planCall(
      this.planThreads(),
      embeddings,
      k,
      gpu,
      cancel,
      options.kernel,
      options.reorderInPlace,
    );
    const n = embeddings.n;
    const radii = new Float64Array(n);
    const ran = new Set<RanKernel>();
    try {
      await schedule(
        blocks,
        (block, result) => {
          ran.add(result.kernel);
          if (block.rows) {
            for (let r = 0; r < block.units; r++) radii[block.rows[r]!] = result.radii[r]!;
          } else radii.set(result.radii, block.row0);
        },
        tracked(this.pending, pool, concurrency, cancel, n, options),
      );
    } finally {
      restore?.();
    }
    const kernels = [...ran].sort();
    return {
      radii,
      backend: gpu.mode === null ? "cpu" : "gpujs",
      kernels,
      detail: `${this.threads} thread${this.threads === 1 ? "" : "s"}, ${plan.reason}; ran ${kernels
        .map((kernel) => KERNEL_NAMES[kernel])
        .join(" and ")}${gpu.mode === null ? ` (${gpu.detail})` : ""}`,
      ...unavailableParts(gpu.unavailable, plan.unavailable),
    };
  }

  /**
   * Exact radii of query rows [rowA, rowB) against all n rows (self excluded), bit-identical to
   * those rows of computeRadii: a distributed worker's block. A CPU GEMM with exact float64
   * re-ranking (onnxruntime's where it loads, else TensorFlow.js's), which reads rows as given: no
   * whole-data index to build per block.
   * @returns rowB - rowA radii, in row order
   * @throws core's InvalidParameterError / NotEnoughSamplesError, CancelledError, WorkerFailedError
   */
  async computeRowRadii(
    embeddings: Embeddings,
    k: number,
    rowA: number,
    rowB: number,
    options: Pick<RadiiOptions, "signal" | "onProgress"> = {},
  ): Promise<Float64Array> {
    validateK(k, embeddings.n);
    if (
      !Number.isInteger(rowA) ||
      !Number.isInteger(rowB) ||
      rowA < 0 ||
      rowB > embeddings.n ||
      rowA >= rowB
    )
      throw new PoolOptionError("rows", `${rowA}..${rowB}`, `0 <= rowA < rowB <= ${embeddings.n}`);
    await this.ready(options.signal);
    const cancel = new SharedArrayBuffer(4);
    const native = (await this.nativeInfo()).available;
    const rows = rowB - rowA;
    const [kernel, size] = native
      ? ([
          { kind: "native-gemm", threads: this.threads, symmetric: false },
          gemmBlockRows(embeddings.n),
        ] as const)
      : ([{ kind: "matmul" }, Math.max(64, Math.ceil(rows / (this.threads * 4)))] as const);
    const blocks = rowBlocks(embeddings, k, cancel, kernel, size, rowA, rowB);
    const radii = new Float64Array(rows);
    await schedule(
      blocks,
      (block, result) => radii.set(result.radii, block.row0 - rowA),
      native
        ? tracked(this.pending, this.nativeThread!, 2, cancel, rows, options)
        : tracked(this.pending, this.piscina, this.threads * 2, cancel, rows, options),
    );
    return radii;
  }

  /**
   * Encodes `count` images (bytes back to back, h x w x c each as the model expects) with the
   * TensorFlow.js model in `modelDir`, on every thread, in batches of `batchSize`.
   * @returns count x dimensions float32 codes and the TensorFlow.js backend that ran
   */
  async encode(pixels: Uint8Array, count: number, options: EncodeOptions): Promise<EncodeResult> {
    const cancel = new SharedArrayBuffer(4);
    const plan = encodeBlocks(pixels, count, options, cancel, this.threads);
    await this.ready(options.signal);
    await schedule(
      plan.blocks,
      plan.onResult,
      tracked(this.pending, this.piscina, this.threads, cancel, count, options),
    );
    return plan.result();
  }

  /**
   * For every query row, its k nearest reference rows (nothing excluded), ascending by (distance,
   * reference index), on all threads: core's crossNearestNeighbours to the bit, with progress (query
   * rows done) and cancellation through the scheduler.
   * @throws InvalidEmbeddingsError, InvalidParameterError (k), CancelledError, WorkerFailedError
   */
  async crossNeighbours(
    reference: Embeddings,
    query: Embeddings,
    k: number,
    options: CallOptions = {},
  ) {
    assertSameWidth(reference, query, "query");
    validateCrossK(k, reference.n);
    const cancel = new SharedArrayBuffer(4);
    const plan = crossBlocks(reference, query, k, cancel, this.threads);
    await this.runBlocks(plan.blocks, plan.onResult, cancel, query.n, options);
    return plan.result();
  }

  /** Runs a call's planned blocks on all threads (for cross- and gap-blocks.ts; not an API). */
  async runBlocks<B extends ScheduledBlock<WorkerTask>>(
    blocks: readonly B[],
    onResult: (block: B, result: ResultOf<B["task"]>) => void,
    cancel: SharedArrayBuffer,
    total: number,
    options: CallOptions,
  ): Promise<void> {
    await this.ready(options.signal);
    const run = tracked(this.pending, this.piscina, this.threads * 2, cancel, total, options);
    await schedule(blocks, onResult, run);
  }

  /**
   * A 2-D projection of the embeddings (t-SNE, UMAP or PCA; see projectEmbeddings), computed in one
   * worker thread on a shared copy of the embeddings. Progress polls the worker's iteration
   * (epoch) count; the AbortSignal stops the worker at its next iteration.
   * @throws InvalidEmbeddingsError (n < 3), NonFiniteValueError, InvalidParameterError,
   *   CancelledError, WorkerFailedError
   */
  async project(
    embeddings: Embeddings,
    method: ProjectionMethod,
    options: ProjectionOptions = {},
  ): Promise<ProjectionResult> {
    const resolved = resolveProjection(embeddings, method, options);
    await this.ready(options.signal);
    const cancel = new SharedArrayBuffer(4);
    const { block, poll } = projectionTask(embeddings, resolved, cancel);
    const started = performance.now();
    let coordinates: Float64Array = new Float64Array(0);
    await schedule(
      [block],
      (_block, result) => {
        coordinates = result;
      },
      { ...tracked(this.pending, this.piscina, 1, cancel, resolved.iterations, options), poll },
    );
    return {
      coordinates,
      method: resolved.method,
      seconds: (performance.now() - started) / 1000,
    };
  }

  /**
   * Before any call's work: refuse an aborted signal, and let a cancelled or failed call's running
   * tasks finish (they stop at their next check of the flag) so that they do not take its threads.
   */
  private async ready(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) throw new CancelledError();
    if (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stops every worker; queued work is rejected. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([
      this.piscinaPool?.destroy(),
      this.gpuThread?.destroy(),
      this.nativeThread?.destroy(),
    ]);
  }
}
