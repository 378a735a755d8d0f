/**
 * The shipped MNIST encoder (models/mnist-ae): the TensorFlow.js model equals the PyTorch one it was
 * converted from, on every TensorFlow.js backend here, and it reproduces the seed tutorial's finding.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { coverageAdaptive, createEmbeddings } from "@lacuna/core";
import { imageBytes, loadMnist, readNpyFile } from "@lacuna/io";
import { KnnPool, encodeImages, loadEncoder, tfRuntime, useTfBackend } from "@lacuna/worker";
import { describe, expect, it } from "vitest";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const modelDir = join(root, "models/mnist-ae");
const PYTHON = "/usr/bin/python3";

function firstImages(count: number, pixels: Uint8Array): Uint8Array {
  return pixels.subarray(0, count * 784);
}

describe("the shipped MNIST encoder", () => {
  it("gives PyTorch's codes to 1e-5 on the same images, with the wasm and cpu backends", async (context) => {
    const torch = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
    if (torch.status !== 0) {
      if (process.env.CI === "true")
        throw new Error(
          `python3-torch is required under CI: ${torch.stderr || torch.error?.message}`,
        );
      context.skip(
        "python3-torch is not installed (apt-get install python3-torch): parity with PyTorch not checked",
      );
    }
    const dir = mkdtempSync(join(tmpdir(), "lacuna-parity-"));
    try {
      const out = join(dir, "codes.npy");
      const run = spawnSync(PYTHON, [join(modelDir, "encode_pytorch.py"), "300", out], {
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(0);
      const reference = (await readNpyFile(out)).data;
      const train = await loadMnist("train");
      const pixels = firstImages(300, train.pixels);
      let runtime = await tfRuntime();
      const encoder = await loadEncoder(runtime, modelDir);
      for (const backend of ["wasm", "cpu"]) {
        runtime = await useTfBackend(runtime, backend);
        const codes = encodeImages(runtime, encoder, pixels, 300, 64);
        let worst = 0;
        for (let i = 0; i < codes.length; i++)
          worst = Math.max(worst, Math.abs(codes[i]! - reference[i]!));
        expect(worst, backend).toBeLessThanOrEqual(1e-5);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reproduces the seed's finding: over 40 % of the 20 least-covered of the first 2000 are 2s or 7s", async () => {
    const train = await loadMnist("train");
    const n = 2000;
    const pixels = new Uint8Array(n * 784);
    for (let i = 0; i < n; i++) pixels.set(imageBytes(train, i), i * 784);
    const pool = new KnnPool({ threads: 2 });
    try {
      const { codes, dimensions } = await pool.encode(pixels, n, { modelDir, batchSize: 64 });
      expect(dimensions).toBe(10);
      const result = coverageAdaptive(createEmbeddings(codes, n, 10), 20, 0.01);
      const labels = Array.from(result.uncoveredIndices, (i) => train.labels[i]!);
      const twosAndSevens = labels.filter((l) => l === 2 || l === 7).length;
      expect(labels).toHaveLength(20);
      expect(
        twosAndSevens / 20,
        `labels of the least covered: ${labels.join(" ")}`,
      ).toBeGreaterThan(0.4);
    } finally {
      await pool.close();
    }
  });
});
