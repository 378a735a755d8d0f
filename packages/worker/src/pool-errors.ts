/** A computation (radii, encoding or projection) was cancelled through its AbortSignal. */
export class RadiiCancelledError extends Error {
  readonly code = "ABORTED";
  constructor() {
    super("the computation was cancelled");
    this.name = "AbortError";
  }
}

/** A worker threw or died; the pool has replaced it and is ready for the next call. */
export class WorkerFailedError extends Error {
  readonly code = "WORKER_FAILED";
  constructor(what: string, cause: unknown) {
    super(
      `a worker failed while computing ${what}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = "WorkerFailedError";
  }
}
