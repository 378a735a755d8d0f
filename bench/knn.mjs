#!/usr/bin/env node
/**
 * `npm run bench`: Lacuna's exact kNN radii against scikit-learn and FAISS run on the same data
 * in the same run, when /usr/bin/python3 has them (Debian: python3-sklearn python3-faiss):
 * Lacuna's core on one thread against the peers on one thread, and Lacuna's worker pool on every
 * core against the peers on every core. Prints each time and Lacuna's time over the peer's.
 *   --quick      only n = 10 000, d = 10
 *   --sizes=60000x10,20000x512   chosen sizes only (no memory runs)
 *   --no-peers   Lacuna alone
 *   --clustered  a clustered stand-in for 60 000 x 10 too (default: the real MNIST embeddings)
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEmbeddings, criticalValueRadii } from "@lacuna/core";
import { decodeNpy, encodeNpy } from "@lacuna/io";
import { KnnPool } from "@lacuna/worker";
import { availableParallelism } from "node:os";
import { clustered } from "./data.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "../packages/cli/bin/lacuna.js");
const args = new Set(process.argv.slice(2));
const K = 20;
const PYTHON = "/usr/bin/python3";
const sizesArg = [...args].find((a) => a.startsWith("--sizes="));
const sizes = sizesArg
  ? sizesArg
      .slice("--sizes=".length)
      .split(",")
      .map((s) => s.split("x").map(Number))
  : args.has("--quick")
    ? [[10_000, 10]]
    : [
        [10_000, 10],
        [60_000, 10],
        [20_000, 512],
      ];

const peersAvailable = !args.has("--no-peers") && existsSync(PYTHON);
const dataDir = join(here, ".data");
mkdirSync(dataDir, { recursive: true });

const cores = availableParallelism();
const pool = new KnnPool({ threads: cores });
const fmt = (s) => (s == null ? "-" : `${s.toFixed(2)} s`);
console.log(
  `Exact kNN radii, k = ${K}, float32 data in [0, 1]. 1 thread: Lacuna's core vs the peers on one thread; ${cores} threads: Lacuna's worker pool (cpu backend) vs the peers on ${cores}.`,
);
console.log(`node ${process.version}, ${process.arch}\n`);

/**
 * The data for one size: the real MNIST training set's autoencoder embeddings for 60 000 x 10 (what
 * the issue asks for, encoded once with the shipped model and kept in bench/.data), else clustered
 * float32 stand-ins.
 */
function benchData(n, d) {
  if (n === 60_000 && d === 10 && !args.has("--clustered")) {
    const file = join(dataDir, "mnist-train-60000x10.npy");
    if (!existsSync(file)) {
      console.log("encoding the MNIST training set once for the benchmark (lacuna embed)…");
      execFileSync(process.execPath, [cli, "embed", "--dataset", "mnist:train", "--out", file], {
        stdio: "inherit",
      });
    }
    const array = decodeNpy(readFileSync(file));
    return { data: array.data, what: "MNIST training set, autoencoder embeddings" };
  }
  return { data: clustered(n, d), what: "clustered stand-in" };
}

for (const [n, d] of sizes) {
  const { data, what } = benchData(n, d);
  const embeddings = createEmbeddings(data, n, d);
  criticalValueRadii(
    createEmbeddings(data.subarray(0, Math.min(500, n) * d), Math.min(500, n), d),
    K,
  ); // warm the JIT
  const started = performance.now();
  const radii = criticalValueRadii(embeddings, K);
  const lacuna = (performance.now() - started) / 1000;
  await pool.computeRadii(
    createEmbeddings(data.subarray(0, Math.min(2000, n) * d), Math.min(2000, n), d),
    K,
    {
      backend: "cpu",
    },
  ); // warm the workers
  const pooledStart = performance.now();
  const pooled = await pool.computeRadii(embeddings, K, { backend: "cpu" });
  const lacunaPool = (performance.now() - pooledStart) / 1000;
  if (!pooled.radii.every((v, i) => v === radii[i]))
    throw new Error("the pool's radii differ from core's");
  const runPeers = (threads) => {
    if (!peersAvailable) return { times: {}, missing: { python: `${PYTHON} not found` } };
    const file = join(dataDir, `bench-${n}x${d}.npy`);
    writeFileSync(file, encodeNpy(data, [n, d]));
    const t = String(threads);
    const env = { ...process.env, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t };
    try {
      return JSON.parse(
        execFileSync(PYTHON, [join(here, "peers.py"), file, String(K), t], {
          env,
          encoding: "utf8",
        }),
      );
    } catch (error) {
      return { times: {}, missing: { python: String(error.message ?? error).split("\n")[0] } };
    }
  };
  const sum = radii.reduce((a, b) => a + b, 0);
  console.log(`n = ${n}, d = ${d} (${what})`);
  for (const [threads, mine, label] of [
    [1, lacuna, "lacuna core"],
    [cores, lacunaPool, "lacuna pool"],
  ]) {
    const peers = args.has("--no-peers") ? { times: {}, missing: {} } : runPeers(threads);
    const t = peers.times;
    console.log(`  ${threads} thread${threads === 1 ? "" : "s"}`);
    console.log(
      `    ${label.padEnd(20)} ${fmt(mine)}   ${((n * (n - 1)) / 2 / mine / 1e6).toFixed(1)} M pairs/s`,
    );
    let best = Infinity;
    for (const [name, key, sumKey] of [
      ["scikit-learn auto", "sklearn-auto", "sklearn-auto-radius-sum"],
      ["scikit-learn brute", "sklearn-brute", "sklearn-brute-radius-sum"],
      ["FAISS IndexFlatL2", "faiss-flat", "faiss-flat-radius-sum"],
    ]) {
      if (t[key] == null) continue;
      best = Math.min(best, t[key]);
      const agree =
        Math.abs(t[sumKey] - sum) / sum < 1e-4
          ? "radii agree"
          : `radii DIFFER (sum ${t[sumKey]} vs ${sum})`;
      console.log(
        `    ${name.padEnd(20)} ${fmt(t[key])}   lacuna / peer = ${(mine / t[key]).toFixed(2)}x   ${agree}`,
      );
    }
    if (best < Infinity) console.log(`    lacuna / best peer = ${(mine / best).toFixed(2)}x`);
    if (threads === cores) {
      // the whole `lacuna coverage` command, process start and .npy reading included
      const file = join(dataDir, `bench-${n}x${d}.npy`);
      writeFileSync(file, encodeNpy(data, [n, d]));
      const started = performance.now();
      execFileSync(
        process.execPath,
        [cli, "coverage", "--embeddings", file, "--k", String(K), "--json", "--backend", "cpu"],
        {
          maxBuffer: 1 << 30,
        },
      );
      const whole = (performance.now() - started) / 1000;
      const ratio = best < Infinity ? `   lacuna / best peer = ${(whole / best).toFixed(2)}x` : "";
      console.log(
        `    ${"lacuna coverage CLI".padEnd(20)} ${fmt(whole)}   (whole process)${ratio}`,
      );
    }
    for (const [peer, why] of Object.entries(peers.missing))
      console.log(`    ${peer}: not run (${why})`);
  }
  console.log("");
}
await pool.close();

// memory: each run in a fresh process, so maxRSS is that computation's peak (threads included)
const memoryRuns = sizesArg
  ? []
  : args.has("--quick")
    ? [[60_000, 10, cores]]
    : [
        [60_000, 10, 1],
        [60_000, 10, cores],
        [200_000, 16, cores],
      ];
if (memoryRuns.length > 0) {
  console.log("Peak memory and thread scaling (fresh process each, k = 20, cpu backend)");
}
for (const [n, d, threads] of memoryRuns) {
  const out = JSON.parse(
    execFileSync(
      process.execPath,
      [join(here, "memory.mjs"), String(n), String(d), String(threads)],
      { encoding: "utf8" },
    ),
  );
  console.log(
    `  n = ${n}, d = ${d}, ${threads} thread${threads === 1 ? "" : "s"}: ${out.seconds.toFixed(2)} s, peak RSS ${out.maxRssMB.toFixed(0)} MB`,
  );
}
