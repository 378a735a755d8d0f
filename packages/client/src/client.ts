import { decodeFloat32 } from "./binary.js";
import { followJobLive } from "./follow.js";
import { resultVariables } from "./helpers.js";
import { postGraphQL } from "./transport.js";
import { LacunaError } from "./errors.js";
import { type JobUpdate, LiveConnection } from "./live.js";
import type {
  LacunaClientOptions,
  ProjectionOptions,
  ResultOptions,
  SignalOption,
  WaitOptions,
} from "./options.js";
import * as cross from "./cross.js";
import * as history from "./history.js";
import type { CoverageArrays, CoverageResultPage, JobPage, ProjectionArrays } from "./history.js";
import type { CrossCoverageOptions, ExportKind, ExportOptions, GapRegionOptions } from "./cross.js";
import {
  CancelJobDocument,
  type CollectInput,
  type CrossCoverageInput,
  CoverageDocument,
  type CoverageInput,
  DatasetDocument,
  DatasetsDocument,
  EmbeddingsDocument,
  JobDocument,
  type RegisterDatasetInput,
  RegisterDatasetDocument,
  RemoveDatasetDocument,
  SampleDocument,
  type SelectionInput,
  StartCoverageDocument,
  type TypedDocumentString,
  VersionDocument,
  PerClassDocument,
  ProjectionDocument,
  type ProjectionQuery,
  ExplainDocument,
  type PerClassQuery,
  type ExplainQuery,
  type CoverageQuery,
  type DatasetsQuery,
  type EmbeddingsQuery,
  type JobQuery,
  type SampleQuery,
  type StartCoverageMutation,
  CoverageSamplesDocument,
  type CoverageSamplesQuery,
  StartProjectionDocument,
} from "./generated/graphql.js";

export type Dataset = DatasetsQuery["datasets"][number];
export type CoverageResult = CoverageQuery["coverage"];
export type Sample = SampleQuery["sample"];
export type Job = StartCoverageMutation["startCoverage"] & { result?: CoverageResult | null };
export type Embeddings = EmbeddingsQuery["embeddings"];
export type JobStatus = Job["status"];
export type PerClassReport = PerClassQuery["coverage"];
export type Projection = ProjectionQuery["projection"];
export type CoverageSample = CoverageSamplesQuery["coverage"]["samples"][number];
export type ClassCoverage = NonNullable<PerClassReport["perClass"]>[number];
export type SampleExplanation = ExplainQuery["coverage"]["sample"] & {
  coverageRadius: number;
  numObservations: number;
};

export type { JobPage, CoverageResultPage, CoverageSummary } from "./history.js";

const TERMINAL: readonly JobStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/**
 * Lacuna's GraphQL API as typed methods. Every method resolves to the object itself
 * (`(await client.coverage(input)).coverageRadius`) and rejects with a LacunaError (the server
 * refused: `code`, `argument`) or a LacunaNetworkError (it could not be reached).
 */
export class LacunaClient {
  private readonly url: string;
  private readonly fetchImpl: typeof fetch;
  private readonly headers: Record<string, string>;
  private readonly live: LiveConnection;

  constructor(options: LacunaClientOptions) {
    if (!options || typeof options.url !== "string" || options.url === "") {
      throw new TypeError("LacunaClient needs { url }, e.g. http://localhost:4000/graphql");
    }
    this.url = options.url;
    const impl = options.fetch ?? globalThis.fetch;
    if (typeof impl !== "function") throw new TypeError("no fetch available: pass { fetch }");
    this.fetchImpl = impl.bind(globalThis);
    this.headers = {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      ...options.headers,
    };
    this.live = new LiveConnection(options);
  }

  /** Sends any typed document; the other methods are built on it. */
  async request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables?: TVariables,
    signal?: AbortSignal,
  ): Promise<TResult> {
    return postGraphQL(this.fetchImpl, this.url, this.headers, document, variables, signal);
  }

  async version(): Promise<string> {
    return (await this.request(VersionDocument)).version;
  }

  async datasets(): Promise<Dataset[]> {
    return (await this.request(DatasetsDocument)).datasets;
  }

  /** @throws LacunaError NOT_FOUND for an unknown id */
  async dataset(id: string): Promise<Dataset> {
    const { dataset } = await this.request(DatasetDocument, { id });
    if (!dataset)
      throw new LacunaError([{ message: `no dataset "${id}"`, extensions: { code: "NOT_FOUND" } }]);
    return dataset;
  }

  /** Computes coverage (or reads it from the server's store) and waits for it. */
  async coverage(input: CoverageInput, options: ResultOptions = {}): Promise<CoverageResult> {
    return (await this.request(CoverageDocument, { input, ...resultVariables(options) })).coverage;
  }

  /**
   * DataEval's per-class report for a coverage request (computing it first if needed): one row per
   * class (perClass is null for unlabelled data), and the dataset's completeness and isotropy.
   */
  async perClass(
    input: CoverageInput,
    options: { minClassSamples?: number; nearDuplicateFactor?: number } & SignalOption = {},
  ): Promise<PerClassReport> {
    const { signal, ...rest } = options;
    return (await this.request(PerClassDocument, { input, ...rest }, signal)).coverage;
  }

  /**
   * Why a sample is (or is not) flagged: its k nearest neighbours with labels and distances, its
   * radius against the coverage radius, its rank among all radii. `index` is the dataset index.
   */
  async explain(
    input: CoverageInput,
    index: number,
    options: { images?: boolean; imageScale?: number } & SignalOption = {},
  ): Promise<SampleExplanation> {
    const { coverage } = await this.request(
      ExplainDocument,
      { input, index, withImages: options.images ?? false, imageScale: options.imageScale },
      options.signal,
    );
    return {
      ...coverage.sample,
      coverageRadius: coverage.coverageRadius,
      numObservations: coverage.numObservations,
    };
  }

  /**
   * 2-D coordinates of a selection (x0, y0, x1, y1, ...), with each point's dataset index and label:
   * t-SNE by default, UMAP or PCA; the same seed gives the same picture.
   */
  async projection(
    datasetId: string,
    options: ProjectionOptions & SignalOption = {},
  ): Promise<Projection> {
    const { signal, ...rest } = options;
    return (await this.request(ProjectionDocument, { datasetId, ...rest }, signal)).projection;
  }

  /**
   * Starts a projection as a job and returns at once (a cached one as a finished job): follow it
   * with followJob for its progress, cancel it with cancelJob, then read it with projection().
   */
  async startProjection(datasetId: string, options: ProjectionOptions = {}): Promise<Job> {
    return (await this.request(StartProjectionDocument, { datasetId, ...options })).startProjection;
  }

  /**
   * Samples of a coverage result by dataset index, in the order given (at most 1000), each with its
   * radius and, unless `images` is false, its image scaled `imageScale` times.
   * @throws LacunaError BAD_USER_INPUT (argument `indices`) for an index outside the selection
   */
  async samples(
    input: CoverageInput,
    indices: readonly number[],
    options: { images?: boolean; imageScale?: number } & SignalOption = {},
  ): Promise<CoverageSample[]> {
    const variables = {
      input,
      indices: [...indices],
      withImages: options.images ?? true,
      imageScale: options.imageScale,
    };
    return (await this.request(CoverageSamplesDocument, variables, options.signal)).coverage
      .samples;
  }

  /** Starts coverage as a job and returns at once; follow it with job() or waitForJob(). */
  async startCoverage(input: CoverageInput): Promise<Job> {
    return (await this.request(StartCoverageDocument, { input })).startCoverage;
  }

  /** @throws LacunaError NOT_FOUND for an unknown id */
  async job(id: string, options: ResultOptions & SignalOption = {}): Promise<Job> {
    const { job } = await this.request(
      JobDocument,
      { id, ...resultVariables(options) },
      options.signal,
    );
    if (!job)
      throw new LacunaError([{ message: `no job "${id}"`, extensions: { code: "NOT_FOUND" } }]);
    return job as NonNullable<JobQuery["job"]>;
  }

  async cancelJob(id: string): Promise<Job> {
    return (await this.request(CancelJobDocument, { id })).cancelJob;
  }

  /**
   * Polls a job until it finishes. Resolves with the SUCCEEDED job (its `result` filled in); a
   * FAILED or CANCELLED job rejects with a LacunaError carrying the job's error code.
   */
  async waitForJob(
    id: string,
    options: WaitOptions = {},
  ): Promise<Job & { result: CoverageResult }> {
    const job = await this.followJob(id, options);
    if (job.result) return job as Job & { result: CoverageResult };
    throw new LacunaError([
      {
        message: `job ${id} (${job.kind}) succeeded without a coverage result`,
        extensions: { code: "NOT_FOUND" },
      },
    ]);
  }

  /**
   * Follows any job (coverage or projection) until it finishes and resolves with the SUCCEEDED job;
   * a FAILED or CANCELLED job rejects with a LacunaError carrying the job's error code. Live over
   * the subscription when a WebSocket is available, else by polling (see followJobLive). The
   * signal stops the following, not the job: cancel that with cancelJob.
   */
  async followJob(id: string, options: WaitOptions = {}): Promise<Job> {
    // live over the subscription where there is a WebSocket, else (or when it drops) polling
    const end = await followJobLive(this, id, {
      signal: options.signal,
      intervalMs: options.intervalMs,
      onUpdate: (job) => {
        if (!TERMINAL.includes(job.status)) options.onProgress?.(job);
      },
    });
    if (end.status !== "SUCCEEDED") {
      const error = end.error ?? { code: end.status, message: `job ${id} ended ${end.status}` };
      throw new LacunaError([{ message: error.message, extensions: { code: error.code } }]);
    }
    // the finished job once more, with the parts of its result the caller asked for
    return this.job(id, options);
  }

  /** Embeddings of a selection: metadata and indices always; `values` (paged rows) or `base64` on request. */
  async embeddings(
    datasetId: string,
    options: {
      selection?: SelectionInput;
      model?: string;
      first?: number;
      offset?: number;
      values?: boolean;
      base64?: boolean;
    } = {},
  ): Promise<Embeddings> {
    const { selection, model, ...rest } = options;
    return (await this.request(EmbeddingsDocument, { datasetId, selection, model, ...rest }))
      .embeddings;
  }

  /** Decodes `base64` embeddings into a row-major Float32Array (n x d). */
  static decodeEmbeddings(
    embeddings: Pick<Embeddings, "base64" | "count" | "dimensions">,
  ): Float32Array {
    if (!embeddings.base64) throw new TypeError("request the embeddings with { base64: true }");
    const values = decodeFloat32(embeddings.base64);
    const { count, dimensions } = embeddings;
    if (values.length !== count * dimensions)
      throw new TypeError(`expected ${count} x ${dimensions} values, got ${values.length}`);
    return values;
  }

  /**
   * A coverage result's radii and dataset indices as typed arrays (sent as base64 binary: a
   * quarter of JSON's size). The radii are float32 roundings of the float64 `criticalValueRadii`.
   */
  radii(input: CoverageInput): Promise<CoverageArrays> {
    return history.radii(this, input);
  }

  /** A projection as typed arrays: coordinates x0, y0, x1, y1, ... and each point's dataset index. */
  projectionArrays(
    datasetId: string,
    options: Parameters<LacunaClient["projection"]>[1] = {},
  ): Promise<ProjectionArrays> {
    return history.projectionArrays(this, datasetId, options);
  }

  /**
   * Follows a job over a WebSocket (graphql-ws): its state now, then every change in order
   * (progress never goes back), until SUCCEEDED, FAILED or CANCELLED, when the iteration ends.
   * `for await (const job of client.subscribeJob(id))`; breaking out unsubscribes.
   * @throws LacunaError (NOT_FOUND, UNAUTHENTICATED) or LacunaNetworkError while iterating
   */
  subscribeJob(id: string): AsyncGenerator<JobUpdate, void, undefined> {
    return this.live.job(id);
  }

  /** Jobs, newest first: `first` (default 20, at most 1000) after the cursor `after`. */
  jobs(options: { first?: number; after?: string } = {}): Promise<JobPage> {
    return history.jobs(this, options);
  }

  /** Stored coverage results, newest first, of one dataset when `datasetId` is given. */
  coverageResults(
    options: { first?: number; after?: string; datasetId?: string } = {},
  ): Promise<CoverageResultPage> {
    return history.coverageResults(this, options);
  }

  /** Deletes a stored result (needs the API key). @throws LacunaError NOT_FOUND */
  deleteCoverageResult(id: string): Promise<boolean> {
    return history.deleteCoverageResult(this, id);
  }

  /** Closes the subscription socket, if one is open (HTTP requests hold nothing open). */
  close(): Promise<void> {
    return this.live.close();
  }

  /** One image of a dataset with its label; `imageScale` enlarges the PNG. */
  async sample(
    datasetId: string,
    index: number,
    options: { imageScale?: number } & SignalOption = {},
  ): Promise<Sample> {
    return (
      await this.request(
        SampleDocument,
        { datasetId, index, withImages: true, imageScale: options.imageScale },
        options.signal,
      )
    ).sample;
  }

  async registerDataset(input: RegisterDatasetInput): Promise<Dataset> {
    return (await this.request(RegisterDatasetDocument, { input })).registerDataset;
  }

  async removeDataset(id: string): Promise<boolean> {
    return (await this.request(RemoveDatasetDocument, { id })).removeDataset;
  }

  /** Does the reference cover the query? Waits for the result (see cross.ts). */
  crossCoverage(input: CrossCoverageInput, options: CrossCoverageOptions = {}) {
    return cross.crossCoverage(this, input, options);
  }

  /** Up to `input.budget` pool samples that best close the reference's gaps, in pick order. */
  collect(input: CollectInput, options: ResultOptions = {}) {
    return cross.collect(this, input, options);
  }

  /** A coverage result's flagged samples grouped into gap regions (largest deficit first). */
  gapRegions(input: CoverageInput, options: GapRegionOptions = {}) {
    return cross.gapRegions(this, input, options);
  }

  /** The download address of a finished result (`id` from coverage, crossCoverage or collect). */
  exportUrl(kind: ExportKind, id: string, options: ExportOptions = {}): string {
    return cross.exportUrl(this.url, kind, id, options);
  }

  /** A finished result as CSV, JSON Lines or a Label Studio import file. */
  download(kind: ExportKind, id: string, options: ExportOptions = {}): Promise<string> {
    const url = cross.exportUrl(this.url, kind, id, options);
    return cross.downloadExport(this.fetchImpl, this.headers, url);
  }
}
