/**
 * @lacuna/core: exact coverage analysis with DataEval's semantics on typed arrays.
 * Pure: no I/O, no threads, no network. What users need is exported here; the kNN plumbing the
 * worker pool reuses is under `@lacuna/core/internal`, the seeded test data under
 * `@lacuna/core/testing`, the class colours under `@lacuna/core/palette`.
 */
export { type Embeddings, createEmbeddings, embeddingsFromRows } from "./embeddings.js";
export {
  type ErrorKind,
  ERROR_KINDS,
  isErrorKind,
  LacunaError,
  isLacunaError,
  mustBe,
  ErrorCodes,
  type ErrorCode,
  LacunaInputError,
  InvalidEmbeddingsError,
  NonFiniteValueError,
  InvalidParameterError,
  NotEnoughSamplesError,
  OutOfUnitIntervalError,
  ConstantEmbeddingsError,
  ValuesTooLargeError,
  ComputationStoppedError,
  CancelledError,
  NotFoundError,
} from "./errors.js";
export { type NearestNeighbours, nearestNeighbours, criticalValueRadii } from "./knn.js";
export { naiveRadius, adaptiveSelectionSize } from "./radius.js";
export { assertNoOverflow, ensureUnitInterval, valueRange } from "./unit-interval.js";
export { validateK } from "./validate.js";
export {
  type CoverageMethod,
  type CoverageOptions,
  type CoverageResult,
  COVERAGE_METHODS,
  coverage,
  coverageAdaptive,
  coverageNaive,
  coverageAdaptiveFromRadii,
  coverageNaiveFromRadii,
  coverageFromRadii,
  type CoverageFromRadiiOptions,
} from "./coverage.js";
export {
  type ClassCoverageRow,
  type PerClassOptions,
  type PerClassCoverageResult,
  perClassCoverage,
  perClassCoverageFromRadii,
  perClassStatistics,
} from "./classes.js";
export {
  type IsotropyResult,
  type CompletenessResult,
  isotropy,
  completeness,
} from "./isotropy.js";
export { nearDuplicateFraction } from "./near-duplicates.js";
export { type SampleExplanation, explainSample } from "./explain.js";
export { effectiveDimension } from "./spectrum.js";
export { crossCriticalValueRadii, crossNearestNeighbours } from "./cross-knn.js";
export {
  type CrossCoverageOptions,
  type CrossCoverageResult,
  type CrossCoverageSpace,
  crossCoverage,
  crossCoverageFromRadii,
  prepareCrossCoverage,
} from "./cross-coverage.js";
export { crossDeficits, selfDeficits } from "./deficits.js";
export { kthDistances, neighbourDeficits, neighbourRows, withoutSelf } from "./gap-steps.js";
export {
  type ClassCount,
  type GapRegion,
  type GapRegions,
  type GapRegionOptions,
  gapRegions,
  coverageGapRegions,
  crossCoverageGapRegions,
} from "./gaps.js";
export {
  type CollectOptions,
  type CollectRecomputed,
  type CollectResult,
  collect,
} from "./collect.js";
export {
  type DistanceMetric,
  type SpaceOptions,
  DISTANCE_METRICS,
  ZeroRowError,
  normalizeRows,
  validateMetric,
} from "./metric.js";
export {
  type FlaggedSampleRow,
  type FlaggedRowsInput,
  flaggedSampleRows,
  selectRows,
} from "./export-rows.js";
