/**
 * Two Lacuna servers on one PostgreSQL: what one registers, starts and finishes, the other sees;
 * a cancel sent to the other reaches the job's owner.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNpy } from "@lacuna/io";
import { postgresUnavailable } from "../testing/postgres.js";
import { sharedPostgres, stopSharedPostgres } from "../testing/backends.js";
import { type Harness, createHarness } from "../testing/harness.js";

const skip = postgresUnavailable();
let root: string;
let a: Harness;
let b: Harness;

interface JobState {
  job: {
    status: string;
    progress: number;
    result: {
      id: string;
      coverageRadius: number;
      uncovered: { index: number; radius: number }[];
    } | null;
  };
}
const JOB = (id: string) =>
  `{ job(id: "${id}") { status progress result { id coverageRadius uncovered { index radius } } } }`;

beforeAll(async () => {
  if (skip !== null) return;
  root = await mkdtemp(join(tmpdir(), "lacuna-shared-"));
  const n = 300;
  const values = Float32Array.from({ length: n * 4 }, (_, i) => ((i * 7919) % 1000) / 1000);
  await writeFile(join(root, "codes.npy"), encodeNpy(values, [n, 4]));
  const env = {
    LACUNA_DATA_ROOTS: root,
    LACUNA_DATABASE_URL: await (await sharedPostgres()).createDatabase(),
  };
  // two servers: each its own data directory (caches), one database
  [a, b] = await Promise.all([createHarness(env), createHarness(env)]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await stopSharedPostgres();
  if (root) await rm(root, { recursive: true, force: true });
});

describe.skipIf(skip !== null)(`two servers on one PostgreSQL ${skip ?? ""}`, () => {
  it("a dataset registered and a coverage job started on one are seen, with the result, on the other", async () => {
    const registered = await a.run(
      `mutation { registerDataset(input: { id: "codes", kind: EMBEDDINGS, path: "codes.npy" }) { id } }`,
    );
    expect(registered.errors).toBeUndefined();
    const listed = await b.run<{ datasets: { id: string }[] }>("{ datasets { id } }");
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.datasets.map((d) => d.id)).toContain("codes");

    const started = await a.run<{ startCoverage: { id: string } }>(
      `mutation { startCoverage(input: { datasetId: "codes", numObservations: 5, method: NAIVE }) { id } }`,
    );
    const id = started.data!.startCoverage.id;
    // b did not start it: it follows the stored row until the end
    const final = await b.lacuna.services.jobs.wait(id);
    expect(final.status).toBe("SUCCEEDED");
    const [onA, onB] = await Promise.all([a.run<JobState>(JOB(id)), b.run<JobState>(JOB(id))]);
    expect(onB.errors).toBeUndefined();
    expect(onB.data!.job.status).toBe("SUCCEEDED");
    expect(onB.data!.job.result).not.toBeNull();
    expect(onB.data!.job.result).toEqual(onA.data!.job.result);
    const history = await b.run<{ jobs: { edges: { node: { id: string } }[] } }>(
      "{ jobs(first: 10) { edges { node { id } } } }",
    );
    expect(history.errors).toBeUndefined();
    expect(history.data!.jobs.edges.map((e) => e.node.id)).toContain(id);
  });

  it("a job running on one is followed from the other, and cancelled through it", async () => {
    let report!: (phase: string, fraction: number) => void;
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const job = await a.lacuna.services.jobs.submit("test", "shared-manual", {}, (ctx) => {
      report = ctx.progress;
      running();
      return new Promise<string>((_, reject) =>
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error)),
      );
    });
    await started;
    const seen: string[] = [];
    const changes = await b.lacuna.services.jobs.watch(job.id);
    const followed = (async () => {
      for await (const view of changes) seen.push(`${view.status}:${view.phase ?? ""}`);
    })();
    // a new phase is written at once; b's poll (every 500 ms) picks it up
    report("halfway", 0.5);
    await expect.poll(() => seen.at(-1), { timeout: 5000 }).toBe("RUNNING:halfway");
    const answer = await b.lacuna.services.jobs.cancel(job.id);
    expect(answer.status).toBe("CANCELLED");
    // a applies the cancel on its next heartbeat (every 5 s), b sees the stored end
    await followed;
    expect(seen.at(-1)).toBe("CANCELLED:halfway");
    expect((await a.lacuna.services.jobs.get(job.id)).error?.message).toMatch(/another server/);
  });
});
