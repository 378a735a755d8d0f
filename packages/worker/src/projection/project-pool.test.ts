import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InvalidEmbeddingsError, InvalidParameterError } from "@lacuna/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KnnPool, CancelledError, WorkerFailedError } from "../pool.js";
import { gaussianClusters } from "./clusters.js";
import { type ProjectionMethod } from "./options.js";
import { projectEmbeddings } from "./project.js";

const here = dirname(fileURLToPath(import.meta.url));
const realWorker = pathToFileURL(resolve(here, "../../dist/worker.js")).href;

/** The real worker, except that projection tasks with seed 666 throw and seed 667 kill the thread. */
const faultyWorker = `import run from ${JSON.stringify(realWorker)};
export default async function faulty(task) {
  if (task.kind === "project" && task.seed === 666) throw new Error("injected fault");
  if (task.kind === "project" && task.seed === 667) process.exit(3);
  return run(task);
}
`;

describe("projections in the pool", () => {
  let pool: KnnPool;
  let dir: string;
  const { embeddings } = gaussianClusters(200, 6, 3, 21);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "lacuna-project-"));
    const file = join(dir, "faulty-worker.mjs");
    writeFileSync(file, faultyWorker);
    pool = new KnnPool({ threads: 2, workerFile: file });
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ["tsne", 300],
    ["umap", 100],
    ["pca", 1],
  ] as [ProjectionMethod, number][])(
    "gives the same coordinates as the in-thread computation (%s)",
    async (method, iterations) => {
      const seen: [number, number][] = [];
      const result = await pool.project(embeddings, method, {
        seed: 5,
        iterations,
        onProgress: (done, total) => seen.push([done, total]),
      });
      const here = projectEmbeddings(embeddings, method, { seed: 5, iterations });
      expect(result.method).toBe(method);
      expect(result.seconds).toBeGreaterThan(0);
      expect(Buffer.from(result.coordinates.buffer).equals(Buffer.from(here.buffer))).toBe(true);
      expect(seen.at(-1)).toEqual([iterations, iterations]);
      const done = seen.map(([d]) => d);
      expect(done).toEqual([...done].sort((a, b) => a - b));
    },
  );

  it("cancels a running projection through the AbortSignal, then serves the next call", async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const running = pool.project(embeddings, "tsne", {
      iterations: 100_000,
      signal: controller.signal,
      onProgress: (done) => seen.push(done),
    });
    setTimeout(() => controller.abort(), 400);
    await expect(running).rejects.toThrow(CancelledError);
    expect(seen.length).toBeGreaterThan(0);
    const { coordinates } = await pool.project(embeddings, "pca");
    expect(coordinates.length).toBe(400);
  });

  it("rejects with the error of a progress callback that throws, and stops the worker", async () => {
    const running = pool.project(embeddings, "tsne", {
      iterations: 100_000,
      onProgress: () => {
        throw new Error("the dashboard went away");
      },
    });
    await expect(running).rejects.toThrow("the dashboard went away");
    const { coordinates } = await pool.project(embeddings, "pca");
    expect(coordinates.length).toBe(400);
  });

  it("fails cleanly when a worker throws or dies, then serves the next call", async () => {
    await expect(pool.project(embeddings, "umap", { seed: 666 })).rejects.toThrow(
      "a worker failed while computing the umap projection of 200 samples: injected fault",
    );
    await expect(pool.project(embeddings, "pca", { seed: 667 })).rejects.toThrow(WorkerFailedError);
    const again = await pool.project(embeddings, "tsne", { iterations: 50 });
    expect(again.coordinates.every(Number.isFinite)).toBe(true);
  });

  it("refuses bad input, bad parameters and an aborted signal before any work", async () => {
    await expect(pool.project({ data: new Float32Array(4), n: 2, d: 2 }, "pca")).rejects.toThrow(
      InvalidEmbeddingsError,
    );
    await expect(pool.project(embeddings, "isomap" as ProjectionMethod)).rejects.toThrow(
      InvalidParameterError,
    );
    await expect(pool.project(embeddings, "tsne", { perplexity: 0 })).rejects.toThrow(
      InvalidParameterError,
    );
    await expect(pool.project(embeddings, "tsne", { signal: AbortSignal.abort() })).rejects.toThrow(
      CancelledError,
    );
  });
});
