import { createEmbeddings } from "@lacuna/core";
import { describe, expect, it } from "vitest";
import { conditionalRow, inputAffinities, symmetrize } from "./affinities.js";
import { gaussianClusters } from "./clusters.js";

/** exp(entropy in nats) of a probability row. */
function perplexityOf(row: Float64Array): number {
  let h = 0;
  for (const p of row) if (p > 0) h -= p * Math.log(p);
  return Math.exp(h);
}

describe("conditionalRow", () => {
  it("matches the perplexity asked for, whatever the distance scale", () => {
    for (const scale of [1e-6, 1, 1e6]) {
      const squared = new Float64Array(90);
      for (let j = 0; j < 90; j++) squared[j] = scale * (1 + j + Math.sin(j) * 0.5);
      for (const perplexity of [5, 30]) {
        const out = new Float64Array(90);
        conditionalRow(squared, out, 0, 90, Math.log(perplexity));
        expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        expect(perplexityOf(out)).toBeCloseTo(perplexity, 3);
      }
    }
  });

  it("gives equal weights to duplicates it cannot tell apart", () => {
    const out = new Float64Array(4);
    conditionalRow(new Float64Array([0, 0, 0, 0]), out, 0, 4, Math.log(2));
    expect(Array.from(out)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe("symmetrize", () => {
  it("gives (p_j|i + p_i|j) / 2n, as a dense computation does", () => {
    const n = 5;
    const k = 2;
    const indices = new Int32Array([1, 2, 0, 3, 4, 0, 2, 1, 3, 0]);
    const conditional = new Float64Array([0.7, 0.3, 0.6, 0.4, 0.9, 0.1, 0.5, 0.5, 0.8, 0.2]);
    const dense = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < k; t++) {
        const j = indices[i * k + t]!;
        dense[i * n + j] = dense[i * n + j]! + conditional[i * k + t]! / (2 * n);
        dense[j * n + i] = dense[j * n + i]! + conditional[i * k + t]! / (2 * n);
      }
    }
    const p = symmetrize(n, k, indices, conditional);
    const fromSparse = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let e = p.rowStart[i]!; e < p.rowStart[i + 1]!; e++) {
        expect(fromSparse[i * n + p.columns[e]!]).toBe(0);
        fromSparse[i * n + p.columns[e]!] = p.values[e]!;
      }
    }
    for (let c = 0; c < n * n; c++) expect(fromSparse[c]).toBeCloseTo(dense[c]!, 15);
  });
});

describe("inputAffinities", () => {
  it("is symmetric, sums to 1, has no diagonal and at least 3 * perplexity entries a row", () => {
    const { embeddings } = gaussianClusters(200, 6, 3, 1);
    const p = inputAffinities(embeddings, 10);
    const lookup = new Map<number, number>();
    let total = 0;
    for (let i = 0; i < p.n; i++) {
      expect(p.rowStart[i + 1]! - p.rowStart[i]!).toBeGreaterThanOrEqual(30);
      for (let e = p.rowStart[i]!; e < p.rowStart[i + 1]!; e++) {
        expect(p.columns[e]).not.toBe(i);
        expect(p.values[e]).toBeGreaterThan(0);
        lookup.set(i * p.n + p.columns[e]!, p.values[e]!);
        total += p.values[e]!;
      }
    }
    expect(total).toBeCloseTo(1, 12);
    for (const [key, value] of lookup) {
      expect(lookup.get((key % p.n) * p.n + Math.floor(key / p.n))).toBe(value);
    }
  });

  it("uses every other point when the perplexity asks for more than exist", () => {
    const embeddings = createEmbeddings(new Float64Array([0, 0, 1, 0, 0, 2, 3, 3]), 4, 2);
    const p = inputAffinities(embeddings, 1);
    expect(Array.from(p.rowStart)).toEqual([0, 3, 6, 9, 12]);
  });
});
