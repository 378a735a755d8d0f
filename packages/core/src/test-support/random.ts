/**
 * fast-check arbitraries for core's suites (not built into dist: see tsconfig.json's exclude),
 * drawn with the one seeded generator of `@lacuna/core/testing`.
 */
import fc from "fast-check";
import type { Embeddings } from "../embeddings.js";
import { randomEmbeddings } from "../testing.js";

export { random } from "../testing.js";

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
      duplicateRate: fc.double({ min: 0, max: 0.6, noNaN: true }),
      grid: fc.boolean(),
    })
    .map(({ n, d, seed, duplicateRate, grid }) =>
      randomEmbeddings(n, d, seed, { duplicateRate, grid: grid ? 4 : 0 }),
    );
}
