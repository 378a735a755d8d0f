import type { Job, LacunaClient } from "./client.js";
import { LacunaNetworkError } from "./errors.js";
import { sleep } from "./helpers.js";
import type { JobUpdate } from "./live.js";

export interface FollowOptions {
  /** Called with each new state: status, phase, progress (never going back), error. */
  readonly onUpdate?: (job: JobUpdate) => void;
  /** Stops following (the job goes on; cancel it with cancelJob). */
  readonly signal?: AbortSignal;
  /** Milliseconds between polls when polling; default 250. */
  readonly intervalMs?: number;
}

const TERMINAL: readonly Job["status"][] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/**
 * Follows a job to its end, live over the subscription when a WebSocket is available and the
 * socket holds, else (no WebSocket class, a refused upgrade, a dropped socket) by polling `job(id)`
 * from where the subscription stopped. Either way `onUpdate` sees each state once, in order, with
 * progress never going back. Resolves with the final state (SUCCEEDED, FAILED or CANCELLED: look
 * at `status`; it does not reject for a failed job).
 * @throws LacunaError when the server refuses (NOT_FOUND, UNAUTHENTICATED); the signal's reason
 */
export async function followJobLive(
  client: LacunaClient,
  id: string,
  options: FollowOptions = {},
): Promise<JobUpdate> {
  let last: JobUpdate | undefined;
  const report = (update: JobUpdate) => {
    // a poll may read an older state than the socket last gave: progress is held, never lowered
    const job = last ? { ...update, progress: Math.max(update.progress, last.progress) } : update;
    if (
      last &&
      job.status === last.status &&
      job.phase === last.phase &&
      job.progress === last.progress
    )
      return;
    last = job;
    options.onUpdate?.(job);
  };
  try {
    for await (const job of client.subscribeJob(id)) {
      options.signal?.throwIfAborted();
      report(job);
    }
    if (last && TERMINAL.includes(last.status)) return last;
  } catch (error) {
    // only a transport that is missing or gone falls back; a refusal is the answer
    if (!(error instanceof LacunaNetworkError) && !(error instanceof TypeError)) throw error;
  }
  for (;;) {
    options.signal?.throwIfAborted();
    const job = await client.job(id);
    report(job);
    if (TERMINAL.includes(job.status)) return last ?? job;
    await sleep(options.intervalMs ?? 250, options.signal);
  }
}
