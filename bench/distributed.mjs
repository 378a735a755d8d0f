#!/usr/bin/env node
/**
 * `npm run bench:distributed`: exact radii on 1, 2 and 3 `lacuna worker` processes of one thread
 * each (a private redis-server on loopback) against the single-process pool on the same data, in
 * interleaved rounds. Prints the median and spread of each, the ratios, and where a distributed
 * run's time goes: the blob write (transfer), the blocks' compute on the workers, the merge, and
 * the rest (queue latency, blob reads, Redis round trips).
 *   --rounds=N   rounds (default 3)
 *   --size=NxD   data (default 6000x128: the GEMM regime the workers run)
 */
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ClusterRadii } from "@lacuna/cluster";
import { startRedis } from "@lacuna/cluster/testing";
import { createEmbeddings } from "@lacuna/core";
import { randomEmbeddings } from "@lacuna/core/testing";
import { KnnPool } from "@lacuna/worker";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "../packages/cli/bin/lacuna.js");
const arg = (name, fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const rounds = Number(arg("rounds", "3"));
const [n, d] = arg("size", "6000x128").split("x").map(Number);
const K = 20;
const WORKERS = [1, 2, 3];

const embeddings = createEmbeddings(Float32Array.from(randomEmbeddings(n, d, 3).data), n, d);
const warm = createEmbeddings(Float32Array.from(randomEmbeddings(300, d, 4).data), 300, d);
const redis = await startRedis();
const dataDir = mkdtempSync(join(tmpdir(), "lacuna-bench-cluster-"));

function startWorkers(count) {
  return Promise.all(
    Array.from({ length: count }, () => {
      const child = spawn(
        process.execPath,
        [cli, "worker", "--redis", redis.url, "--threads", "1"],
        { env: { ...process.env, LACUNA_DATA_DIR: dataDir }, stdio: ["ignore", "pipe", "ignore"] },
      );
      return new Promise((resolve, reject) => {
        child.stdout.on("data", (chunk) => {
          if (String(chunk).includes("is taking blocks")) resolve(child);
        });
        child.once("exit", (code) => reject(new Error(`lacuna worker exited (${code})`)));
      });
    }),
  );
}

const stopWorkers = (children) =>
  Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          child.removeAllListeners("exit");
          child.once("exit", resolve);
          child.kill("SIGTERM");
        }),
    ),
  );

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => `${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}`;

const times = { single1: [], single2: [] };
const parts = {};
for (const w of WORKERS) {
  times[`w${w}`] = [];
  parts[w] = { blob: [], compute: [], merge: [], rest: [] };
}
let reference;
console.log(`Exact radii, k = ${K}, ${n} x ${d} float32, ${rounds} interleaved rounds`);
for (let round = 0; round < rounds; round++) {
  for (const threads of [1, 2]) {
    const pool = new KnnPool({ threads });
    await pool.computeRadii(warm, K, { backend: "cpu" });
    const started = performance.now();
    const { radii } = await pool.computeRadii(embeddings, K, { backend: "cpu" });
    times[`single${threads}`].push((performance.now() - started) / 1000);
    reference ??= radii;
    await pool.close();
  }
  for (const w of WORKERS) {
    const children = await startWorkers(w);
    const cluster = await ClusterRadii.connect(redis.url, {
      dataDir,
      blockRows: Math.ceil(n / 24),
    });
    // each worker loads TensorFlow.js on its first block: a small run first, untimed
    await cluster.computeRadii(warm, K);
    const result = await cluster.computeRadii(embeddings, K);
    if (!Buffer.from(result.radii.buffer).equals(Buffer.from(reference.buffer)))
      throw new Error(`the radii on ${w} workers differ from the single process's`);
    const t = result.timings;
    const compute = t.blockMs.reduce((a, b) => a + b, 0) / w;
    times[`w${w}`].push(t.wallMs / 1000);
    parts[w].blob.push(t.blobMs / 1000);
    parts[w].compute.push(compute / 1000);
    parts[w].merge.push(t.mergeMs / 1000);
    parts[w].rest.push((t.wallMs - t.blobMs - compute - t.mergeMs) / 1000);
    await cluster.close();
    await stopWorkers(children);
  }
  console.log(`round ${round + 1} of ${rounds} done`);
}

const base = median(times.single1);
console.log("\n| run | median (s) | spread (s) | single 1-thread / this |");
console.log("| --- | ---: | ---: | ---: |");
const row = (name, xs) =>
  console.log(
    `| ${name} | ${median(xs).toFixed(2)} | ${spread(xs)} | ${(base / median(xs)).toFixed(2)} |`,
  );
row("single process, 1 thread", times.single1);
row("single process, 2 threads", times.single2);
for (const w of WORKERS) row(`${w} worker process${w > 1 ? "es" : ""} x 1 thread`, times[`w${w}`]);
console.log(
  "\nWhere a distributed run's time goes (medians, s): blob write | compute per worker | merge | queue, blob reads, Redis",
);
for (const w of WORKERS) {
  const p = parts[w];
  console.log(
    `${w} worker${w > 1 ? "s" : " "}: ${median(p.blob).toFixed(3)} | ${median(p.compute).toFixed(2)} | ${median(p.merge).toFixed(3)} | ${median(p.rest).toFixed(2)}`,
  );
}
await redis.kill();
rmSync(dataDir, { recursive: true, force: true });
