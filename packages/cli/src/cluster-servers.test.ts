/**
 * Issue #18 end to end: two real `lacuna serve` processes on one private PostgreSQL and one private
 * Redis, sharing one data directory (the blobs live under it), and one `lacuna worker`. A coverage
 * started through server A is computed by the worker and listed with its result on server B, to the
 * bit of the single-process radii; a cancel sent through B of a job running on A ends it CANCELLED.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QUEUE } from "@lacuna/cluster";
import { skipRedisSuites, startRedis, type TestRedis } from "@lacuna/cluster/testing";
import { createEmbeddings } from "@lacuna/core";
import { randomEmbeddings } from "@lacuna/core/testing";
import { encodeNpy } from "@lacuna/io";
import {
  type PostgresServer,
  postgresUnavailable,
  type ServerProcess,
  startPostgres,
  startServerProcess,
} from "@lacuna/server/testing";
import { KnnPool } from "@lacuna/worker";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sameBits, startWorker, type WorkerProcess } from "./test-support/workers.js";

// small on purpose: the point is who computes and who sees it, not the size (a few blocks of 256)
const N = 700;
const D = 8;
const K = 5;

interface JobAnswer {
  job: {
    id: string;
    status: string;
    phase: string | null;
    error: { code: string; message: string } | null;
    result: { id: string; backend: string; criticalValueRadii: number[] } | null;
  } | null;
}
const JOB = `query ($id: ID!) { job(id: $id) {
  id status phase error { code message } result { id backend criticalValueRadii } } }`;
const START = `mutation ($k: Int!) { startCoverage(input: {
  datasetId: "codes", numObservations: $k, method: ADAPTIVE, percent: 0.05 }) { id status } }`;

/** Why this suite cannot run here (outside CI only), or null. */
function skipReason(): string | null {
  if (skipRedisSuites()) return "redis-server is not installed";
  const postgres = postgresUnavailable();
  if (postgres !== null) console.warn(`skipping the two-server tests: ${postgres}`);
  return postgres;
}
const skip = skipReason();

/** The bytes of the radii as float64: equal means equal to the bit. */
// a skipped suite says why in its title and on the console
describe.skipIf(skip !== null)(
  `two lacuna serve on one PostgreSQL and one Redis ${skip ?? ""}`,
  () => {
    let redis: TestRedis;
    let postgres: PostgresServer;
    let dataDir: string;
    let root: string;
    let a: ServerProcess;
    let b: ServerProcess;
    let worker: WorkerProcess;
    let admin: Redis;
    let queue: Queue;
    let expected: Float64Array;

    /** The job as server `on` sees it. */
    const job = async (on: ServerProcess, id: string) => {
      const { body } = await on.graphql<JobAnswer>(JOB, { id });
      expect(body.errors).toBeUndefined();
      return body.data!.job!;
    };

    beforeAll(async () => {
      [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
      dataDir = mkdtempSync(join(tmpdir(), "lacuna-servers-"));
      root = mkdtempSync(join(tmpdir(), "lacuna-servers-data-"));
      const values = Float32Array.from(randomEmbeddings(N, D, 18).data);
      writeFileSync(join(root, "codes.npy"), encodeNpy(values, [N, D]));
      const pool = new KnnPool({ threads: 1 });
      try {
        expected = (await pool.computeRadii(createEmbeddings(values, N, D), K, { backend: "cpu" }))
          .radii;
      } finally {
        await pool.close();
      }
      const env = {
        LACUNA_REDIS_URL: redis.url,
        LACUNA_DATABASE_URL: await postgres.createDatabase(),
        LACUNA_DATA_ROOTS: root,
        LACUNA_LOG_LEVEL: "warn",
      };
      // started together: one creates the schema under the migration lock, the other waits for it
      [a, b, worker] = await Promise.all([
        startServerProcess(dataDir, env),
        startServerProcess(dataDir, env),
        startWorker(redis.url, dataDir),
      ]);
      admin = new Redis(redis.url, { maxRetriesPerRequest: null });
      queue = new Queue(QUEUE, { connection: admin });
      // initdb and three Node processes on a busy 2-core machine: seconds, beyond the 10 s default
    }, 120_000);

    afterAll(async () => {
      // SIGKILL also ends a stopped (SIGSTOP) process
      await Promise.all([a?.stop(), b?.stop(), worker?.stop("SIGKILL")]);
      await queue?.close();
      admin?.disconnect();
      await Promise.all([redis?.kill(), postgres?.stop()]);
      for (const dir of [dataDir, root]) if (dir) rmSync(dir, { recursive: true, force: true });
    }, 60_000);

    it("computes a coverage started on A on the worker, and B lists it with the same radii", async () => {
      const registered = await a.graphql(
        `mutation { registerDataset(input: { id: "codes", kind: EMBEDDINGS, path: "codes.npy" }) { id } }`,
      );
      expect(registered.body.errors).toBeUndefined();
      const started = await a.graphql<{ startCoverage: { id: string } }>(START, { k: K });
      expect(started.body.errors).toBeUndefined();
      const id = started.body.data!.startCoverage.id;
      // B did not start it: it reads the job's row in PostgreSQL
      await expect
        .poll(async () => (await job(b, id)).status, { timeout: 60_000, interval: 100 })
        .toBe("SUCCEEDED");
      const [onA, onB] = await Promise.all([job(a, id), job(b, id)]);
      expect(onB.id).toBe(id);
      expect(onB.result!.backend).toMatch(/blocks of up to 256 rows on the workers of redis:/);
      expect(onB.result).toEqual(onA.result);
      expect(onB.result!.criticalValueRadii).toHaveLength(N);
      expect(sameBits(onB.result!.criticalValueRadii, expected)).toBe(true);
      await expect.poll(() => worker.stderr()).toMatch(/block \S+-b0 rows/);

      const listed = await b.graphql<{
        jobs: { edges: { node: { id: string; status: string } }[] };
        coverageResults: { edges: { node: { id: string; criticalValueRadii: number[] } }[] };
      }>(
        `{ jobs(first: 10) { edges { node { id status } } }
         coverageResults(first: 10, datasetId: "codes") { edges { node { id criticalValueRadii } } } }`,
      );
      expect(listed.body.errors).toBeUndefined();
      expect(listed.body.data!.jobs.edges.map((e) => e.node)).toContainEqual({
        id,
        status: "SUCCEEDED",
      });
      const results = listed.body.data!.coverageResults.edges.map((e) => e.node);
      expect(results.map((r) => r.id)).toEqual([onA.result!.id]);
      expect(sameBits(results[0]!.criticalValueRadii, expected)).toBe(true);
      // the same request on B is answered from the shared store, not computed again
      const again = await b.graphql<{ coverage: { id: string; cached: boolean } }>(
        `{ coverage(input: { datasetId: "codes", numObservations: ${K}, method: ADAPTIVE, percent: 0.05 }) { id cached } }`,
      );
      expect(again.body.errors).toBeUndefined();
      expect(again.body.data!.coverage).toEqual({ id: onA.result!.id, cached: true });
    });

    it("ends a job running on A CANCELLED when the cancel is sent through B", async () => {
      // the worker is frozen, so A's job waits on its blocks in Redis until the cancel reaches it
      worker.child.kill("SIGSTOP");
      try {
        const started = await a.graphql<{ startCoverage: { id: string } }>(START, { k: K + 2 });
        expect(started.body.errors).toBeUndefined();
        const id = started.body.data!.startCoverage.id;
        await expect
          .poll(async () => (await job(b, id)).phase, { timeout: 30_000, interval: 100 })
          .toBe("neighbours");
        await expect.poll(() => queue.getWaitingCount(), { timeout: 10_000 }).toBeGreaterThan(0);
        const cancelled = await b.graphql<{ cancelJob: { id: string; status: string } }>(
          `mutation ($id: ID!) { cancelJob(id: $id) { id status } }`,
          { id },
        );
        expect(cancelled.body.errors).toBeUndefined();
        expect(cancelled.body.data!.cancelJob).toEqual({ id, status: "CANCELLED" });
        // A applies the flag on its next heartbeat (every 5 s) and stores the end; B reads it
        await expect
          .poll(async () => (await job(b, id)).status, { timeout: 30_000, interval: 200 })
          .toBe("CANCELLED");
        const [onA, onB] = await Promise.all([job(a, id), job(b, id)]);
        expect(onB).toEqual(onA);
        expect(onB.error).toMatchObject({ code: "CANCELLED", message: /another server/ });
        expect(onB.result).toBeNull();
      } finally {
        worker.child.kill("SIGCONT");
      }
      // nothing of the job is left in Redis: A's cluster call removed the blocks no worker had
      // taken, and a block Redis had already handed to the frozen worker (its blocking fetch runs
      // on the server) stops on the cancel key once the worker runs again. Polled: A stores the
      // end when its heartbeat sees the cancel, which can be before its cluster call has removed
      // the blocks (CI once read waiting: 1 right after CANCELLED)
      await expect
        .poll(() => queue.getJobCounts("waiting", "waiting-children", "active"), {
          timeout: 30_000,
          interval: 200,
        })
        .toMatchObject({ waiting: 0, "waiting-children": 0, active: 0 });
    });
  },
);
