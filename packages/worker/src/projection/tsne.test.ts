import {
  ComputationStoppedError,
  createEmbeddings,
  InvalidEmbeddingsError,
  InvalidParameterError,
} from "@lacuna/core";
import { describe, expect, it } from "vitest";
import { inputAffinities } from "./affinities.js";
import { gaussianClusters } from "./clusters.js";
import { tsne, tsneLearningRate } from "./tsne.js";
import { klDivergence } from "./tsne-exact.js";

const { embeddings } = gaussianClusters(150, 10, 3, 3);

describe("t-SNE", () => {
  it("gives bit-identical output for a seed and different output for another", () => {
    const a = tsne(embeddings, { seed: 1, iterations: 300 });
    const b = tsne(embeddings, { seed: 1, iterations: 300 });
    const c = tsne(embeddings, { seed: 2, iterations: 300 });
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Array.from(c)).not.toEqual(Array.from(a));
    expect(a.every(Number.isFinite)).toBe(true);
  });

  it("lowers the KL divergence over the iterations after early exaggeration", () => {
    // the schedule does not depend on the iteration count: a run of t is the first t of a longer one
    const p = inputAffinities(embeddings, 30);
    const kl = [250, 400, 600, 1000].map((iterations) =>
      klDivergence(p, tsne(embeddings, { iterations })),
    );
    for (let s = 1; s < kl.length; s++) expect(kl[s]).toBeLessThan(kl[s - 1]!);
    expect(kl[3]).toBeLessThan(0.9 * kl[0]!);
  });

  it("reports every iteration and stops when asked", () => {
    const done: number[] = [];
    tsne(embeddings, { iterations: 20, onProgress: (d, total) => done.push(d * 1000 + total) });
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 1000 + 20));
    let calls = 0;
    expect(() => tsne(embeddings, { shouldStop: () => ++calls > 5 })).toThrow(
      ComputationStoppedError,
    );
  });

  it("handles the smallest inputs and coincident points", () => {
    const three = createEmbeddings(new Float64Array([0, 0, 1, 0, 0, 1]), 3, 2);
    expect(tsne(three, { iterations: 50 }).every(Number.isFinite)).toBe(true);
    const same = createEmbeddings(new Float32Array(40).fill(2), 10, 4);
    expect(tsne(same, { iterations: 50 }).every(Number.isFinite)).toBe(true);
  });

  it("uses scikit-learn's automatic learning rate", () => {
    expect(tsneLearningRate(300)).toBe(50);
    expect(tsneLearningRate(60000)).toBe(1250);
  });

  it("refuses bad options with typed errors naming the value", () => {
    expect(() => tsne(embeddings, { perplexity: 0.5 })).toThrow(
      "perplexity must be a finite number >= 1; received 0.5",
    );
    expect(() => tsne(embeddings, { perplexity: Number.NaN })).toThrow(InvalidParameterError);
    expect(() => tsne(embeddings, { iterations: 0 })).toThrow(
      "iterations must be an integer from 1 to 100000; received 0",
    );
    expect(() => tsne(embeddings, { theta: -1 })).toThrow(InvalidParameterError);
    expect(() => tsne(embeddings, { learningRate: 0 })).toThrow(InvalidParameterError);
    expect(() => tsne(embeddings, { seed: -1 })).toThrow(InvalidParameterError);
    expect(() => tsne(createEmbeddings(new Float64Array(4), 2, 2))).toThrow(InvalidEmbeddingsError);
  });
});
