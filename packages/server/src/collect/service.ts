import { type CollectStep, type KnnPool, poolCollect } from "@lacuna/worker";
import type { EmbeddingService } from "../embeddings/service.js";
import type { JobManager } from "../jobs/manager.js";
import type { CollectInput } from "../generated/graphql.js";
import { CORE_COVERAGE_METHOD } from "../coverage/input.js";
import {
  CORE_METRIC,
  type NormalizedPairInput,
  normalizeBudget,
  normalizePair,
} from "../cross/input.js";
import { pairKey, resolvePair } from "../cross/pair.js";
import type { ResultFiles } from "../cross/result-files.js";

/** A finished collect list, as kept on disk (plain JSON). */
export interface CollectRecord {
  readonly key: string;
  readonly input: NormalizedPairInput;
  readonly budget: number;
  /** Pool rows (positions in the pool's selection), in pick order. */
  readonly selected: number[];
  readonly poolIndices: number[];
  readonly poolLabels: number[] | null;
  readonly gains: number[];
  readonly deficitBefore: number;
  readonly deficitAfter: number;
  readonly coverageRadius: number;
  readonly flaggedCount: number;
  readonly recomputed: {
    readonly coverageRadius: number;
    readonly resolved: number;
    readonly resolvedAtReferenceRadius: number;
  };
  readonly seconds: number;
  readonly createdAt: string;
}

export const COLLECT_JOB = "collect";

/** poolCollect's steps in order, for the job's progress (after the embeddings' 80 %). */
const STEPS: readonly CollectStep[] = ["reference", "deficits", "covers", "recompute"];

/**
 * What to collect next as a service: core's greedy deficit reduction over the reference and the
 * pool (both through the embedding pipeline), once per distinct request inside a job, kept on disk.
 */
export class CollectService {
  constructor(
    private readonly embeddings: EmbeddingService,
    private readonly pool: KnnPool,
    private readonly jobs: JobManager,
    private readonly results: ResultFiles<CollectRecord>,
  ) {}

  /** @throws input errors before any work; the job's error */
  async collect(raw: CollectInput): Promise<{ record: CollectRecord; cached: boolean }> {
    const input = normalizePair(raw, raw.reference, raw.pool);
    const budget = normalizeBudget(raw.budget);
    const key = await pairKey(this.embeddings, COLLECT_JOB, input, { budget });
    const stored = await this.results.find(key);
    if (stored) return { record: stored, cached: true };
    const job = await this.jobs.submit(COLLECT_JOB, key, { ...input, budget }, async (ctx) => {
      const started = performance.now();
      const { reference, other } = await resolvePair(this.embeddings, input, ctx);
      // every search in the worker pool, off the event loop: core's collect to the bit
      const result = await poolCollect(this.pool, reference.embeddings, other.embeddings, budget, {
        k: input.reference.numObservations,
        percent: input.reference.percent,
        method: CORE_COVERAGE_METHOD[input.reference.method],
        metric: CORE_METRIC[input.metric],
        forceUnitInterval: input.reference.forceUnitInterval,
        signal: ctx.signal,
        onProgress: (step, done, total) =>
          ctx.progress(
            "neighbours",
            0.8 + (0.2 * (STEPS.indexOf(step) + done / total)) / STEPS.length,
          ),
      });
      ctx.signal.throwIfAborted();
      await this.results.save(key, {
        key,
        input,
        budget,
        selected: Array.from(result.selected),
        poolIndices: Array.from(other.indices),
        poolLabels: other.labels ? Array.from(other.labels) : null,
        gains: Array.from(result.gains),
        deficitBefore: result.deficitBefore,
        deficitAfter: result.deficitAfter,
        coverageRadius: result.coverageRadius,
        flaggedCount: result.uncoveredIndices.length,
        recomputed: {
          coverageRadius: result.recomputed.coverageRadius,
          resolved: result.recomputed.resolved,
          resolvedAtReferenceRadius: result.recomputed.resolvedAtReferenceRadius,
        },
        seconds: (performance.now() - started) / 1000,
        createdAt: new Date().toISOString(),
      });
      return key;
    });
    await this.jobs.wait(job.id, { rethrow: true });
    const record = await this.results.find(key);
    if (!record) throw new Error(`collect ${key} finished without a result`);
    return { record, cached: false };
  }

  /** A finished result by its id, or null. */
  find(key: string): Promise<CollectRecord | null> {
    return /^[0-9a-f]{64}$/.test(key) ? this.results.find(key) : Promise.resolve(null);
  }
}
