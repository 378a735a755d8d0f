import { createHash } from "node:crypto";
import {
  type Embeddings,
  NotFoundError,
  coverageFromRadii,
  ensureUnitInterval,
} from "@lacuna/core";
import type { Backend, KnnPool } from "@lacuna/worker";
import { InvalidArgumentError } from "../errors.js";
import type { Cursor } from "../graphql/connection.js";
import type { EmbeddingService } from "../embeddings/service.js";
import type { JobContext, JobManager, JobView } from "../jobs/manager.js";
import {
  CORE_COVERAGE_METHOD,
  type CoverageInput,
  type NormalizedCoverageInput,
  normalizeCoverageInput,
} from "./input.js";
import type { CoverageRecord, CoverageStore } from "./store.js";

export const COVERAGE_JOB = "coverage";

/**
 * Where the radii are computed when not in this process's pool: the one injection point for the
 * distributed workers (`lacuna serve --redis`, @lacuna/cluster's ClusterRadii), kept to the shape
 * the service needs so the server does not depend on the cluster.
 */
export interface RadiiSource {
  computeRadii(
    embeddings: Embeddings,
    k: number,
    options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
  ): Promise<{ radii: Float64Array; detail: string }>;
}

/**
 * Coverage as a service: each distinct request is computed once (as a job in the pool) and stored;
 * the same request again, from any client, after any restart, is read from the store.
 */
export class CoverageService {
  constructor(
    private readonly embeddings: EmbeddingService,
    private readonly pool: KnnPool,
    private readonly jobs: JobManager,
    private readonly store: CoverageStore,
    private readonly options: { readonly backend?: Backend; readonly radii?: RadiiSource } = {},
  ) {}

  /**
   * The key of a request: everything that changes the answer (the dataset's content, the model's
   * weights, the selection and the parameters), hashed. @throws the input errors of normalize
   */
  async keyOf(input: NormalizedCoverageInput): Promise<string> {
    const { dataset, modelHash } = await this.embeddings.identity(input);
    return createHash("sha256")
      .update(
        JSON.stringify({
          v: 1,
          // the id and class names too: two datasets with the same numbers are still two results
          datasetId: input.datasetId,
          classes: dataset.classNames,
          dataset: dataset.contentHash,
          selection: input.selection,
          model: modelHash,
          method: input.method,
          k: input.numObservations,
          // the naive radius does not depend on percent
          percent: input.method === "ADAPTIVE" ? input.percent : null,
          force: input.forceUnitInterval,
        }),
      )
      .digest("hex");
  }

  /** Starts (or joins, or finds finished) the computation of `raw`. */
  async start(raw: CoverageInput): Promise<JobView> {
    const input = normalizeCoverageInput(raw);
    const key = await this.keyOf(input);
    // a finished result starts as a finished job, unless the same computation is still running
    if (!this.jobs.activeFor(key) && (await this.store.find(key))) {
      return this.jobs.completed(COVERAGE_JOB, key, input, key);
    }
    const job = await this.submit(key, input);
    // a client polls this job: it must not stop when the clients of a same-key query go
    this.jobs.detach(job.id);
    return job;
  }

  /** The job computing `key`: the live one when there is one (JobManager shares by key), else a new one. */
  private submit(key: string, input: NormalizedCoverageInput): Promise<JobView> {
    return this.jobs.submit(COVERAGE_JOB, key, input, (ctx) => this.compute(key, input, ctx));
  }

  /**
   * Computes (or reads) a coverage result and waits for it; `signal` aborts when the client has
   * gone (the job is cancelled once no client waits for it). @throws the job's own error
   */
  async coverage(
    raw: CoverageInput,
    signal?: AbortSignal,
  ): Promise<{ record: CoverageRecord; cached: boolean }> {
    const input = normalizeCoverageInput(raw);
    const key = await this.keyOf(input);
    const stored = await this.store.find(key);
    if (stored) return { record: stored, cached: true };
    await this.jobs.wait((await this.submit(key, input)).id, { rethrow: true, signal });
    return { record: await this.result(key), cached: false };
  }

  /** A stored result. @throws Error when it is missing (a job said SUCCEEDED without one) */
  async result(key: string): Promise<CoverageRecord> {
    const record = await this.store.find(key);
    if (!record) throw new Error(`coverage result ${key} is missing from the store`);
    return record;
  }

  /** A stored result, or null. */
  find(key: string): Promise<CoverageRecord | null> {
    return this.store.find(key);
  }

  /** Stored results, newest first (see CoverageStore.list). */
  list(limit: number, after: Cursor | null, datasetId: string | null): Promise<CoverageRecord[]> {
    return this.store.list(limit, after, datasetId);
  }

  /**
   * Deletes a stored result; the same request later computes it again. A job that produced it
   * then reports no result.
   * @throws NotFoundError when there is no such result
   */
  async delete(key: string): Promise<boolean> {
    if (!(await this.store.delete(key))) throw new NotFoundError("coverage result", key);
    return true;
  }

  private async compute(
    key: string,
    input: NormalizedCoverageInput,
    ctx: JobContext,
  ): Promise<string> {
    const started = performance.now();
    ctx.progress("embedding", 0);
    const resolved = await this.embeddings.resolve(input, {
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress("embedding", (0.5 * done) / total),
    });
    const { n, d } = resolved.embeddings;
    const k = input.numObservations;
    if (n <= k) {
      throw new InvalidArgumentError(
        "input.numObservations",
        `less than the number of selected samples (${n}); select more samples or use k <= ${n - 1}`,
        k,
      );
    }
    const unit = ensureUnitInterval(resolved.embeddings, input.forceUnitInterval);
    ctx.progress("neighbours", 0.5);
    const onProgress = (done: number, total: number) =>
      ctx.progress("neighbours", 0.5 + (0.5 * done) / total);
    const { radii, detail } = this.options.radii
      ? await this.options.radii.computeRadii(unit, k, { signal: ctx.signal, onProgress })
      : await this.pool.computeRadii(unit, k, {
          backend: this.options.backend ?? "auto",
          signal: ctx.signal,
          onProgress,
        });
    const result = coverageFromRadii(radii, {
      method: CORE_COVERAGE_METHOD[input.method],
      percent: input.percent,
      k,
      d,
    });
    ctx.signal.throwIfAborted();
    await this.store.save({
      key,
      input,
      coverageRadius: result.coverageRadius,
      count: n,
      dimensions: d,
      model: resolved.model,
      embeddingBackend: resolved.cached ? "cache" : resolved.backend,
      backend: detail,
      seconds: (performance.now() - started) / 1000,
      createdAt: new Date().toISOString(),
      classNames: resolved.dataset.classNames,
      indices: resolved.indices,
      labels: resolved.labels,
      radii: result.criticalValueRadii,
      uncovered: result.uncoveredIndices,
    });
    return key;
  }
}
