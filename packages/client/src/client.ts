import { LacunaError, LacunaNetworkError, type GraphQLErrorEntry } from "./errors.js";
import type {
  LacunaClientOptions,
  ProjectionOptions,
  ResultOptions,
  SignalOption,
  WaitOptions,
} from "./options.js";
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

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorEntry[];
}

const TERMINAL: readonly JobStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function resultVariables(options: ResultOptions) {
  return {
    first: options.first,
    offset: options.offset,
    withImages: options.images ?? false,
    imageScale: options.imageScale,
  };
}

/**
 * Lacuna's GraphQL API as typed methods. Every method resolves to the object itself
 * (`(await client.coverage(input)).coverageRadius`) and rejects with a LacunaError (the server
 * refused: `code`, `argument`) or a LacunaNetworkError (it could not be reached).
 */
export class LacunaClient {
  private readonly url: string;
  private readonly fetchImpl: typeof fetch;
  private readonly headers: Record<string, string>;

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
   * Polls any job (coverage or projection) until it finishes and resolves with the SUCCEEDED job;
   * a FAILED or CANCELLED job rejects with a LacunaError carrying the job's error code. The signal
   * stops the polling (and aborts the poll in flight), not the job: cancel that with cancelJob.
   */
  async followJob(id: string, options: WaitOptions = {}): Promise<Job> {
    const interval = options.intervalMs ?? 250;
    for (;;) {
      options.signal?.throwIfAborted();
      const job = await this.job(id, options);
      if (TERMINAL.includes(job.status)) {
        if (job.status === "SUCCEEDED") return job;
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
    const binary = atob(embeddings.base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const values = new Float32Array(bytes.buffer);
    if (values.length !== embeddings.count * embeddings.dimensions) {
      throw new TypeError(
        `expected ${embeddings.count} x ${embeddings.dimensions} values, got ${values.length}`,
      );
    }
    return values;
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
}
