#!/usr/bin/env node
/**
 * The partition kernel against the GEMM on each case, in one process, interleaved: the data for
 * plan.ts's cost model and the check that the plan's pick is never much slower than the better
 * of the two. Prints each kernel's median and range over the rounds, the plan's pick, the
 * partition's measured work share, and the pick's time over the better kernel's.
 *   node bench/kernels.mjs [--rounds=3] [case ...]   (cases: bench/real-data.mjs)
 */
import { readFileSync } from "node:fs";
import { createEmbeddings } from "@lacuna/core";
import { decodeNpy } from "@lacuna/io";
import { KnnPool } from "@lacuna/worker";
import { CASES, caseFile } from "./real-data.mjs";

const argv = process.argv.slice(2);
const rounds = Number(argv.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 3);
const names = argv.filter((a) => !a.startsWith("--"));
const cases =
  names.length > 0
    ? names
    : ["mnist-pixels-20k", "mnist-proj256-20k", "mnist-ae-60k", "clustered-20k-512"];
const K = 20;
const pool = new KnnPool();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const span = (xs) =>
  `${median(xs).toFixed(2)} s (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
console.log(`partition vs GEMM, k = ${K}, ${pool.threads} threads, ${rounds} rounds interleaved`);
for (const name of cases) {
  const { n, d, what } = CASES[name];
  const array = decodeNpy(readFileSync(await caseFile(name)));
  const embeddings = createEmbeddings(array.data, n, d);
  const times = { partition: [], gemm: [], plan: [] };
  let detail = "";
  let reference;
  for (let r = 0; r < rounds; r++) {
    for (const kernel of ["partition", "gemm", "plan"]) {
      const started = performance.now();
      const result = await pool.computeRadii(embeddings, K, {
        backend: "cpu",
        kernel: kernel === "plan" ? undefined : kernel,
      });
      times[kernel].push((performance.now() - started) / 1000);
      if (kernel === "plan") detail = result.detail;
      reference ??= result.radii;
      if (!result.radii.every((v, i) => v === reference[i]))
        throw new Error(`${name}: the ${kernel} radii differ`);
    }
  }
  const better = Math.min(median(times.partition), median(times.gemm));
  console.log(`${name} (${n} x ${d}, ${what})`);
  console.log(
    `  partition ${span(times.partition)}   gemm ${span(times.gemm)}   plan ${span(times.plan)}`,
  );
  console.log(`  plan / better kernel = ${(median(times.plan) / better).toFixed(2)}x   ${detail}`);
}
await pool.close();
