/**
 * Test data shared by core's suites (not built into dist: see tsconfig.json's exclude).
 */
import fc from "fast-check";
import { createEmbeddings, type Embeddings } from "../embeddings.js";

/** A seeded xorshift generator of numbers in [0, 1): the same seed, the same sequence. */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/**
 * Random embeddings (up to maxN x maxD) where some rows are exact copies of earlier ones, on a
 * coarse grid (many equal distances) or a fine one (almost none): the ties exact kNN must order.
 */
export function embeddingsWithDuplicates(limits: {
  readonly maxN: number;
  readonly maxD: number;
}): fc.Arbitrary<Embeddings> {
  return fc
    .record({
      n: fc.integer({ min: 2, max: limits.maxN }),
      d: fc.integer({ min: 1, max: limits.maxD }),
      seed: fc.integer(),
      dupRate: fc.double({ min: 0, max: 0.6, noNaN: true }),
      grid: fc.boolean(),
    })
    .map(({ n, d, seed, dupRate, grid }) => {
      const rand = random(seed);
      const data = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        if (i > 0 && rand() < dupRate) {
          const src = Math.floor(rand() * i);
          data.copyWithin(i * d, src * d, src * d + d);
        } else {
          for (let t = 0; t < d; t++) data[i * d + t] = grid ? Math.floor(rand() * 4) / 4 : rand();
        }
      }
      return createEmbeddings(data, n, d);
    });
}
