#!/usr/bin/env node
/**
 * `npm run bench:encode`: images per second encoding the 60 000 MNIST training images with the
 * shipped encoder, Lacuna's worker pool (TensorFlow.js wasm, every core) against the same model in
 * PyTorch on the CPU (Debian's python3-torch) in the same run, at the seed's batch of 64 and at 1024;
 * then TensorFlow.js's cpu backend at 64.
 *   --quick   10 000 images
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { imageBytes, loadMnist } from "@lacuna/io";
import { KnnPool } from "@lacuna/worker";

const here = dirname(fileURLToPath(import.meta.url));
const modelDir = join(here, "../models/mnist-ae");
const n = process.argv.includes("--quick") ? 10_000 : 60_000;
const threads = availableParallelism();
const train = await loadMnist("train");
const pixels = new Uint8Array(n * 784);
for (let i = 0; i < n; i++) pixels.set(imageBytes(train, i), i * 784);
const pool = new KnnPool({ threads });
await pool.encode(pixels.subarray(0, 2000 * 784), 2000, { modelDir, batchSize: 64 }); // load the model in every worker
console.log(`Encoding ${n} MNIST images with the seed's encoder; ${threads} threads each`);
for (const batch of [64, 1024]) {
  const t = performance.now();
  const { backend } = await pool.encode(pixels, n, { modelDir, batchSize: batch });
  const lacuna = (performance.now() - t) / 1000;
  let line = `  batch ${String(batch).padStart(4)}: lacuna (tfjs ${backend}) ${(n / lacuna).toFixed(0)} images/s`;
  if (existsSync("/usr/bin/python3")) {
    try {
      const out = execFileSync(
        "/usr/bin/python3",
        [join(here, "encode_pytorch.py"), String(n), String(batch), String(threads)],
        { encoding: "utf8" },
      );
      const torch = JSON.parse(out).seconds;
      line += `, PyTorch ${(n / torch).toFixed(0)} images/s, lacuna / PyTorch throughput = ${(torch / lacuna).toFixed(2)}x`;
    } catch (error) {
      line += `, PyTorch not run (${String(error.message).split("\n")[0]})`;
    }
  }
  console.log(line);
}
// TensorFlow.js's plain-JavaScript backend, about 15 times slower: fewer images
const few = Math.min(n, 5000);
const t = performance.now();
const { backend } = await pool.encode(pixels.subarray(0, few * 784), few, {
  modelDir,
  batchSize: 64,
  tfBackend: "cpu",
});
console.log(
  `  batch   64: lacuna (tfjs ${backend}) ${(few / ((performance.now() - t) / 1000)).toFixed(0)} images/s on ${few} images`,
);
await pool.close();
