import { decodeFloat32, decodeInt32 } from "./binary.js";
import { resultVariables, sleep } from "./helpers.js";
import { LacunaError, LacunaNetworkError, type GraphQLErrorEntry } from "./errors.js";
import { type JobUpdate, LiveConnection, type WebSocketConstructor } from "./live.js";
import {
  CancelJobDocument,
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
  type ProjectionMethod,
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
  CoverageArraysDocument,
  CoverageResultsDocument,
  type CoverageResultsQuery,
  DeleteCoverageResultDocument,
  JobsDocument,
  type JobsQuery,
  ProjectionArraysDocument,
} from "./generated/graphql.js";

export type Dataset = DatasetsQuery["datasets"][number];
export type CoverageResult = CoverageQuery["coverage"];
export type Sample = SampleQuery["sample"];
export type Job = StartCoverageMutation["startCoverage"] & { result?: CoverageResult | null };
export type Embeddings = EmbeddingsQuery["embeddings"];
export type JobStatus = Job["status"];
export type PerClassReport = PerClassQuery["coverage"];
export type Projection = ProjectionQuery["projection"];
export type ClassCoverage = NonNullable<PerClassReport["perClass"]>[number];
export type SampleExplanation = ExplainQuery["coverage"]["sample"] & {
  coverageRadius: number;
  numObservations: number;
};

export type JobPage = JobsQuery["jobs"];
export type CoverageResultPage = CoverageResultsQuery["coverageResults"];
export type CoverageSummary = CoverageResultPage["edges"][number]["node"];

export interface LacunaClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <key>` (mutations need it when the server has one). */
  readonly apiKey?: string;
  /** A fetch implementation; default the global one (Node.js 20, browsers). */
  readonly fetch?: typeof fetch;
  /** Extra headers for every request. */
  readonly headers?: Record<string, string>;
  /** For subscribeJob: default the global WebSocket; on Node.js 20 pass `ws`'s (`import WebSocket from "ws"`). */
  readonly webSocket?: WebSocketConstructor;
  /** For subscribeJob: default `url` with ws:// (wss://). */
  readonly wsUrl?: string;
}

/** How much of a coverage result to fetch. */
export interface ResultOptions {
  /** Uncovered samples to return (at most 1000; default 100) and from where. */
  readonly first?: number;
  readonly offset?: number;
  /** Include each uncovered sample's image as a PNG data URL, scaled up `imageScale` times. */
  readonly images?: boolean;
  readonly imageScale?: number;
}

export interface WaitOptions extends ResultOptions {
  /** Called with the job at every poll while it is queued or running. */
  readonly onProgress?: (job: Job) => void;
  /** Stops waiting (the job goes on; cancel it with cancelJob). */
  readonly signal?: AbortSignal;
  /** Milliseconds between polls; default 250. */
  readonly intervalMs?: number;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorEntry[];
}

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
    let response: Response;
    try {
      response = await this.fetchImpl(this.url, {
        method: "POST",
        headers: this.headers,
        body: JSON.stringify({ query: document.toString(), variables }),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new LacunaNetworkError(`cannot reach ${this.url}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    let body: GraphQLResponse<TResult>;
    try {
      body = (await response.json()) as GraphQLResponse<TResult>;
    } catch (error) {
      throw new LacunaNetworkError(
        `${this.url} answered HTTP ${response.status} without a GraphQL response`,
        {
          status: response.status,
          cause: error,
        },
      );
    }
    if (body.errors && body.errors.length > 0) throw new LacunaError(body.errors);
    if (!body.data) {
      throw new LacunaNetworkError(`${this.url} answered HTTP ${response.status} without data`, {
        status: response.status,
      });
    }
    return body.data;
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
    options: { minClassSamples?: number; nearDuplicateFactor?: number } = {},
  ): Promise<PerClassReport> {
    return (await this.request(PerClassDocument, { input, ...options })).coverage;
  }

  /**
   * Why a sample is (or is not) flagged: its k nearest neighbours with labels and distances, its
   * radius against the coverage radius, its rank among all radii. `index` is the dataset index.
   */
  async explain(
    input: CoverageInput,
    index: number,
    options: { images?: boolean; imageScale?: number } = {},
  ): Promise<SampleExplanation> {
    const { coverage } = await this.request(ExplainDocument, {
      input,
      index,
      withImages: options.images ?? false,
      imageScale: options.imageScale,
    });
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
    options: {
      selection?: SelectionInput;
      model?: string;
      method?: ProjectionMethod;
      seed?: number;
    } = {},
  ): Promise<Projection> {
    return (await this.request(ProjectionDocument, { datasetId, ...options })).projection;
  }

  /** Starts coverage as a job and returns at once; follow it with job() or waitForJob(). */
  async startCoverage(input: CoverageInput): Promise<Job> {
    return (await this.request(StartCoverageDocument, { input })).startCoverage;
  }

  /** @throws LacunaError NOT_FOUND for an unknown id */
  async job(id: string, options: ResultOptions = {}): Promise<Job> {
    const { job } = await this.request(JobDocument, { id, ...resultVariables(options) });
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
    const interval = options.intervalMs ?? 250;
    for (;;) {
      options.signal?.throwIfAborted();
      const job = await this.job(id, options);
      if (TERMINAL.includes(job.status)) {
        if (job.status === "SUCCEEDED" && job.result)
          return job as Job & { result: CoverageResult };
        const error = job.error ?? { code: job.status, message: `job ${id} ended ${job.status}` };
        throw new LacunaError([{ message: error.message, extensions: { code: error.code } }]);
      }
      options.onProgress?.(job);
      await sleep(interval, options.signal);
    }
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
  async radii(input: CoverageInput): Promise<{
    id: string;
    coverageRadius: number;
    radii: Float32Array;
    indices: Int32Array;
  }> {
    const { coverage: c } = await this.request(CoverageArraysDocument, { input });
    return {
      id: c.id,
      coverageRadius: c.coverageRadius,
      radii: decodeFloat32(c.criticalValueRadiiBase64, c.count),
      indices: decodeInt32(c.indicesBase64, c.count),
    };
  }

  /** A projection as typed arrays: coordinates x0, y0, x1, y1, ... and each point's dataset index. */
  async projectionArrays(
    datasetId: string,
    options: Parameters<LacunaClient["projection"]>[1] = {},
  ): Promise<{ coordinates: Float32Array; indices: Int32Array }> {
    const { projection: p } = await this.request(ProjectionArraysDocument, {
      datasetId,
      ...options,
    });
    return {
      coordinates: decodeFloat32(p.coordinatesBase64, 2 * p.count),
      indices: decodeInt32(p.indicesBase64, p.count),
    };
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
  async jobs(options: { first?: number; after?: string } = {}): Promise<JobPage> {
    return (await this.request(JobsDocument, options)).jobs;
  }

  /** Stored coverage results, newest first, of one dataset when `datasetId` is given. */
  async coverageResults(
    options: { first?: number; after?: string; datasetId?: string } = {},
  ): Promise<CoverageResultPage> {
    return (await this.request(CoverageResultsDocument, options)).coverageResults;
  }

  /** Deletes a stored result (needs the API key). @throws LacunaError NOT_FOUND */
  async deleteCoverageResult(id: string): Promise<boolean> {
    return (await this.request(DeleteCoverageResultDocument, { id })).deleteCoverageResult;
  }

  /** Closes the subscription socket, if one is open (HTTP requests hold nothing open). */
  close(): Promise<void> {
    return this.live.close();
  }

  /** One image of a dataset with its label; `imageScale` enlarges the PNG. */
  async sample(
    datasetId: string,
    index: number,
    options: { imageScale?: number } = {},
  ): Promise<Sample> {
    return (
      await this.request(SampleDocument, {
        datasetId,
        index,
        withImages: true,
        imageScale: options.imageScale,
      })
    ).sample;
  }

  async registerDataset(input: RegisterDatasetInput): Promise<Dataset> {
    return (await this.request(RegisterDatasetDocument, { input })).registerDataset;
  }

  async removeDataset(id: string): Promise<boolean> {
    return (await this.request(RemoveDatasetDocument, { id })).removeDataset;
  }
}
