/**
 * @lacuna/worker: the worker pool computing exact radii on every core and on a GPU, encodings, and
 * 2-D projections (t-SNE, UMAP, PCA).
 */
export {
  type Backend,
  BACKENDS,
  KnnPool,
  type PoolOptions,
  type RadiiOptions,
  type EncodeOptions,
  type RadiiResult,
  type UnavailablePart,
  CancelledError,
  WorkerFailedError,
} from "./pool.js";
export {
  type PlannedKernel,
  type PlanFacts,
  type RadiiPlan,
  planRadii,
  gemmBreakEvenShare,
  gemmBlockRows,
} from "./plan.js";
export { type GapPoolOptions, poolGapRegions } from "./gap-blocks.js";
export { poolDeficits } from "./deficit-blocks.js";
export { type CollectStep, type PoolCollectOptions, poolCollect } from "./collect-pool.js";
export { resolveThreadCount, PoolOptionError, MAX_THREADS } from "./threads.js";
export type { ProjectionOptions, ProjectionResult } from "./projection/project-dispatch.js";
export {
  type ProjectionMethod,
  type ProjectionParameters,
  type ResolvedProjection,
  PROJECTION_METHODS,
  MIN_PROJECTION_SAMPLES,
  DEFAULT_PERPLEXITY,
  DEFAULT_TSNE_ITERATIONS,
  DEFAULT_UMAP_NEIGHBORS,
  resolveProjection,
  umapEpochs,
} from "./projection/options.js";
export { type ProjectOptions, projectEmbeddings } from "./projection/project.js";
export {
  type TsneOptions,
  tsne,
  tsneLearningRate,
  TSNE_EARLY_EXAGGERATION,
  TSNE_EXAGGERATION_ITERATIONS,
  TSNE_DEFAULT_THETA,
} from "./projection/tsne.js";
export { type UmapOptions, umap, UMAP_MIN_DIST } from "./projection/umap.js";
export { pca } from "./projection/pca.js";
export type { ProbeResult, GpuMode, RanKernel, NativeProbeResult } from "./protocol.js";
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
export { loadEncoder, modelHash, InvalidModelError, type LoadedEncoder } from "./encoder/load.js";
export { encodeImages } from "./encoder/encode.js";
export {
  normalizeMnist,
  MNIST_MEAN,
  MNIST_STD,
  MNIST_TRANSFORMS_ID,
} from "./encoder/transforms.js";
export { tfRuntime, useTfBackend, type TfRuntime } from "./tfjs/runtime.js";
export {
  type RowSource,
  type StreamedRadiiOptions,
  type StreamedPlan,
  DEFAULT_STREAM_MEMORY,
  planStreamedBlocks,
  StreamMemoryError,
  StreamRuntimeError,
} from "./native/streamed-plan.js";
export { type StreamedRadiiResult, streamedRadii } from "./native/streamed-radii.js";
