import { ComputationStoppedError, createEmbeddings, InvalidParameterError } from "@lacuna/core";
import { describe, expect, it } from "vitest";
import { gaussianClusters } from "./clusters.js";
import { umap } from "./umap.js";

const { embeddings } = gaussianClusters(120, 8, 3, 5);

describe("UMAP", () => {
  it("gives bit-identical output for a seed and different output for another", () => {
    const a = umap(embeddings, { seed: 7, epochs: 100 });
    const b = umap(embeddings, { seed: 7, epochs: 100 });
    const c = umap(embeddings, { seed: 8, epochs: 100 });
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Array.from(c)).not.toEqual(Array.from(a));
    expect(a.every(Number.isFinite)).toBe(true);
  });

  it("reports each epoch, umap-js's default count, and stops when asked", () => {
    let last = [0, 0];
    umap(embeddings, { onProgress: (done, total) => (last = [done, total]) });
    expect(last).toEqual([500, 500]);
    let calls = 0;
    expect(() => umap(embeddings, { shouldStop: () => ++calls > 3 })).toThrow(
      ComputationStoppedError,
    );
  });

  it("lowers nNeighbors to n - 1 for tiny inputs", () => {
    const four = createEmbeddings(new Float64Array([0, 0, 1, 0, 0, 1, 5, 5]), 4, 2);
    expect(umap(four, { epochs: 50 }).every(Number.isFinite)).toBe(true);
    const three = createEmbeddings(new Float64Array([0, 1, 2]), 3, 1);
    expect(umap(three, { epochs: 50 }).every(Number.isFinite)).toBe(true);
  });

  it("refuses bad options with typed errors", () => {
    expect(() => umap(embeddings, { nNeighbors: 1 })).toThrow(
      "nNeighbors must be an integer >= 2; received 1",
    );
    expect(() => umap(embeddings, { epochs: 1.5 })).toThrow(InvalidParameterError);
    expect(() => umap(embeddings, { seed: 2 ** 32 })).toThrow(
      "seed must be an integer from 0 to 4294967295; received 4294967296",
    );
  });
});
