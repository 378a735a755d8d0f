/**
 * The typed message protocol between the pool (main thread) and its workers. Every buffer a task
 * reads is a SharedArrayBuffer, sent once and never copied per task; every task kind has its
 * typed result (TaskResults), radii blocks with the kernel that actually ran them.
 */
import type { KernelMemory } from "./kernel-memory.js";
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
  /** The partition kernel's WebAssembly memory, one for every thread (kernel-memory.ts); null
   * where the engine had no address space for it (each thread then makes its own). */
  readonly kernel: KernelMemory | null;
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
  /**
   * Numbers the call's `data`: a thread keeps what it derives from it (a centred float32 copy,
   * norms) by this id, since each message delivers a new SharedArrayBuffer object for the same
   * memory (keyed by the object, every block rebuilt it: 0.26 s a block at 20 000 x 784).
   */
  readonly dataId: number;
  readonly dtype: "float32" | "float64";
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
  /** The same values rounded to float32, what the GPU kernel reads (the GEMM kernels make their
   * own, centred, copy: centre.ts). */
  readonly data32: SharedArrayBuffer;
}

/** Exact radii of rows [rowA, rowB) with TensorFlow.js's GEMM plus exact re-ranking (high d). */
export interface MatmulTask extends RowBlock {
  readonly kind: "matmul";
}

/**
 * Exact radii of rows [rowA, rowB) with onnxruntime's native GEMM (MLAS) plus exact re-ranking,
 * on `threads` intra-op threads (the pool sends these to one dedicated thread).
 */
export interface NativeGemmTask extends RowBlock {
  readonly kind: "native-gemm";
  readonly threads: number;
  /**
   * One of a whole call's blocks, sent in row order to one thread: the upper triangle only, each
   * value serving its row and its column (native/row-heaps.ts). False for rows on their own (a
   * distributed worker's block).
   */
  readonly symmetric: boolean;
}

/**
 * Has the native thread load onnxruntime and centre the call's data (the GEMM's float32 copy and
 * norms, kept by `dataId` for the call's blocks) while the main thread still plans: or, with
 * `release`, drop that copy (the plan took another kernel).
 */
export interface NativePrepareTask {
  readonly kind: "native-prepare";
  readonly threads: number;
  readonly data: SharedArrayBuffer;
  readonly dataId: number;
  readonly dtype: "float32" | "float64";
  readonly n: number;
  readonly d: number;
  readonly release: boolean;
}

/** Asks the native thread whether onnxruntime-node loads and its kernel's session starts. */
export interface NativeProbeTask {
  readonly kind: "native-probe";
  readonly threads: number;
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

/**
 * The k nearest reference rows of the query points at leaves [leafA, leafB) of the query's index
 * (positions in leaf order), nothing excluded: one block of a cross-set search (cross-blocks.ts).
 */
export interface CrossTask {
  readonly kind: "cross";
  /** Int32Array(1) in shared memory: the pool sets it to 1 to stop the call's running tasks. */
  readonly cancel: SharedArrayBuffer;
  readonly reference: SharedIndex;
  readonly query: SharedIndex;
  readonly k: number;
  readonly leafA: number;
  readonly leafB: number;
}

/** A cross block's rows (in leaf order), k each, ascending by (distance, reference index). */
export interface CrossBlockResult {
  /** Reference row indices, row-major. */
  readonly indices: Int32Array;
  /** Euclidean distances matching `indices`. */
  readonly distances: Float64Array;
}

/**
 * Gap regions' links from the flagged rows at index positions [p0, p1): core's gapLinks (pairs
 * within `link` that join two trees of the block's union-find), see gap-blocks.ts.
 */
export interface GapLinksTask {
  readonly kind: "gap-links";
  readonly cancel: SharedArrayBuffer;
  readonly index: SharedIndex;
  readonly p0: number;
  readonly p1: number;
  readonly link: number;
}

/**
 * Gap regions' medoid sums for members [s0, s1) of all regions back to back (index positions in
 * `members`, region g at [starts[g], starts[g + 1])): core's distanceSums within each region.
 */
export interface GapSumsTask {
  readonly kind: "gap-sums";
  readonly cancel: SharedArrayBuffer;
  /** The flagged index's points (float64, m x d). */
  readonly points: SharedArrayBuffer;
  readonly d: number;
  readonly members: SharedArrayBuffer;
  readonly starts: SharedArrayBuffer;
  readonly s0: number;
  readonly s1: number;
}

/**
 * Deficits of query rows [t0, t1) (float64 rows in `queries`) against an indexed reference, row
 * exclude[t] not counted: core's rangeDeficits, see deficit-blocks.ts.
 */
export interface GapDeficitsTask {
  readonly kind: "gap-deficits";
  readonly cancel: SharedArrayBuffer;
  readonly index: SharedIndex;
  readonly queries: SharedArrayBuffer;
  /** Int32 per query row, or null: nothing excluded. */
  readonly exclude: SharedArrayBuffer | null;
  readonly radius: number;
  readonly k: number;
  readonly t0: number;
  readonly t1: number;
}

/**
 * Collect's cover pairs of query rows [t0, t1) (float64 rows of the reference's flagged samples)
 * and the indexed pool rows within `radius`: core's coverPairs, see collect-pool.ts.
 */
export interface CollectCoversTask {
  readonly kind: "collect-covers";
  readonly cancel: SharedArrayBuffer;
  readonly index: SharedIndex;
  readonly queries: SharedArrayBuffer;
  readonly radius: number;
  readonly t0: number;
  readonly t1: number;
}

/** Asks a worker which gpu.js modes it can run and on what renderer. */
export interface ProbeTask {
  readonly kind: "probe";
}

/** The tasks that answer a block of radii. */
export type RadiiTask = PartitionTask | GpuTask | MatmulTask | NativeGemmTask;

export type WorkerTask =
  | PartitionTask
  | GpuTask
  | MatmulTask
  | NativeGemmTask
  | EncodeTask
  | ProjectTask
  | CrossTask
  | GapLinksTask
  | GapSumsTask
  | GapDeficitsTask
  | CollectCoversTask
  | ProbeTask
  | NativeProbeTask
  | NativePrepareTask;

/**
 * The kernel that computed a block, as the worker ran it (not as the pool planned it): the
 * partition search in WebAssembly SIMD or its scalar JavaScript fallback, gpu.js, TensorFlow.js's
 * GEMM on its backend, or onnxruntime's.
 */
export type RanKernel =
  "wasm-simd" | "scalar" | "gpujs" | "tfjs-wasm" | "tfjs-cpu" | "tfjs-tensorflow" | "onnxruntime";

/** One block's radii (in the block's row or leaf order) and the kernel that computed them. */
export interface RadiiBlockResult {
  readonly radii: Float64Array;
  readonly kernel: RanKernel;
}

export interface EncodeBlockResult {
  readonly codes: Float32Array;
  /** The TensorFlow.js backend that ran. */
  readonly backend: string;
}

export interface NativeProbeResult {
  readonly available: boolean;
  /** onnxruntime's version, or why it is not available. */
  readonly detail: string;
}

/** What each task kind answers. */
export interface TaskResults {
  readonly partition: RadiiBlockResult;
  readonly gpujs: RadiiBlockResult;
  readonly matmul: RadiiBlockResult;
  readonly "native-gemm": RadiiBlockResult;
  readonly encode: EncodeBlockResult;
  readonly project: Float64Array;
  readonly cross: CrossBlockResult;
  /** Joining pairs (a, b) back to back. */
  readonly "gap-links": Int32Array;
  /** One distance sum per member, s1 - s0. */
  readonly "gap-sums": Float64Array;
  /** One deficit per query row, t1 - t0. */
  readonly "gap-deficits": Int32Array;
  /** Pairs (t, pool row) back to back, t ascending. */
  readonly "collect-covers": Int32Array;
  readonly probe: ProbeResult;
  readonly "native-probe": NativeProbeResult;
  /** Whether the copy is held (false: onnxruntime did not load, or it was released). */
  readonly "native-prepare": boolean;
}

export type ResultOf<T extends WorkerTask> = TaskResults[T["kind"]];

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

/** How the pool names each kernel in its detail line. */
export const KERNEL_NAMES: Readonly<Record<RanKernel, string>> = {
  "wasm-simd": "WebAssembly SIMD",
  scalar: "scalar JavaScript (WebAssembly SIMD unavailable)",
  gpujs: "gpu.js",
  "tfjs-wasm": "TensorFlow.js wasm",
  "tfjs-cpu": "TensorFlow.js cpu",
  "tfjs-tensorflow": "TensorFlow.js tensorflow",
  onnxruntime: "onnxruntime (MLAS)",
};
