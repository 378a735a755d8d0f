import { validateLabels } from "./validate.js";
import type { CoverageResult } from "./coverage.js";
import type { CrossCoverageResult } from "./cross-coverage.js";
import { crossDeficits, selfDeficits, validateSampleIndices } from "./deficits.js";
import type { Embeddings } from "./embeddings.js";
import { InvalidParameterError } from "./errors.js";
import { distanceSums, flaggedIndex, gapLinks, linkRoots } from "./gap-steps.js";
import type { SpatialIndex } from "./spatial-index.js";

/** How many samples of one class a region holds. */
export interface ClassCount {
  readonly label: number;
  readonly count: number;
}

/** A group of flagged samples close enough that one new sample could help several of them. */
export interface GapRegion {
  /** Its position in the list (0 = largest deficit). */
  readonly id: number;
  /** Sample indices, ascending. */
  readonly members: Int32Array;
  readonly size: number;
  /** The member with the smallest sum of distances to the other members (ties: lower index). */
  readonly medoid: number;
  /** The sum of its members' deficits: how many neighbours within the coverage radius it lacks. */
  readonly deficit: number;
  /** Labels of the members by count, descending, then label ascending; empty without labels. */
  readonly classMix: readonly ClassCount[];
}

export interface GapRegions {
  /** By deficit descending, then size descending, then smallest member index ascending. */
  readonly regions: readonly GapRegion[];
  /** regionOf[t] = id of the region of flagged[t]. */
  readonly regionOf: Int32Array;
  /** Two flagged samples join when their distance is <= this (linkFactor times the radius). */
  readonly linkDistance: number;
}

export interface GapRegionOptions {
  /** One label per row of the embeddings (integers >= 0), for each region's class mix. */
  readonly labels?: ArrayLike<number>;
  /** Link distance as a multiple of the coverage radius; default 2. */
  readonly linkFactor?: number;
}

/**
 * Groups flagged samples into gap regions: the connected components of the graph on the flagged
 * samples with an edge wherever two lie within distance <= linkFactor * R (R the coverage radius;
 * single linkage). Default factor 2: two flagged samples are linked exactly when some point
 * could lie within R of both (their R-balls meet), i.e. when one collected sample could reduce
 * both deficits (see collect); a factor of 1 links only samples inside each other's R-ball.
 * The components do not depend on the order of `flagged`, so the regions are deterministic.
 * Distances are core's (Math.sqrt of the float64 sum of squared differences, compared with <=).
 *
 * Cost: the links come from range searches on a k-d partition of the flagged samples only
 * (flagged x leaves box tests plus the pairs within reach, less those already joined), never a
 * matrix over all n. The medoid sums distances over all pairs of a region's members: O(size^2 d)
 * per region, at most O(m^2 d) for m flagged samples (m = 2000, d = 784: 3.1 G terms). This runs
 * on the calling thread: KnnPool.gapRegions runs the same steps (gap-steps.ts) on the worker
 * threads with progress, to the bit. Each member's distance sum adds the other members in
 * ascending index order.
 * @param points the rows the flagged indices point into (the dataset, or the query set of a
 *   cross coverage), in the space R was measured in
 * @param deficits one per flagged sample (selfDeficits / crossDeficits)
 * @throws InvalidParameterError for repeated or out-of-range indices, deficits of another length
 *   or below 0, a radius or factor that is not finite and >= 0 (> 0 for the factor), or labels
 */
export function gapRegions(
  points: Embeddings,
  flagged: Int32Array,
  coverageRadius: number,
  deficits: Int32Array,
  options: GapRegionOptions = {},
): GapRegions {
  const checked = checkGapInputs(points, flagged, coverageRadius, deficits, options);
  const m = flagged.length;
  const index = flaggedIndex(points, flagged);
  const roots = linkRoots(m, [gapLinks(index, 0, m, checked.linkDistance)]);
  const groups = gapGroups(flagged, roots);
  const positions = positionsOf(index);
  const medoids = groups.map((slots) =>
    medoidOf(
      slots,
      distanceSums(index.points, points.d, membersAt(positions, slots), 0, slots.length),
    ),
  );
  return finishGapRegions(flagged, groups, medoids, deficits, checked);
}

/** What checkGapInputs hands on: the labels checked, the link distance. */
export interface CheckedGapInputs {
  readonly labels: Int32Array | undefined;
  readonly linkDistance: number;
}

/**
 * gapRegions' input checks (its @throws), shared with the worker pool's gap regions.
 * @throws InvalidParameterError as gapRegions says
 */
export function checkGapInputs(
  points: Embeddings,
  flagged: Int32Array,
  coverageRadius: number,
  deficits: Int32Array,
  options: GapRegionOptions,
): CheckedGapInputs {
  validateSampleIndices(flagged, points.n, "flagged");
  if (typeof coverageRadius !== "number" || !(coverageRadius >= 0 && coverageRadius < Infinity)) {
    throw new InvalidParameterError("coverageRadius", coverageRadius, "a finite number >= 0");
  }
  const factor = options.linkFactor ?? 2;
  if (typeof factor !== "number" || !(factor > 0 && factor < Infinity)) {
    throw new InvalidParameterError("linkFactor", factor, "a finite number > 0");
  }
  if (!(deficits instanceof Int32Array) || deficits.length !== flagged.length) {
    throw new InvalidParameterError(
      "deficits.length",
      deficits instanceof Int32Array ? deficits.length : deficits,
      `${flagged.length}, one Int32 deficit per flagged sample`,
    );
  }
  for (let t = 0; t < deficits.length; t++) {
    if (deficits[t]! < 0)
      throw new InvalidParameterError(`deficits[${t}]`, deficits[t], "an integer >= 0");
  }
  const labels =
    options.labels === undefined ? undefined : validateLabels(options.labels, points.n);
  return { labels, linkDistance: factor * coverageRadius };
}

/**
 * The components as lists of flagged positions t, each ascending by sample index flagged[t], the
 * lists in the order of their smallest sample index.
 */
export function gapGroups(flagged: Int32Array, roots: Int32Array): number[][] {
  const m = flagged.length;
  const byIndex = new Int32Array(m);
  for (let t = 0; t < m; t++) byIndex[t] = t;
  byIndex.sort((a, b) => flagged[a]! - flagged[b]!);
  const groups = new Map<number, number[]>();
  for (let s = 0; s < m; s++) {
    const t = byIndex[s]!;
    const group = groups.get(roots[t]!);
    if (group === undefined) groups.set(roots[t]!, [t]);
    else group.push(t);
  }
  return [...groups.values()];
}

/** pos[t] = the index position of flagged row t. */
export function positionsOf(index: SpatialIndex): Int32Array {
  const pos = new Int32Array(index.n);
  for (let p = 0; p < index.n; p++) pos[index.order[p]!] = p;
  return pos;
}

/** The index positions of a group's members, in the group's (ascending sample) order. */
export function membersAt(positions: Int32Array, slots: readonly number[]): Int32Array {
  return Int32Array.from(slots, (t) => positions[t]!);
}

/** The flagged position of the member with the smallest distance sum (ties: the earlier one). */
export function medoidOf(slots: readonly number[], sums: Float64Array): number {
  let best = slots[0]!;
  let bestSum = Infinity;
  for (let a = 0; a < slots.length; a++) {
    if (sums[a]! < bestSum) {
      bestSum = sums[a]!;
      best = slots[a]!;
    }
  }
  return best;
}

/**
 * The regions from the groups and their medoids (flagged positions), ordered and numbered as
 * GapRegions says.
 */
export function finishGapRegions(
  flagged: Int32Array,
  groups: readonly (readonly number[])[],
  medoids: readonly number[],
  deficits: Int32Array,
  checked: CheckedGapInputs,
): GapRegions {
  const { labels, linkDistance } = checked;
  const regions: GapRegion[] = groups.map((slots, g) => {
    const members = Int32Array.from(slots, (t) => flagged[t]!);
    let deficit = 0;
    for (const t of slots) deficit += deficits[t]!;
    return {
      id: 0,
      members,
      size: members.length,
      medoid: flagged[medoids[g]!]!,
      deficit,
      classMix: labels === undefined ? [] : classMix(labels, members),
    };
  });
  const order = regions.map((_, r) => r);
  order.sort(
    (a, b) =>
      regions[b]!.deficit - regions[a]!.deficit ||
      regions[b]!.size - regions[a]!.size ||
      regions[a]!.members[0]! - regions[b]!.members[0]!,
  );
  const regionOf = new Int32Array(flagged.length);
  const sorted = order.map((r, id) => {
    for (const t of groups[r]!) regionOf[t] = id;
    return { ...regions[r]!, id };
  });
  return { regions: sorted, regionOf, linkDistance };
}

/**
 * Gap regions of a plain coverage: its flagged samples, their deficits against the whole set.
 * @param embeddings the rows coverage measured (after any unit-interval rescale)
 */
export function coverageGapRegions(
  embeddings: Embeddings,
  result: CoverageResult,
  k: number,
  options: GapRegionOptions = {},
): GapRegions {
  const flagged = result.uncoveredIndices;
  const deficits = selfDeficits(embeddings, flagged, result.coverageRadius, k);
  return gapRegions(embeddings, flagged, result.coverageRadius, deficits, options);
}

/**
 * Gap regions of a cross coverage: its flagged query rows, their deficits against the reference.
 * Labels, if given, are the query's.
 */
export function crossCoverageGapRegions(
  result: CrossCoverageResult,
  options: GapRegionOptions = {},
): GapRegions {
  const { reference, query } = result.space;
  const flagged = result.uncoveredIndices;
  const deficits = crossDeficits(reference, query, flagged, result.coverageRadius, result.k);
  return gapRegions(query, flagged, result.coverageRadius, deficits, options);
}

function classMix(labels: Int32Array, members: Int32Array): ClassCount[] {
  const counts = new Map<number, number>();
  for (let t = 0; t < members.length; t++) {
    const label = labels[members[t]!]!;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label - b.label);
}
