import type Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { EventEmitter, on } from "node:events";
import { CancelledError, NotFoundError } from "@lacuna/core";
import type { Cursor } from "../graphql/connection.js";
import { errorInfo } from "../graphql/error-codes.js";
import { follow, fromRow, type JobContext, type JobView, type Row } from "./job-view.js";

export { isTerminal, type JobContext, type JobStatus, type JobView } from "./job-view.js";

interface Live {
  view: JobView;
  readonly controller: AbortController;
  readonly done: Promise<JobView>;
  /** The error itself, so a caller waiting in-process can rethrow it with its class. */
  failure?: unknown;
  /** Callers waiting with a signal (clients of a query still connected). */
  waiters: number;
  /** Started for polling (startCoverage): it runs on when its waiters go. */
  detached: boolean;
}

/** The job was cancelled through `cancelJob` or the server shut down while it ran. */
export class JobCancelledError extends CancelledError {}

/**
 * Runs long computations as jobs: at most `maxConcurrent` at once (the rest queue, none are
 * dropped), identical ones shared, every state change committed to SQLite so that a restart
 * finds each job finished, failed or cancelled, never "running" with nothing behind it.
 */
export class JobManager {
  private readonly live = new Map<string, Live>();
  private readonly byKey = new Map<string, string>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Every change of a live job, under the job's id: what subscriptions follow. */
  private readonly changes = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly db: Database.Database,
    private readonly maxConcurrent: number,
  ) {}

  /** Marks jobs left QUEUED or RUNNING by a previous process (crash, kill) as FAILED. @returns how many */
  recoverInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE jobs SET status = 'FAILED', error_code = 'INTERRUPTED',
           error_message = 'the server stopped while this job ran; start it again', updated_at = ?
         WHERE status IN ('QUEUED', 'RUNNING')`,
      )
      .run(new Date().toISOString()).changes;
  }

  /** The live job for `key`, if one is queued or running. */
  activeFor(key: string): JobView | null {
    const id = this.byKey.get(key);
    return id ? (this.live.get(id)?.view ?? null) : null;
  }

  /** Records a job that is already done (its result was in the store). */
  completed(kind: string, key: string, input: unknown, resultKey: string): JobView {
    const now = new Date().toISOString();
    const view: JobView = {
      id: randomUUID(),
      kind,
      key,
      status: "SUCCEEDED",
      phase: "done",
      progress: 1,
      error: null,
      resultKey,
      createdAt: now,
      updatedAt: now,
    };
    this.insert(view, input);
    return view;
  }

  /**
   * Starts `run` as a job, or returns the live job already computing the same key.
   * `run` resolves to the result's key.
   */
  submit(
    kind: string,
    key: string,
    input: unknown,
    run: (ctx: JobContext) => Promise<string>,
  ): JobView {
    const existing = this.activeFor(key);
    if (existing) return existing;
    const now = new Date().toISOString();
    const view: JobView = {
      id: randomUUID(),
      kind,
      key,
      status: "QUEUED",
      phase: "queued",
      progress: 0,
      error: null,
      resultKey: null,
      createdAt: now,
      updatedAt: now,
    };
    this.insert(view, input);
    const controller = new AbortController();
    const entry = { view, controller, waiters: 0, detached: false } as Live;
    (entry as { done: Promise<JobView> }).done = this.execute(entry, run);
    this.live.set(view.id, entry);
    this.byKey.set(key, view.id);
    return view;
  }

  /** @throws NotFoundError */
  get(id: string): JobView {
    const live = this.live.get(id);
    if (live) return live.view;
    const row = this.db.prepare("SELECT * FROM jobs WHERE id = ?").get(id) as Row | undefined;
    if (!row) throw new NotFoundError("job", id);
    return fromRow(row);
  }

  /**
   * Waits until the job finishes. With `rethrow`, a failed job rejects with its original error.
   * @throws NotFoundError
   */
  async wait(
    id: string,
    options: { rethrow?: boolean; signal?: AbortSignal } = {},
  ): Promise<JobView> {
    const live = this.live.get(id);
    if (!live) return this.get(id);
    const view = options.signal
      ? await this.waitWhileWanted(id, live, options.signal)
      : await live.done;
    if (options.rethrow && view.status !== "SUCCEEDED") {
      throw live.failure ?? new JobCancelledError(view.error?.message ?? "the job did not finish");
    }
    return view;
  }

  /**
   * Keeps a live job for the clients that wait for it without having started it for polling:
   * when the last of them goes (its `signal` aborts: the HTTP client disconnected), nobody can
   * receive the result, so the job is cancelled and its slot freed.
   */
  private async waitWhileWanted(id: string, live: Live, signal: AbortSignal): Promise<JobView> {
    live.waiters++;
    try {
      return await Promise.race([live.done, aborted(signal)]);
    } finally {
      live.waiters--;
      if (signal.aborted && live.waiters === 0 && !live.detached && this.live.has(id))
        this.cancel(id, "every client waiting for it has gone");
    }
  }

  /** Marks a live job as started for polling: it runs on when the clients waiting for it go. */
  detach(id: string): void {
    const live = this.live.get(id);
    if (live) live.detached = true;
  }

  /** Cancels a queued or running job; a finished one is returned as it is. @throws NotFoundError */
  cancel(id: string, reason = "cancelled by a client"): JobView {
    const live = this.live.get(id);
    if (!live) return this.get(id);
    live.controller.abort(new JobCancelledError(reason));
    // the state change lands a tick later; answer with what it will be
    return { ...live.view, status: "CANCELLED", error: { code: "CANCELLED", message: reason } };
  }

  /**
   * Jobs newest first, `limit` of them from after `after` (exclusive); live jobs as they are now.
   */
  list(limit: number, after: Cursor | null): JobView[] {
    const rows = (
      after
        ? this.db
            .prepare(
              `SELECT * FROM jobs WHERE (created_at, id) < (?, ?)
               ORDER BY created_at DESC, id DESC LIMIT ?`,
            )
            .all(after.createdAt, after.id, limit)
        : this.db.prepare("SELECT * FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?").all(limit)
    ) as Row[];
    return rows.map((row) => this.live.get(row.id)?.view ?? fromRow(row));
  }

  /**
   * Follows a job: yields its state now, then every change in order until it is SUCCEEDED,
   * FAILED or CANCELLED, then ends. Progress never goes back. Checks the id at once, so an
   * unknown job throws here rather than on the first `next()`.
   * @throws NotFoundError
   */
  watch(id: string): AsyncGenerator<JobView, void, undefined> {
    // listen before reading the current state, so no change falls between the two
    const stop = new AbortController();
    const events = on(this.changes, id, { signal: stop.signal });
    let current: JobView;
    try {
      current = this.get(id);
    } catch (error) {
      stop.abort();
      throw error;
    }
    return follow(current, events as AsyncIterator<[JobView]>, stop);
  }

  /** Jobs queued or running now. */
  get activeCount(): number {
    return this.live.size;
  }

  /** Jobs holding a computation slot now (never more than maxConcurrent). */
  get runningCount(): number {
    return this.running;
  }

  /** Cancels everything live and waits for it to settle (graceful shutdown). */
  async shutdown(): Promise<void> {
    const pending = [...this.live.values()];
    for (const job of pending)
      job.controller.abort(new JobCancelledError("the server shut down while this job ran"));
    await Promise.allSettled(pending.map((job) => job.done));
  }

  private async execute(entry: Live, run: (ctx: JobContext) => Promise<string>): Promise<JobView> {
    const { signal } = entry.controller;
    let work: Promise<string> | undefined;
    let acquired = false;
    try {
      await this.acquire(signal);
      acquired = true;
      signal.throwIfAborted();
      this.update(entry, { status: "RUNNING", phase: "starting" }, true);
      let lastWrite = 0;
      work = run({
        signal,
        progress: (phase, fraction) => {
          if (signal.aborted) return;
          const now = Date.now();
          // progress lives in memory; the database gets it at most once a second
          const persist = now - lastWrite > 1000 || phase !== entry.view.phase;
          if (persist) lastWrite = now;
          // shared computations may report an older fraction late; a job's progress never goes back
          const progress = Math.max(entry.view.progress, Math.min(1, Math.max(0, fraction)));
          this.update(entry, { phase, progress }, persist);
        },
      });
      // a cancel answers at once, even if the work notices its signal only later
      const resultKey = await Promise.race([work, aborted(signal)]);
      signal.throwIfAborted();
      this.update(entry, { status: "SUCCEEDED", phase: "done", progress: 1, resultKey }, true);
    } catch (error) {
      const cancelled = signal.aborted;
      entry.failure = cancelled ? signal.reason : error;
      const info = cancelled ? errorInfo(signal.reason) : errorInfo(error);
      this.update(entry, { status: cancelled ? "CANCELLED" : "FAILED", error: info }, true);
    } finally {
      // the slot is held until the work itself has stopped, so the pool is never oversubscribed
      if (work) {
        work.then(
          () => this.release(),
          () => this.release(),
        );
      } else if (acquired) this.release();
      this.live.delete(entry.view.id);
      if (this.byKey.get(entry.view.key) === entry.view.id) this.byKey.delete(entry.view.key);
    }
    return entry.view;
  }

  private acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.running < this.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const start = () => {
        signal.removeEventListener("abort", onAbort);
        this.running++;
        resolve();
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(start);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(start);
    });
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }

  private insert(view: JobView, input: unknown): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, key, kind, input, status, phase, progress, error_code, error_message, result_key, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)`,
      )
      .run(
        view.id,
        view.key,
        view.kind,
        JSON.stringify(input),
        view.status,
        view.phase,
        view.progress,
        view.resultKey,
        view.createdAt,
        view.updatedAt,
      );
  }

  private update(entry: Live, change: Partial<JobView>, persist: boolean): void {
    const view: JobView = { ...entry.view, ...change, updatedAt: new Date().toISOString() };
    entry.view = view;
    this.changes.emit(view.id, view);
    if (!persist) return;
    this.db
      .prepare(
        `UPDATE jobs SET status = ?, phase = ?, progress = ?, error_code = ?, error_message = ?, result_key = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(
        view.status,
        view.phase,
        view.progress,
        view.error?.code ?? null,
        view.error?.message ?? null,
        view.resultKey,
        view.updatedAt,
        view.id,
      );
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
  });
}
