/**
 * The worker package's errors, all in core's model (`LacunaError`: a kind and a stable code), so
 * the server and the CLI classify them without knowing these classes.
 */
import { CancelledError, LacunaError, mustBe } from "@lacuna/core";

export { CancelledError };

/** A worker threw or died; the pool has replaced it and is ready for the next call. */
export class WorkerFailedError extends LacunaError {
  constructor(what: string, cause: unknown) {
    super(
      "internal",
      "WORKER_FAILED",
      `a worker failed while computing ${what}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/** Errors in the pool's own options, with the value received and what is allowed. */
export class PoolOptionError extends LacunaError {
  constructor(option: string, value: unknown, allowed: string) {
    super("input", "INVALID_PARAMETER", mustBe(option, allowed, value));
  }
}

/** Thrown for a model directory that does not hold a loadable TensorFlow.js layers model. */
export class InvalidModelError extends LacunaError {
  constructor(dir: string, problem: string) {
    super("input", "INVALID_MODEL", `${dir}: ${problem}`);
  }
}
