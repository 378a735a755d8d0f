import {
  COVERAGE_METHODS,
  type CoverageMethod,
  type CoverageResult,
  coverageFromRadii,
} from "./coverage.js";
import { crossCriticalValueRadii } from "./cross-knn.js";
import type { Embeddings } from "./embeddings.js";
import { InvalidParameterError } from "./errors.js";
import { criticalValueRadii } from "./knn.js";
import { type DistanceMetric, type SpaceOptions, prepareSpace, validateMetric } from "./metric.js";
import { descendingOrder } from "./radius.js";
import { validateK, validatePercent } from "./validate.js";

/** Coverage of one set (the query) by another (the reference). */
export interface CrossCoverageOptions extends SpaceOptions {
  /** The radius is the distance to the k-th nearest reference row; the reference needs n > k. */
  readonly k: number;
  /** Adaptive: the reference's flagged share, in (0, 1] (validated for naive too). */
  readonly percent: number;
  /** How the reference's coverage radius is found; default adaptive. */
  readonly method?: CoverageMethod;
}

export interface CrossCoverageResult {
  /** The reference's own coverage radius, exactly as plain coverage computes it on it alone. */
  readonly coverageRadius: number;
  /** One per query row: the distance to its k-th nearest reference row (nothing excluded). */
  readonly criticalValueRadii: Float64Array;
  /** Query rows whose radius exceeds the coverage radius, by decreasing radius, ties larger index first. */
  readonly uncoveredIndices: Int32Array;
  /** The reference's plain coverage (its radii, its flagged rows, the same coverage radius). */
  readonly reference: CoverageResult;
  readonly k: number;
  readonly method: CoverageMethod;
  readonly metric: DistanceMetric;
  /** Both sets as measured (after any unit-interval rescale or cosine normalisation). */
  readonly space: { readonly reference: Embeddings; readonly query: Embeddings };
}

/** Two sets in the space cross coverage measures them in, with the checked parameters. */
export interface CrossCoverageSpace {
  /** The reference as measured (after any unit-interval rescale or cosine normalisation). */
  readonly reference: Embeddings;
  /** The query as measured, with the reference's transform. */
  readonly query: Embeddings;
  readonly k: number;
  readonly percent: number;
  readonly method: CoverageMethod;
  readonly metric: DistanceMetric;
}

/**
 * Checks the parameters and brings both sets into their measuring space (see prepareSpace), before
 * any search: the first half of crossCoverage, for callers that compute the radii elsewhere (the
 * worker pool) and finish with crossCoverageFromRadii. O(n d).
 * @throws as crossCoverage, before any kNN work
 */
export function prepareCrossCoverage(
  reference: Embeddings,
  query: Embeddings,
  options: CrossCoverageOptions,
): CrossCoverageSpace {
  const { k, percent } = options;
  const method = options.method ?? "adaptive";
  const metric = options.metric ?? "euclidean";
  validateK(k, reference.n);
  validateMetric(metric, method);
  if (!COVERAGE_METHODS.includes(method)) {
    throw new InvalidParameterError("method", method, `one of ${COVERAGE_METHODS.join(", ")}`);
  }
  validatePercent(percent);
  const space = prepareSpace(reference, [{ name: "query", set: query }], options);
  return { reference: space.reference, query: space.others[0]!, k, percent, method, metric };
}

/**
 * The second half of crossCoverage: the reference's coverage from its own radii (distance to the
 * k-th nearest other reference row, as criticalValueRadii computes on space.reference) and the
 * query's flagged rows from its cross radii (distance to the k-th nearest reference row, as
 * crossCriticalValueRadii computes). Given the exact radii, the result equals crossCoverage's.
 * O((nRef + nQuery) log).
 * @throws InvalidParameterError when a radii array's length is not its set's row count
 */
export function crossCoverageFromRadii(
  space: CrossCoverageSpace,
  referenceRadii: Float64Array,
  queryRadii: Float64Array,
): CrossCoverageResult {
  const { k, percent, method, metric } = space;
  if (referenceRadii.length !== space.reference.n) {
    throw new InvalidParameterError(
      "referenceRadii",
      `${referenceRadii.length} values`,
      `one per reference row (${space.reference.n})`,
    );
  }
  if (queryRadii.length !== space.query.n) {
    throw new InvalidParameterError(
      "queryRadii",
      `${queryRadii.length} values`,
      `one per query row (${space.query.n})`,
    );
  }
  const ref = coverageFromRadii(referenceRadii, { method, percent, k, d: space.reference.d });
  return {
    coverageRadius: ref.coverageRadius,
    criticalValueRadii: queryRadii,
    uncoveredIndices: indicesAboveRadius(queryRadii, ref.coverageRadius),
    reference: ref,
    k,
    method,
    metric,
    space: { reference: space.reference, query: space.query },
  };
}

/**
 * Does the reference cover the query? The reference's coverage radius R (adaptive or naive, as
 * plain coverage computes it on the reference alone), each query row's distance to its k-th
 * nearest reference row, and the query rows whose radius is strictly greater than R. Exact: the
 * radii are bit-identical to a double loop over all (query, reference) pairs. Work: plain coverage
 * of the reference plus one partitioned search per query row, on this thread (the worker pool's
 * KnnPool.crossNeighbours runs the same search on every thread). Distances are in the units of the
 * measuring space (see prepareSpace: the reference's unit-interval rescale also applies to the
 * query; cosine reports chord lengths).
 * @throws InvalidParameterError for k, percent, method or metric; NotEnoughSamplesError when the
 *   reference has n <= k; InvalidEmbeddingsError for sets of different widths (or cosine zero
 *   rows); OutOfUnitIntervalError, ConstantEmbeddingsError as plain coverage
 */
export function crossCoverage(
  reference: Embeddings,
  query: Embeddings,
  options: CrossCoverageOptions,
): CrossCoverageResult {
  const space = prepareCrossCoverage(reference, query, options);
  return crossCoverageFromRadii(
    space,
    criticalValueRadii(space.reference, space.k),
    crossCriticalValueRadii(space.reference, space.query, space.k),
  );
}

/**
 * Indices whose radius is strictly greater than `coverageRadius`, by decreasing radius, equal
 * radii larger index first (adaptive coverage's order). O(n log n).
 * @throws InvalidParameterError for a coverage radius that is not a finite number >= 0
 */
export function indicesAboveRadius(radii: Float64Array, coverageRadius: number): Int32Array {
  if (typeof coverageRadius !== "number" || !(coverageRadius >= 0 && coverageRadius < Infinity)) {
    throw new InvalidParameterError("coverageRadius", coverageRadius, "a finite number >= 0");
  }
  const order = descendingOrder(radii);
  let count = 0;
  while (count < order.length && radii[order[count]!]! > coverageRadius) count++;
  return order.slice(0, count);
}
