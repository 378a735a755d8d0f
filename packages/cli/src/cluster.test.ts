/**
 * Coverage on real `lacuna worker` processes over a private redis-server on loopback: the answer
 * is the single-process one to the bit, and each failure (a worker killed mid-block, a block
 * delivered twice, a cancel, a Redis restart, a worker of another version) ends in that answer or
 * a coded error, never in a wrong answer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  blobDir,
  ClusterRadii,
  currentContract,
  decodeRadii,
  putBlob,
  QUEUE,
  radiiFlow,
  blockRanges,
} from "@lacuna/cluster";
import { freePort, skipRedisSuites, startRedis, type TestRedis } from "@lacuna/cluster/testing";
import { createEmbeddings, type Embeddings } from "@lacuna/core";
import { randomEmbeddings } from "@lacuna/core/testing";
import { KnnPool } from "@lacuna/worker";
import { FlowProducer, Job, Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startServerProcess } from "@lacuna/server/testing";
import { fixtures, lacuna } from "./test-support/run.js";
import { sameBits, startWorker, type WorkerProcess } from "./test-support/workers.js";

const K = 5;
/**
 * Blocks of 2000 rows of 6000 x 64 on one thread: a worker's first takes about 0.8 s (the runtime
 * loads), later ones 0.12 to 0.2 s, so the tests that act midway act on a fresh worker's first block.
 */
const BLOCK_ROWS = 2000;

describe.skipIf(skipRedisSuites())("coverage on lacuna worker processes over Redis", () => {
  let redis: TestRedis;
  let dataDir: string;
  let embeddings: Embeddings;
  let expected: Float64Array;
  let workers: WorkerProcess[] = [];
  let admin: Redis;
  let queue: Queue;
  const clusters: ClusterRadii[] = [];
  let previousDataDir: string | undefined;

  const connect = async () => {
    const cluster = await ClusterRadii.connect(redis.url, { dataDir, blockRows: BLOCK_ROWS });
    clusters.push(cluster);
    return cluster;
  };
  const worker = async (args: string[] = []) => {
    const started = await startWorker(redis.url, dataDir, ["--lock-duration", "1500", ...args]);
    workers.push(started);
    return started;
  };
  /** The first block some worker is computing (its progress shows it started and has not finished). */
  const activeBlock = async (by?: string): Promise<Job> => {
    for (;;) {
      for (const job of await queue.getActive()) {
        const progress = job.progress as { done?: number; total?: number; worker?: string };
        if (
          job.name === "block" &&
          typeof progress.done === "number" &&
          progress.done < progress.total! &&
          (by === undefined || progress.worker === by)
        )
          return job;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  beforeAll(async () => {
    redis = await startRedis();
    dataDir = mkdtempSync(join(tmpdir(), "lacuna-cluster-"));
    // the `lacuna coverage --redis` runs write their blobs where the workers read them
    previousDataDir = process.env.LACUNA_DATA_DIR;
    process.env.LACUNA_DATA_DIR = dataDir;
    embeddings = createEmbeddings(Float32Array.from(randomEmbeddings(6000, 64, 7).data), 6000, 64);
    const pool = new KnnPool({ threads: 2 });
    try {
      expected = (await pool.computeRadii(embeddings, K, { backend: "cpu" })).radii;
    } finally {
      await pool.close();
    }
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
    queue = new Queue(QUEUE, { connection: admin });
  });

  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop("SIGKILL")));
    workers = [];
    await Promise.all(clusters.splice(0).map((c) => c.close()));
    await admin.flushall();
  });

  afterAll(async () => {
    if (previousDataDir === undefined) delete process.env.LACUNA_DATA_DIR;
    else process.env.LACUNA_DATA_DIR = previousDataDir;
    await queue?.close();
    admin?.disconnect();
    await redis?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("gives the single-process radii to the bit on two workers, and the CLI's JSON too", async () => {
    await worker();
    await worker();
    const cluster = await connect();
    const progress: number[] = [];
    const result = await cluster.computeRadii(embeddings, K, {
      onProgress: (done) => progress.push(done),
    });
    expect(sameBits(result.radii, expected)).toBe(true);
    expect(result.detail).toMatch(/3 blocks of up to 2000 rows/);
    expect(progress.at(-1)).toBe(6000);
    const file = join(fixtures, "blobs-2000x10.npy");
    const args = ["coverage", "--embeddings", file, "--k", "20", "--percent", "0.05", "--json"];
    const [alone, distributed] = [
      await lacuna(args),
      await lacuna([...args, "--redis", redis.url]),
    ];
    expect(distributed.stderr).toBe("");
    expect(distributed.code).toBe(0);
    expect(distributed.stdout).toBe(alone.stdout);
  });

  it("redoes the block of a worker killed with SIGKILL midway, and commits the answer once", async () => {
    const doomed = await worker();
    const survivor = await worker();
    const cluster = await connect();
    const running = cluster.computeRadii(embeddings, K);
    const block = await activeBlock(doomed.id);
    await doomed.stop("SIGKILL");
    const result = await running;
    expect(sameBits(result.radii, expected)).toBe(true);
    const redone = (await Job.fromId(queue, block.id!))!;
    expect(redone.returnvalue).toMatchObject({ worker: survivor.id });
    expect(redone.stalledCounter).toBeGreaterThanOrEqual(1);
    const parentId = `${block.id!.replace(/-b\d+$/, "")}-merge`;
    const parent = (await Job.fromId(queue, parentId))!;
    expect(await parent.getState()).toBe("completed");
    expect(Object.keys(await parent.getChildrenValues())).toHaveLength(3);
  });

  it("finishes its block on SIGTERM, then exits; the other blocks go to the other workers", async () => {
    const leaving = await worker();
    const cluster = await connect();
    const running = cluster.computeRadii(embeddings, K);
    const block = await activeBlock(leaving.id);
    const exited = leaving.stop("SIGTERM");
    await worker();
    expect(await exited).toBe(0);
    expect(leaving.stderr()).toContain(`block ${block.id} rows`);
    expect(sameBits((await running).radii, expected)).toBe(true);
    const done = (await Job.fromId(queue, block.id!))!;
    expect(done.returnvalue).toMatchObject({ worker: leaving.id });
    expect(done.stalledCounter ?? 0).toBe(0);
  });

  it("merges a block delivered twice idempotently", async () => {
    await worker();
    await worker();
    const cluster = await connect();
    const blob = await putBlob(blobDir(dataDir), embeddings);
    const ranges = blockRanges(embeddings.n, BLOCK_ROWS);
    const flow = radiiFlow("twice", blob, K, ranges);
    const copy = flow.children![1]!;
    flow.children!.push({ ...copy, opts: { ...copy.opts, jobId: "twice-again" } });
    const flows = new FlowProducer({ connection: admin });
    await flows.add(flow);
    await flows.close();
    const merged = await cluster.awaitMerge("twice", ranges);
    expect(sameBits(decodeRadii(merged.radii), expected)).toBe(true);
    expect((await Job.fromId(queue, "twice-again"))!.returnvalue).toMatchObject({ block: 1 });
    expect((await Job.fromId(queue, "twice-b1"))!.returnvalue).toMatchObject({ block: 1 });
  });

  it("stops the active blocks on cancel", async () => {
    const only = await worker();
    const cluster = await connect();
    const stop = new AbortController();
    const running = cluster.computeRadii(embeddings, K, { signal: stop.signal });
    const block = await activeBlock(only.id);
    // frozen until the cancel has landed, so the block cannot finish before it, however fast
    only.child.kill("SIGSTOP");
    stop.abort();
    try {
      await expect(running).rejects.toMatchObject({ kind: "cancelled", code: "CANCELLED" });
    } finally {
      only.child.kill("SIGCONT");
    }
    await expect.poll(() => block.getState(), { timeout: 30_000, interval: 25 }).not.toBe("active");
    const after = (await Job.fromId(queue, block.id!))!;
    expect(after.failedReason).toMatch(/cancelled/);
    expect(after.returnvalue ?? null).toBeNull();
    expect(await queue.getWaitingCount()).toBe(0);
  });

  it("fails with a coded error, never a wrong answer, when Redis restarts midway; then works again", async () => {
    await worker();
    await worker();
    const cluster = await connect();
    const running = cluster.computeRadii(embeddings, K);
    await activeBlock();
    await redis.restart();
    await expect(running).rejects.toMatchObject({
      kind: "unavailable",
      code: expect.stringMatching(/^(CLUSTER_JOB_LOST|REDIS_UNAVAILABLE)$/),
    });
    const again = await cluster.computeRadii(embeddings, K);
    expect(sameBits(again.radii, expected)).toBe(true);
  });

  it("is refused by a worker of another Lacuna version, with both versions named", async () => {
    const only = await worker();
    const cluster = await connect();
    const blob = await putBlob(blobDir(dataDir), embeddings);
    const ranges = blockRanges(embeddings.n, BLOCK_ROWS);
    const old = { ...currentContract(), lacuna: "0.0.9" };
    const flows = new FlowProducer({ connection: admin });
    await flows.add(radiiFlow("old", blob, K, ranges, old));
    await flows.close();
    const error = await cluster.awaitMerge("old", ranges).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "unavailable", code: "CLUSTER_VERSION_MISMATCH" });
    expect((error as Error).message).toMatch(
      new RegExp(`needs Lacuna 0\\.0\\.9 .*this worker is Lacuna ${currentContract().lacuna}`),
    );
    expect(only.stderr()).toMatch(/refused old-b\d/);
    expect(only.stderr()).not.toMatch(/block old-b\d rows/);
  });

  it("names the data directory a worker lacks, with the worker's own error code", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "lacuna-elsewhere-"));
    workers.push(await startWorker(redis.url, elsewhere));
    const cluster = await connect();
    await expect(cluster.computeRadii(embeddings, K)).rejects.toMatchObject({
      kind: "unavailable",
      code: "BLOB_MISSING",
      message: expect.stringContaining(join(elsewhere, "blobs")),
    });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it("serves coverage computed on the workers with LACUNA_REDIS_URL, the same as without", async () => {
    await worker();
    const query = `{ coverage(input: { datasetId: "mnist:train", selection: { limit: 300 }, numObservations: 5, percent: 0.05 }) { coverageRadius criticalValueRadii backend } }`;
    type Answer = {
      coverage: { coverageRadius: number; criticalValueRadii: number[]; backend: string };
    };
    const answers: Answer["coverage"][] = [];
    for (const env of [{ LACUNA_REDIS_URL: redis.url }, {}] as Record<string, string>[]) {
      const own = mkdtempSync(join(tmpdir(), "lacuna-serve-"));
      // the served data directory is where the workers read the blobs (LACUNA_DATA_DIR)
      const server = await startServerProcess(env.LACUNA_REDIS_URL ? dataDir : own, env);
      try {
        const { body } = await server.graphql<Answer>(query);
        expect(body.errors).toBeUndefined();
        answers.push(body.data!.coverage);
      } finally {
        await server.stop();
        rmSync(own, { recursive: true, force: true });
      }
    }
    expect(answers[0]!.backend).toMatch(/blocks of up to \d+ rows on the workers of redis:/);
    expect(answers[1]!.backend).not.toMatch(/workers/);
    expect(answers[0]!.criticalValueRadii).toEqual(answers[1]!.criticalValueRadii);
    expect(answers[0]!.coverageRadius).toBe(answers[1]!.coverageRadius);
  });

  it("answers a Redis nobody listens on, and --redis with --query, with exit 2 and one line", async () => {
    const port = await freePort();
    const file = join(fixtures, "blobs-2000x10.npy");
    const args = ["coverage", "--embeddings", file, "--k", "5", "--percent", "0.05", "--json"];
    const run = await lacuna([...args, "--redis", `redis://127.0.0.1:${port}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^lacuna: Redis at redis://127\\.0\\.0\\.1:${port}.* is unreachable`),
    );
    const cross = await lacuna([...args, "--query", file, "--redis", redis.url]);
    expect(cross.code).toBe(2);
    expect(cross.stderr).toMatch(/--redis must be used without --query/);
  });
});
