import {
  collectFlagged,
  collectPicks,
  collectUnion,
  coverPairs,
  coverRelation,
  finishCollect,
  prepareCollect,
} from "./collect-steps.js";
import type { CoverageMethod } from "./coverage.js";
import { selfDeficits } from "./deficits.js";
import type { Embeddings } from "./embeddings.js";
import { selectRows } from "./export-rows.js";
import { criticalValueRadii } from "./knn.js";
import type { DistanceMetric, SpaceOptions } from "./metric.js";
import { buildSpatialIndex, leafSizeFor } from "./spatial-index.js";

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
  const space = prepareCollect(reference, pool, budget, options);
  const flagged = collectFlagged(space, criticalValueRadii(space.reference, space.k));
  const { R, U } = flagged;
  const deficits = selfDeficits(space.reference, U, R, space.k);
  const index = buildSpatialIndex(space.pool, leafSizeFor(space.k));
  const rows = selectRows(space.reference, U).data as Float64Array;
  const covers = coverRelation(space.pool.n, [coverPairs(index, rows, 0, U.length, R)]);
  const picks = collectPicks(space, deficits, covers);
  const union = collectUnion(space, picks.selected);
  return finishCollect(space, flagged, deficits, picks, criticalValueRadii(union, space.k));
}
