import {
  type CoverageMethod,
  coverageAdaptiveFromRadii,
  coverageNaiveFromRadii,
} from "./coverage.js";
import { selfDeficits } from "./deficits.js";
import { type Embeddings, toFloat64 } from "./embeddings.js";
import { InvalidParameterError } from "./errors.js";
import { criticalValueRadii } from "./knn.js";
import { type DistanceMetric, type SpaceOptions, coverageInSpace, prepareSpace } from "./metric.js";
import { forEachWithinRadius } from "./range-query.js";
import { buildSpatialIndex, leafSizeFor } from "./spatial-index.js";
import { validateK } from "./validate.js";
import { greedyDeficitReduction } from "./greedy-cover.js";

export interface CollectOptions extends SpaceOptions {
  readonly k: number;
  readonly percent: number;
  /** How the reference's coverage radius is found; default adaptive. */
  readonly method?: CoverageMethod;
}

/** Coverage recomputed on reference + selected, and what it did to the reference's flagged samples. */
export interface CollectRecomputed {
  /** The coverage radius of reference + selected (same method, k and percent). */
  readonly coverageRadius: number;
  /** Rows of reference + selected (selected pool rows follow the reference's n rows, in pick order) it flags. */
  readonly uncoveredIndices: Int32Array;
  /** Of the reference's flagged samples U, how many this recomputed coverage no longer flags. */
  readonly resolved: number;
  /**
   * Of U, how many have a radius <= the reference's coverage radius R in reference + selected: those
   * whose deficit the picks closed (the same count as remaining deficits at 0; the bar kept fixed).
   */
  readonly resolvedAtReferenceRadius: number;
}

export interface CollectResult {
  /** Pool rows in pick order. */
  readonly selected: Int32Array;
  /** gains[t] = the total deficit reduction of pick t (non-increasing). */
  readonly gains: Int32Array;
  readonly deficitBefore: number;
  readonly deficitAfter: number;
  /** The reference's coverage radius R and flagged samples U (plain coverage). */
  readonly coverageRadius: number;
  readonly uncoveredIndices: Int32Array;
  /** Per sample of U: its deficit before and after the picks. */
  readonly deficits: Int32Array;
  readonly remaining: Int32Array;
  readonly recomputed: CollectRecomputed;
  readonly metric: DistanceMetric;
}

/**
 * What to collect or label next (issue 17, definitions pinned there): with R the reference's
 * coverage radius and U its flagged samples, the deficit of u is k minus the number of other
 * reference samples within distance <= R of u (0 at least). A pool sample within <= R of u reduces
 * u's remaining deficit by one, not below zero. Greedy: pick the pool sample with the largest total
 * reduction given the picks so far, ties to the lower pool index; stop after `budget` picks or
 * when nothing reduces any deficit. The objective is monotone submodular, so the picks are within
 * 1 - 1/e of the best set of that size, and a lazy greedy gives exactly the plain greedy's picks.
 *
 * Then coverage is recomputed exactly (same method, k, percent) on reference + selected, in the
 * reference's measuring space (a unit-interval rescale is the reference's, not redone on the
 * union): `resolved` counts the samples of U it no longer flags (for adaptive, whose flagged share
 * is fixed, others then take their place); `resolvedAtReferenceRadius` keeps the bar at R.
 *
 * Work: plain coverage of the reference, one range search per u on a k-d partition of the pool
 * (never a pool x anything matrix), the lazy greedy over the (u, pool) pairs within R, and plain
 * coverage of reference + selected.
 * @throws InvalidParameterError for k, percent, method, metric or budget (an integer >= 0);
 *   NotEnoughSamplesError when the reference has n <= k; InvalidEmbeddingsError for sets of
 *   different widths; OutOfUnitIntervalError, ConstantEmbeddingsError as plain coverage
 */
export function collect(
  reference: Embeddings,
  pool: Embeddings,
  budget: number,
  options: CollectOptions,
): CollectResult {
  const { k, percent } = options;
  const method = options.method ?? "adaptive";
  const metric = options.metric ?? "euclidean";
  validateK(k, reference.n);
  if (typeof budget !== "number" || !Number.isSafeInteger(budget) || budget < 0) {
    throw new InvalidParameterError("budget", budget, "an integer >= 0");
  }
  const space = prepareSpace(reference, [{ name: "pool", set: pool }], options);
  const ref = space.reference;
  const measuredPool = space.others[0]!;
  const cov = coverageInSpace(ref, k, method, percent, metric);
  const R = cov.coverageRadius;
  const U = cov.uncoveredIndices;
  const deficits = selfDeficits(ref, U, R, k);
  const { start, targets } = poolCovers(ref, measuredPool, U, R, k);
  const picked = greedyDeficitReduction(deficits, start, targets, budget);
  let deficitBefore = 0;
  let deficitAfter = 0;
  for (let t = 0; t < U.length; t++) {
    deficitBefore += deficits[t]!;
    deficitAfter += picked.remaining[t]!;
  }
  return {
    selected: picked.selected,
    gains: picked.gains,
    deficitBefore,
    deficitAfter,
    coverageRadius: R,
    uncoveredIndices: U,
    deficits,
    remaining: picked.remaining,
    recomputed: recompute(ref, measuredPool, picked.selected, U, R, k, method, percent),
    metric,
  };
}

/**
 * For each pool row p, the positions t in U with distance(U[t], p) <= R, as compressed rows:
 * targets[start[p] .. start[p + 1]) ascending. Found by one range search per u on the pool's
 * partition, so the work follows the pairs within R, not |U| x pool.
 */
function poolCovers(
  ref: Embeddings,
  pool: Embeddings,
  U: Int32Array,
  R: number,
  k: number,
): { start: Int32Array; targets: Int32Array } {
  const { d } = ref;
  const x = toFloat64(ref.data);
  const index = buildSpatialIndex(pool, leafSizeFor(k));
  const counts = new Int32Array(pool.n + 1);
  const pairsU: number[] = [];
  const pairsP: number[] = [];
  for (let t = 0; t < U.length; t++) {
    forEachWithinRadius(index, x, U[t]! * d, R, (p) => {
      pairsU.push(t);
      pairsP.push(p);
      counts[p + 1]!++;
    });
  }
  const start = new Int32Array(pool.n + 1);
  for (let p = 0; p < pool.n; p++) start[p + 1] = start[p]! + counts[p + 1]!;
  const fill = start.slice(0, pool.n);
  const targets = new Int32Array(pairsU.length);
  // pairs arrive in ascending t, so each pool row's list comes out ascending
  for (let e = 0; e < pairsU.length; e++) targets[fill[pairsP[e]!]!++] = pairsU[e]!;
  return { start, targets };
}

function recompute(
  ref: Embeddings,
  pool: Embeddings,
  selected: Int32Array,
  U: Int32Array,
  R: number,
  k: number,
  method: CoverageMethod,
  percent: number,
): CollectRecomputed {
  const { n, d } = ref;
  const union = new Float64Array((n + selected.length) * d);
  union.set(toFloat64(ref.data).subarray(0, n * d));
  const p = toFloat64(pool.data);
  for (let t = 0; t < selected.length; t++) {
    union.set(p.subarray(selected[t]! * d, selected[t]! * d + d), (n + t) * d);
  }
  const radii = criticalValueRadii({ data: union, n: n + selected.length, d }, k);
  // from radii, not coverage(): the union stays in the reference's space (no second rescale)
  const cov =
    method === "naive"
      ? coverageNaiveFromRadii(radii, d, k)
      : coverageAdaptiveFromRadii(radii, percent);
  const flagged = new Uint8Array(n + selected.length);
  for (let t = 0; t < cov.uncoveredIndices.length; t++) flagged[cov.uncoveredIndices[t]!] = 1;
  let resolved = 0;
  let resolvedAtReferenceRadius = 0;
  for (let t = 0; t < U.length; t++) {
    if (!flagged[U[t]!]) resolved++;
    if (radii[U[t]!]! <= R) resolvedAtReferenceRadius++;
  }
  return {
    coverageRadius: cov.coverageRadius,
    uncoveredIndices: cov.uncoveredIndices,
    resolved,
    resolvedAtReferenceRadius,
  };
}
