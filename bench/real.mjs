#!/usr/bin/env node
/**
 * `npm run bench` (after knn.mjs): the whole `lacuna coverage --json` command on real and large
 * data against scikit-learn and FAISS on the same file, in the same run, interleaved round by
 * round (the machine is shared: ratios from one round are fairer than absolute times). Prints each
 * side's median and range, Lacuna's median over the best peer's, Lacuna's peak RSS (/usr/bin/time)
 * against the memory goal of 3 x the input + 300 MB, the kernel Lacuna ran, and the largest
 * difference between Lacuna's radii and scikit-learn's.
 *   node bench/real.mjs [--rounds=3] [case ...]   (cases: bench/real-data.mjs)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeNpy } from "@lacuna/io";
import { CASES, caseFile } from "./real-data.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "../packages/cli/bin/lacuna.js");
const PYTHON = "/usr/bin/python3";
const TIME = "/usr/bin/time";
const K = 20;
const argv = process.argv.slice(2);
const rounds = Number(argv.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 3);
const names = argv.filter((a) => !a.startsWith("--"));

/**
 * The peers run on each case (FAISS's flat index is n^2: not at a million rows). scikit-learn's
 * 'auto' is brute force from 16 dimensions on (its kd-tree only up to 15), so the 16-d cases ask
 * for its kd-tree by name: the "scikit-learn's own tree".
 */
const PEERS = {
  "clustered-100k-16": ["sklearn-kd_tree", "sklearn-auto"],
  "clustered-200k-16": ["sklearn-kd_tree"],
  "clustered-1m-16": ["sklearn-kd_tree"],
  "clustered-200k-128": [],
  "clustered-1m-128": [],
};
const DEFAULT_PEERS = ["sklearn-auto", "faiss-flat"];
const cases = names.length > 0 ? names : Object.keys(CASES);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const span = (xs) =>
  xs.length === 0
    ? "-"
    : `${median(xs).toFixed(2)} s (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
const threads = String(
  Number(process.env.LACUNA_THREADS) || (await import("node:os")).availableParallelism(),
);

/** One timed `lacuna coverage --json` run: seconds, peak RSS (MB, threads included), radii. */
function lacuna(file) {
  const started = performance.now();
  const run = spawnSync(
    TIME,
    [
      "-f",
      "peak-rss-kb %M",
      process.execPath,
      cli,
      "coverage",
      "--embeddings",
      file,
      "--k",
      String(K),
      "--json",
      "--backend",
      "cpu",
      "--threads",
      threads,
    ],
    { maxBuffer: 1 << 30, encoding: "utf8" },
  );
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`lacuna coverage failed: ${run.stderr}`);
  const kb = Number(/peak-rss-kb (\d+)/.exec(run.stderr)?.[1]);
  return { seconds, peakMB: (kb * 1024) / 1e6, radii: JSON.parse(run.stdout).criticalValueRadii };
}

console.log(
  `lacuna coverage (whole process) against scikit-learn 'auto' and FAISS IndexFlatL2 (compute only), k = ${K}, ${threads} threads each, ${rounds} rounds interleaved`,
);
for (const name of cases) {
  const { n, d, what } = CASES[name];
  const file = await caseFile(name);
  const peers = existsSync(PYTHON) ? (PEERS[name] ?? DEFAULT_PEERS) : [];
  const times = { lacuna: [] };
  for (const p of peers) times[p] = [];
  const peaks = [];
  const ratios = [];
  let radii;
  for (let r = 0; r < rounds; r++) {
    const run = lacuna(file);
    times.lacuna.push(run.seconds);
    peaks.push(run.peakMB);
    radii ??= run.radii;
    if (peers.length === 0) continue;
    const env = { ...process.env, OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: threads };
    const result = JSON.parse(
      execFileSync(
        PYTHON,
        [join(here, "peers.py"), file, String(K), threads, peers.join(","), "1"],
        {
          env,
          encoding: "utf8",
        },
      ),
    );
    for (const p of peers) if (result.times[p] != null) times[p].push(result.times[p]);
    const bestNow = Math.min(...peers.map((p) => result.times[p] ?? Infinity));
    if (bestNow < Infinity) ratios.push(run.seconds / bestNow);
  }
  const inputMB = statSync(file).size / 1e6;
  const best = peers
    .filter((p) => times[p].length > 0)
    .reduce((a, p) => Math.min(a, median(times[p])), Infinity);
  console.log(`${name}: ${n} x ${d}, ${what} (${inputMB.toFixed(0)} MB)`);
  if (peers.length === 0)
    console.log("  (no peer: FAISS's flat index and scikit-learn are hours here)");
  const goal = 3 * inputMB + 300;
  console.log(
    `  lacuna ${span(times.lacuna)}   peak RSS ${Math.max(...peaks).toFixed(0)} MB (goal 3 x input + 300 = ${goal.toFixed(0)} MB: ${Math.max(...peaks) <= goal ? "met" : "NOT met"})`,
  );
  for (const p of peers) console.log(`  ${p} ${span(times[p])}`);
  if (best < Infinity)
    console.log(
      `  lacuna / best peer = ${(median(times.lacuna) / best).toFixed(2)}x (medians; round by round ${ratios.map((r) => r.toFixed(2)).join(", ")})`,
    );
  const which = peers.find((p) => p.startsWith("sklearn-"));
  const sk = `${file}.${which}.radii.npy`;
  if (which !== undefined && existsSync(sk)) {
    const theirs = decodeNpy(readFileSync(sk)).data;
    let worst = 0;
    for (let i = 0; i < n; i++)
      worst = Math.max(worst, Math.abs(theirs[i] - radii[i]) / Math.max(theirs[i], 1e-30));
    console.log(`  radii vs scikit-learn: largest relative difference ${worst.toExponential(1)}`);
  }
}
