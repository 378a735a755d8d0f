import type { Embeddings } from "@lacuna/core";
import type { Piscina } from "piscina";
import { RadiiCancelledError, WorkerFailedError } from "../pool-errors.js";
import type { ProjectTask } from "../protocol.js";
import type { ProjectionMethod, ProjectionParameters, ResolvedProjection } from "./options.js";

/** How often the pool reads a running projection's progress counter. */
const PROGRESS_POLL_MS = 100;

export interface ProjectionOptions extends ProjectionParameters {
  /** Stops the worker at its next iteration; the call then rejects with RadiiCancelledError. */
  readonly signal?: AbortSignal;
  /**
   * Called with (iterations or epochs done, their total) as the worker advances, at most every
   * 100 ms, and once with done = total at the end. PCA reports only (1, 1).
   */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ProjectionResult {
  /** n x 2 coordinates, row-major: (coordinates[2i], coordinates[2i + 1]) is sample i. */
  readonly coordinates: Float64Array;
  readonly method: ProjectionMethod;
  /** Wall-clock seconds from sending the task to receiving its result. */
  readonly seconds: number;
}

/**
 * Sends one projection task (already validated and resolved) to `pool` and settles with its
 * coordinates. The embeddings are copied once into shared memory. Cancellation is cooperative, as
 * for radii: the call rejects at once and the worker stops at its next iteration (`track` lets
 * the pool's next call wait for it); Piscina's own abort would kill the thread.
 */
export function dispatchProjection(
  pool: Piscina,
  track: (running: Promise<unknown>) => Promise<unknown>,
  embeddings: Embeddings,
  resolved: ResolvedProjection,
  options: Pick<ProjectionOptions, "signal" | "onProgress">,
): Promise<ProjectionResult> {
  const { n, d } = embeddings;
  const source = embeddings.data;
  const data = new SharedArrayBuffer(source.byteLength);
  new Uint8Array(data).set(new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
  const cancel = new SharedArrayBuffer(4);
  const progress = new SharedArrayBuffer(4);
  const task: ProjectTask = {
    kind: "project",
    cancel,
    progress,
    data,
    dtype: source instanceof Float32Array ? "float32" : "float64",
    n,
    d,
    ...resolved,
  };
  const flag = new Int32Array(cancel);
  const done = new Int32Array(progress);
  const total = resolved.iterations;
  const { signal, onProgress } = options;
  const started = performance.now();
  return new Promise<ProjectionResult>((resolve, reject) => {
    let settled = false;
    let reported = 0;
    // a callback that throws fails the call (and stops the worker) rather than the process
    const report = (value: number) => {
      if (value <= reported) return;
      reported = value;
      try {
        onProgress?.(value, total);
      } catch (error) {
        finish(error);
      }
    };
    const timer = onProgress
      ? setInterval(() => report(Atomics.load(done, 0)), PROGRESS_POLL_MS)
      : undefined;
    const finish = (error: unknown, coordinates?: Float64Array) => {
      if (settled) return;
      settled = true;
      Atomics.store(flag, 0, 1);
      clearInterval(timer);
      signal?.removeEventListener("abort", onAbort);
      if (coordinates) {
        resolve({
          coordinates,
          method: resolved.method,
          seconds: (performance.now() - started) / 1000,
        });
      } else reject(error);
    };
    const onAbort = () => finish(new RadiiCancelledError());
    signal?.addEventListener("abort", onAbort, { once: true });
    (track(pool.run(task)) as Promise<Float64Array>).then(
      (coordinates) => {
        report(total);
        finish(null, coordinates);
      },
      (error: unknown) =>
        finish(
          signal?.aborted
            ? new RadiiCancelledError()
            : new WorkerFailedError(`the ${resolved.method} projection of ${n} samples`, error),
        ),
    );
  });
}
