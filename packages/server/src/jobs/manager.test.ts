import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../store/database.js";
import { JobManager } from "./manager.js";

let dir: string;
let db: Database.Database;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-jobs-"));
  db = openDatabase(dir);
});
afterEach(async () => {
  if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

function deferred() {
  let resolve!: (v: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
}

describe("JobManager", () => {
  it("runs at most maxConcurrent at once and queues the rest in order", async () => {
    const jobs = new JobManager(db, 2);
    const gates = [deferred(), deferred(), deferred()];
    let running = 0;
    let peak = 0;
    const ids = gates.map(
      (gate, i) =>
        jobs.submit("test", `k${i}`, {}, async () => {
          running++;
          peak = Math.max(peak, running);
          const out = await gate.promise;
          running--;
          return out;
        }).id,
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(ids.map((id) => jobs.get(id).status)).toEqual(["RUNNING", "RUNNING", "QUEUED"]);
    gates[0]!.resolve("r0");
    await jobs.wait(ids[0]!);
    await new Promise((r) => setTimeout(r, 10));
    expect(jobs.get(ids[2]!).status).toBe("RUNNING");
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

  it("shares a live job between identical keys", () => {
    const jobs = new JobManager(db, 1);
    const gate = deferred();
    const a = jobs.submit("test", "same", {}, () => gate.promise);
    const b = jobs.submit("test", "same", {}, () => Promise.resolve("never"));
    expect(b.id).toBe(a.id);
    gate.resolve("x");
  });

  it("records failures with a code, cancels queued and running jobs, and rethrows on request", async () => {
    const jobs = new JobManager(db, 1);
    const failing = jobs.submit("test", "f", {}, () => Promise.reject(new Error("secret detail")));
    const failed = await jobs.wait(failing.id);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toEqual({
      code: "INTERNAL_SERVER_ERROR",
      message: "internal error; the server log has the details",
    });
    await expect(jobs.wait(failing.id, { rethrow: true })).resolves.toMatchObject({
      status: "FAILED",
    });

    const running = jobs.submit(
      "test",
      "r",
      {},
      (ctx) =>
        new Promise((_, reject) =>
          ctx.signal.addEventListener("abort", () => reject(new Error("stopped"))),
        ),
    );
    const queued = jobs.submit("test", "q", {}, () => Promise.resolve("never"));
    jobs.cancel(queued.id);
    jobs.cancel(running.id);
    const [r, q] = await Promise.all([jobs.wait(running.id), jobs.wait(queued.id)]);
    expect([r.status, q.status]).toEqual(["CANCELLED", "CANCELLED"]);
    expect(r.error?.code).toBe("CANCELLED");
    // the database agrees with memory
    expect(db.prepare("SELECT status FROM jobs WHERE id = ?").get(q.id)).toEqual({
      status: "CANCELLED",
    });
  });

  it("marks jobs a dead process left running as failed, once", async () => {
    const jobs = new JobManager(db, 1);
    const job = jobs.submit("test", "forever", {}, () => new Promise<string>(() => undefined));
    await new Promise((r) => setTimeout(r, 10));
    expect(db.prepare("SELECT status FROM jobs WHERE id = ?").get(job.id)).toEqual({
      status: "RUNNING",
    });
    db.close(); // the process "dies" with the job RUNNING in the database
    db = openDatabase(dir);
    const next = new JobManager(db, 1);
    expect(next.recoverInterrupted()).toBe(1);
    expect(next.recoverInterrupted()).toBe(0);
    const row = db.prepare("SELECT status, error_code FROM jobs").get();
    expect(row).toEqual({ status: "FAILED", error_code: "INTERRUPTED" });
  });
});

describe("JobManager history and changes", () => {
  it("lists jobs newest first in pages that neither skip nor repeat", () => {
    const jobs = new JobManager(db, 1);
    const ids = Array.from(
      { length: 5 },
      (_, i) => jobs.completed("test", `h${i}`, {}, `r${i}`).id,
    );
    const seen: string[] = [];
    let after: { createdAt: string; id: string } | null = null;
    for (;;) {
      const page = jobs.list(2, after);
      if (page.length === 0) break;
      seen.push(...page.map((j) => j.id));
      const last = page.at(-1)!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort()).toEqual([...ids].sort());
    const created = seen.map((id) => jobs.get(id).createdAt);
    expect(created).toEqual([...created].sort().reverse());
  });

  it("watch yields the state, each change, and ends at the terminal one; unknown ids throw at once", async () => {
    const jobs = new JobManager(db, 1);
    const gate = deferred();
    let report!: (phase: string, fraction: number) => void;
    const job = jobs.submit("test", "w", {}, (ctx) => {
      report = ctx.progress;
      return gate.promise;
    });
    const seen: [string, string | null, number][] = [];
    const follow = (async () => {
      for await (const v of jobs.watch(job.id)) seen.push([v.status, v.phase, v.progress]);
    })();
    await new Promise((r) => setTimeout(r, 10));
    report("a", 0.5);
    report("a", 0.4);
    report("b", 0.9);
    gate.resolve("done");
    await follow;
    expect(seen).toEqual([
      ["QUEUED", "queued", 0],
      ["RUNNING", "starting", 0],
      ["RUNNING", "a", 0.5],
      ["RUNNING", "b", 0.9],
      ["SUCCEEDED", "done", 1],
    ]);
    expect(() => jobs.watch("missing")).toThrow(/no job "missing"/);
  });
});
