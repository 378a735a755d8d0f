/**
 * @lacuna/core: exact coverage analysis with DataEval's semantics on typed arrays.
 * Pure: no I/O, no threads, no network; every public type and function is exported here.
 */
export {
  type Embeddings,
  createEmbeddings,
  embeddingsFromRows,
  assertFinite,
  toFloat64,
} from "./embeddings.js";
export {
  ErrorCodes,
  type ErrorCode,
  LacunaInputError,
  InvalidEmbeddingsError,
  NonFiniteValueError,
  InvalidParameterError,
  NotEnoughSamplesError,
  OutOfUnitIntervalError,
  ConstantEmbeddingsError,
  ComputationStoppedError,
} from "./errors.js";
export {
  type NearestNeighbours,
  nearestNeighbours,
  criticalValueRadii,
  criticalValueRadiiBrute,
  criticalValueRadiiPartitioned,
  criticalValueRadiiReference,
  PARTITION_MAX_DIMENSIONS,
} from "./knn.js";
export {
  type SpatialIndex,
  BALL_MIN_DIMENSIONS,
  buildSpatialIndex,
  leafSizeFor,
} from "./spatial-index.js";
export { leafNeighbourHeaps, leafRadii, partitionWorkShare, type LeafKernel } from "./leaf-knn.js";
export { NeighbourHeaps } from "./neighbour-heap.js";
export { naiveRadius, adaptiveSelectionSize, descendingOrder, adaptiveRadius } from "./radius.js";
export { logGammaHalfPlusOne } from "./log-gamma.js";
export { ensureUnitInterval, valueRange } from "./unit-interval.js";
export { validateK, validatePercent } from "./validate.js";
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
} from "./coverage.js";
export {
  type ClassCoverageRow,
  type PerClassOptions,
  type PerClassCoverageResult,
  perClassCoverage,
  perClassCoverageFromRadii,
  perClassStatistics,
  validateLabels,
} from "./classes.js";
export {
  type IsotropyResult,
  type CompletenessResult,
  isotropy,
  completeness,
} from "./isotropy.js";
export {
  type NearestNeighbourPairs,
  nearestOther,
  nearestNeighbourPairs,
  nearestPairDistances,
  nearDuplicateFraction,
  validateNearDuplicateFactor,
} from "./near-duplicates.js";
export { type SampleExplanation, explainSample, radiusRank } from "./explain.js";
export { singularValues, matrixRank, effectiveDimension } from "./spectrum.js";
export { median } from "./median.js";
export {
  assertSameWidth,
  crossCriticalValueRadii,
  crossLeafNeighbourHeaps,
  crossNearestNeighbours,
  validateCrossK,
} from "./cross-knn.js";
export {
  type CrossCoverageOptions,
  type CrossCoverageResult,
  crossCoverage,
  indicesAboveRadius,
} from "./cross-coverage.js";
export { countWithinRadius, forEachWithinRadius } from "./range-query.js";
export { crossDeficits, selfDeficits, validateSampleIndices } from "./deficits.js";
export {
  type ClassCount,
  type GapRegion,
  type GapRegions,
  type GapRegionOptions,
  gapRegions,
  coverageGapRegions,
  crossCoverageGapRegions,
} from "./gaps.js";
export { type GreedyPicks, greedyDeficitReduction } from "./greedy-cover.js";
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
  prepareSpace,
  coverageInSpace,
} from "./metric.js";
export {
  type FlaggedSampleRow,
  type FlaggedRowsInput,
  flaggedSampleRows,
  selectRows,
} from "./export-rows.js";
