import { type Embeddings, validateK } from "@lacuna/core";
import {
  BALL_MIN_DIMENSIONS,
  buildSpatialIndex,
  leafSizeFor,
  partitionWorkShare,
  type SpatialIndex,
} from "@lacuna/core/internal";
import { Piscina } from "piscina";
import type { GpuMode, ProbeResult, WorkerTask } from "./protocol.js";
import { RadiiCancelledError, WorkerFailedError } from "./pool-errors.js";
import { type ProjectionMethod, resolveProjection } from "./projection/options.js";
import {
  dispatchProjection,
  type ProjectionOptions,
  type ProjectionResult,
} from "./projection/project-dispatch.js";
import { gpuDeviceNode } from "./gpu/device.js";
import { shareIndex, toShared } from "./shared-index.js";
import { resolveThreadCount, PoolOptionError } from "./threads.js";

export { RadiiCancelledError, WorkerFailedError } from "./pool-errors.js";

export type Backend = "auto" | "cpu" | "gpujs";

const MAX_QUEUE = 4096;

/**
 * Above this many dimensions the CPU backend weighs the partition kernel against TensorFlow.js's
 * wasm GEMM with exact re-ranking; up to it, the partition kernel always wins.
 */
export const MATMUL_MIN_DIMENSIONS = 128;

/**
 * ...and takes the GEMM when the partition would do more than this share of brute force's
 * distance work (core's partitionWorkShare, measured on a few leaves before the search). The
 * GEMM's cost does not depend on the data; the partition's is proportional to its share. Measured
 * (2 threads, k = 20, 20 000 x 512, 2026-11-29): the GEMM about 33 s on any data; the partition
 * with its WebAssembly tiles 8.0 s on ten clusters, at a share of 0.12.
 */
export const MATMUL_MIN_SHARE = 0.2;

/** Numbers each call's shared index (workers cache their copy of it by this). */
let indexIds = 0;

const pct = (share: number) => `${Math.round(share * 100)} %`;
export const BACKENDS: readonly Backend[] = ["auto", "cpu", "gpujs"];

export interface PoolOptions {
  /** Worker threads; default LACUNA_THREADS, else the machine's available parallelism. */
  readonly threads?: number;
  /** The worker script (compiled JavaScript). Tests pass a wrapper that injects faults. */
  readonly workerFile?: string | URL;
}

export interface RadiiOptions {
  /** `auto` (default): the GPU kernel on a hardware GPU, else the CPU kernel. */
  readonly backend?: Backend;
  /** Cancels queued and running work; the call then rejects with RadiiCancelledError. */
  readonly signal?: AbortSignal;
  /** Called after each block with the rows done so far and n; the last call has done = n. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface EncodeOptions {
  /** Directory holding the TensorFlow.js model (model.json and weights). */
  readonly modelDir: string;
  /** Images per forward pass; default 64, the seed's. */
  readonly batchSize?: number;
  /** "auto" (tfjs-node-gpu when installed, else wasm), "wasm" or "cpu". */
  readonly tfBackend?: "auto" | "wasm" | "cpu";
  readonly signal?: AbortSignal;
  /** Images encoded so far, and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RadiiResult {
  readonly radii: Float64Array;
  /** The backend that ran. */
  readonly backend: "cpu" | "gpujs";
  /** Human-readable: threads, and for gpujs the gpu.js mode and renderer. */
  readonly detail: string;
  /**
   * Why a GPU that was asked for (`gpujs`) or that exists (`auto` with a GPU device node) was not
   * used, when a native part could not be loaded (headless-gl not installed or not built): for the
   * caller to tell its user. Absent when the chosen backend is what was asked for.
   */
  readonly unavailable?: string;
}

interface Block {
  readonly task: WorkerTask;
  /** Original row index of each returned radius, or null when rows come back in order from `row0`. */
  readonly rows: Int32Array | null;
  readonly row0: number;
  readonly count: number;
  readonly what: string;
}

/**
 * A pool of worker threads computing exact critical value radii. Start once, reuse, close. Each
 * call shares the embeddings with every worker once (SharedArrayBuffer) and splits the query rows
 * into blocks; results come back by transfer and are merged in place.
 */
export class KnnPool {
  readonly threads: number;
  private readonly piscina: Piscina;
  private readonly filename: string;
  /** One thread for gpu.js (see worker.ts), started on first use. */
  private gpuThread: Piscina | undefined;
  private probe: Promise<ProbeResult> | undefined;
  /** Tasks sent and not yet settled, a cancelled or failed call's stragglers included. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(options: PoolOptions = {}) {
    this.threads = resolveThreadCount(options.threads);
    // the compiled worker, whether this module runs from dist/ or (under a test runner) from src/
    const filename = options.workerFile ?? new URL("../dist/worker.js", import.meta.url);
    this.filename = filename instanceof URL ? filename.href : filename;
    this.piscina = new Piscina({
      filename: this.filename,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      // each call keeps at most two blocks per thread in flight; the queue bound is a safety net
      // for many concurrent calls, not the flow control
      maxQueue: MAX_QUEUE,
    });
  }

  /**
   * What the GPU thread found about headless-gl (asked once, then cached). headless-gl loads in one
   * thread per process only: a second pool in the same process gets gpu.js's CPU mode.
   */
  backendInfo(): Promise<ProbeResult> {
    this.probe ??= this.gpuPool().run({
      kind: "probe",
    } satisfies WorkerTask) as Promise<ProbeResult>;
    return this.probe;
  }

  private gpuPool(): Piscina {
    this.gpuThread ??= new Piscina({
      filename: this.filename,
      minThreads: 1,
      maxThreads: 1,
      // the GL context lives in this thread: keep it for the pool's lifetime
      idleTimeout: Number.POSITIVE_INFINITY,
      maxQueue: MAX_QUEUE,
    });
    return this.gpuThread;
  }

  /**
   * Exact radii (distance to the k-th nearest neighbour, self excluded) of every row, the same as
   * @lacuna/core's criticalValueRadii, computed on all threads.
   * @throws core's InvalidParameterError / NotEnoughSamplesError, PoolOptionError for an unknown
   *   backend, RadiiCancelledError, WorkerFailedError
   */
  async computeRadii(
    embeddings: Embeddings,
    k: number,
    options: RadiiOptions = {},
  ): Promise<RadiiResult> {
    const backend = options.backend ?? "auto";
    if (!BACKENDS.includes(backend))
      throw new PoolOptionError("backend", backend, `one of ${BACKENDS.join(", ")}`);
    validateK(k, embeddings.n);
    if (options.signal?.aborted) throw new RadiiCancelledError();
    // a cancelled or failed call returns at once; its running blocks stop at their next leaf:
    // let them, so that they do not take this call's threads
    if (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    const chosen = await this.choose(backend);
    const cancel = new SharedArrayBuffer(4);
    let kernel = "";
    let blocks: Block[];
    if (chosen.mode !== null) {
      blocks = this.rowBlocks(embeddings, k, cancel, { kind: "gpujs", mode: chosen.mode }, 1);
    } else {
      const index = buildSpatialIndex(embeddings, leafSizeFor(k));
      const share = embeddings.d > MATMUL_MIN_DIMENSIONS ? partitionWorkShare(index, k) : 0;
      if (share > MATMUL_MIN_SHARE) {
        blocks = this.rowBlocks(embeddings, k, cancel, { kind: "matmul" }, this.threads);
        kernel = `TensorFlow.js GEMM with exact re-ranking (the partition would do ${pct(share)} of brute force's work)`;
      } else {
        blocks = this.partitionBlocks(index, k, cancel);
        kernel = `${embeddings.d < BALL_MIN_DIMENSIONS ? "k-d" : "ball"} partition kernel, WebAssembly SIMD${
          embeddings.d > MATMUL_MIN_DIMENSIONS ? ` (${pct(share)} of brute force's work)` : ""
        }`;
      }
    }
    // gpu.js work goes to the GPU thread (one device, one context); CPU work to every thread
    const target = chosen.mode === null ? this.piscina : this.gpuPool();
    const radii = await this.runBlocks(
      target,
      chosen.mode === null ? this.threads : 1,
      blocks,
      embeddings.n,
      cancel,
      options,
    );
    return {
      radii,
      backend: chosen.mode === null ? "cpu" : "gpujs",
      detail: `${this.threads} thread${this.threads === 1 ? "" : "s"}, ${
        chosen.mode !== null ? chosen.detail : `${kernel}, ${chosen.detail}`
      }`,
      ...(chosen.unavailable ? { unavailable: chosen.unavailable } : {}),
    };
  }

  /**
   * Encodes `count` images (bytes back to back, h x w x c each as the model expects) with the
   * TensorFlow.js model in `modelDir`, on every thread, in batches of `batchSize`.
   * @returns count x dimensions float32 codes and the TensorFlow.js backend that ran
   */
  async encode(
    pixels: Uint8Array,
    count: number,
    options: EncodeOptions,
  ): Promise<{ codes: Float32Array; dimensions: number; backend: string }> {
    const batchSize = options.batchSize ?? 64;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 65536) {
      throw new PoolOptionError("batchSize", batchSize, "an integer from 1 to 65536");
    }
    if (!Number.isInteger(count) || count < 1 || pixels.length % count !== 0) {
      throw new PoolOptionError(
        "count",
        count,
        `an integer >= 1 dividing the ${pixels.length} pixel bytes`,
      );
    }
    if (options.signal?.aborted) throw new RadiiCancelledError();
    if (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    const shared = toShared(pixels);
    const cancel = new SharedArrayBuffer(4);
    const blockSize = Math.max(batchSize, Math.ceil(count / (this.threads * 4)));
    const blocks: { start: number; count: number }[] = [];
    for (let start = 0; start < count; start += blockSize)
      blocks.push({ start, count: Math.min(blockSize, count - start) });
    const results: Float32Array[] = new Array(blocks.length);
    let backend = "";
    let done = 0;
    const flag = new Int32Array(cancel);
    const onAbort = () => Atomics.store(flag, 0, 1);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      let next = 0;
      const worker = async () => {
        while (next < blocks.length) {
          const b = next++;
          const block = blocks[b]!;
          const task: WorkerTask = {
            kind: "encode",
            cancel,
            pixels: shared,
            start: block.start,
            count: block.count,
            modelDir: options.modelDir,
            batchSize,
            tfBackend: options.tfBackend ?? "auto",
          };
          const running = this.track(
            this.piscina.run(task) as Promise<{ codes: Float32Array; backend: string }>,
          );
          let result;
          try {
            result = await running;
          } catch (error) {
            Atomics.store(flag, 0, 1);
            if (options.signal?.aborted) throw new RadiiCancelledError();
            throw new WorkerFailedError(
              `the codes of images ${block.start}..${block.start + block.count - 1}`,
              error,
            );
          }
          results[b] = result.codes;
          backend = result.backend;
          done += block.count;
          options.onProgress?.(done, count);
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.threads, blocks.length) }, worker));
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
    const dimensions = results[0]!.length / blocks[0]!.count;
    const codes = new Float32Array(count * dimensions);
    results.forEach((r, b) => codes.set(r, blocks[b]!.start * dimensions));
    return { codes, dimensions, backend };
  }

  /**
   * A 2-D projection of the embeddings (t-SNE, UMAP or PCA; see projectEmbeddings), computed in one
   * worker thread on a shared copy of the embeddings. Progress polls the worker's iteration
   * (epoch) count; the AbortSignal stops the worker at its next iteration. Like the other calls it
   * first lets a cancelled call's stragglers finish.
   * @throws InvalidEmbeddingsError (n < 3), NonFiniteValueError, InvalidParameterError,
   *   RadiiCancelledError, WorkerFailedError
   */
  async project(
    embeddings: Embeddings,
    method: ProjectionMethod,
    options: ProjectionOptions = {},
  ): Promise<ProjectionResult> {
    const resolved = resolveProjection(embeddings, method, options);
    if (options.signal?.aborted) throw new RadiiCancelledError();
    if (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    return dispatchProjection(
      this.piscina,
      (running) => this.track(running),
      embeddings,
      resolved,
      {
        signal: options.signal,
        onProgress: options.onProgress,
      },
    );
  }

  /** Remembers a sent task until it settles, so that the next call can wait for stragglers. */
  private track<T>(running: Promise<T>): Promise<T> {
    this.pending.add(running);
    void running.finally(() => this.pending.delete(running)).catch(() => undefined);
    return running;
  }

  /** Stops every worker; queued work is rejected. */
  async close(): Promise<void> {
    await Promise.all([this.piscina.destroy(), this.gpuThread?.destroy()]);
  }

  private async choose(
    backend: Backend,
  ): Promise<{ mode: GpuMode | null; detail: string; unavailable?: string }> {
    if (backend === "cpu") return { mode: null, detail: "CPU" };
    // auto needs a hardware GPU, which has a device node: without one, skip the probe (loading
    // gpu.js and headless-gl in the GPU thread costs about 0.25 s of every `lacuna coverage`)
    if (backend === "auto" && gpuDeviceNode() === null)
      return { mode: null, detail: "CPU (no GPU device node)" };
    const info = await this.backendInfo();
    if (info.webgpu) return { mode: "webgpu", detail: `gpu.js WebGPU on ${info.webgpuInfo}` };
    const gl = {
      mode: "headlessgl" as const,
      detail: `gpu.js headless-gl on ${info.renderer ?? "unknown renderer"}`,
    };
    if (backend === "gpujs") {
      const reason = info.reason ?? "no GL context";
      return info.headlessgl
        ? gl
        : { mode: "cpu", detail: `gpu.js CPU mode (${reason})`, unavailable: reason };
    }
    // auto: a GPU only when it is a real one; Mesa's llvmpipe is slower than the CPU kernel
    if (!info.headlessgl && info.reason !== null) {
      return { mode: null, detail: `CPU (${info.reason})`, unavailable: info.reason };
    }
    return info.headlessgl && !info.software
      ? gl
      : { mode: null, detail: "CPU (no hardware GPU found)" };
  }

  private partitionBlocks(index: SpatialIndex, k: number, cancel: SharedArrayBuffer): Block[] {
    const shared = shareIndex(index, ++indexIds);
    const leaves = index.leafStart.length - 1;
    // many small blocks: clustered data makes blocks' costs uneven, and the last block's thread
    // otherwise finishes alone (measured on 60k x 10, 2 threads: 8 blocks a thread 8.1 s, 32 a thread 6.4 s)
    const count = Math.min(leaves, this.threads * 32);
    const blocks: Block[] = [];
    for (let b = 0; b < count; b++) {
      const leafA = Math.floor((b * leaves) / count);
      const leafB = Math.floor(((b + 1) * leaves) / count);
      const p0 = index.leafStart[leafA]!;
      const p1 = index.leafStart[leafB]!;
      blocks.push({
        task: { kind: "partition", cancel, index: shared, k, leafA, leafB },
        rows: index.order.subarray(p0, p1),
        row0: p0,
        count: p1 - p0,
        what: `the radii of leaves ${leafA}..${leafB - 1}`,
      });
    }
    return blocks;
  }

  /** Blocks of query rows for the kernels that read the embeddings as given (gpu.js, GEMM). */
  private rowBlocks(
    embeddings: Embeddings,
    k: number,
    cancel: SharedArrayBuffer,
    kernel: { kind: "gpujs"; mode: GpuMode } | { kind: "matmul" },
    threads: number,
  ): Block[] {
    const { n, d } = embeddings;
    const data = toShared(embeddings.data);
    const data32 = toShared(
      embeddings.data instanceof Float32Array
        ? embeddings.data
        : Float32Array.from(embeddings.data),
    );
    const dtype = embeddings.data instanceof Float32Array ? "float32" : "float64";
    const size = Math.max(64, Math.ceil(n / (threads * 4)));
    const blocks: Block[] = [];
    for (let rowA = 0; rowA < n; rowA += size) {
      const rowB = Math.min(n, rowA + size);
      const common = { cancel, data, dtype, data32, n, d, k, rowA, rowB } as const;
      blocks.push({
        task:
          kernel.kind === "gpujs"
            ? { kind: "gpujs", mode: kernel.mode, ...common }
            : { kind: "matmul", ...common },
        rows: null,
        row0: rowA,
        count: rowB - rowA,
        what: `the radii of rows ${rowA}..${rowB - 1}`,
      });
    }
    return blocks;
  }

  /**
   * Runs the blocks, at most two per thread in flight (Piscina's queue stays short), merging as
   * they land. Cancellation is cooperative: queued blocks are never sent, running ones see the
   * shared flag and stop at their next leaf or tile. Piscina's own abort is not used: it kills the
   * worker thread, and a result racing the kill surfaces as an uncaught error.
   */
  private runBlocks(
    pool: Piscina,
    threads: number,
    blocks: readonly Block[],
    n: number,
    cancel: SharedArrayBuffer,
    options: RadiiOptions,
  ): Promise<Float64Array> {
    const radii = new Float64Array(n);
    const flag = new Int32Array(cancel);
    return new Promise<Float64Array>((resolve, reject) => {
      let settled = false;
      let done = 0;
      let next = 0;
      let inFlight = 0;
      const finish = (error: unknown) => {
        if (settled) return;
        settled = true;
        Atomics.store(flag, 0, 1);
        options.signal?.removeEventListener("abort", onAbort);
        if (error === null) resolve(radii);
        else reject(error);
      };
      const onAbort = () => finish(new RadiiCancelledError());
      options.signal?.addEventListener("abort", onAbort, { once: true });
      const launch = () => {
        while (!settled && inFlight < threads * 2 && next < blocks.length) {
          const block = blocks[next++]!;
          inFlight++;
          this.track(pool.run(block.task) as Promise<Float64Array>).then(
            (result) => {
              inFlight--;
              if (settled) return;
              if (block.rows)
                for (let r = 0; r < block.count; r++) radii[block.rows[r]!] = result[r]!;
              else radii.set(result, block.row0);
              done += block.count;
              options.onProgress?.(done, n);
              if (done === n) finish(null);
              else launch();
            },
            (error: unknown) => {
              inFlight--;
              finish(new WorkerFailedError(block.what, error));
            },
          );
        }
      };
      launch();
    });
  }
}
