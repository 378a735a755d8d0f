import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collect } from "./collect.js";
import { coverage, coverageAdaptiveFromRadii, coverageNaiveFromRadii } from "./coverage.js";
import { createEmbeddings, embeddingsFromRows } from "./embeddings.js";
import { InvalidParameterError } from "./errors.js";
import { greedyDeficitReduction } from "./greedy-cover.js";
import { criticalValueRadiiReference } from "./knn.js";
import { bruteDeficit, dist, naiveGreedy, twoSets } from "./test-support/brute.js";

/** A random relation as compressed rows (the lazy greedy's input) and as plain lists. */
const relation = fc
  .record({
    targets: fc.integer({ min: 0, max: 12 }),
    candidates: fc.integer({ min: 0, max: 25 }),
    deficitMax: fc.integer({ min: 0, max: 4 }),
    density: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 400, maxLength: 400 }),
    budget: fc.integer({ min: 0, max: 30 }),
  })
  .map(({ targets, candidates, deficitMax, density, seed, budget }) => {
    let s = 0;
    const next = () => seed[s++ % seed.length]!;
    const deficits = Array.from({ length: targets }, () => Math.round(next() * deficitMax));
    const reach: number[][] = [];
    for (let p = 0; p < candidates; p++) {
      const row: number[] = [];
      for (let u = 0; u < targets; u++) if (next() < density) row.push(u);
      reach.push(row);
    }
    return { deficits, reach, budget };
  });

function compressed(reach: number[][]): { start: Int32Array; targets: Int32Array } {
  const start = new Int32Array(reach.length + 1);
  reach.forEach((row, p) => (start[p + 1] = start[p]! + row.length));
  return { start, targets: Int32Array.from(reach.flat()) };
}

describe("greedyDeficitReduction (lazy)", () => {
  it("picks exactly what the plain greedy picks, with the same remaining deficits", () => {
    fc.assert(
      fc.property(relation, ({ deficits, reach, budget }) => {
        const { start, targets } = compressed(reach);
        const lazy = greedyDeficitReduction(Int32Array.from(deficits), start, targets, budget);
        const plain = naiveGreedy(deficits, reach, budget);
        expect(Array.from(lazy.selected)).toEqual(plain.selected);
        expect(Array.from(lazy.remaining)).toEqual(plain.remaining);
        for (let t = 1; t < lazy.gains.length; t++) {
          expect(lazy.gains[t]!).toBeLessThanOrEqual(lazy.gains[t - 1]!);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("breaks ties to the lower index and stops when nothing reduces", () => {
    const { start, targets } = compressed([[0], [0, 1], [1, 0], [2]]);
    const picks = greedyDeficitReduction(Int32Array.of(1, 1, 0), start, targets, 10);
    expect(Array.from(picks.selected)).toEqual([1]);
    expect(Array.from(picks.remaining)).toEqual([0, 0, 0]);
  });

  it("refuses a budget that is not an integer >= 0 and malformed relations", () => {
    const { start, targets } = compressed([[0]]);
    expect(() => greedyDeficitReduction(Int32Array.of(1), start, targets, -1)).toThrow(
      "budget must be an integer >= 0; received -1",
    );
    expect(() => greedyDeficitReduction(Int32Array.of(1), start, Int32Array.of(3), 1)).toThrow(
      InvalidParameterError,
    );
    expect(() => greedyDeficitReduction(Int32Array.of(-1), start, targets, 1)).toThrow(
      "deficits[0] must be an integer >= 0; received -1",
    );
  });
});

describe("collect", () => {
  it("matches the issue's definitions computed by double loops", () => {
    fc.assert(
      fc.property(
        twoSets({ maxN: 90, maxD: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.02, max: 0.5, noNaN: true }),
        fc.constantFrom("adaptive" as const, "naive" as const),
        fc.integer({ min: 0, max: 12 }),
        ({ a: ref, b: pool }, kRaw, percent, method, budget) => {
          const k = 1 + (kRaw % (ref.n - 1));
          const result = collect(ref, pool, budget, { k, percent, method });
          const own = coverage(ref, k, method, percent);
          const R = own.coverageRadius;
          const U = Array.from(own.uncoveredIndices);
          expect(result.coverageRadius).toBe(R);
          expect(Array.from(result.uncoveredIndices)).toEqual(U);
          const deficits = U.map((u) => bruteDeficit(ref, u, ref, R, k, true));
          if (method === "naive") for (const v of deficits) expect(v).toBeGreaterThanOrEqual(1);
          const reach: number[][] = [];
          for (let p = 0; p < pool.n; p++) {
            reach.push(U.flatMap((u, t) => (dist(ref, u, pool, p) <= R ? [t] : [])));
          }
          const plain = naiveGreedy(deficits, reach, budget);
          expect(Array.from(result.selected)).toEqual(plain.selected);
          expect(Array.from(result.deficits)).toEqual(deficits);
          expect(result.deficitBefore).toBe(deficits.reduce((s, v) => s + v, 0));
          expect(result.deficitAfter).toBe(plain.remaining.reduce((s, v) => s + v, 0));

          // coverage of reference + selected, from the plain O(n^2) radii
          const rows = ref.n + plain.selected.length;
          const union = new Float64Array(rows * ref.d);
          union.set(ref.data);
          plain.selected.forEach((p, t) =>
            union.set(pool.data.subarray(p * ref.d, p * ref.d + ref.d), (ref.n + t) * ref.d),
          );
          const radii = criticalValueRadiiReference(createEmbeddings(union, rows, ref.d), k);
          const again =
            method === "naive"
              ? coverageNaiveFromRadii(radii, ref.d, k)
              : coverageAdaptiveFromRadii(radii, percent);
          const stillFlagged = new Set(again.uncoveredIndices);
          expect(result.recomputed.coverageRadius).toBe(again.coverageRadius);
          expect(result.recomputed.resolved).toBe(U.filter((u) => !stillFlagged.has(u)).length);
          expect(result.recomputed.resolvedAtReferenceRadius).toBe(
            U.filter((u) => radii[u]! <= R).length,
          );
          // closing a deficit is exactly reaching k neighbours within R
          expect(result.recomputed.resolvedAtReferenceRadius).toBe(
            plain.remaining.filter((v) => v === 0).length,
          );
        },
      ),
      { numRuns: 120 },
    );
  });

  it("fills a gap with the pool samples inside it, best first", () => {
    // a dense cluster near 0 and one isolated sample at 1; pool rows near 1 fill its gap
    const ref = embeddingsFromRows([[0], [0.01], [0.02], [0.03], [0.04], [1]]);
    const pool = embeddingsFromRows([[0.5], [0.99], [0.98], [0.02]]);
    const result = collect(ref, pool, 5, { k: 2, percent: 0.2 });
    expect(Array.from(result.uncoveredIndices)).toEqual([5]);
    expect(result.deficitBefore).toBe(2);
    expect(Array.from(result.selected)).toEqual([1, 2]);
    expect(result.deficitAfter).toBe(0);
    expect(result.recomputed.resolvedAtReferenceRadius).toBe(1);
  });

  it("refuses bad budgets and pools of another width", () => {
    const ref = embeddingsFromRows([[0], [0.5], [1]]);
    expect(() => collect(ref, ref, 1.5, { k: 1, percent: 0.5 })).toThrow(
      "budget must be an integer >= 0; received 1.5",
    );
    expect(() => collect(ref, embeddingsFromRows([[0, 0]]), 1, { k: 1, percent: 0.5 })).toThrow(
      "pool rows have d = 2 columns but the reference rows have d = 1",
    );
  });
});
