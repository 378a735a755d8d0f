/**
 * The typed message protocol between the pool (main thread) and its workers. Every buffer a task
 * reads is a SharedArrayBuffer, sent once and never copied per task; every result is a
 * Float64Array moved (transferred) back.
 */
import type { ProjectionMethod } from "./projection/options.js";

/** A spatial index (see @lacuna/core's SpatialIndex) whose arrays live in shared memory. */
export interface SharedIndex {
  /** Unique per call: a worker keeps what it derives from the index (its wasm copy) by this. */
  readonly id: number;
  readonly n: number;
  readonly d: number;
  readonly points: SharedArrayBuffer;
  readonly order: SharedArrayBuffer;
  readonly leafStart: SharedArrayBuffer;
  readonly boxLow: SharedArrayBuffer;
  readonly boxHigh: SharedArrayBuffer;
  readonly centre: SharedArrayBuffer;
  readonly radius: SharedArrayBuffer;
}

/** Exact radii of the points of leaves [leafA, leafB), in leaf order, with the partition kernel (WebAssembly SIMD in the worker). */
export interface PartitionTask {
  readonly kind: "partition";
  /** Int32Array(1) in shared memory: the pool sets it to 1 to stop the call's running tasks. */
  readonly cancel: SharedArrayBuffer;
  readonly index: SharedIndex;
  readonly k: number;
  readonly leafA: number;
  readonly leafB: number;
}

/** What the kernels that read the embeddings as given (gpu.js, GEMM) need for rows [rowA, rowB). */
export interface RowBlock {
  /** Int32Array(1) in shared memory: the pool sets it to 1 to stop the call's running tasks. */
  readonly cancel: SharedArrayBuffer;
  /** n x d embeddings as given (float32 or float64), for the exact recomputation. */
  readonly data: SharedArrayBuffer;
  readonly dtype: "float32" | "float64";
  /** The same values rounded to float32, what the approximate kernel reads. */
  readonly data32: SharedArrayBuffer;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly rowA: number;
  readonly rowB: number;
}

/** Exact radii of rows [rowA, rowB) with the gpu.js distance kernel plus exact re-ranking. */
export interface GpuTask extends RowBlock {
  readonly kind: "gpujs";
  readonly mode: GpuMode;
}

/** Exact radii of rows [rowA, rowB) with TensorFlow.js's GEMM plus exact re-ranking (high d). */
export interface MatmulTask extends RowBlock {
  readonly kind: "matmul";
}

/** Encodes images [start, start + count) of the shared pixel buffer with a TensorFlow.js model. */
export interface EncodeTask {
  readonly kind: "encode";
  readonly cancel: SharedArrayBuffer;
  /** All images' bytes, back to back. */
  readonly pixels: SharedArrayBuffer;
  readonly start: number;
  readonly count: number;
  /** Directory of model.json and its weights. */
  readonly modelDir: string;
  readonly batchSize: number;
  /** TensorFlow.js backend: "auto" (tensorflow if installed, else wasm), "wasm" or "cpu". */
  readonly tfBackend: "auto" | "wasm" | "cpu";
}

/** A 2-D projection of the whole shared embeddings, in one worker (see projectEmbeddings). */
export interface ProjectTask {
  readonly kind: "project";
  /** Int32Array(1) in shared memory: the pool sets it to 1 to stop the task between iterations. */
  readonly cancel: SharedArrayBuffer;
  /** Int32Array(1) in shared memory: the worker stores the iterations (epochs) done; the pool polls it. */
  readonly progress: SharedArrayBuffer;
  /** n x d embeddings, row-major, as given. */
  readonly data: SharedArrayBuffer;
  readonly dtype: "float32" | "float64";
  readonly n: number;
  readonly d: number;
  readonly method: ProjectionMethod;
  /** Resolved parameters (see resolveProjection): defaults filled in, clamps applied. */
  readonly seed: number;
  readonly perplexity: number;
  readonly nNeighbors: number;
  readonly iterations: number;
}

/** Asks a worker which gpu.js modes it can run and on what renderer. */
export interface ProbeTask {
  readonly kind: "probe";
}

export type WorkerTask =
  PartitionTask | GpuTask | MatmulTask | EncodeTask | ProjectTask | ProbeTask;

/**
 * gpu.js modes Lacuna uses: WebGPU (Dawn, through the `webgpu` package), a GL context
 * (headless-gl), or gpu.js's JavaScript fallback.
 */
export type GpuMode = "webgpu" | "headlessgl" | "cpu";

export interface ProbeResult {
  /** headless-gl loaded and created a context. */
  readonly headlessgl: boolean;
  /** The GL renderer string (e.g. "llvmpipe (LLVM 15.0.6, 256 bits)" for Mesa's software renderer). */
  readonly renderer: string | null;
  /** True when the renderer is a software rasteriser, not a GPU. */
  readonly software: boolean;
  /** Why headless-gl is unavailable, when it is. */
  readonly reason: string | null;
  /** A WebGPU adapter was found (Dawn on the GPU driver's Vulkan). */
  readonly webgpu: boolean;
  /** The adapter's description, or why there is none. */
  readonly webgpuInfo: string;
}
