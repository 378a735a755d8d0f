/**
 * Workers that share no filesystem with their coordinator: the data travels through an
 * S3-compatible store (s3rver on loopback, in this process), the coordinator and the worker each on
 * its own data directory. The answer is the single-process one to the bit; a worker configured
 * for another store refuses at once with a coded error.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClusterRadii, sha256Of } from "@lacuna/cluster";
import {
  skipRedisSuites,
  startRedis,
  startS3,
  type TestRedis,
  type TestS3,
} from "@lacuna/cluster/testing";
import { createEmbeddings, type Embeddings } from "@lacuna/core";
import { randomEmbeddings } from "@lacuna/core/testing";
import { KnnPool } from "@lacuna/worker";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectBadInput, fixtures, lacuna } from "./test-support/run.js";
import { sameBits, startWorker, type WorkerProcess } from "./test-support/workers.js";

const K = 5;
const STORE = "s3://lacuna-test/e2e";

describe.skipIf(skipRedisSuites())("coverage on workers that share data only through S3", () => {
  let redis: TestRedis;
  let s3: TestS3;
  let coordinatorDir: string;
  let workerDir: string;
  let embeddings: Embeddings;
  let expected: Float64Array;
  let workers: WorkerProcess[] = [];
  const clusters: ClusterRadii[] = [];
  let admin: Redis;
  const saved = new Map<string, string | undefined>();

  const connect = async () => {
    const cluster = await ClusterRadii.connect(redis.url, {
      dataDir: coordinatorDir,
      blobStore: STORE,
      blockRows: 1000,
    });
    clusters.push(cluster);
    return cluster;
  };
  const worker = async (env: Record<string, string>) => {
    const started = await startWorker(redis.url, workerDir, [], env);
    workers.push(started);
    return started;
  };

  beforeAll(async () => {
    [redis, s3] = await Promise.all([startRedis(), startS3()]);
    coordinatorDir = mkdtempSync(join(tmpdir(), "lacuna-coordinator-"));
    workerDir = mkdtempSync(join(tmpdir(), "lacuna-worker-"));
    // this process (and the `lacuna coverage` it starts) is the coordinator: its own data
    // directory, the endpoint and credentials from the environment as in a deployment
    const env = Object.entries({ ...s3.env(), LACUNA_DATA_DIR: coordinatorDir }).filter(
      ([name]) => name !== "LACUNA_BLOB_STORE",
    );
    for (const [name, value] of env) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
    embeddings = createEmbeddings(Float32Array.from(randomEmbeddings(3000, 32, 21).data), 3000, 32);
    const pool = new KnnPool({ threads: 2 });
    try {
      expected = (await pool.computeRadii(embeddings, K, { backend: "cpu" })).radii;
    } finally {
      await pool.close();
    }
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
  });

  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop("SIGKILL")));
    workers = [];
    await Promise.all(clusters.splice(0).map((c) => c.close()));
    await admin.flushall();
  });

  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
    admin?.disconnect();
    await redis?.kill();
    await s3?.close();
    for (const dir of [coordinatorDir, workerDir]) rmSync(dir, { recursive: true, force: true });
  });

  it("gives the single-process radii to the bit, the data fetched from S3 and cached by the worker", async () => {
    const only = await worker(s3.env("e2e"));
    const cluster = await connect();
    const result = await cluster.computeRadii(embeddings, K);
    expect(sameBits(result.radii, expected)).toBe(true);
    expect(result.detail).toMatch(
      /3 blocks of up to 1000 rows .*, data in s3:\/\/lacuna-test\/e2e$/,
    );
    // nothing went through a shared folder: the coordinator wrote no blob, the worker kept one
    expect(existsSync(join(coordinatorDir, "blobs"))).toBe(false);
    const sha256 = sha256Of(embeddings.data);
    expect(sha256Of(readFileSync(join(workerDir, "blobs", sha256)))).toBe(sha256);
    expect(only.stderr()).toMatch(/block \S+ rows 0\.\.999/);

    // the CLI, with --blob-store: the same JSON as the single-process run
    const file = join(fixtures, "blobs-2000x10.npy");
    const args = ["coverage", "--embeddings", file, "--k", "20", "--percent", "0.05", "--json"];
    const alone = await lacuna(args);
    const distributed = await lacuna([...args, "--redis", redis.url, "--blob-store", STORE]);
    expect(distributed.stderr).toBe("");
    expect(distributed.code).toBe(0);
    expect(distributed.stdout).toBe(alone.stdout);
    expect(existsSync(join(coordinatorDir, "blobs"))).toBe(false);
  });

  it("is refused at once, with a coded error naming the store, by a worker without --blob-store", async () => {
    const local = await worker({ LACUNA_BLOB_STORE: "" });
    const cluster = await connect();
    await expect(cluster.computeRadii(embeddings, K)).rejects.toMatchObject({
      kind: "unavailable",
      code: "BLOB_STORE_MISMATCH",
      message: expect.stringMatching(
        /in the blob store s3:\/\/lacuna-test\/e2e; this worker reads local/,
      ) as unknown,
    });
    expect(local.stderr()).toMatch(/refused \S+-b0/);
    expect(local.stderr()).not.toMatch(/rows 0\.\./);
  });

  it("answers --blob-store without --redis, and a bad URL, with exit 2 and one line", async () => {
    const file = join(fixtures, "blobs-2000x10.npy");
    const args = ["coverage", "--embeddings", file, "--k", "5", "--json"];
    expectBadInput(
      await lacuna([...args, "--blob-store", STORE]),
      /--blob-store must be used with --redis/,
    );
    expectBadInput(
      await lacuna([...args, "--redis", redis.url, "--blob-store", "http://bucket/x"]),
      /--blob-store must be an s3:\/\/BUCKET/,
    );
  });
});
