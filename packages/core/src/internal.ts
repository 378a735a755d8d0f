/**
 * @lacuna/core/internal: the plumbing behind core's exact kNN that the worker pool reuses (the
 * spatial index, the leaf kernels, the work-share estimate, the bounded heaps, the reference
 * implementations the tests compare against). Not a stable API: it changes with the kernels.
 */
export { assertFinite, toFloat64 } from "./embeddings.js";
export { type DuplicatePlan, expandRadii, planDuplicates } from "./duplicates.js";
export {
  criticalValueRadiiBrute,
  criticalValueRadiiPartitioned,
  criticalValueRadiiReference,
  PARTITION_MAX_DIMENSIONS,
} from "./knn.js";
export {
  type IndexPoints,
  type SpatialIndex,
  BALL_MIN_DIMENSIONS,
  buildSpatialIndex,
  leafSizeFor,
} from "./spatial-index.js";
export { gatherRowsInPlace, restoreRowsInPlace } from "./row-order.js";
// for the worker threads' kernels: the same class as the root's, without the root's modules
// (ml-matrix among them: a tenth of a second of every thread's start)
export { ComputationStoppedError } from "./errors.js";
export { leafNeighbourHeaps, leafRadii, partitionWorkShare, type LeafKernel } from "./leaf-knn.js";
export { NeighbourHeaps } from "./neighbour-heap.js";
export { descendingOrder, adaptiveRadius } from "./radius.js";
export { logGammaHalfPlusOne } from "./log-gamma.js";
export { median } from "./median.js";
export { assertSameWidth, crossLeafNeighbourHeaps, validateCrossK } from "./cross-knn.js";
export { countWithinRadius, forEachWithinRadius } from "./range-query.js";
export { rangeDeficits, validateDeficitInputs, validateSampleIndices } from "./deficits.js";
export { distanceSums, flaggedIndex, gapLinks, linkRoots } from "./gap-steps.js";
export {
  type CollectFlagged,
  type CollectSpace,
  type CoverRelation,
  collectFlagged,
  collectPicks,
  collectUnion,
  coverPairs,
  coverRelation,
  finishCollect,
  prepareCollect,
} from "./collect-steps.js";
export {
  type CheckedGapInputs,
  checkGapInputs,
  finishGapRegions,
  gapGroups,
  medoidOf,
  membersAt,
  positionsOf,
} from "./gaps.js";
export { type GreedyPicks, greedyDeficitReduction } from "./greedy-cover.js";
