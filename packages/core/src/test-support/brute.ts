/**
 * fast-check arbitraries over two sets for core's suites, beside the brute-force references that
 * live in `@lacuna/core/testing` (re-exported here for core's own tests).
 */
import fc from "fast-check";
import { createEmbeddings, type Embeddings } from "../embeddings.js";
import { random } from "./random.js";

export {
  bruteCrossRadii,
  bruteDeficit,
  bruteExceeding,
  dist,
  naiveGreedy,
  sortedNeighbours,
} from "../testing.js";

/** Two sets of one width with shared rows (copies across the sets) and grid ties, in [0, 1). */
export function twoSets(limits: {
  readonly maxN: number;
  readonly maxD: number;
}): fc.Arbitrary<{ a: Embeddings; b: Embeddings }> {
  return fc
    .record({
      na: fc.integer({ min: 2, max: limits.maxN }),
      nb: fc.integer({ min: 1, max: limits.maxN }),
      d: fc.integer({ min: 1, max: limits.maxD }),
      seed: fc.integer(),
      dupRate: fc.double({ min: 0, max: 0.6, noNaN: true }),
      grid: fc.boolean(),
    })
    .map(({ na, nb, d, seed, dupRate, grid }) => {
      const rand = random(seed);
      const value = () => (grid ? Math.floor(rand() * 4) / 4 : rand());
      const a = new Float64Array(na * d);
      for (let i = 0; i < na; i++) {
        if (i > 0 && rand() < dupRate) {
          const src = Math.floor(rand() * i);
          a.copyWithin(i * d, src * d, src * d + d);
        } else for (let t = 0; t < d; t++) a[i * d + t] = value();
      }
      const b = new Float64Array(nb * d);
      for (let i = 0; i < nb; i++) {
        if (rand() < dupRate) {
          const src = Math.floor(rand() * na);
          b.set(a.subarray(src * d, src * d + d), i * d);
        } else for (let t = 0; t < d; t++) b[i * d + t] = value();
      }
      return { a: createEmbeddings(a, na, d), b: createEmbeddings(b, nb, d) };
    });
}
