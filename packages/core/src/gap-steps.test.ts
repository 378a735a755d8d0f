import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverage } from "./coverage.js";
import { crossNearestNeighbours } from "./cross-knn.js";
import { crossDeficits, selfDeficits } from "./deficits.js";
import { selectRows } from "./export-rows.js";
import {
  distanceSums,
  flaggedIndex,
  gapLinks,
  kthDistances,
  linkRoots,
  neighbourDeficits,
  withoutSelf,
} from "./gap-steps.js";
import { abandonBound } from "./range-query.js";
import { randomEmbeddings } from "./testing.js";

/** Cut points of [0, m) into `parts` slices at the given fractions. */
function cuts(m: number, fractions: number[]): number[] {
  return [0, ...fractions.map((f) => Math.floor(f * m)).sort((a, b) => a - b), m];
}

describe("gap steps", () => {
  it("links cut into any slices join the same components as one slice, each slice under m pairs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 150 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
        fc.constantFrom(0.05, 0.2, 0.5),
        (m, d, seed, fractions, link) => {
          const e = randomEmbeddings(m, d, seed, { duplicateRate: 0.2, grid: 8 });
          const all = Int32Array.from({ length: m }, (_, i) => i);
          const index = flaggedIndex(e, all);
          const whole = linkRoots(m, [gapLinks(index, 0, m, link)]);
          const at = cuts(m, fractions);
          const slices = at.slice(1).map((p1, s) => gapLinks(index, at[s]!, p1, link));
          for (const pairs of slices) expect(pairs.length / 2).toBeLessThan(m);
          expect(linkRoots(m, slices)).toEqual(whole);
          // the definition: rows a and b share a root exactly when a chain of links joins them
          for (let a = 0; a < m; a++) {
            for (let b = a + 1; b < m; b++) {
              let dsq = 0;
              for (let c = 0; c < d; c++) dsq += (e.data[a * d + c]! - e.data[b * d + c]!) ** 2;
              if (Math.sqrt(dsq) <= link) expect(whole[a]).toBe(whole[b]);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("distance sums cut into slices equal the whole", () => {
    const e = randomEmbeddings(60, 5, 3);
    const positions = Int32Array.from({ length: 40 }, (_, i) => (i * 7) % 60);
    const points = Float64Array.from(e.data);
    const whole = distanceSums(points, 5, positions, 0, 40);
    const parts = [
      distanceSums(points, 5, positions, 0, 13),
      distanceSums(points, 5, positions, 13, 40),
    ];
    expect(Float64Array.from([...parts[0]!, ...parts[1]!])).toEqual(whole);
  });

  it("deficits from the k + 1 nearest (own entry dropped) equal the range counts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 150 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom(0.1, 0.5, 1),
        (n, d, seed, percent) => {
          // many exact copies: a row can have more than k rows at distance 0
          const e = randomEmbeddings(n, d, seed, { duplicateRate: 0.5, grid: 3 });
          const k = Math.min(3, n - 1);
          const { uncoveredIndices: U, coverageRadius: R } = coverage(e, k, "adaptive", percent);
          const found = crossNearestNeighbours(e, selectRows(e, U), k + 1);
          const others = withoutSelf(found, U, k);
          expect(neighbourDeficits(others, R)).toEqual(selfDeficits(e, U, R, k));
          for (let t = 0; t < U.length; t++) {
            expect(Array.from(others.indices.subarray(t * k, t * k + k))).not.toContain(U[t]);
          }
          const q = randomEmbeddings(20, d, seed + 1, { grid: 3 });
          const rows = Int32Array.from({ length: 20 }, (_, i) => i);
          const nn = crossNearestNeighbours(e, q, k);
          expect(neighbourDeficits(nn, R)).toEqual(crossDeficits(e, q, rows, R, k));
          expect(kthDistances(nn)).toHaveLength(20);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("abandons a distance only where its square root exceeds the radius", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-150, max: 1e150, noNaN: true }),
        fc.integer({ min: -8, max: 8 }),
        (r, ulps) => {
          const v = r * r * (1 + ulps * 2 ** -52);
          if (Math.sqrt(v) <= r) expect(v).toBeLessThanOrEqual(abandonBound(r));
          expect(abandonBound(r)).toBeGreaterThanOrEqual(r * r);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
