/** Work whose every client has gone is cancelled; work started for polling runs on. */
import { expect, it } from "vitest";
import { describeEachStore } from "../test-support/stores.js";
import { JobManager } from "./manager.js";

/** A job that runs until its signal aborts (or `finish` is called). */
async function endless(jobs: JobManager, key: string) {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const job = await jobs.submit("test", key, {}, async (ctx) => {
    await Promise.race([
      finished,
      new Promise((_, reject) =>
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error)),
      ),
    ]);
    return "done";
  });
  return { job, finish };
}

describeEachStore("abandoned jobs", (f) => {
  it("cancels a job when the last client waiting for it goes, not before", async () => {
    const jobs = new JobManager(f.store(), 1);
    const { job } = await endless(jobs, "k");
    const [a, b] = [new AbortController(), new AbortController()];
    const waits = [a, b].map((c) => jobs.wait(job.id, { signal: c.signal }).catch((e: Error) => e));
    a.abort(new Error("client a left"));
    expect(await waits[0]).toBeInstanceOf(Error);
    expect((await jobs.get(job.id)).status).not.toBe("CANCELLED");
    b.abort(new Error("client b left"));
    await waits[1];
    const view = await jobs.wait(job.id);
    expect(view.status).toBe("CANCELLED");
    expect(view.error?.message).toMatch(/every client waiting for it has gone/);
  });

  it("lets a detached job (started for polling) run on when its waiters go", async () => {
    const jobs = new JobManager(f.store(), 1);
    const { job, finish } = await endless(jobs, "k2");
    jobs.detach(job.id);
    const c = new AbortController();
    const wait = jobs.wait(job.id, { signal: c.signal }).catch((e: Error) => e);
    c.abort(new Error("left"));
    await wait;
    finish();
    expect((await jobs.wait(job.id)).status).toBe("SUCCEEDED");
  });
});
