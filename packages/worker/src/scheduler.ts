/**
 * The pool's one scheduler, for every task kind (radii blocks, encoding blocks, projections):
 * blocks sent at most `concurrency` at a time (Piscina's queue stays short), a shared cancel flag
 * that running tasks poll, the AbortSignal, progress after each block (or polled from the worker
 * for a single long task), and failures wrapped with what was being computed. Cancellation is
 * cooperative: Piscina's own abort kills the worker thread, and a result racing the kill surfaces
 * as an uncaught error.
 */
import type { Piscina } from "piscina";
import { CancelledError, WorkerFailedError } from "./pool-errors.js";
import type { ResultOf, WorkerTask } from "./protocol.js";

/** Sends one task; the answer is typed by the task's kind (protocol.ts's TaskResults). */
export function runTask<T extends WorkerTask>(pool: Piscina, task: T): Promise<ResultOf<T>> {
  // Piscina answers `any`: the worker's switch is what gives each kind its result type
  return pool.run(task);
}

export interface ScheduledBlock<T extends WorkerTask> {
  readonly task: T;
  /** Progress units this block completes (rows, images; 0 for a task that reports by polling). */
  readonly units: number;
  /** For errors: "the radii of rows 0..999". */
  readonly what: string;
}

export interface ScheduleOptions {
  readonly pool: Piscina;
  /** Blocks in flight at once. */
  readonly concurrency: number;
  /** Int32Array(1) in shared memory that every task of the call polls; set to 1 to stop them. */
  readonly cancel: SharedArrayBuffer;
  readonly signal?: AbortSignal;
  /** Called with (units done, total) after each block, or as polled; a throw fails the call. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly total: number;
  /** Remembers each sent task until it settles (the pool's next call waits for stragglers). */
  readonly track: (running: Promise<unknown>) => void;
  /** For a single long task: reads its progress counter, every POLL_MS while it runs. */
  readonly poll?: () => number;
}

/** How often a polled task's progress is read. */
const POLL_MS = 100;

/**
 * Runs the blocks; `onResult` merges each result as it lands. Resolves when every block is done,
 * rejects with CancelledError when the signal aborts (at once: running blocks stop at their
 * next check of the flag) or WorkerFailedError naming the first block that failed.
 */
export function schedule<B extends ScheduledBlock<WorkerTask>>(
  blocks: readonly B[],
  onResult: (block: B, result: ResultOf<B["task"]>) => void,
  options: ScheduleOptions,
): Promise<void> {
  const { pool, concurrency, signal, onProgress, total, poll } = options;
  const flag = new Int32Array(options.cancel);
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let done = 0;
    let reported = -1;
    let next = 0;
    let inFlight = 0;
    let finished = 0;
    const finish = (error: unknown) => {
      if (settled) return;
      settled = true;
      Atomics.store(flag, 0, 1);
      clearInterval(timer);
      signal?.removeEventListener("abort", onAbort);
      if (error === null) resolve();
      else reject(error);
    };
    const report = (value: number) => {
      if (value <= reported || onProgress === undefined) return;
      reported = value;
      try {
        onProgress(value, total);
      } catch (error) {
        finish(error);
      }
    };
    const timer = poll && onProgress ? setInterval(() => report(poll()), POLL_MS) : undefined;
    const onAbort = () => finish(new CancelledError());
    signal?.addEventListener("abort", onAbort, { once: true });
    const launch = () => {
      while (!settled && inFlight < concurrency && next < blocks.length) {
        const block = blocks[next++]!;
        inFlight++;
        const running = runTask<B["task"]>(pool, block.task);
        options.track(running);
        running.then(
          (result) => {
            inFlight--;
            if (settled) return;
            try {
              onResult(block, result);
            } catch (error) {
              finish(error);
              return;
            }
            done += block.units;
            finished++;
            report(poll ? total : done);
            if (finished === blocks.length) finish(null);
            else launch();
          },
          (error: unknown) => {
            inFlight--;
            finish(
              signal?.aborted ? new CancelledError() : new WorkerFailedError(block.what, error),
            );
          },
        );
      }
    };
    if (blocks.length === 0) finish(null);
    else launch();
  });
}

/**
 * Schedule options whose sent tasks stay in `pending` until they settle: the pool's next call
 * waits for a cancelled or failed call's stragglers.
 */
export function tracked(
  pending: Set<Promise<unknown>>,
  pool: Piscina,
  concurrency: number,
  cancel: SharedArrayBuffer,
  total: number,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
): ScheduleOptions {
  return {
    pool,
    concurrency,
    cancel,
    total,
    signal: options.signal,
    onProgress: options.onProgress,
    track: (running) => {
      pending.add(running);
      void running.finally(() => pending.delete(running)).catch(() => undefined);
    },
  };
}
