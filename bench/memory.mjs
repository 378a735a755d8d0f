#!/usr/bin/env node
/**
 * One computation in a fresh process, for `npm run bench`: prints JSON with the seconds and the
 * peak resident memory (maxRSS) of the whole process, worker threads included.
 *   node bench/memory.mjs N D THREADS
 */
import { createEmbeddings } from "@lacuna/core";
import { KnnPool } from "@lacuna/worker";
import { clustered } from "./data.mjs";

const [n, d, threads] = process.argv.slice(2).map(Number);
const embeddings = createEmbeddings(clustered(n, d), n, d);
const pool = new KnnPool({ threads });
const started = performance.now();
const result = await pool.computeRadii(embeddings, 20, { backend: "cpu" });
const seconds = (performance.now() - started) / 1000;
await pool.close();
console.log(
  JSON.stringify({
    n,
    d,
    threads,
    seconds,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    detail: result.detail,
  }),
);
