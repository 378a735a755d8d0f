import { assertNoOverflow } from "@lacuna/core";
import type { ProjectionMethod as GraphQLProjectionMethod } from "../generated/graphql.js";
import { join } from "node:path";
import type { KnnPool, ProjectionMethod } from "@lacuna/worker";
import { MNIST_TRANSFORMS_ID } from "@lacuna/worker";
import type { Selection } from "@lacuna/io";
import type { LoadedDataset } from "../datasets/service.js";
import {
  cachedEmbeddings,
  embeddingCacheKey,
  type EmbeddingKey,
  readCachedEmbeddings,
} from "@lacuna/io";
import { type EmbeddingService, selectIndices } from "../embeddings/service.js";
import { InvalidArgumentError } from "../errors.js";
import type { JobManager, JobView } from "../jobs/manager.js";

export const PROJECTION_JOB = "projection";

/** GraphQL's projection enum (values kept for clients) to the worker's method names, one table. */
const PROJECTION_METHOD: Readonly<Record<GraphQLProjectionMethod, ProjectionMethod>> = {
  TSNE: "tsne",
  UMAP: "umap",
  PCA: "pca",
};

export interface ProjectionRequest {
  readonly datasetId: string;
  readonly selection: Selection;
  readonly model?: string | null;
  readonly method: GraphQLProjectionMethod;
  readonly seed: number;
}

export interface ProjectionRecord {
  readonly request: ProjectionRequest;
  readonly dataset: LoadedDataset;
  readonly indices: Int32Array;
  /** n x 2, row-major, float32 (what the cache stores, so a first and a cached answer agree). */
  readonly coordinates: Float32Array;
  readonly cached: boolean;
}

/**
 * 2-D projections of a selection's embeddings, computed in the worker pool as jobs (so they queue
 * behind coverage computations instead of oversubscribing the pool) and cached on disk like
 * embeddings, keyed by the embeddings' identity, the method, the seed and the algorithm version.
 */
export class ProjectionService {
  /** The latest results, so requests that shared a job need not read the cache back. */
  private readonly recent = new Map<string, Float32Array>();

  constructor(
    private readonly embeddings: EmbeddingService,
    private readonly pool: KnnPool,
    private readonly jobs: JobManager,
    private readonly options: {
      readonly cacheDir: string;
      readonly onCacheWriteError?: (error: Error) => void;
      /** Most samples one t-SNE or UMAP projection may take (LACUNA_MAX_PROJECTION_SAMPLES); PCA has no limit. */
      readonly maxSamples?: number;
    },
  ) {}

  /** The selection, cache key and cached coordinates (if any) of a request. @throws InvalidArgumentError */
  private async prepare(request: ProjectionRequest) {
    if (!Number.isInteger(request.seed) || request.seed < 0 || request.seed > 0xffffffff) {
      throw new InvalidArgumentError("seed", "an integer from 0 to 4294967295", request.seed);
    }
    const { dataset, modelHash } = await this.embeddings.identity(request);
    const indices = selectIndices(dataset, request.selection);
    if (indices.length < 3) {
      throw new InvalidArgumentError(
        "selection",
        "at least 3 samples to project",
        `${indices.length} samples`,
      );
    }
    const max = this.options.maxSamples ?? Number.POSITIVE_INFINITY;
    // t-SNE of 20 000 samples holds the job slot for a minute: the server's limit says how many.
    // PCA is linear in the samples (an SVD of n x d with d small; 0.56 s at 10 000 x 64), so it
    // has none: a scatter of every sample stays possible, whatever the selection's size
    if (request.method !== "PCA" && indices.length > max) {
      throw new InvalidArgumentError(
        "selection",
        `at most ${max} samples to project with t-SNE or UMAP (LACUNA_MAX_PROJECTION_SAMPLES; PCA has no limit)`,
        `${indices.length} samples`,
      );
    }
    const key: EmbeddingKey = {
      datasetHash: dataset.contentHash,
      indices,
      modelHash,
      transforms: `projection-v1:${request.method}:${request.seed}:${MNIST_TRANSFORMS_ID}`,
    };
    const name = embeddingCacheKey(key);
    const hit =
      this.recent.get(name) ?? (await readCachedEmbeddings(this.options.cacheDir, key))?.codes;
    return { dataset, indices, key, name, hit };
  }

  /**
   * Starts (or joins) the projection of `request` as a job and returns at once, so that a client
   * can follow its progress and cancel it; a cached projection starts as a finished job.
   */
  async start(request: ProjectionRequest): Promise<JobView> {
    const { key, name, hit } = await this.prepare(request);
    if (hit && !this.jobs.activeFor(name)) {
      return this.jobs.completed(PROJECTION_JOB, name, request, name);
    }
    const job = await this.submit(request, key, name);
    // a client polls this job: it must not stop when the clients of a same-key query go
    this.jobs.detach(job.id);
    return job;
  }

  /** `signal` aborts when the client has gone: the job is cancelled once no client waits for it. */
  async projection(request: ProjectionRequest, signal?: AbortSignal): Promise<ProjectionRecord> {
    const { dataset, indices, key, name, hit } = await this.prepare(request);
    if (hit) return { request, dataset, indices, coordinates: hit, cached: true };
    await this.jobs.wait((await this.submit(request, key, name)).id, { rethrow: true, signal });
    const coordinates = this.recent.get(name);
    if (!coordinates) throw new Error(`projection ${name} finished without a result`);
    return { request, dataset, indices, coordinates, cached: false };
  }

  /** The job computing `name`; identical requests in flight share it (JobManager shares by key). */
  private submit(request: ProjectionRequest, key: EmbeddingKey, name: string): Promise<JobView> {
    return this.jobs.submit(PROJECTION_JOB, name, request, async (ctx) => {
      ctx.progress("embedding", 0);
      const resolved = await this.embeddings.resolve(request, { signal: ctx.signal });
      ctx.progress("projecting", 0.1);
      const result = await cachedEmbeddings(
        this.options.cacheDir,
        key,
        async () => {
          assertNoOverflow(resolved.embeddings);
          const projected = await this.pool.project(
            resolved.embeddings,
            PROJECTION_METHOD[request.method],
            {
              seed: request.seed,
              signal: ctx.signal,
              onProgress: (done, total) => ctx.progress("projecting", 0.1 + (0.9 * done) / total),
            },
          );
          return { codes: Float32Array.from(projected.coordinates), d: 2 };
        },
        { onWriteError: this.options.onCacheWriteError },
      );
      this.remember(name, result.codes);
      return name;
    });
  }

  private remember(name: string, coordinates: Float32Array): void {
    this.recent.set(name, coordinates);
    if (this.recent.size > 16) this.recent.delete(this.recent.keys().next().value!);
  }
}

export function projectionCacheDir(dataDir: string): string {
  return join(dataDir, "projections");
}
