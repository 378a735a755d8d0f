import { afterEach, expect, it } from "vitest";
import { describeEachStore } from "../test-support/stores.js";
import { JobManager, type JobManagerOptions } from "./manager.js";

function deferred() {
  let resolve!: (v: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
}

describeEachStore("JobManager", (f) => {
  const managers: JobManager[] = [];
  const manager = (maxConcurrent: number, options?: JobManagerOptions) => {
    const jobs = new JobManager(f.store(), maxConcurrent, options);
    managers.push(jobs);
    return jobs;
  };
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((jobs) => jobs.shutdown()));
  });
  const statusOf = async (id: string) =>
    (
      await f
        .store()
        .db.selectFrom("jobs")
        .select(["status", "error_code"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow()
    ).status;

  it("runs at most maxConcurrent at once and queues the rest in order", async () => {
    const jobs = manager(2);
    const gates = [deferred(), deferred(), deferred()];
    let running = 0;
    let peak = 0;
    const ids: string[] = [];
    for (const [i, gate] of gates.entries()) {
      const job = await jobs.submit("test", `k${i}`, {}, async () => {
        running++;
        peak = Math.max(peak, running);
        const out = await gate.promise;
        running--;
        return out;
      });
      ids.push(job.id);
    }
    await new Promise((r) => setTimeout(r, 10));
    const statuses = await Promise.all(ids.map(async (id) => (await jobs.get(id)).status));
    expect(statuses).toEqual(["RUNNING", "RUNNING", "QUEUED"]);
    gates[0]!.resolve("r0");
    await jobs.wait(ids[0]!);
    await new Promise((r) => setTimeout(r, 10));
    expect((await jobs.get(ids[2]!)).status).toBe("RUNNING");
    gates[1]!.resolve("r1");
    gates[2]!.resolve("r2");
    const done = await Promise.all(ids.map((id) => jobs.wait(id)));
    expect(done.map((j) => [j.status, j.resultKey, j.progress])).toEqual([
      ["SUCCEEDED", "r0", 1],
      ["SUCCEEDED", "r1", 1],
      ["SUCCEEDED", "r2", 1],
    ]);
    expect(peak).toBe(2);
  });

  it("shares a live job between identical keys, even submitted at once", async () => {
    const jobs = manager(1);
    const gate = deferred();
    const [a, b] = await Promise.all([
      jobs.submit("test", "same", {}, () => gate.promise),
      jobs.submit("test", "same", {}, () => Promise.resolve("never")),
    ]);
    expect(b.id).toBe(a.id);
    gate.resolve("x");
  });

  it("records failures with a code, cancels queued and running jobs, and rethrows on request", async () => {
    const jobs = manager(1);
    const failing = await jobs.submit("test", "f", {}, () =>
      Promise.reject(new Error("secret detail")),
    );
    const failed = await jobs.wait(failing.id);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toEqual({
      code: "INTERNAL_SERVER_ERROR",
      message: "internal error; the server log has the details",
    });
    await expect(jobs.wait(failing.id, { rethrow: true })).resolves.toMatchObject({
      status: "FAILED",
    });

    const running = await jobs.submit(
      "test",
      "r",
      {},
      (ctx) =>
        new Promise((_, reject) =>
          ctx.signal.addEventListener("abort", () => reject(new Error("stopped"))),
        ),
    );
    const queued = await jobs.submit("test", "q", {}, () => Promise.resolve("never"));
    await jobs.cancel(queued.id);
    await jobs.cancel(running.id);
    const [r, q] = await Promise.all([jobs.wait(running.id), jobs.wait(queued.id)]);
    expect([r.status, q.status]).toEqual(["CANCELLED", "CANCELLED"]);
    expect(r.error?.code).toBe("CANCELLED");
    // the database agrees with memory
    expect(await statusOf(q.id)).toBe("CANCELLED");
  });

  it("marks jobs a dead server left running as failed once their lease lapses, once", async () => {
    // a lease of 100 ms that is never renewed: the server "dies" with its job RUNNING
    const dead = manager(1, { leaseMs: 100, heartbeatMs: 3_600_000 });
    const job = await dead.submit(
      "test",
      "forever",
      {},
      () => new Promise<string>(() => undefined),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(await statusOf(job.id)).toBe("RUNNING");
    await new Promise((r) => setTimeout(r, 150));
    const next = new JobManager(await f.reopen(), 1);
    managers.push(next);
    expect(await next.recoverInterrupted()).toBe(1);
    expect(await next.recoverInterrupted()).toBe(0);
    const row = await f.store().db.selectFrom("jobs").select(["status", "error_code"]).execute();
    expect(row).toEqual([{ status: "FAILED", error_code: "INTERRUPTED" }]);
  });

  it("leaves a live server's jobs alone when another one starts (PostgreSQL); SQLite, one server per file, takes them all", async () => {
    const live = manager(1, { leaseMs: 300, heartbeatMs: 50 });
    const job = await live.submit("test", "alive", {}, () => new Promise<string>(() => undefined));
    // longer than the lease: only the heartbeat keeps it
    await new Promise((r) => setTimeout(r, 600));
    const other = manager(1);
    const shared = f.backend.name === "postgres";
    expect(await other.recoverInterrupted()).toBe(shared ? 0 : 1);
    expect(await statusOf(job.id)).toBe(shared ? "RUNNING" : "FAILED");
  });

  it("lists jobs newest first in pages that neither skip nor repeat", async () => {
    const jobs = manager(1);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await jobs.completed("test", `h${i}`, {}, `r${i}`)).id);
    const seen: string[] = [];
    let after: { createdAt: string; id: string } | null = null;
    for (;;) {
      const page = await jobs.list(2, after);
      if (page.length === 0) break;
      seen.push(...page.map((j) => j.id));
      const last = page.at(-1)!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort()).toEqual([...ids].sort());
    const created = await Promise.all(seen.map(async (id) => (await jobs.get(id)).createdAt));
    expect(created).toEqual([...created].sort().reverse());
  });

  it("watch yields the state, each change, and ends at the terminal one; unknown ids reject at once", async () => {
    const jobs = manager(1);
    const gate = deferred();
    let report!: (phase: string, fraction: number) => void;
    const started = deferred();
    const job = await jobs.submit("test", "w", {}, (ctx) => {
      report = ctx.progress;
      started.resolve("");
      return gate.promise;
    });
    const seen: [string, string | null, number][] = [];
    const changes = await jobs.watch(job.id);
    const follow = (async () => {
      for await (const v of changes) seen.push([v.status, v.phase, v.progress]);
    })();
    await started.promise;
    report("a", 0.5);
    report("a", 0.4);
    report("b", 0.9);
    gate.resolve("done");
    await follow;
    // the job may have started before watch read it: then its first state is RUNNING
    expect(seen.slice(seen[0]![0] === "QUEUED" ? 1 : 0)).toEqual([
      ["RUNNING", "starting", 0],
      ["RUNNING", "a", 0.5],
      ["RUNNING", "b", 0.9],
      ["SUCCEEDED", "done", 1],
    ]);
    await expect(jobs.watch("missing")).rejects.toThrow(/no job "missing"/);
  });
});
