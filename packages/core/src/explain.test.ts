import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { embeddingsFromRows, type Embeddings } from "./embeddings.js";
import { InvalidParameterError, NotEnoughSamplesError } from "./errors.js";
import { explainSample, radiusRank } from "./explain.js";
import { criticalValueRadii, nearestNeighbours } from "./knn.js";
import { descendingOrder } from "./radius.js";
import { embeddingsWithDuplicates } from "./test-support/random.js";

const withDuplicates = embeddingsWithDuplicates({ maxN: 120, maxD: 12 });

/** Brute force: every other row's distance, sorted by (distance, index), first k. */
function bruteNeighbours(e: Embeddings, i: number, k: number) {
  const all: { j: number; dist: number }[] = [];
  for (let j = 0; j < e.n; j++) {
    if (j === i) continue;
    let s = 0;
    for (let t = 0; t < e.d; t++) {
      const diff = e.data[i * e.d + t]! - e.data[j * e.d + t]!;
      s += diff * diff;
    }
    all.push({ j, dist: Math.sqrt(s) });
  }
  all.sort((a, b) => a.dist - b.dist || a.j - b.j);
  return all.slice(0, k);
}

describe("explainSample", () => {
  it("lists the k nearest by (distance, index), as brute force and nearestNeighbours do", () => {
    fc.assert(
      fc.property(withDuplicates, fc.nat(), fc.nat(), (e, kRaw, iRaw) => {
        const k = 1 + (kRaw % (e.n - 1));
        const i = iRaw % e.n;
        const radii = criticalValueRadii(e, k);
        const x = explainSample(e, i, k, radii, 0.5);
        const brute = bruteNeighbours(e, i, k);
        expect(Array.from(x.neighbours)).toEqual(brute.map((b) => b.j));
        expect(Array.from(x.distances)).toEqual(brute.map((b) => b.dist));
        const nn = nearestNeighbours(e, k);
        expect(Array.from(x.neighbours)).toEqual(Array.from(nn.indices.subarray(i * k, i * k + k)));
        // the k-th distance is the sample's radius, to the last bit
        expect(x.distances[k - 1]).toBe(radii[i]);
        expect(x.radius).toBe(radii[i]);
        expect(x.exceedsCoverageRadius).toBe(radii[i]! > 0.5);
      }),
      { numRuns: 200 },
    );
  });

  it("ranks radii as adaptive coverage orders them: 1 = largest, ties larger index first", () => {
    fc.assert(
      fc.property(withDuplicates, fc.nat(), (e, kRaw) => {
        const k = 1 + (kRaw % (e.n - 1));
        const radii = criticalValueRadii(e, k);
        const order = descendingOrder(radii);
        for (let p = 0; p < order.length; p++) expect(radiusRank(radii, order[p]!)).toBe(p + 1);
      }),
      { numRuns: 100 },
    );
  });

  it("explains DataEval's edge case: the lone point at (1, 1) has rank 1 and all 100 zeros as neighbours", () => {
    const rows = Array.from({ length: 101 }, (_, i) => (i === 100 ? [1, 1] : [0, 0]));
    const e = embeddingsFromRows(rows);
    const radii = criticalValueRadii(e, 20);
    const x = explainSample(e, 100, 20, radii, 0.5);
    expect(x.rank).toBe(1);
    expect(Array.from(x.neighbours)).toEqual(Array.from({ length: 20 }, (_, t) => t));
    expect(x.distances[0]).toBe(Math.SQRT2);
    expect(x.exceedsCoverageRadius).toBe(true);
    const zero = explainSample(e, 7, 20, radii, 0.5);
    expect(Array.from(zero.distances)).toEqual(new Array(20).fill(0));
    expect(zero.neighbours[0]).toBe(0);
    expect(zero.neighbours).not.toContain(7);
    // 100 equal radii of 0 below it: index 99 ranks 2, index 0 ranks 101
    expect(radiusRank(radii, 99)).toBe(2);
    expect(radiusRank(radii, 0)).toBe(101);
  });

  it("refuses a bad index, k, radii or coverage radius", () => {
    const e = embeddingsFromRows([[0], [0.5], [1]]);
    const radii = criticalValueRadii(e, 1);
    expect(() => explainSample(e, 3, 1, radii, 0.1)).toThrow(InvalidParameterError);
    expect(() => explainSample(e, -1, 1, radii, 0.1)).toThrow(
      /index must be an integer in \[0, 3\)/,
    );
    expect(() => explainSample(e, 1.5, 1, radii, 0.1)).toThrow(InvalidParameterError);
    expect(() => explainSample(e, 0, 3, radii, 0.1)).toThrow(NotEnoughSamplesError);
    expect(() => explainSample(e, 0, 0, radii, 0.1)).toThrow(InvalidParameterError);
    expect(() => explainSample(e, 0, 1, radii.subarray(1), 0.1)).toThrow(/radii.length/);
    expect(() => explainSample(e, 0, 1, radii, Number.NaN)).toThrow(/coverageRadius/);
    expect(() => radiusRank(radii, 5)).toThrow(InvalidParameterError);
  });
});
