/** @lacuna/worker: the worker pool computing exact radii on every core and on a GPU. */
export {
  type Backend,
  BACKENDS,
  KnnPool,
  MATMUL_MIN_DIMENSIONS,
  type PoolOptions,
  type RadiiOptions,
  type RadiiResult,
  RadiiCancelledError,
  WorkerFailedError,
} from "./pool.js";
export { resolveThreadCount, PoolOptionError, MAX_THREADS } from "./threads.js";
export type { ProbeResult, GpuMode } from "./protocol.js";
export {
  float32DistanceBound,
  candidateThreshold,
  type DistanceErrorBound,
} from "./gpu/error-bound.js";
