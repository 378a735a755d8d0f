#!/usr/bin/env node
/**
 * Where the pool's time and memory go before the search starts, step by step on the main thread,
 * as KnnPool.computeRadii runs them for the partition: the .npy read, the duplicates check, the
 * 4096-row share sample (drawn from 128-d only), the full index (shared, float32 points for
 * float32 data) and its work share. Prints seconds and the process's RSS after each step.
 *   node bench/plan-stages.mjs FILE.npy [k]
 */
import {
  buildSpatialIndex,
  leafSizeFor,
  partitionWorkShare,
  planDuplicates,
} from "@lacuna/core/internal";
import { readNpyFile } from "@lacuna/io";

const [file, kText = "20"] = process.argv.slice(2);
const k = Number(kText);
let t = performance.now();
const lap = (what) => {
  const now = performance.now();
  const rss = (process.memoryUsage().rss / 1e6).toFixed(0);
  console.log(`${what}: ${((now - t) / 1000).toFixed(2)} s, RSS ${rss} MB`);
  t = now;
};
const npy = await readNpyFile(file);
const [n, d] = npy.shape;
const embeddings = { n, d, data: npy.data };
lap(`read ${n} x ${d} ${npy.dtype}`);
planDuplicates(embeddings, k);
lap("duplicates check");
if (d >= 128 && n >= 8192) {
  const rows = 4096;
  const data = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const i = Math.floor((r * n) / rows);
    data.set(embeddings.data.subarray(i * d, i * d + d), r * d);
  }
  const share = partitionWorkShare(buildSpatialIndex({ n: rows, d, data }, leafSizeFor(k)), k);
  lap(`sample share ${share.toFixed(3)}`);
}
const index = buildSpatialIndex(embeddings, leafSizeFor(k), true, true);
lap(`full index, ${index.leafStart.length - 1} leaves, ${index.points.constructor.name} points`);
const share = partitionWorkShare(index, k);
lap(`work share ${share.toFixed(4)}`);
