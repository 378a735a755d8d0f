import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { criticalValueRadiiPartitioned, criticalValueRadiiReference } from "./knn.js";
import { leafNeighbourHeaps, partitionWorkShare } from "./leaf-knn.js";
import { buildSpatialIndex, leafSizeFor } from "./spatial-index.js";
import { nearIdenticalEmbeddings } from "./testing.js";

describe("the partitioned search on identical and near-identical points", () => {
  it.each([
    // n a multiple of k + 1: every row has k copies; from 32-d, where balls overlap
    [12000, 40, 5],
    [12000, 128, 5],
  ])(
    "counts copies at distance 0 instead of comparing them pairwise (n %i, d %i, k %i)",
    (n, d, k) => {
      // one row plus 1e-9 noise, each noisy row k + 1 times: every radius is 0, yet no group is
      // larger than k + 1, so planDuplicates collapses nothing and the search sees every copy
      const e = nearIdenticalEmbeddings(n, d, n + d, { copies: k + 1 });
      const index = buildSpatialIndex(e, leafSizeFor(k));
      const leaves = index.leafStart.length - 1;
      // every leaf measured: the share of the n^2 query-point distances the search computes.
      // Before queries at distance 0 were settled, each scanned every overlapping ball: 0.042 and
      // 0.017 here (0.0042 and 0.0048 settled; a query's own leaf alone is about 0.002)
      expect(partitionWorkShare(index, k, leaves)).toBeLessThan(0.01);
      expect(Array.from(criticalValueRadiiPartitioned(e, k))).toEqual(new Array(n).fill(0));
    },
  );

  it("gives the reference's radii on near-identical groups of mixed sizes", () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 30, max: 260 }),
          d: fc.integer({ min: 1, max: 40 }),
          seed: fc.integer(),
          distinct: fc.integer({ min: 1, max: 6 }),
          copies: fc.integer({ min: 1, max: 8 }),
          noise: fc.constantFrom(0, 1e-12, 1e-9, 1e-3),
          k: fc.integer({ min: 1, max: 9 }),
        }),
        ({ n, d, seed, distinct, copies, noise, k }) => {
          const e = nearIdenticalEmbeddings(n, d, seed, { distinct, copies, noise, offset: 2 });
          expect(Array.from(criticalValueRadiiPartitioned(e, k))).toEqual(
            Array.from(criticalValueRadiiReference(e, k)),
          );
        },
      ),
      { numRuns: 120 },
    );
  });

  it("still lists the smallest indices among ties in leafNeighbourHeaps (settling is radii-only)", () => {
    // 40 identical rows, k 3: each row's neighbours are the 3 smallest other indices
    const k = 3;
    const e = nearIdenticalEmbeddings(40, 4, 1, { copies: 40 });
    const index = buildSpatialIndex(e, 8);
    const heaps = leafNeighbourHeaps(index, k, 0, index.leafStart.length - 1);
    heaps.sortRows();
    for (let p = 0; p < index.n; p++) {
      const row = index.order[p]!;
      const expected = [0, 1, 2, 3].filter((j) => j !== row).slice(0, k);
      expect(Array.from(heaps.index.subarray(p * k, p * k + k))).toEqual(expected);
    }
  });
});
