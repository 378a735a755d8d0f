/**
 * The jobs table, for the JobManager: every statement it runs, on SQLite or PostgreSQL. With
 * several servers on one database each live job row carries its server (`owner`) and a lease
 * (`lease_until`) that the owner's heartbeat renews; a row whose lease lapsed belongs to a server
 * that died, and any server may mark it interrupted. A cancel from another server is a flag the
 * owner reads on its next heartbeat.
 */
import type { Store } from "../store/database.js";
import type { Cursor } from "../graphql/connection.js";
import { fromRow, isTerminal, type JobView } from "./job-view.js";

const ACTIVE = ["QUEUED", "RUNNING"];

export class JobRows {
  constructor(
    private readonly store: Store,
    /** This server's id in `owner`. */
    readonly owner: string,
    /** How long a lease lasts (ms) after each write or heartbeat. */
    private readonly leaseMs: number,
  ) {}

  /** The job's row, or null. */
  async find(id: string): Promise<JobView | null> {
    const row = await this.store.db
      .selectFrom("jobs")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  /** Rows newest first, `limit` of them from after `after` (exclusive). */
  async page(limit: number, after: Cursor | null): Promise<JobView[]> {
    let query = this.store.db
      .selectFrom("jobs")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit);
    if (after)
      query = query.where((eb) =>
        eb(eb.refTuple("created_at", "id"), "<", eb.tuple(after.createdAt, after.id)),
      );
    return (await query.execute()).map(fromRow);
  }

  /** Records a new job, leased to this server while it is queued or running. */
  async insert(view: JobView, input: unknown): Promise<void> {
    await this.store.db
      .insertInto("jobs")
      .values({
        id: view.id,
        key: view.key,
        kind: view.kind,
        input: JSON.stringify(input),
        status: view.status,
        phase: view.phase,
        progress: view.progress,
        error_code: null,
        error_message: null,
        result_key: view.resultKey,
        created_at: view.createdAt,
        updated_at: view.updatedAt,
        ...this.lease(view),
      })
      .execute();
  }

  /** Writes a job's state; a finished job lets go of its lease. */
  async write(view: JobView): Promise<void> {
    await this.store.db
      .updateTable("jobs")
      .set({
        status: view.status,
        phase: view.phase,
        progress: view.progress,
        error_code: view.error?.code ?? null,
        error_message: view.error?.message ?? null,
        result_key: view.resultKey,
        updated_at: view.updatedAt,
        ...this.lease(view),
      })
      .where("id", "=", view.id)
      .execute();
  }

  /** Renews the lease of every job this server runs (its heartbeat). */
  async renew(): Promise<void> {
    await this.store.db
      .updateTable("jobs")
      .set({ lease_until: this.until() })
      .where("owner", "=", this.owner)
      .where("status", "in", ACTIVE)
      .execute();
  }

  /**
   * Marks queued or running jobs as FAILED (INTERRUPTED): those whose lease lapsed (their server
   * died), or with `everyone` all of them (SQLite: one server per file, so at its start none is
   * alive). @returns how many
   */
  async recover(everyone: boolean): Promise<number> {
    const now = new Date().toISOString();
    let query = this.store.db
      .updateTable("jobs")
      .set({
        status: "FAILED",
        error_code: "INTERRUPTED",
        error_message: "the server stopped while this job ran; start it again",
        updated_at: now,
        owner: null,
        lease_until: null,
      })
      .where("status", "in", ACTIVE);
    if (!everyone)
      query = query.where((eb) =>
        eb.and([
          eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]),
          // this server's own jobs are alive whatever their lease says (a long pause of its
          // event loop may have delayed a renewal)
          eb.or([eb("owner", "is", null), eb("owner", "!=", this.owner)]),
        ]),
      );
    const { numUpdatedRows } = await query.executeTakeFirst();
    return Number(numUpdatedRows);
  }

  /** Asks the server running `id` to cancel it. @returns whether the job was still active */
  async requestCancel(id: string): Promise<boolean> {
    const { numUpdatedRows } = await this.store.db
      .updateTable("jobs")
      .set({ cancel_requested: 1 })
      .where("id", "=", id)
      .where("status", "in", ACTIVE)
      .executeTakeFirst();
    return numUpdatedRows > 0n;
  }

  /** This server's active jobs that another server asked to cancel. */
  async cancelRequests(): Promise<string[]> {
    const rows = await this.store.db
      .selectFrom("jobs")
      .select("id")
      .where("owner", "=", this.owner)
      .where("cancel_requested", "=", 1)
      .where("status", "in", ACTIVE)
      .execute();
    return rows.map((row) => row.id);
  }

  private lease(view: JobView): { owner: string | null; lease_until: string | null } {
    return isTerminal(view.status)
      ? { owner: null, lease_until: null }
      : { owner: this.owner, lease_until: this.until() };
  }

  private until(): string {
    return new Date(Date.now() + this.leaseMs).toISOString();
  }
}
