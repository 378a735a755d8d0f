import type { Embeddings } from "./embeddings.js";
import { InvalidParameterError } from "./errors.js";
import { criticalValueRadii } from "./knn.js";
import { adaptiveRadius, adaptiveSelectionSize, descendingOrder, naiveRadius } from "./radius.js";
import { ensureUnitInterval } from "./unit-interval.js";
import { validateK, validatePercent } from "./validate.js";

export type CoverageMethod = "adaptive" | "naive";
export const COVERAGE_METHODS: readonly CoverageMethod[] = ["adaptive", "naive"];

/** DataEval's coverage output. */
export interface CoverageResult {
  /** Samples whose radius exceeds the coverage radius: adaptive in descending radius order, naive in index order. */
  readonly uncoveredIndices: Int32Array;
  /** Distance of each sample to its k-th nearest neighbour (after any unit-interval rescale). */
  readonly criticalValueRadii: Float64Array;
  readonly coverageRadius: number;
}

export interface CoverageOptions {
  /** Rescale data outside [0, 1] by its global min and max instead of refusing it. */
  readonly forceUnitInterval?: boolean;
}

/**
 * Checks and brings the embeddings to the unit interval, then computes their radii; the two
 * coverage methods share this so that bad input fails before any O(n^2) work.
 */
function prepare(embeddings: Embeddings, k: number, options: CoverageOptions): Float64Array {
  validateK(k, embeddings.n);
  const unit = ensureUnitInterval(embeddings, options.forceUnitInterval ?? false);
  return criticalValueRadii(unit, k);
}

/**
 * Naive coverage: flags every sample whose critical value radius is strictly greater than the
 * analytic radius (1/sqrt(pi)) ((2 k Gamma(d/2+1)) / n)^(1/d), in index order.
 */
export function coverageNaive(
  embeddings: Embeddings,
  k: number,
  options: CoverageOptions = {},
): CoverageResult {
  const radii = prepare(embeddings, k, options);
  return coverageNaiveFromRadii(radii, embeddings.d, k);
}

/**
 * Adaptive coverage: flags the max(floor(n * percent), 1) samples of largest radius, descending
 * (ties: larger index first); the coverage radius is the mean of the sel-th and (sel+1)-th largest.
 */
export function coverageAdaptive(
  embeddings: Embeddings,
  k: number,
  percent: number,
  options: CoverageOptions = {},
): CoverageResult {
  validatePercent(percent);
  const radii = prepare(embeddings, k, options);
  return coverageAdaptiveFromRadii(radii, percent);
}

/** Naive coverage from radii computed elsewhere (a worker pool), for embeddings of dimension d. */
export function coverageNaiveFromRadii(radii: Float64Array, d: number, k: number): CoverageResult {
  const coverageRadius = naiveRadius(radii.length, d, k);
  let count = 0;
  for (let i = 0; i < radii.length; i++) if (radii[i]! > coverageRadius) count++;
  const uncoveredIndices = new Int32Array(count);
  for (let i = 0, m = 0; i < radii.length; i++)
    if (radii[i]! > coverageRadius) uncoveredIndices[m++] = i;
  return { uncoveredIndices, criticalValueRadii: radii, coverageRadius };
}

/** Adaptive coverage from radii computed elsewhere (a worker pool). */
export function coverageAdaptiveFromRadii(radii: Float64Array, percent: number): CoverageResult {
  const sel = adaptiveSelectionSize(radii.length, percent);
  const order = descendingOrder(radii);
  return {
    uncoveredIndices: order.slice(0, sel),
    criticalValueRadii: radii,
    coverageRadius: adaptiveRadius(radii, order, sel),
  };
}

/** What `coverageFromRadii` needs besides the radii. */
export interface CoverageFromRadiiOptions {
  readonly method: CoverageMethod;
  /** Adaptive's fraction to flag, in (0, 1]; checked for naive too, so a bad value never hides. */
  readonly percent: number;
  /** The neighbour count the radii were computed with (naive's analytic radius uses it). */
  readonly k: number;
  /** The embeddings' dimension (naive's analytic radius uses it). */
  readonly d: number;
}

/**
 * Coverage of either method from radii computed elsewhere (a worker pool): the one place that
 * chooses between adaptive and naive, used by `coverage`, per-class coverage, the CLI and the
 * server alike. @throws InvalidParameterError for an unknown method or a percent outside (0, 1]
 */
export function coverageFromRadii(
  radii: Float64Array,
  options: CoverageFromRadiiOptions,
): CoverageResult {
  const { method, percent, k, d } = options;
  if (!COVERAGE_METHODS.includes(method)) {
    throw new InvalidParameterError("method", method, `one of ${COVERAGE_METHODS.join(", ")}`);
  }
  validatePercent(percent);
  return method === "adaptive"
    ? coverageAdaptiveFromRadii(radii, percent)
    : coverageNaiveFromRadii(radii, d, k);
}

/** Either method by name; `percent` is used by adaptive only but still validated. */
export function coverage(
  embeddings: Embeddings,
  k: number,
  method: CoverageMethod,
  percent: number,
  options: CoverageOptions = {},
): CoverageResult {
  if (!COVERAGE_METHODS.includes(method)) {
    throw new InvalidParameterError("method", method, `one of ${COVERAGE_METHODS.join(", ")}`);
  }
  validatePercent(percent);
  return coverageFromRadii(prepare(embeddings, k, options), {
    method,
    percent,
    k,
    d: embeddings.d,
  });
}
