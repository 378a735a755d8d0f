import { randomUUID } from "node:crypto";
import { EventEmitter, on } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { CancelledError, NotFoundError } from "@lacuna/core";
import type { Cursor } from "../graphql/connection.js";
import { errorInfo } from "../graphql/error-codes.js";
import type { Store } from "../store/database.js";
import { JobRows } from "./job-rows.js";
import { Slots } from "./slots.js";
import { follow, isTerminal, type JobContext, type JobView } from "./job-view.js";

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
  /** The job's writes to the store, in order (a late progress write never lands after the end). */
  writes: Promise<void>;
}

export interface JobManagerOptions {
  /** How long a job's lease lasts without a heartbeat (ms); default 30 s. */
  readonly leaseMs?: number;
  /** How often leases are renewed, remote cancels read and dead servers' jobs swept (ms); default 5 s. */
  readonly heartbeatMs?: number;
  /** How often a job run by another server is re-read while someone follows it (ms); default 500. */
  readonly pollMs?: number;
  /** A write to the store failed (the job goes on; its row may lag until the next write). */
  readonly onStoreError?: (error: unknown) => void;
}

/** The job was cancelled through `cancelJob` or the server shut down while it ran. */
export class JobCancelledError extends CancelledError {}

/**
 * Runs long computations as jobs: at most `maxConcurrent` at once (the rest queue, none are
 * dropped), identical ones shared, every state change committed to the store so that a restart
 * finds each job finished, failed or cancelled, never "running" with nothing behind it.
 *
 * Several servers may share one PostgreSQL store: each reads the others' jobs from it (and follows
 * them by polling), a cancel of another server's job is a flag its owner applies on its next
 * heartbeat, and a server's live jobs carry a lease it renews, so a starting server marks as
 * interrupted only the jobs of servers that stopped renewing (see JobRows).
 */
export class JobManager {
  private readonly live = new Map<string, Live>();
  private readonly byKey = new Map<string, string>();
  private readonly slots: Slots;
  /** Every change of a live job, under the job's id: what subscriptions follow. */
  private readonly changes = new EventEmitter().setMaxListeners(0);

  private readonly rows: JobRows;
  private readonly heartbeat: NodeJS.Timeout;
  private beating = false;
  /** Aborts on shutdown: ends the following of other servers' jobs. */
  private readonly closing = new AbortController();

  constructor(
    private readonly store: Store,
    maxConcurrent: number,
    private readonly options: JobManagerOptions = {},
  ) {
    this.slots = new Slots(maxConcurrent);
    this.rows = new JobRows(store, randomUUID(), options.leaseMs ?? 30_000);
    this.heartbeat = setInterval(() => void this.beat(), options.heartbeatMs ?? 5000).unref();
  }

  /**
   * Marks jobs left QUEUED or RUNNING by a stopped server (crash, kill) as FAILED. On SQLite (one
   * server per file) that is every such job; on PostgreSQL only those whose lease lapsed, so a
   * live server's jobs run on. @returns how many
   */
  recoverInterrupted(): Promise<number> {
    return this.rows.recover(this.store.dialect === "sqlite");
  }

  /** Renews this server's leases, applies cancels asked through other servers, sweeps dead ones'. */
  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      await this.rows.renew();
      for (const id of await this.rows.cancelRequests())
        this.cancelLive(id, "cancelled by a client (through another server)");
      await this.rows.recover(false);
    } catch (error) {
      this.options.onStoreError?.(error);
    } finally {
      this.beating = false;
    }
  }

  /** The live job for `key`, if one is queued or running. */
  activeFor(key: string): JobView | null {
    const id = this.byKey.get(key);
    return id ? (this.live.get(id)?.view ?? null) : null;
  }

  /** Records a job that is already done (its result was in the store). */
  async completed(kind: string, key: string, input: unknown, resultKey: string): Promise<JobView> {
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
    await this.rows.insert(view, input);
    return view;
  }

  /**
   * Starts `run` as a job, or returns the live job already computing the same key.
   * `run` resolves to the result's key. Resolves once the job's row is stored.
   */
  async submit(
    kind: string,
    key: string,
    input: unknown,
    run: (ctx: JobContext) => Promise<string>,
  ): Promise<JobView> {
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
    const controller = new AbortController();
    // the entry is live before the insert lands, so an identical submit meanwhile shares it
    const inserted = this.rows.insert(view, input);
    const entry = { view, controller, waiters: 0, detached: false, writes: inserted } as Live;
    (entry as { done: Promise<JobView> }).done = inserted.then(
      () => this.execute(entry, run),
      () => view,
    );
    this.live.set(view.id, entry);
    this.byKey.set(key, view.id);
    try {
      await inserted;
    } catch (error) {
      this.live.delete(view.id);
      this.byKey.delete(key);
      throw error;
    }
    return view;
  }

  /** The job's state: this server's live view, else its stored row. @throws NotFoundError */
  async get(id: string): Promise<JobView> {
    const live = this.live.get(id);
    if (live) return live.view;
    const view = await this.rows.find(id);
    if (!view) throw new NotFoundError("job", id);
    return view;
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
    if (!live) return this.waitElsewhere(id, options);
    const view = options.signal
      ? await this.waitWhileWanted(id, live, options.signal)
      : await live.done;
    if (options.rethrow && view.status !== "SUCCEEDED") {
      throw live.failure ?? new JobCancelledError(view.error?.message ?? "the job did not finish");
    }
    return view;
  }

  /**
   * Waits for a job another server runs (or one finished), following its row. It resolves with
   * the final state whatever it is: the error itself lives in the other process (`rethrow` is
   * for jobs run here).
   */
  private async waitElsewhere(id: string, options: { signal?: AbortSignal }): Promise<JobView> {
    let view = await this.get(id);
    if (!isTerminal(view.status)) {
      const changes = await this.watch(id);
      const followed = (async () => {
        for await (const change of changes) view = change;
        return view;
      })();
      try {
        view = await (options.signal
          ? Promise.race([followed, aborted(options.signal)])
          : followed);
      } finally {
        void changes.return();
      }
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
        this.cancelLive(id, "every client waiting for it has gone");
    }
  }

  /** Marks a live job as started for polling: it runs on when the clients waiting for it go. */
  detach(id: string): void {
    const live = this.live.get(id);
    if (live) live.detached = true;
  }

  /**
   * Cancels a queued or running job; a finished one is returned as it is. Another server's job
   * is flagged for its owner, which cancels it within a heartbeat. @throws NotFoundError
   */
  async cancel(id: string, reason = "cancelled by a client"): Promise<JobView> {
    const own = this.cancelLive(id, reason);
    if (own) return own;
    const view = await this.get(id);
    if (isTerminal(view.status) || !(await this.rows.requestCancel(id))) return view;
    return { ...view, status: "CANCELLED", error: { code: "CANCELLED", message: reason } };
  }

  /** Cancels one of this server's live jobs. @returns what it will be, or null when not live here */
  private cancelLive(id: string, reason: string): JobView | null {
    const live = this.live.get(id);
    if (!live) return null;
    live.controller.abort(new JobCancelledError(reason));
    // the state change lands a tick later; answer with what it will be
    return { ...live.view, status: "CANCELLED", error: { code: "CANCELLED", message: reason } };
  }

  /**
   * Jobs newest first, `limit` of them from after `after` (exclusive); live jobs as they are now.
   */
  async list(limit: number, after: Cursor | null): Promise<JobView[]> {
    const rows = await this.rows.page(limit, after);
    return rows.map((row) => this.live.get(row.id)?.view ?? row);
  }

  /**
   * Follows a job: yields its state now, then every change in order until it is SUCCEEDED,
   * FAILED or CANCELLED, then ends. Progress never goes back. Checks the id first, so an
   * unknown job rejects here rather than on the first `next()`. Another server's job is followed
   * by re-reading its row every `pollMs`; a shutdown ends that following with an AbortError.
   * @throws NotFoundError
   */
  async watch(id: string): Promise<AsyncGenerator<JobView, void, undefined>> {
    // listen before reading the current state, so no change falls between the two
    const stop = new AbortController();
    const signal = AbortSignal.any([stop.signal, this.closing.signal]);
    const events = on(this.changes, id, { signal });
    let current: JobView;
    try {
      current = await this.get(id);
    } catch (error) {
      stop.abort();
      throw error;
    }
    if (!this.live.has(id) && !isTerminal(current.status)) void this.poll(current, signal);
    return follow(current, events as AsyncIterator<[JobView]>, stop);
  }

  /** Re-reads another server's job until it ends or `signal` aborts, emitting each change. */
  private async poll(current: JobView, signal: AbortSignal): Promise<void> {
    let last = current;
    try {
      while (!isTerminal(last.status)) {
        await sleep(this.options.pollMs ?? 500, undefined, { signal });
        const view = await this.rows.find(last.id);
        if (!view || view.updatedAt === last.updatedAt) continue;
        last = view;
        this.changes.emit(view.id, view);
      }
    } catch (error) {
      if (!signal.aborted) this.options.onStoreError?.(error);
    }
  }

  /** Jobs queued or running now. */
  get activeCount(): number {
    return this.live.size;
  }

  /** Jobs holding a computation slot now (never more than maxConcurrent). */
  get runningCount(): number {
    return this.slots.inUse;
  }

  /** Cancels everything live and waits for it to settle (graceful shutdown). */
  async shutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    this.closing.abort();
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
      await this.slots.acquire(signal);
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
          () => this.slots.release(),
          () => this.slots.release(),
        );
      } else if (acquired) this.slots.release();
      // no new request joins a finished job; its readers here see it live until it is stored
      if (this.byKey.get(entry.view.key) === entry.view.id) this.byKey.delete(entry.view.key);
      // done means stored: a reader on another server sees the end once this resolves
      await entry.writes;
      this.live.delete(entry.view.id);
    }
    return entry.view;
  }

  private update(entry: Live, change: Partial<JobView>, persist: boolean): void {
    const view: JobView = { ...entry.view, ...change, updatedAt: new Date().toISOString() };
    entry.view = view;
    this.changes.emit(view.id, view);
    if (!persist) return;
    entry.writes = entry.writes
      .then(() => this.rows.write(view))
      .catch((error: unknown) => this.options.onStoreError?.(error));
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
  });
}
