import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collect } from "./collect.js";
import { crossCoverage } from "./cross-coverage.js";
import { createEmbeddings, embeddingsFromRows } from "./embeddings.js";
import { ErrorCodes, InvalidParameterError } from "./errors.js";
import { ZeroRowError, coverageInSpace, normalizeRows, prepareSpace } from "./metric.js";
import { bruteCrossRadii, twoSets } from "./test-support/brute.js";

/** Cosine distance 1 - a.b / (|a| |b|), straight from its definition. */
function cosineDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let t = 0; t < a.length; t++) {
    ab += a[t]! * b[t]!;
    aa += a[t]! * a[t]!;
    bb += b[t]! * b[t]!;
  }
  return 1 - ab / Math.sqrt(aa * bb);
}

/** Rows shifted to straddle 0 (cosine needs no unit interval), none of them zero. */
const centred = twoSets({ maxN: 60, maxD: 6 }).map(({ a, b }) => {
  // grid values (multiples of 1/4) never land on 0 after this shift
  const shift = (x: Float64Array | Float32Array) => Float64Array.from(x, (v) => v - 0.487);
  return {
    a: createEmbeddings(shift(a.data), a.n, a.d),
    b: createEmbeddings(shift(b.data), b.n, b.d),
  };
});

describe("normalizeRows", () => {
  it("scales every row to unit length and keeps its direction", () => {
    const e = embeddingsFromRows([
      [3, 4],
      [0, -2],
      [1e-150, 1e-150],
    ]);
    const u = normalizeRows(e);
    expect(Array.from(u.data.subarray(0, 4))).toEqual([0.6, 0.8, 0, -1]);
    expect(u.data[4]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(u.data[5]).toBe(u.data[4]);
  });

  it("refuses a zero row with a coded error naming it", () => {
    const e = embeddingsFromRows([
      [1, 0],
      [0, 0],
    ]);
    expect(() => normalizeRows(e)).toThrow(ZeroRowError);
    expect(() => normalizeRows(e)).toThrow(/^row 1 has length 0/);
    try {
      normalizeRows(e);
    } catch (error) {
      expect((error as ZeroRowError).code).toBe(ErrorCodes.INVALID_EMBEDDINGS);
      expect((error as ZeroRowError).row).toBe(1);
    }
  });
});

describe("the cosine metric", () => {
  it("reports chord radii r with r^2 / 2 the cosine distance to the k-th reference row", () => {
    fc.assert(
      fc.property(centred, fc.integer({ min: 1, max: 10 }), ({ a, b }, kRaw) => {
        const k = 1 + (kRaw % (a.n - 1));
        const result = crossCoverage(a, b, { k, percent: 0.2, metric: "cosine" });
        expect(Array.from(result.criticalValueRadii)).toEqual(
          bruteCrossRadii(normalizeRows(a), normalizeRows(b), k),
        );
        for (let i = 0; i < b.n; i++) {
          const cos: number[] = [];
          for (let j = 0; j < a.n; j++) {
            cos.push(
              cosineDistance(
                b.data.subarray(i * b.d, i * b.d + b.d),
                a.data.subarray(j * a.d, j * a.d + a.d),
              ),
            );
          }
          cos.sort((x, y) => x - y);
          expect(result.criticalValueRadii[i]! ** 2 / 2).toBeCloseTo(cos[k - 1]!, 9);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("refuses naive coverage, which has no meaning on the unit sphere", () => {
    const e = embeddingsFromRows([
      [1, 0],
      [0, 1],
      [-1, 0],
    ]);
    expect(() => coverageInSpace(normalizeRows(e), 1, "naive", 0.5, "cosine")).toThrow(
      InvalidParameterError,
    );
    expect(() =>
      crossCoverage(e, e, { k: 1, percent: 0.5, method: "naive", metric: "cosine" }),
    ).toThrow(/^method must be adaptive with the cosine metric \(the naive radius assumes/);
    expect(() =>
      collect(e, e, 1, { k: 1, percent: 0.5, method: "naive", metric: "cosine" }),
    ).toThrow(InvalidParameterError);
  });

  it("takes rows outside [0, 1] without a unit-interval check", () => {
    const e = embeddingsFromRows([
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -3],
    ]);
    const result = crossCoverage(e, e, { k: 1, percent: 0.5, metric: "cosine" });
    expect(Array.from(result.criticalValueRadii)).toEqual([0, 0, 0, 0]);
    expect(result.coverageRadius).toBeCloseTo(Math.SQRT2, 15);
  });

  it("refuses unknown metrics", () => {
    const e = embeddingsFromRows([[0], [1]]);
    expect(() => prepareSpace(e, [], { metric: "manhattan" as unknown as "cosine" })).toThrow(
      'metric must be one of euclidean, cosine; received "manhattan"',
    );
  });
});
