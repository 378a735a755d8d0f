import {
  type CoverageResult,
  type Job,
  type LacunaClient,
  LacunaError,
  type Projection,
} from "@lacuna/client";
import {
  type Controls,
  coverageInput,
  projectionOptions,
  sameCoverage,
  sameProjection,
} from "./controls.js";

/** Progress of one part of a run: a phase ("queued", "embedding", "projecting") and 0 to 1. */
export type OnProgress = (phase: string, fraction: number) => void;

/**
 * One run of the dashboard: its settings, one AbortSignal for everything it asks the server
 * (polls, the projection, per-class, images), and the server jobs it started, so that a newer run
 * or Cancel stops the requests and cancels the jobs on the server too.
 */
export class Run {
  readonly controller = new AbortController();
  coverageJob: string | null = null;
  projectionJob: string | null = null;
  /** Each part, once it has settled; a settled part's job is not cancelled. */
  coverageSettled = false;
  projectionSettled = false;

  constructor(
    readonly controls: Controls,
    private readonly client: LacunaClient,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Stops this run: its requests are aborted and its unfinished server jobs cancelled, except a
   * job that `next` asks for too (identical requests share one job on the server: cancelling it
   * would cancel the newer run's work). Errors of the cancel itself are reported, not thrown.
   */
  stop(next: Controls | null, onError: (error: unknown) => void): void {
    if (this.stopped) return;
    this.stopped = { next, onError };
    this.controller.abort(new DOMException("superseded by a newer run", "AbortError"));
    this.cancelIfStopped("coverage");
    this.cancelIfStopped("projection");
  }

  private stopped: { next: Controls | null; onError: (error: unknown) => void } | null = null;

  /** Whether the run was stopped (cancelled, superseded or failed): the same settings run anew. */
  get isStopped(): boolean {
    return this.stopped !== null;
  }

  /** Cancels a part's job once the run is stopped (a job id that arrives after stop() included). */
  private cancelIfStopped(part: "coverage" | "projection"): void {
    if (!this.stopped) return;
    const { next, onError } = this.stopped;
    const id = part === "coverage" ? this.coverageJob : this.projectionJob;
    const settled = part === "coverage" ? this.coverageSettled : this.projectionSettled;
    const same = part === "coverage" ? sameCoverage : sameProjection;
    if (id === null || settled || (next !== null && same(this.controls, next))) return;
    this.client.cancelJob(id).catch(onError);
  }

  /** Follows a job to its end with progress; a server that needs an API key for mutations gets `fallback`. */
  private async viaJob<T>(
    part: "coverage" | "projection",
    start: () => Promise<Job>,
    finish: (job: Job) => Promise<T>,
    fallback: () => Promise<T>,
    onProgress: OnProgress,
  ): Promise<T> {
    let job: Job;
    try {
      job = await start();
    } catch (error) {
      // mutations need the key there; the plain query still answers, without progress
      if (!(error instanceof LacunaError && error.code === "UNAUTHENTICATED")) throw error;
      onProgress("waiting", 0);
      return fallback();
    }
    if (part === "coverage") this.coverageJob = job.id;
    else this.projectionJob = job.id;
    // stopped while the job was being started: it is cancelled now that its id is known
    this.cancelIfStopped(part);
    this.signal.throwIfAborted();
    const done = await this.client.followJob(job.id, {
      first: 0,
      signal: this.signal,
      intervalMs: 200,
      onProgress: (j) => onProgress(j.phase ?? j.status.toLowerCase(), j.progress),
    });
    return finish(done);
  }

  /** The coverage result (radii, indices, labels of every row; no page of samples). */
  async coverage(onProgress: OnProgress): Promise<CoverageResult> {
    const input = coverageInput(this.controls);
    try {
      return await this.viaJob(
        "coverage",
        () => this.client.startCoverage(input),
        async (job) => {
          if (!job.result) throw new Error(`coverage job ${job.id} finished without a result`);
          return job.result;
        },
        () => this.client.coverage(input, { first: 0 }),
        onProgress,
      );
    } finally {
      this.coverageSettled = true;
    }
  }

  /**
   * The projection of the run's selection (or of `indices`, a subsample of it), computed as a job
   * (progress, cancel), then read.
   */
  async projection(onProgress: OnProgress, indices?: Int32Array): Promise<Projection> {
    const { datasetId } = this.controls;
    const options = indices
      ? { ...projectionOptions(this.controls), selection: { indices: Array.from(indices) } }
      : projectionOptions(this.controls);
    try {
      return await this.viaJob(
        "projection",
        () => this.client.startProjection(datasetId, options),
        () => this.client.projection(datasetId, { ...options, signal: this.signal }),
        () => this.client.projection(datasetId, { ...options, signal: this.signal }),
        onProgress,
      );
    } finally {
      this.projectionSettled = true;
    }
  }
}
