import {
  COVERAGE_METHODS,
  type CoverageMethod,
  type CoverageResult,
  coverage,
  coverageAdaptiveFromRadii,
} from "./coverage.js";
import { assertSameWidth } from "./cross-knn.js";
import type { Embeddings } from "./embeddings.js";
import { InvalidEmbeddingsError, InvalidParameterError, OutOfUnitIntervalError } from "./errors.js";
import { criticalValueRadii } from "./knn.js";
import { ensureUnitInterval, valueRange } from "./unit-interval.js";
import { validatePercent } from "./validate.js";

/**
 * How distances are measured. `cosine`: rows are scaled to unit length, then the same exact
 * Euclidean machinery runs on them. On unit rows |a - b|^2 = 2 - 2 cos(a, b), so neighbours are
 * ordered exactly by cosine distance, and a radius r (the chord length, what Lacuna reports)
 * is the cosine distance r^2 / 2 (r in [0, 2]).
 */
export type DistanceMetric = "euclidean" | "cosine";
export const DISTANCE_METRICS: readonly DistanceMetric[] = ["euclidean", "cosine"];

/** A zero row has no direction: its cosine distance to anything is undefined (0 / 0). */
export class ZeroRowError extends InvalidEmbeddingsError {
  constructor(readonly row: number) {
    super(
      `row ${row} has length 0 (or too small to square in float64), so it has no cosine distance to anything; cosine needs every row to have a non-zero value (drop the row or use the euclidean metric)`,
    );
  }
}

/**
 * Each row divided by its Euclidean length (summed in float64 over the dimensions in order), into
 * a new Float64Array: unit rows, up to rounding of the division. O(n d).
 * @throws ZeroRowError (code INVALID_EMBEDDINGS) at the first row whose length is 0
 */
export function normalizeRows(embeddings: Embeddings): Embeddings {
  const { n, d, data } = embeddings;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let t = 0; t < d; t++) s += data[o + t]! * data[o + t]!;
    const norm = Math.sqrt(s);
    if (norm === 0) throw new ZeroRowError(i);
    for (let t = 0; t < d; t++) out[o + t] = data[o + t]! / norm;
  }
  return { data: out, n, d };
}

/**
 * Checks a metric name, and that it has a meaning with this coverage method: the naive radius
 * (1/sqrt(pi)) ((2 k Gamma(d/2+1)) / n)^(1/d) is the radius of a d-ball holding k/n of the volume
 * of the unit cube, where the samples are assumed uniform; unit rows lie on a sphere of zero
 * volume (and outside the cube wherever a coordinate is negative), so that radius measures
 * nothing about them. Naive with cosine is refused; adaptive (a quantile of the radii themselves)
 * holds for any metric.
 * @throws InvalidParameterError
 */
export function validateMetric(metric: DistanceMetric, method: CoverageMethod): void {
  if (metric !== "euclidean" && metric !== "cosine") {
    throw new InvalidParameterError("metric", metric, `one of ${DISTANCE_METRICS.join(", ")}`);
  }
  if (metric === "cosine" && method === "naive") {
    throw new InvalidParameterError(
      "method",
      method,
      "adaptive with the cosine metric (the naive radius assumes samples spread uniformly in the unit cube; unit-length rows lie on a sphere, where it has no meaning)",
    );
  }
}

/** How a reference and the sets measured against it are brought into one space. */
export interface SpaceOptions {
  readonly metric?: DistanceMetric;
  /** Euclidean only: rescale by the reference's global min and max when it leaves [0, 1]. */
  readonly forceUnitInterval?: boolean;
}

/**
 * Brings a reference and other sets (query, pool) into the space coverage measures them in.
 * Euclidean: the reference exactly as plain coverage treats it (kept when in [0, 1], else refused
 * or, with forceUnitInterval, rescaled by its own min and max); the other sets get the reference's
 * transform (the same (x - min) / (max - min), or none), so distances stay comparable; without
 * forceUnitInterval they must lie in [0, 1] too. With the transform they may fall outside [0, 1],
 * which is fine: they are measured, not used for the reference's radius. Cosine: every set's rows
 * scaled to unit length; the unit interval does not apply.
 * @throws InvalidEmbeddingsError for a set of another width or (cosine) a zero row;
 *   OutOfUnitIntervalError; ConstantEmbeddingsError; InvalidParameterError for the metric
 */
export function prepareSpace(
  reference: Embeddings,
  others: readonly { readonly name: string; readonly set: Embeddings }[],
  options: SpaceOptions,
): { reference: Embeddings; others: Embeddings[] } {
  const metric = options.metric ?? "euclidean";
  for (const o of others) assertSameWidth(reference, o.set, o.name);
  if (metric === "cosine") {
    return { reference: normalizeRows(reference), others: others.map((o) => normalizeRows(o.set)) };
  }
  if (metric !== "euclidean") {
    throw new InvalidParameterError("metric", metric, `one of ${DISTANCE_METRICS.join(", ")}`);
  }
  const force = options.forceUnitInterval ?? false;
  const unit = ensureUnitInterval(reference, force);
  if (unit === reference) {
    if (!force) for (const o of others) assertInUnitInterval(o.set, o.name);
    return { reference, others: others.map((o) => o.set) };
  }
  const { min, max } = valueRange(reference.data);
  return { reference: unit, others: others.map((o) => rescale(o.set, min, max - min)) };
}

function assertInUnitInterval(set: Embeddings, name: string): void {
  const { min, max } = valueRange(set.data);
  if (min >= 0 && max <= 1) return;
  const error = new OutOfUnitIntervalError(min, max);
  error.message = `${name} ${error.message}`;
  throw error;
}

/** (x - min) / span with the arithmetic of ensureUnitInterval, into a new Float64Array. */
function rescale(set: Embeddings, min: number, span: number): Embeddings {
  const src = set.data;
  const out = new Float64Array(src.length);
  for (let p = 0; p < src.length; p++) out[p] = (src[p]! - min) / span;
  return { data: out, n: set.n, d: set.d };
}

/**
 * Coverage of embeddings already in their measuring space (see prepareSpace): plain coverage for
 * euclidean (unit interval already checked), adaptive from exact radii for cosine (naive refused).
 * @throws InvalidParameterError; NotEnoughSamplesError for n <= k
 */
export function coverageInSpace(
  embeddings: Embeddings,
  k: number,
  method: CoverageMethod,
  percent: number,
  metric: DistanceMetric,
): CoverageResult {
  validateMetric(metric, method);
  if (metric === "euclidean") return coverage(embeddings, k, method, percent);
  if (method !== "adaptive") {
    throw new InvalidParameterError("method", method, `one of ${COVERAGE_METHODS.join(", ")}`);
  }
  validatePercent(percent);
  return coverageAdaptiveFromRadii(criticalValueRadii(embeddings, k), percent);
}
