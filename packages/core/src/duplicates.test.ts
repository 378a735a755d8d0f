import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expandRadii, planDuplicates } from "./duplicates.js";
import { createEmbeddings } from "./embeddings.js";
import { criticalValueRadii, criticalValueRadiiBrute, criticalValueRadiiReference } from "./knn.js";
import { randomEmbeddings } from "./testing.js";

describe("planDuplicates", () => {
  it("keeps at most k + 1 copies of each row, first ones in order", () => {
    const e = createEmbeddings(Float64Array.from([1, 1, 1, 2, 1, 1, 2]), 7, 1);
    const plan = planDuplicates(e, 2)!;
    expect(Array.from(plan.kept)).toEqual([0, 1, 2, 3, 6]);
    expect(Array.from(plan.source)).toEqual([0, 1, 2, 3, 0, 0, 4]);
    expect(Array.from(plan.reduced.data)).toEqual([1, 1, 1, 2, 2]);
  });

  it("is null when no row has more than k + 1 copies", () => {
    expect(planDuplicates(randomEmbeddings(50, 3, 1), 5)).toBeNull();
    expect(planDuplicates(createEmbeddings(Float64Array.from([0, 0, 0, 1]), 4, 1), 2)).toBeNull();
  });

  it("gives bit-identical radii to brute force on duplicate-heavy data (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 80 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(0.3, 0.7, 0.95),
        fc.boolean(),
        (n, d, k, seed, duplicateRate, float32) => {
          fc.pre(n > k);
          const e = randomEmbeddings(n, d, seed, { duplicateRate, float32, grid: 4 });
          const expected = criticalValueRadiiReference(e, k);
          const plan = planDuplicates(e, k);
          const viaPlan = plan ? expandRadii(plan, criticalValueRadiiBrute(plan.reduced, k)) : null;
          if (viaPlan) expect(Array.from(viaPlan)).toEqual(Array.from(expected));
          expect(Array.from(criticalValueRadii(e, k))).toEqual(Array.from(expected));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("makes 20 000 identical rows a near-linear problem: every radius 0", () => {
    const e = createEmbeddings(new Float32Array(20_000 * 8).fill(0.5), 20_000, 8);
    const plan = planDuplicates(e, 20)!;
    // the search runs on k + 1 rows, whatever n is: no O(n^2) comparisons are possible
    expect(plan.reduced.n).toBe(21);
    expect(criticalValueRadii(e, 20).every((r) => r === 0)).toBe(true);
  });
});
