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
