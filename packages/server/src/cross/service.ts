import {
  type GapRegions,
  crossCoverageFromRadii,
  kthDistances,
  neighbourDeficits,
  neighbourRows,
  prepareCrossCoverage,
} from "@lacuna/core";
import { type KnnPool, poolGapRegions } from "@lacuna/worker";
import type { EmbeddingService } from "../embeddings/service.js";
import type { JobManager } from "../jobs/manager.js";
import type { CrossCoverageInput } from "../generated/graphql.js";
import { CORE_COVERAGE_METHOD } from "../coverage/input.js";
import {
  CORE_METRIC,
  type NormalizedPairInput,
  normalizeLinkFactor,
  normalizePair,
} from "./input.js";
import { pairKey, resolvePair } from "./pair.js";
import { type ResultFiles } from "./result-files.js";

/** A gap region as stored: members and medoid as rows of the measured set. */
export interface StoredRegion {
  readonly id: number;
  readonly size: number;
  readonly deficit: number;
  readonly medoid: number;
  readonly members: number[];
  readonly classMix: { readonly label: number; readonly count: number }[];
}

/** The regions of core's GapRegions, as plain JSON. */
export function storedRegions(gaps: GapRegions): StoredRegion[] {
  return gaps.regions.map((r) => ({
    id: r.id,
    size: r.size,
    deficit: r.deficit,
    medoid: r.medoid,
    members: Array.from(r.members),
    classMix: r.classMix.map((c) => ({ label: c.label, count: c.count })),
  }));
}

/** A finished cross coverage, as kept on disk (plain JSON). */
export interface CrossRecord {
  readonly key: string;
  readonly input: NormalizedPairInput;
  readonly model: string | null;
  readonly coverageRadius: number;
  readonly radii: number[];
  readonly queryIndices: number[];
  readonly referenceIndices: number[];
  readonly queryLabels: number[] | null;
  /** Query rows above the coverage radius, by decreasing radius. */
  readonly uncovered: number[];
  /** regionOf[t]: the region of uncovered[t]. */
  readonly regionOf: number[];
  readonly regions: StoredRegion[];
  readonly k: number;
  /** Row t of uncovered: its k nearest reference rows and their distances, row-major. */
  readonly neighbours: number[];
  readonly neighbourDistances: number[];
  readonly seconds: number;
  readonly createdAt: string;
}

export const CROSS_JOB = "cross-coverage";

/**
 * Coverage of a query set by a reference set as a service: both sets resolved through the
 * embedding pipeline (cache, else encoded in the pool), core's exact cross coverage with both
 * searches in the worker pool (the reference's own radii, then every query row's k nearest
 * reference rows, off the event loop, with progress and cancellation), gap regions and the
 * uncovered rows' nearest reference rows, computed once per distinct request inside a job
 * (identical requests share it) and kept on disk.
 */
export class CrossCoverageService {
  constructor(
    private readonly embeddings: EmbeddingService,
    private readonly pool: KnnPool,
    private readonly jobs: JobManager,
    private readonly results: ResultFiles<CrossRecord>,
  ) {}

  /** Computes (or reads) a cross coverage. @throws input errors before any work; the job's error */
  async crossCoverage(raw: CrossCoverageInput): Promise<{ record: CrossRecord; cached: boolean }> {
    const input = normalizePair(raw, raw.reference, raw.query);
    const linkFactor = normalizeLinkFactor(raw.linkFactor, "input.linkFactor");
    const key = await pairKey(this.embeddings, CROSS_JOB, input, { linkFactor });
    const stored = await this.results.find(key);
    if (stored) return { record: stored, cached: true };
    const job = await this.jobs.submit(CROSS_JOB, key, input, async (ctx) => {
      const started = performance.now();
      const { reference, other } = await resolvePair(this.embeddings, input, ctx);
      const k = input.reference.numObservations;
      const space = prepareCrossCoverage(reference.embeddings, other.embeddings, {
        k,
        percent: input.reference.percent,
        method: CORE_COVERAGE_METHOD[input.reference.method],
        metric: CORE_METRIC[input.metric],
        forceUnitInterval: input.reference.forceUnitInterval,
      });
      const { signal } = ctx;
      const { radii } = await this.pool.computeRadii(space.reference, k, {
        signal,
        onProgress: (done, total) => ctx.progress("neighbours", 0.8 + (0.1 * done) / total),
      });
      const nearest = await this.pool.crossNeighbours(space.reference, space.query, k, {
        signal,
        onProgress: (done, total) => ctx.progress("neighbours", 0.9 + (0.1 * done) / total),
      });
      const result = crossCoverageFromRadii(space, radii, kthDistances(nearest));
      const uncovered = result.uncoveredIndices;
      // the uncovered rows' k nearest reference rows give their deficits: no second search
      const deficits = neighbourDeficits(neighbourRows(nearest, uncovered), result.coverageRadius);
      const gaps = await poolGapRegions(
        this.pool,
        space.query,
        uncovered,
        result.coverageRadius,
        deficits,
        { labels: other.labels ?? undefined, linkFactor, signal },
      );
      await this.results.save(key, {
        key,
        input,
        model: reference.model,
        coverageRadius: result.coverageRadius,
        radii: Array.from(result.criticalValueRadii),
        queryIndices: Array.from(other.indices),
        referenceIndices: Array.from(reference.indices),
        queryLabels: other.labels ? Array.from(other.labels) : null,
        uncovered: Array.from(uncovered),
        regionOf: Array.from(gaps.regionOf),
        regions: storedRegions(gaps),
        k,
        neighbours: rowsOf(nearest.indices, uncovered, k),
        neighbourDistances: rowsOf(nearest.distances, uncovered, k),
        seconds: (performance.now() - started) / 1000,
        createdAt: new Date().toISOString(),
      });
      return key;
    });
    await this.jobs.wait(job.id, { rethrow: true });
    const record = await this.results.find(key);
    if (!record) throw new Error(`cross coverage ${key} finished without a result`);
    return { record, cached: false };
  }

  /** A finished result by its id, or null. */
  find(key: string): Promise<CrossRecord | null> {
    return /^[0-9a-f]{64}$/.test(key) ? this.results.find(key) : Promise.resolve(null);
  }
}

/** Rows `rows` of a row-major table k wide, in that order, as one plain array. */
function rowsOf(table: Float64Array | Int32Array, rows: Int32Array, k: number): number[] {
  const out: number[] = [];
  for (const row of rows) for (let t = 0; t < k; t++) out.push(table[row * k + t]!);
  return out;
}
