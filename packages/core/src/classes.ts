import { columnMeans } from "./columns.js";
import {
  COVERAGE_METHODS,
  type CoverageMethod,
  type CoverageResult,
  coverageFromRadii,
} from "./coverage.js";
import type { Embeddings } from "./embeddings.js";
import { InvalidParameterError } from "./errors.js";
import { isotropy } from "./isotropy.js";
import { criticalValueRadii } from "./knn.js";
import { median } from "./median.js";
import {
  nearDuplicateFraction,
  nearestPairDistances,
  validateNearDuplicateFactor,
} from "./near-duplicates.js";
import { ensureUnitInterval } from "./unit-interval.js";
import { validateK, validateLabels, validatePercent } from "./validate.js";

/** One class's row of DataEval's scope.Coverage per-class report. */
export interface ClassCoverageRow {
  /** The class label; callers map it to a name. */
  readonly class: number;
  /** Samples with this label. */
  readonly count: number;
  /** Of them, how many the global coverage flags as uncovered. */
  readonly uncovered: number;
  /** uncovered / count. */
  readonly uncoveredFraction: number;
  /**
   * Mean distance of the class's samples to their centroid, over the median of that across the
   * assessable classes (1 = a typical spread; unitless). null when not assessable.
   */
  readonly dispersion: number | null;
  /**
   * Effective dimension over rank (see `isotropy`), in (0, 1]. null when not assessable or when
   * the class has fewer than max(minClassSamples, d + 1) samples.
   */
  readonly isotropy: number | null;
  /** Share of the class's nearest-neighbour pairs closer than the factor times their median. */
  readonly nearDuplicateFraction: number | null;
  /** count >= minClassSamples. */
  readonly assessable: boolean;
}

/** Settings of the per-class report; defaults are DataEval's. */
export interface PerClassOptions {
  /** k, DataEval's num_observations: the neighbour whose distance is a sample's radius. Default 20. */
  readonly k?: number;
  /** Adaptive share of samples flagged, in (0, 1]; validated for naive too. Default 0.01. */
  readonly percent?: number;
  /** Default "adaptive". */
  readonly method?: CoverageMethod;
  /** Smallest class that is assessed (dispersion, isotropy, near duplicates): an integer >= 2. Default 20. */
  readonly minClassSamples?: number;
  /** Near duplicates are pairs closer than this times the class's median pair distance; >= 0. Default 0.5. */
  readonly nearDuplicateFactor?: number;
}

/** The global coverage and one row per class, in DataEval's order. */
export interface PerClassCoverageResult {
  /** Computed once over all samples, on the embeddings rescaled to [0, 1] when outside it. */
  readonly coverage: CoverageResult;
  /** Assessable classes first, then by dispersion ascending, then by the label as a string. */
  readonly perClass: ClassCoverageRow[];
}

interface ResolvedOptions {
  readonly k: number;
  readonly percent: number;
  readonly method: CoverageMethod;
  readonly minClassSamples: number;
  readonly nearDuplicateFactor: number;
}

/**
 * DataEval's scope.Coverage report: the global coverage (k-th neighbour radii of all samples on
 * the embeddings brought to [0, 1]: used as they are when inside, else rescaled by the global min
 * and max, as DataEval's evaluator does), then per class, on the embeddings as given, the counts
 * of uncovered samples, dispersion, isotropy and near-duplicate fraction. The O(n^2 d) radii are
 * the cost; `perClassCoverageFromRadii` takes radii computed elsewhere (a worker pool).
 * @throws InvalidParameterError for bad labels or options; NotEnoughSamplesError for n <= k;
 *   ConstantEmbeddingsError when the data is outside [0, 1] and constant (nothing to rescale by)
 */
export function perClassCoverage(
  embeddings: Embeddings,
  labels: ArrayLike<number>,
  options: PerClassOptions = {},
): PerClassCoverageResult {
  const resolved = resolveOptions(options);
  validateLabels(labels, embeddings.n);
  validateK(resolved.k, embeddings.n);
  const unit = ensureUnitInterval(embeddings, true);
  const radii = criticalValueRadii(unit, resolved.k);
  return perClassCoverageFromRadii(embeddings, labels, radii, options);
}

/**
 * `perClassCoverage` from critical value radii computed elsewhere (with the same k, on the
 * embeddings brought to [0, 1] as `perClassCoverage` does): the global coverage is derived from
 * them (adaptive or naive), so the kNN search is not repeated. `embeddings` are the ones as given.
 * @throws InvalidParameterError for bad labels, options or a radii length other than n
 */
export function perClassCoverageFromRadii(
  embeddings: Embeddings,
  labels: ArrayLike<number>,
  radii: Float64Array,
  options: PerClassOptions = {},
): PerClassCoverageResult {
  const resolved = resolveOptions(options);
  validateLabels(labels, embeddings.n);
  validateK(resolved.k, embeddings.n);
  if (radii.length !== embeddings.n) {
    throw new InvalidParameterError(
      "radii.length",
      radii.length,
      `${embeddings.n}, one radius per sample`,
    );
  }
  const coverage = coverageFromRadii(radii, { ...resolved, d: embeddings.d });
  const perClass = perClassStatistics(embeddings, labels, coverage.uncoveredIndices, options);
  return { coverage, perClass };
}

/**
 * The per-class rows alone, given the uncovered sample indices of a coverage computed elsewhere.
 * Statistics use the embeddings as given (not rescaled). Work: one nearest-neighbour search and two
 * small SVDs per assessable class (sum of count^2 d, far below the global radii's n^2 d).
 *
 * Defined values, where DataEval's arithmetic breaks: a class of identical samples has spread
 * exactly 0 (so dispersion 0), isotropy 1 and near-duplicate fraction 1 (DataEval's centroid can be
 * off by rounding, e.g. 25 rows of 0.1, leaving a spread of ~1e-17 that can become the median and
 * blow the other dispersions up to ~1e16); a class at the origin has isotropy 1 (DataEval: 1 / 0 =
 * Infinity); an eigenvalue of exactly 0 counts 0 log 0 = 0 (DataEval: NaN; see `isotropy`). The
 * dispersion reference is 1 when no class is assessable or the median spread is 0. Labels sort as
 * DataEval sorts class names: as decimal strings ("10" before "2").
 * @throws InvalidParameterError for bad labels, options or uncovered indices
 */
export function perClassStatistics(
  embeddings: Embeddings,
  labels: ArrayLike<number>,
  uncoveredIndices: Int32Array,
  options: PerClassOptions = {},
): ClassCoverageRow[] {
  const { minClassSamples, nearDuplicateFactor } = resolveOptions(options);
  const y = validateLabels(labels, embeddings.n);
  const { n, d, data } = embeddings;
  const flagged = new Uint8Array(n);
  for (let t = 0; t < uncoveredIndices.length; t++) {
    const i = uncoveredIndices[t]!;
    if (!(i >= 0 && i < n)) {
      throw new InvalidParameterError("uncoveredIndices", i, `sample indices in [0, ${n})`);
    }
    flagged[i] = 1;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => y[a]! - y[b]! || a - b);

  const isotropyFloor = Math.max(minClassSamples, d + 1);
  const classes: { label: number; count: number; uncovered: number; spread: number | null }[] = [];
  const extras: { isotropy: number | null; nearDuplicateFraction: number | null }[] = [];
  for (let start = 0; start < n;) {
    const label = y[order[start]!]!;
    let end = start;
    let uncovered = 0;
    while (end < n && y[order[end]!] === label) uncovered += flagged[order[end++]!]!;
    const count = end - start;
    let spread: number | null = null;
    let iso: number | null = null;
    let nearDup: number | null = null;
    if (count >= minClassSamples) {
      const rows = new Float64Array(count * d);
      for (let r = 0; r < count; r++) {
        const src = order[start + r]! * d;
        for (let c = 0; c < d; c++) rows[r * d + c] = data[src + c]!;
      }
      const members: Embeddings = { data: rows, n: count, d };
      spread = meanDistanceToCentroid(rows, count, d);
      if (count >= isotropyFloor) iso = isotropy(members).isotropy;
      nearDup = nearDuplicateFraction(nearestPairDistances(members), nearDuplicateFactor);
    }
    classes.push({ label, count, uncovered, spread });
    extras.push({ isotropy: iso, nearDuplicateFraction: nearDup });
    start = end;
  }

  const spreads: number[] = [];
  for (const c of classes) if (c.spread !== null) spreads.push(c.spread);
  const reference = (spreads.length > 0 ? median(Float64Array.from(spreads)) : 1) || 1;
  const rows: ClassCoverageRow[] = classes.map((c, t) => ({
    class: c.label,
    count: c.count,
    uncovered: c.uncovered,
    uncoveredFraction: c.uncovered / c.count,
    dispersion: c.spread === null ? null : c.spread / reference,
    isotropy: extras[t]!.isotropy,
    nearDuplicateFraction: extras[t]!.nearDuplicateFraction,
    assessable: c.spread !== null,
  }));
  return rows.sort(compareRows);
}

/** DataEval's row order: assessable first, then dispersion ascending (null as 0), then label as a string. */
function compareRows(a: ClassCoverageRow, b: ClassCoverageRow): number {
  if (a.assessable !== b.assessable) return a.assessable ? -1 : 1;
  const da = a.dispersion ?? 0;
  const db = b.dispersion ?? 0;
  if (da !== db) return da < db ? -1 : 1;
  const sa = String(a.class);
  const sb = String(b.class);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Mean Euclidean distance of n rows (row-major, d columns) to their centroid; 0 for identical rows. */
function meanDistanceToCentroid(rows: Float64Array, n: number, d: number): number {
  const centroid = columnMeans(rows, n, d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < d; c++) {
      const diff = rows[i * d + c]! - centroid[c]!;
      s += diff * diff;
    }
    total += Math.sqrt(s);
  }
  return total / n;
}

function resolveOptions(options: PerClassOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") {
    throw new InvalidParameterError("options", options, "an object");
  }
  const k = options.k ?? 20;
  if (typeof k !== "number" || !Number.isSafeInteger(k) || k < 1) {
    throw new InvalidParameterError("k (numObservations)", k, "an integer >= 1");
  }
  const percent = options.percent ?? 0.01;
  validatePercent(percent);
  const method = options.method ?? "adaptive";
  if (!COVERAGE_METHODS.includes(method)) {
    throw new InvalidParameterError("method", method, `one of ${COVERAGE_METHODS.join(", ")}`);
  }
  const minClassSamples = options.minClassSamples ?? 20;
  if (
    typeof minClassSamples !== "number" ||
    !Number.isSafeInteger(minClassSamples) ||
    minClassSamples < 2
  ) {
    throw new InvalidParameterError("minClassSamples", minClassSamples, "an integer >= 2");
  }
  const nearDuplicateFactor = options.nearDuplicateFactor ?? 0.5;
  validateNearDuplicateFactor(nearDuplicateFactor);
  return { k, percent, method, minClassSamples, nearDuplicateFactor };
}
