/**
 * What a job looks like to its readers: its view, its stored row, and the stream of its changes
 * (the JobManager owns the jobs; this is their shape and how they are read back and followed).
 */
import type { Selectable } from "kysely";
import type { ErrorInfo } from "../graphql/error-codes.js";
import type { JobsTable } from "../store/schema.js";

export type JobStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
const TERMINAL: ReadonlySet<JobStatus> = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

export interface JobView {
  readonly id: string;
  readonly kind: string;
  /** Identical requests have the same key and, while one runs, share its job. */
  readonly key: string;
  readonly status: JobStatus;
  /** What the job is doing now ("queued", "embedding", "neighbours", ...). */
  readonly phase: string | null;
  /** 0 to 1. */
  readonly progress: number;
  readonly error: ErrorInfo | null;
  /** Where the result is stored (a coverage result key) once SUCCEEDED. */
  readonly resultKey: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What a running job may do: report progress, notice cancellation. */
export interface JobContext {
  readonly signal: AbortSignal;
  progress(phase: string, fraction: number): void;
}

/** A job as the store holds it. */
export type Row = Selectable<JobsTable>;

export function fromRow(row: Row): JobView {
  const status = row.status as JobStatus;
  return {
    id: row.id,
    kind: row.kind,
    key: row.key,
    status: TERMINAL.has(status) || status === "QUEUED" || status === "RUNNING" ? status : "FAILED",
    phase: row.phase,
    progress: row.progress,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? "" } : null,
    resultKey: row.result_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function* follow(
  current: JobView,
  events: AsyncIterator<[JobView]>,
  stop: AbortController,
): AsyncGenerator<JobView, void, undefined> {
  try {
    yield current;
    let last = current;
    while (!isTerminal(last.status)) {
      const next = await events.next();
      if (next.done) return;
      const [view] = next.value;
      // a change that only touched updatedAt (the same state, persisted) is not news
      if (
        view.status === last.status &&
        view.phase === last.phase &&
        view.progress === last.progress
      )
        continue;
      last = view;
      yield view;
    }
  } finally {
    stop.abort();
  }
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL.has(status);
}
