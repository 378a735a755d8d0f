import {
  type CoverageResult,
  type Embeddings,
  type GapRegions,
  type NearestNeighbours,
  selectRows,
  withoutSelf,
} from "@lacuna/core";
import { type KnnPool, poolDeficits, poolGapRegions } from "@lacuna/worker";
import { progressBar } from "./progress.js";

/**
 * How many flagged samples the table's gap regions take at most: the least covered first. The
 * regions cost a neighbour search per flagged sample against the whole set plus range searches
 * and medoid sums among the flagged ones (quadratic in a region's size), so `--percent 1` on
 * 20 000 rows would spend minutes on a table that shows ten regions. 1000 keeps the default
 * percent (0.01) whole up to 100 000 rows. `--json --gaps` and `--export` compute every one.
 */
export const GAP_TABLE_LIMIT = 1000;

/** What the gap step found, for the table, the JSON and the export. */
export interface GapStep {
  readonly gaps: GapRegions;
  /** The flagged samples the regions group, in the order regionOf and `neighbours` follow. */
  readonly flagged: Int32Array;
  /** With `neighbours`: each of those samples' k nearest other samples (an export's columns). */
  readonly neighbours: NearestNeighbours | undefined;
  /** Flagged samples left out of the regions by `limit` (0: none). */
  readonly leftOut: number;
}

export interface GapStepOptions {
  readonly labels?: ArrayLike<number>;
  readonly linkFactor?: number;
  /** Group at most this many flagged samples, the least covered first (default: all). */
  readonly limit?: number;
  /** For the progress lines: none with --json or when stderr is not a terminal. */
  readonly json?: boolean;
  readonly stream?: NodeJS.WriteStream;
  /** Also find each flagged sample's k nearest others (for an export). */
  readonly neighbours?: boolean;
}

/**
 * The gap regions of a plain coverage, all searches in the worker pool with a progress line per
 * step on stderr: the flagged samples' deficits (poolDeficits), the regions' links and medoids
 * (poolGapRegions), and with `neighbours` each flagged sample's k nearest others. The same regions
 * as core's coverageGapRegions, to the bit, when nothing is left out.
 * @param unit the rows the coverage measured (after any rescale)
 */
export async function selfGapStep(
  pool: KnnPool,
  unit: Embeddings,
  result: CoverageResult,
  k: number,
  options: GapStepOptions = {},
): Promise<GapStep> {
  const all = result.uncoveredIndices;
  const limit = options.limit ?? all.length;
  const flagged = all.length > limit ? leastCovered(all, result.criticalValueRadii, limit) : all;
  const deficits = await poolDeficits(pool, unit, unit, flagged, result.coverageRadius, k, {
    onProgress: progressBar("gap deficits", options),
  });
  const gaps = await poolGapRegions(pool, unit, flagged, result.coverageRadius, deficits, {
    labels: options.labels,
    linkFactor: options.linkFactor,
    onProgress: stepBars(options),
  });
  // an export's neighbour columns: the k + 1 nearest, each row's own entry dropped
  const neighbours = options.neighbours
    ? withoutSelf(
        await pool.crossNeighbours(unit, selectRows(unit, flagged), k + 1, {
          onProgress: progressBar("neighbours of flagged", options),
        }),
        flagged,
        k,
      )
    : undefined;
  return { gaps, flagged, neighbours, leftOut: all.length - flagged.length };
}

/**
 * The `limit` flagged samples of largest radius (ties: lower index), ascending by radius rank:
 * adaptive's flagged list is already in that order but for its ties, naive's is by index.
 */
export function leastCovered(flagged: Int32Array, radii: Float64Array, limit: number): Int32Array {
  const sorted = Int32Array.from(flagged).sort((a, b) => radii[b]! - radii[a]! || a - b);
  return sorted.slice(0, limit);
}

/** One progress line per poolGapRegions step ("gap links", "gap medoids"). */
export function stepBars(
  options: Pick<GapStepOptions, "json" | "stream">,
): ((step: "links" | "medoids", done: number, total: number) => void) | undefined {
  const links = progressBar("gap links", options);
  const medoids = progressBar("gap medoids", options);
  if (!links || !medoids) return undefined;
  return (step, done, total) => (step === "links" ? links : medoids)(done, total);
}
