/**
 * For the workspace's tests (not in the tarball): a private `redis-server` child process per test
 * file, and whether one can run here; a fake S3 server (s3rver) in the test's own process. Outside
 * CI a machine without redis-server skips the suites that need it, saying so; under CI=true they
 * must run, so a missing redis-server fails them.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Whether `redis-server` is on PATH. */
export const HAVE_REDIS = spawnSync("redis-server", ["--version"]).status === 0;

/** True where the Redis suites must be skipped (and says why, once, on the console). */
export function skipRedisSuites(): boolean {
  if (HAVE_REDIS) return false;
  if (process.env.CI === "true")
    throw new Error(
      "redis-server is not installed, and CI=true: the Redis tests must run (apt-get install redis-server)",
    );
  console.warn(
    "skipping the Redis tests: redis-server is not installed (apt-get install redis-server)",
  );
  return true;
}

/** A port nobody listens on now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Stops it (SIGKILL: without persistence, its data is gone). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  child.stdout!.resume();
  child.removeAllListeners("exit");
  return child;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** Starts a private redis-server on a free loopback port, without persistence. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child = await launch(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => stop(child),
    async restart() {
      await stop(child);
      child = await launch(port);
    },
  };
}

export interface TestS3 {
  /** LACUNA_S3_ENDPOINT for it: http://127.0.0.1:PORT. */
  readonly endpoint: string;
  /** The bucket made at start. */
  readonly bucket: string;
  /** The environment a Lacuna process needs to use it as `s3://BUCKET/PREFIX`. */
  env(prefix?: string): Record<string, string>;
  /** Stops it and deletes its files. */
  close(): Promise<void>;
}

/**
 * A fake S3 server (s3rver, in memory of a temporary folder) on a free loopback port, with one
 * bucket; its credentials are s3rver's fixed S3RVER / S3RVER pair.
 */
export async function startS3(bucket = "lacuna-test"): Promise<TestS3> {
  const { default: S3rver } = await import("s3rver");
  const directory = await mkdtemp(join(tmpdir(), "lacuna-s3rver-"));
  const port = await freePort();
  const server = new S3rver({
    address: "127.0.0.1",
    port,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: (prefix = "blobs") => ({
      LACUNA_BLOB_STORE: `s3://${bucket}/${prefix}`,
      LACUNA_S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
    }),
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
