/** The worker pool on every reference fixture: each backend and 1, 2 and 4 threads give core's radii. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { criticalValueRadii, type Embeddings } from "@lacuna/core";
import { loadEmbeddingsNpy } from "@lacuna/io";
import { type Backend, KnnPool } from "@lacuna/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures/reference");
const cases: [string, number][] = [
  ["blobs-2000x10", 20],
  ["uniform-1000x3", 5],
  ["highd-300x784", 10],
  ["ties-200x4", 20],
  ["ties-200x4", 5],
];

describe.each([1, 2, 4])("a pool of %i threads", (threads) => {
  let pool: KnnPool;
  beforeAll(() => {
    pool = new KnnPool({ threads });
  });
  afterAll(() => pool.close());

  it.each(cases)("gives core's radii on %s (k = %i) with every backend", async (name, k) => {
    const embeddings: Embeddings = await loadEmbeddingsNpy(join(fixtures, `${name}.npy`));
    const expected = Array.from(criticalValueRadii(embeddings, k));
    for (const backend of ["cpu", "gpujs", "auto"] as Backend[]) {
      const { radii } = await pool.computeRadii(embeddings, k, { backend });
      expect(Array.from(radii), backend).toEqual(expected);
    }
  });
});
