import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverage } from "./coverage.js";
import { crossCoverage, crossCoverageFromRadii, prepareCrossCoverage } from "./cross-coverage.js";
import {
  crossCriticalValueRadii,
  crossLeafNeighbourHeaps,
  crossNearestNeighbours,
} from "./cross-knn.js";
import { BALL_MIN_DIMENSIONS, buildSpatialIndex, leafSizeFor } from "./spatial-index.js";
import { createEmbeddings, embeddingsFromRows } from "./embeddings.js";
import {
  ComputationStoppedError,
  InvalidEmbeddingsError,
  InvalidParameterError,
  NotEnoughSamplesError,
  OutOfUnitIntervalError,
} from "./errors.js";
import {
  bruteCrossRadii,
  bruteExceeding,
  sortedNeighbours,
  twoSets,
} from "./test-support/brute.js";
import { embeddingsWithDuplicates, random } from "./test-support/random.js";
import { criticalValueRadii } from "./knn.js";

const sets = twoSets({ maxN: 160, maxD: 12 });

describe("crossCriticalValueRadii", () => {
  it("is bit-identical to the double loop over all (query, reference) pairs", () => {
    fc.assert(
      fc.property(sets, fc.integer({ min: 1, max: 40 }), ({ a, b }, kRaw) => {
        const k = 1 + (kRaw % a.n);
        expect(Array.from(crossCriticalValueRadii(a, b, k))).toEqual(bruteCrossRadii(a, b, k));
      }),
      { numRuns: 150 },
    );
  });

  it("stays bit-identical where leaves are also pruned by their balls (d >= 32)", () => {
    const wide = twoSets({ maxN: 220, maxD: 48 }).filter(({ a }) => a.d >= BALL_MIN_DIMENSIONS);
    fc.assert(
      fc.property(wide, fc.integer({ min: 1, max: 30 }), ({ a, b }, kRaw) => {
        const k = 1 + (kRaw % a.n);
        expect(Array.from(crossCriticalValueRadii(a, b, k))).toEqual(bruteCrossRadii(a, b, k));
      }),
      { numRuns: 30 },
    );
  });

  it("returns each query's k nearest reference rows by (distance, index)", () => {
    fc.assert(
      fc.property(sets, fc.integer({ min: 1, max: 12 }), ({ a, b }, kRaw) => {
        const k = 1 + (kRaw % a.n);
        const nn = crossNearestNeighbours(a, b, k);
        const brute = sortedNeighbours(a, b);
        for (let i = 0; i < b.n; i++) {
          const row = brute[i]!.slice(0, k);
          expect(Array.from(nn.indices.subarray(i * k, i * k + k))).toEqual(row.map((x) => x[1]));
          expect(Array.from(nn.distances.subarray(i * k, i * k + k))).toEqual(row.map((x) => x[0]));
        }
      }),
      { numRuns: 80 },
    );
  });

  it("against its own rows with k + 1 gives the self radii with k (itself is the first, at 0)", () => {
    fc.assert(
      fc.property(embeddingsWithDuplicates({ maxN: 200, maxD: 8 }), fc.nat(), (e, kRaw) => {
        const k = 1 + (kRaw % (e.n - 1));
        expect(Array.from(crossCriticalValueRadii(e, e, k + 1))).toEqual(
          Array.from(criticalValueRadii(e, k)),
        );
      }),
      { numRuns: 60 },
    );
  });

  it("counts a query equal to a reference row at distance 0 (nothing excluded)", () => {
    const ref = embeddingsFromRows([[0], [0.5], [1]]);
    const query = embeddingsFromRows([[0.5], [0.75]]);
    expect(Array.from(crossCriticalValueRadii(ref, query, 1))).toEqual([0, 0.25]);
    expect(Array.from(crossCriticalValueRadii(ref, query, 3))).toEqual([0.5, 0.75]);
  });

  it("stays exact on many rows (several leaves) and above the partition's dimensions", () => {
    const rand = random(7);
    for (const [nRef, nQuery, d] of [
      [900, 300, 3],
      [300, 100, 40],
      [80, 40, 140],
    ] as const) {
      const a = createEmbeddings(Float64Array.from({ length: nRef * d }, rand), nRef, d);
      const b = createEmbeddings(Float32Array.from({ length: nQuery * d }, rand), nQuery, d);
      expect(Array.from(crossCriticalValueRadii(a, b, 5))).toEqual(bruteCrossRadii(a, b, 5));
    }
  });

  it("splits by query leaves into independent parts, as a worker pool would", () => {
    const rand = random(11);
    const a = createEmbeddings(Float64Array.from({ length: 700 * 4 }, rand), 700, 4);
    const b = createEmbeddings(Float64Array.from({ length: 400 * 4 }, rand), 400, 4);
    const ra = buildSpatialIndex(a, leafSizeFor(3));
    const qi = buildSpatialIndex(b, leafSizeFor(3));
    const leaves = qi.leafStart.length - 1;
    expect(leaves).toBeGreaterThan(2);
    const cut = leaves >> 1;
    const parts = [
      crossLeafNeighbourHeaps(ra, qi, 3, 0, cut),
      crossLeafNeighbourHeaps(ra, qi, 3, cut, leaves),
    ];
    const brute = bruteCrossRadii(a, b, 3);
    const radii: number[] = [];
    for (const h of parts) for (let r = 0; r < h.rows; r++) radii.push(Math.sqrt(h.dist[r * 3]!));
    expect(radii).toEqual(Array.from(qi.order, (row) => brute[row]));
    expect(() => crossLeafNeighbourHeaps(ra, qi, 3, 1, leaves + 1)).toThrow(
      `query leaves must be a range within [0, ${leaves}); received "[1, ${leaves + 1})"`,
    );
    // cancellation: asked before each query leaf, so a flag raised after the first leaf stops it
    let asked = 0;
    expect(() => crossLeafNeighbourHeaps(ra, qi, 3, 0, leaves, () => ++asked > 1)).toThrow(
      ComputationStoppedError,
    );
    expect(asked).toBe(2);
  });

  it("refuses k outside [1, reference rows] and sets of different widths", () => {
    const ref = embeddingsFromRows([[0], [1]]);
    expect(() => crossCriticalValueRadii(ref, ref, 3)).toThrow(InvalidParameterError);
    expect(() => crossCriticalValueRadii(ref, ref, 3)).toThrow(
      "k (numObservations) must be an integer in [1, 2] (the reference has 2 rows); received 3",
    );
    expect(() => crossCriticalValueRadii(ref, ref, 0)).toThrow(InvalidParameterError);
    const wide = embeddingsFromRows([[0, 1]]);
    expect(() => crossCriticalValueRadii(ref, wide, 1)).toThrow(InvalidEmbeddingsError);
    expect(() => crossCriticalValueRadii(ref, wide, 1)).toThrow(
      "query rows have d = 2 columns but the reference rows have d = 1",
    );
  });
});

describe("crossCoverage", () => {
  it("takes the reference's own coverage radius and flags query rows above it, in order", () => {
    fc.assert(
      fc.property(
        sets,
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.constantFrom("adaptive" as const, "naive" as const),
        ({ a, b }, kRaw, percent, method) => {
          const k = 1 + (kRaw % (a.n - 1));
          const result = crossCoverage(a, b, { k, percent, method });
          const own = coverage(a, k, method, percent);
          expect(result.coverageRadius).toBe(own.coverageRadius);
          expect(Array.from(result.reference.uncoveredIndices)).toEqual(
            Array.from(own.uncoveredIndices),
          );
          const radii = bruteCrossRadii(a, b, k);
          expect(Array.from(result.criticalValueRadii)).toEqual(radii);
          expect(Array.from(result.uncoveredIndices)).toEqual(
            bruteExceeding(radii, own.coverageRadius),
          );
        },
      ),
      { numRuns: 120 },
    );
  });

  it("orders equal radii larger index first", () => {
    const ref = embeddingsFromRows([[0], [0.1], [0.2]]);
    const query = embeddingsFromRows([[0.9], [1], [0.9], [0.1]]);
    const result = crossCoverage(ref, query, { k: 1, percent: 0.5 });
    expect(Array.from(result.uncoveredIndices)).toEqual([1, 2, 0]);
  });

  it("rescales the query by the reference's min and max under forceUnitInterval", () => {
    const ref = embeddingsFromRows([[-2], [0], [1], [2], [6]]);
    const query = embeddingsFromRows([[10], [-6], [3]]);
    const result = crossCoverage(ref, query, { k: 1, percent: 0.4, forceUnitInterval: true });
    const scaled = (v: number) => (v - -2) / 8;
    expect(Array.from(result.space.query.data)).toEqual([10, -6, 3].map(scaled));
    const unitRef = embeddingsFromRows([[-2], [0], [1], [2], [6]].map((r) => r.map(scaled)));
    expect(Array.from(result.criticalValueRadii)).toEqual(
      bruteCrossRadii(unitRef, result.space.query, 1),
    );
    expect(result.coverageRadius).toBe(
      coverage(ref, 1, "adaptive", 0.4, { forceUnitInterval: true }).coverageRadius,
    );
  });

  it("refuses a query outside [0, 1] without forceUnitInterval, naming the query", () => {
    const ref = embeddingsFromRows([[0], [0.5], [1]]);
    const query = embeddingsFromRows([[0.5], [1.5]]);
    expect(() => crossCoverage(ref, query, { k: 1, percent: 0.5 })).toThrow(OutOfUnitIntervalError);
    expect(() => crossCoverage(ref, query, { k: 1, percent: 0.5 })).toThrow(
      /^query embeddings must be in the unit interval \[0, 1\]: found values from 0.5 to 1.5/,
    );
  });

  it("needs n > k in the reference, as plain coverage", () => {
    const ref = embeddingsFromRows([[0], [1]]);
    expect(() => crossCoverage(ref, ref, { k: 2, percent: 0.5 })).toThrow(NotEnoughSamplesError);
    expect(() => crossCoverage(ref, ref, { k: 1, percent: 0 })).toThrow(
      "percent must be a number in (0, 1]; received 0",
    );
  });
});

describe("prepareCrossCoverage + crossCoverageFromRadii", () => {
  it("equal crossCoverage when given the exact radii (how the worker pool finishes it)", () => {
    fc.assert(
      fc.property(sets, fc.integer({ min: 1, max: 4 }), ({ a, b }, kk) => {
        const k = Math.min(kk, a.n - 1);
        for (const method of ["adaptive", "naive"] as const) {
          const options = { k, percent: 0.2, method };
          const space = prepareCrossCoverage(a, b, options);
          const parts = crossCoverageFromRadii(
            space,
            criticalValueRadii(space.reference, k),
            crossCriticalValueRadii(space.reference, space.query, k),
          );
          const whole = crossCoverage(a, b, options);
          expect(parts.coverageRadius).toBe(whole.coverageRadius);
          expect(Array.from(parts.uncoveredIndices)).toEqual(Array.from(whole.uncoveredIndices));
          expect(Array.from(parts.criticalValueRadii)).toEqual(
            Array.from(whole.criticalValueRadii),
          );
        }
      }),
      { numRuns: 40 },
    );
  });

  it("checks parameters before any search and radii lengths after", () => {
    const ref = embeddingsFromRows([[0], [0.5], [1]]);
    expect(() => prepareCrossCoverage(ref, ref, { k: 1, percent: 0 })).toThrow(
      InvalidParameterError,
    );
    expect(() =>
      prepareCrossCoverage(ref, ref, { k: 1, percent: 0.5, method: "naive", metric: "cosine" }),
    ).toThrow(InvalidParameterError);
    const space = prepareCrossCoverage(ref, ref, { k: 1, percent: 0.5 });
    expect(() => crossCoverageFromRadii(space, new Float64Array(2), new Float64Array(3))).toThrow(
      "referenceRadii must be one per reference row (3); received",
    );
    expect(() => crossCoverageFromRadii(space, new Float64Array(3), new Float64Array(1))).toThrow(
      "queryRadii must be one per query row (3); received",
    );
  });
});
