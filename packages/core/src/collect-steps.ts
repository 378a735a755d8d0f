/**
 * The steps of collect (collect.ts), between which its searches run: core's collect runs them on
 * the calling thread, the worker pool's poolCollect on its threads (radii, deficits and the cover
 * pairs in slices), with the same arithmetic, so both answer the same to the bit.
 */
import {
  type CoverageMethod,
  type CoverageResult,
  COVERAGE_METHODS,
  coverageFromRadii,
} from "./coverage.js";
import type { CollectOptions, CollectResult } from "./collect.js";
import type { Embeddings } from "./embeddings.js";
import { toFloat64 } from "./embeddings.js";
import { ComputationStoppedError, InvalidParameterError } from "./errors.js";
import { type GreedyPicks, greedyDeficitReduction } from "./greedy-cover.js";
import { type DistanceMetric, prepareSpace, validateMetric } from "./metric.js";
import { forEachWithinRadius } from "./range-query.js";
import type { SpatialIndex } from "./spatial-index.js";
import { validateK, validatePercent } from "./validate.js";

/** Both sets in the reference's measuring space, with the checked parameters. */
export interface CollectSpace {
  readonly reference: Embeddings;
  readonly pool: Embeddings;
  readonly k: number;
  readonly percent: number;
  readonly method: CoverageMethod;
  readonly metric: DistanceMetric;
  readonly budget: number;
}

/**
 * Checks the parameters and brings both sets into the reference's measuring space, before any
 * search. O((n + pool) d).
 * @throws as collect, before any search
 */
export function prepareCollect(
  reference: Embeddings,
  pool: Embeddings,
  budget: number,
  options: CollectOptions,
): CollectSpace {
  const { k, percent } = options;
  const method = options.method ?? "adaptive";
  const metric = options.metric ?? "euclidean";
  validateK(k, reference.n);
  if (typeof budget !== "number" || !Number.isSafeInteger(budget) || budget < 0) {
    throw new InvalidParameterError("budget", budget, "an integer >= 0");
  }
  if (!COVERAGE_METHODS.includes(method)) {
    throw new InvalidParameterError("method", method, `one of ${COVERAGE_METHODS.join(", ")}`);
  }
  validateMetric(metric, method);
  validatePercent(percent);
  const space = prepareSpace(reference, [{ name: "pool", set: pool }], options);
  return { reference: space.reference, pool: space.others[0]!, k, percent, method, metric, budget };
}

/** The reference's coverage radius R and flagged samples U, from its radii. */
export interface CollectFlagged {
  readonly R: number;
  readonly U: Int32Array;
}

/** R and U from the reference's own radii (as criticalValueRadii computes on space.reference). */
export function collectFlagged(space: CollectSpace, referenceRadii: Float64Array): CollectFlagged {
  const cov = coverageFromRadii(referenceRadii, {
    method: space.method,
    percent: space.percent,
    k: space.k,
    d: space.reference.d,
  });
  return { R: cov.coverageRadius, U: cov.uncoveredIndices };
}

/**
 * The pairs (t, p) of query rows [t0, t1) of `queries` (float64 rows, U's) and indexed pool rows p
 * within distance <= radius, t ascending (p in the index's leaf order within a t).
 * @throws ComputationStoppedError when `shouldStop` (asked before each row) says so
 */
export function coverPairs(
  index: SpatialIndex,
  queries: Float64Array,
  t0: number,
  t1: number,
  radius: number,
  shouldStop?: () => boolean,
): Int32Array {
  const pairs: number[] = [];
  for (let t = t0; t < t1; t++) {
    if (shouldStop?.()) throw new ComputationStoppedError();
    forEachWithinRadius(index, queries, t * index.d, radius, (p) => pairs.push(t, p));
  }
  return Int32Array.from(pairs);
}

/** Which samples of U each pool row covers: targets[start[p] .. start[p + 1]) ascending. */
export interface CoverRelation {
  readonly start: Int32Array;
  readonly targets: Int32Array;
}

/**
 * The relation from cover pairs, given slice by slice in ascending t: each pool row's list then
 * comes out ascending.
 */
export function coverRelation(poolRows: number, slices: readonly Int32Array[]): CoverRelation {
  const counts = new Int32Array(poolRows + 1);
  let total = 0;
  for (const pairs of slices) {
    for (let e = 1; e < pairs.length; e += 2) counts[pairs[e]! + 1]!++;
    total += pairs.length / 2;
  }
  const start = new Int32Array(poolRows + 1);
  for (let p = 0; p < poolRows; p++) start[p + 1] = start[p]! + counts[p + 1]!;
  const fill = start.slice(0, poolRows);
  const targets = new Int32Array(total);
  for (const pairs of slices) {
    for (let e = 0; e < pairs.length; e += 2) targets[fill[pairs[e + 1]!]!++] = pairs[e]!;
  }
  return { start, targets };
}

/** The greedy picks (greedyDeficitReduction) within the budget. */
export function collectPicks(
  space: CollectSpace,
  deficits: Int32Array,
  covers: CoverRelation,
): GreedyPicks {
  return greedyDeficitReduction(deficits, covers.start, covers.targets, space.budget);
}

/** Reference + selected pool rows (in pick order), in the reference's space, float64. */
export function collectUnion(space: CollectSpace, selected: Int32Array): Embeddings {
  const { n, d } = space.reference;
  const union = new Float64Array((n + selected.length) * d);
  union.set(toFloat64(space.reference.data).subarray(0, n * d));
  const p = toFloat64(space.pool.data);
  for (let t = 0; t < selected.length; t++) {
    union.set(p.subarray(selected[t]! * d, selected[t]! * d + d), (n + t) * d);
  }
  return { data: union, n: n + selected.length, d };
}

/**
 * The result, with coverage recomputed from the radii of reference + selected (as
 * criticalValueRadii computes on collectUnion's rows), in the reference's space (no second
 * rescale).
 */
export function finishCollect(
  space: CollectSpace,
  flagged: CollectFlagged,
  deficits: Int32Array,
  picks: GreedyPicks,
  unionRadii: Float64Array,
): CollectResult {
  const { R, U } = flagged;
  const { n, d } = space.reference;
  let deficitBefore = 0;
  let deficitAfter = 0;
  for (let t = 0; t < U.length; t++) {
    deficitBefore += deficits[t]!;
    deficitAfter += picks.remaining[t]!;
  }
  const cov: CoverageResult = coverageFromRadii(unionRadii, {
    method: space.method,
    percent: space.percent,
    k: space.k,
    d,
  });
  const isFlagged = new Uint8Array(n + picks.selected.length);
  for (let t = 0; t < cov.uncoveredIndices.length; t++) isFlagged[cov.uncoveredIndices[t]!] = 1;
  let resolved = 0;
  let resolvedAtReferenceRadius = 0;
  for (let t = 0; t < U.length; t++) {
    if (!isFlagged[U[t]!]) resolved++;
    if (unionRadii[U[t]!]! <= R) resolvedAtReferenceRadius++;
  }
  return {
    selected: picks.selected,
    gains: picks.gains,
    deficitBefore,
    deficitAfter,
    coverageRadius: R,
    uncoveredIndices: U,
    deficits,
    remaining: picks.remaining,
    recomputed: {
      coverageRadius: cov.coverageRadius,
      uncoveredIndices: cov.uncoveredIndices,
      resolved,
      resolvedAtReferenceRadius,
    },
    metric: space.metric,
  };
}
