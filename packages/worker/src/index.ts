/** @lacuna/worker: the worker pool computing exact radii on every core and on a GPU. */
export {
  type Backend,
  BACKENDS,
  KnnPool,
  MATMUL_MIN_DIMENSIONS,
  type PoolOptions,
  type RadiiOptions,
  type EncodeOptions,
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
export {
  buildMnistEncoder,
  buildMnistDecoder,
  tfjsWeightsFromPyTorch,
  type PyTorchEncoderWeights,
  MNIST_ENCODER_INPUT,
  MNIST_ENCODER_DIMENSIONS,
} from "./encoder/mnist-encoder.js";
export {
  loadEncoder,
  checkModelDir,
  modelHash,
  InvalidModelError,
  type LoadedEncoder,
} from "./encoder/load.js";
export { encodeImages } from "./encoder/encode.js";
export {
  normalizeMnist,
  MNIST_MEAN,
  MNIST_STD,
  MNIST_TRANSFORMS_ID,
} from "./encoder/transforms.js";
export { tfRuntime, useTfBackend, type TfRuntime } from "./tfjs/runtime.js";
