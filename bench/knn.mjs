#!/usr/bin/env node
/**
 * `npm run bench`: Lacuna's exact kNN radii, single thread (core), against scikit-learn and FAISS
 * run on the same data in the same run, one thread each, when /usr/bin/python3 has them
 * (Debian: python3-sklearn python3-faiss). Prints each time and Lacuna's time over the peer's.
 *   --quick      only n = 10 000, d = 10
 *   --no-peers   Lacuna alone
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEmbeddings, criticalValueRadii } from "@lacuna/core";
import { encodeNpy } from "@lacuna/server";
import { clustered } from "./data.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const K = 20;
const PYTHON = "/usr/bin/python3";
const sizes = args.has("--quick")
  ? [[10_000, 10]]
  : [
      [10_000, 10],
      [60_000, 10],
      [20_000, 512],
    ];

const peersAvailable = !args.has("--no-peers") && existsSync(PYTHON);
const dataDir = join(here, ".data");
mkdirSync(dataDir, { recursive: true });

const fmt = (s) => (s == null ? "-" : `${s.toFixed(2)} s`);
const rows = [];
console.log(
  `Exact kNN radii, k = ${K}, clustered float32 data in [0, 1]; Lacuna single thread (core), peers one thread each.`,
);
console.log(`node ${process.version}, ${process.arch}\n`);

for (const [n, d] of sizes) {
  const data = clustered(n, d);
  const embeddings = createEmbeddings(data, n, d);
  criticalValueRadii(createEmbeddings(data.subarray(0, 500 * d), 500, d), K); // warm the JIT
  const started = performance.now();
  const radii = criticalValueRadii(embeddings, K);
  const lacuna = (performance.now() - started) / 1000;
  const pairs = (n * (n - 1)) / 2;
  let peers = { times: {}, missing: {} };
  if (peersAvailable) {
    const file = join(dataDir, `clustered-${n}x${d}.npy`);
    writeFileSync(file, encodeNpy(data, [n, d]));
    try {
      const env = {
        ...process.env,
        OMP_NUM_THREADS: "1",
        OPENBLAS_NUM_THREADS: "1",
        MKL_NUM_THREADS: "1",
      };
      peers = JSON.parse(
        execFileSync(PYTHON, [join(here, "peers.py"), file, String(K), "1"], {
          env,
          encoding: "utf8",
        }),
      );
    } catch (error) {
      peers.missing.python = String(error.message ?? error).split("\n")[0];
    }
  }
  const sum = radii.reduce((a, b) => a + b, 0);
  const t = peers.times;
  const row = {
    n,
    d,
    lacuna,
    pairsPerSecond: pairs / lacuna,
    sklearnAuto: t["sklearn-auto"],
    sklearnBrute: t["sklearn-brute"],
    faiss: t["faiss-flat"],
  };
  rows.push(row);
  console.log(`n = ${n}, d = ${d}`);
  console.log(
    `  lacuna core (1 thread)  ${fmt(lacuna)}   ${(row.pairsPerSecond / 1e6).toFixed(1)} M pair distances/s (each pair once)`,
  );
  for (const [label, key, sumKey] of [
    ["scikit-learn auto", "sklearn-auto", "sklearn-auto-radius-sum"],
    ["scikit-learn brute", "sklearn-brute", "sklearn-brute-radius-sum"],
    ["FAISS IndexFlatL2", "faiss-flat", "faiss-flat-radius-sum"],
  ]) {
    if (t[key] == null) continue;
    const agree =
      Math.abs(t[sumKey] - sum) / sum < 1e-4
        ? "radii agree"
        : `radii DIFFER (sum ${t[sumKey]} vs ${sum})`;
    console.log(
      `  ${label.padEnd(22)} ${fmt(t[key])}   lacuna / peer = ${(lacuna / t[key]).toFixed(2)}x   ${agree}`,
    );
  }
  for (const [peer, why] of Object.entries(peers.missing))
    console.log(`  ${peer}: not run (${why})`);
  if (!peersAvailable && !args.has("--no-peers"))
    console.log(`  peers: not run (${PYTHON} not found)`);
  console.log("");
}
