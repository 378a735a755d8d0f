import fc from "fast-check";
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { createEmbeddings, embeddingsFromRows } from "./embeddings.js";
import { InvalidParameterError, NotEnoughSamplesError } from "./errors.js";
import { completeness, isotropy } from "./isotropy.js";
import { median } from "./median.js";
import {
  nearDuplicateFraction,
  nearestNeighbourPairs,
  nearestOther,
  nearestPairDistances,
} from "./near-duplicates.js";
import { effectiveDimension, matrixRank, singularValues } from "./spectrum.js";
import { random, randomEmbeddings } from "./testing.js";

/** n rows in d dimensions that span only `rank` directions through the origin. */
function lowRank(n: number, d: number, rank: number, seed: number): Float64Array {
  const rand = random(seed);
  const basis = Array.from({ length: rank }, () => Array.from({ length: d }, () => rand() - 0.5));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rank; r++) {
      const w = rand() - 0.5;
      for (let c = 0; c < d; c++) data[i * d + c] = data[i * d + c]! + w * basis[r]![c]!;
    }
  }
  return data;
}

describe("singularValues", () => {
  it("equals ml-matrix's SVD of the whole matrix, tall and wide", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer(),
        (rows, cols, seed) => {
          const data = randomEmbeddings(rows, cols, seed).data;
          const ours = singularValues(data, rows, cols);
          const whole = Matrix.from1DArray(rows, cols, Array.from(data));
          const svd = new SingularValueDecomposition(whole, {
            computeLeftSingularVectors: false,
            computeRightSingularVectors: false,
            autoTranspose: true,
          });
          const theirs = svd.diagonal.slice(0, Math.min(rows, cols)).sort((a, b) => b - a);
          expect(ours.length).toBe(Math.min(rows, cols));
          for (let i = 0; i < ours.length; i++) {
            expect(Math.abs(ours[i]! - theirs[i]!)).toBeLessThan(1e-12 * theirs[0]!);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reproduces a diagonal matrix's values, and zeros for the zero matrix", () => {
    const diag = new Float64Array([0, 0, 3, 0, 5, 0, 4, 0, 0, 0, 0, 0]);
    expect(Array.from(singularValues(diag, 4, 3))).toEqual([5, 4, 3]);
    expect(Array.from(singularValues(new Float64Array(6), 2, 3))).toEqual([0, 0]);
    expect(matrixRank(singularValues(new Float64Array(6), 2, 3), 2, 3)).toBe(0);
  });

  it("gives numpy's matrix_rank for rows spanning fewer directions than d", () => {
    for (const [n, d, rank] of [
      [50, 10, 3],
      [200, 8, 1],
      [5, 12, 2],
      [30, 30, 29],
    ] as const) {
      const s = singularValues(lowRank(n, d, rank, n * d), n, d);
      expect(matrixRank(s, n, d), `${n}x${d} rank ${rank}`).toBe(rank);
    }
  });
});

describe("effectiveDimension", () => {
  it("is the number of equal eigenvalues, 1 for one, and ignores zeros (0 log 0 = 0)", () => {
    expect(effectiveDimension(new Float64Array([2, 2, 2]), 10)).toBeCloseTo(3, 14);
    expect(effectiveDimension(new Float64Array([2, 0, 0]), 10)).toBe(1);
    expect(effectiveDimension(new Float64Array([1, 1, 0]), 10)).toBeCloseTo(2, 14);
  });

  it("is 1 when nothing is left (all zero, n < 2, or all under the floor)", () => {
    expect(effectiveDimension(new Float64Array([0, 0]), 10)).toBe(1);
    expect(effectiveDimension(new Float64Array([3, 1]), 1)).toBe(1);
    expect(effectiveDimension(new Float64Array([1e-6, 1e-6]), 3, 1e-10)).toBe(1);
    expect(effectiveDimension(new Float64Array([1e-6, 1e-6]), 3)).toBeCloseTo(2, 14);
  });
});

describe("isotropy", () => {
  it("identical rows: effective dimension 1, rank 1, isotropy 1 (DataEval: NaN eigenvalue shares)", () => {
    // 25 rows of 0.1: numpy's mean is off by rounding here; Lacuna centres to exact zeros
    const rows = Array.from({ length: 25 }, () => [0.1, 0.1, 0.1]);
    expect(isotropy(embeddingsFromRows(rows))).toEqual({
      isotropy: 1,
      effectiveDimension: 1,
      rank: 1,
    });
  });

  it("rows at the origin: rank 0, isotropy 1 (the per-class oracle divides by 0: Infinity)", () => {
    const rows = Array.from({ length: 25 }, () => [0, 0, 0]);
    expect(isotropy(embeddingsFromRows(rows))).toEqual({
      isotropy: 1,
      effectiveDimension: 1,
      rank: 0,
    });
  });

  it("a constant column (an eigenvalue of exactly 0) drops out of the entropy, not into NaN", () => {
    const base = randomEmbeddings(60, 3, 7);
    const withConstant = new Float64Array(60 * 4);
    for (let i = 0; i < 60; i++) {
      withConstant.set(base.data.subarray(i * 3, i * 3 + 3), i * 4);
      withConstant[i * 4 + 3] = 0.3;
    }
    const full = isotropy(createEmbeddings(withConstant, 60, 4));
    const reduced = isotropy(base);
    expect(Number.isFinite(full.isotropy)).toBe(true);
    expect(full.effectiveDimension).toBeCloseTo(reduced.effectiveDimension, 12);
    // the constant column is not a multiple of the others: uncentred rank 4
    expect(full.rank).toBe(4);
    expect(full.isotropy).toBeCloseTo(reduced.effectiveDimension / 4, 12);
  });

  it("takes both spectra from one QR when n > d: same as two separate SVDs", () => {
    const cases: [string, Float64Array, number, number][] = [
      ["uniform", randomEmbeddings(50, 6, 21).data as Float64Array, 50, 6],
      ["through the origin, rank 2", lowRank(40, 6, 2, 22), 40, 6],
      ["affine, rank 2 + 1", lowRank(40, 6, 2, 23).map((v) => v + 0.5), 40, 6],
      ["n = d + 1", randomEmbeddings(9, 8, 24).data as Float64Array, 9, 8],
      ["wide (n <= d): the general path", randomEmbeddings(5, 12, 25).data as Float64Array, 5, 12],
    ];
    for (const [name, data, n, d] of cases) {
      const mean = new Float64Array(d);
      for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c]! += data[i * d + c]! / n;
      const centred = data.map((v, q) => v - mean[q % d]!);
      const effective = effectiveDimension(singularValues(centred, n, d), n);
      const rank = matrixRank(singularValues(data, n, d), n, d);
      const iso = isotropy(createEmbeddings(data, n, d));
      expect(iso.rank, name).toBe(rank);
      expect(Math.abs(iso.effectiveDimension - effective), name).toBeLessThan(1e-12 * effective);
    }
    expect(isotropy(createEmbeddings(lowRank(40, 6, 2, 22), 40, 6)).rank).toBe(2);
    expect(
      isotropy(
        createEmbeddings(
          lowRank(40, 6, 2, 23).map((v) => v + 0.5),
          40,
          6,
        ),
      ).rank,
    ).toBe(3);
  });

  it("is close to 1 for many uniform points and scale-free", () => {
    const e = randomEmbeddings(4000, 5, 3);
    const iso = isotropy(e);
    expect(iso.rank).toBe(5);
    expect(iso.isotropy).toBeGreaterThan(0.99);
    const scaled = createEmbeddings(
      e.data.map((v) => v * 1000),
      e.n,
      e.d,
    );
    expect(isotropy(scaled).isotropy).toBeCloseTo(iso.isotropy, 12);
  });
});

describe("completeness (DataEval's rank-based score)", () => {
  it("depends only on the ranks within each column", () => {
    const e = randomEmbeddings(80, 4, 11);
    const warped = createEmbeddings(
      e.data.map((v) => Math.exp(5 * v)),
      e.n,
      e.d,
    );
    expect(completeness(warped)).toEqual(completeness(e));
  });

  it("is 1 / d for one row or identical rows", () => {
    expect(completeness(embeddingsFromRows([[0.2, 0.4]])).completeness).toBe(0.5);
    const same = embeddingsFromRows(Array.from({ length: 10 }, () => [0.3, 0.3, 0.3, 0.3]));
    // equal values rank by row index, so every column holds the same ranks: one direction
    expect(completeness(same).completeness).toBe(0.25);
  });
});

describe("nearest-neighbour pairs and the near-duplicate fraction", () => {
  const withDuplicates = fc
    .record({
      n: fc.integer({ min: 2, max: 150 }),
      d: fc.integer({ min: 1, max: 6 }),
      seed: fc.integer(),
    })
    .map(({ n, d, seed }) => {
      const rand = random(seed);
      const data = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        if (i > 0 && rand() < 0.2) {
          const src = Math.floor(rand() * i);
          data.copyWithin(i * d, src * d, src * d + d);
        } else for (let t = 0; t < d; t++) data[i * d + t] = Math.floor(rand() * 5) / 5;
      }
      return createEmbeddings(data, n, d);
    });

  it("pairs each row with its nearest other row, once per unordered pair, by decreasing distance", () => {
    fc.assert(
      fc.property(withDuplicates, (e) => {
        // brute force: nearest other by (distance, index), a Set of unordered keys, stable sort
        const nn: { j: number; dist: number }[] = [];
        for (let i = 0; i < e.n; i++) {
          // compare squared distances (as the search does): two can share a square root
          let best = { j: -1, sq: Infinity };
          for (let j = 0; j < e.n; j++) {
            if (j === i) continue;
            let s = 0;
            for (let t = 0; t < e.d; t++) s += (e.data[i * e.d + t]! - e.data[j * e.d + t]!) ** 2;
            if (s < best.sq) best = { j, sq: s };
          }
          nn.push({ j: best.j, dist: Math.sqrt(best.sq) });
        }
        const seen = new Set<string>();
        const kept: { i: number; j: number; dist: number }[] = [];
        nn.forEach(({ j, dist }, i) => {
          const key = `${Math.min(i, j)},${Math.max(i, j)}`;
          if (!seen.has(key)) {
            seen.add(key);
            kept.push({ i, j, dist });
          }
        });
        const other = nearestOther(e);
        expect(Array.from(other.index)).toEqual(nn.map((x) => x.j));
        expect(Array.from(nearestPairDistances(e))).toEqual(kept.map((x) => x.dist));
        kept.sort((a, b) => b.dist - a.dist);
        const pairs = nearestNeighbourPairs(e);
        expect(Array.from(pairs.first)).toEqual(kept.map((x) => x.i));
        expect(Array.from(pairs.second)).toEqual(kept.map((x) => x.j));
        expect(Array.from(pairs.distances)).toEqual(kept.map((x) => x.dist));
      }),
      { numRuns: 150 },
    );
  });

  it("uses the high-dimension brute force above 128 dimensions with the same result", () => {
    const e = randomEmbeddings(40, 130, 5);
    const other = nearestOther(e);
    for (let i = 0; i < e.n; i++) {
      let best = -1;
      let bestDist = Infinity;
      for (let j = 0; j < e.n; j++) {
        if (j === i) continue;
        let s = 0;
        for (let t = 0; t < e.d; t++) s += (e.data[i * e.d + t]! - e.data[j * e.d + t]!) ** 2;
        if (s < bestDist) {
          bestDist = s;
          best = j;
        }
      }
      expect(other.index[i]).toBe(best);
      expect(other.distance[i]).toBe(Math.sqrt(bestDist));
    }
  });

  it("counts distances below factor x median, or exact zeros when the median is 0", () => {
    expect(nearDuplicateFraction(new Float64Array([1, 2, 3, 4]), 0.5)).toBe(0.25);
    expect(nearDuplicateFraction(new Float64Array([1, 2, 3, 4]), 0.4)).toBe(0);
    expect(nearDuplicateFraction(new Float64Array([0, 0, 0, 5]), 0.5)).toBe(0.75);
    expect(nearDuplicateFraction(new Float64Array([0, 0, 0, 5]), 0)).toBe(0.75);
    expect(nearDuplicateFraction(new Float64Array([2, 2, 2]), 1)).toBe(0);
  });

  it("refuses no distances, a bad factor and fewer than two rows", () => {
    expect(() => nearDuplicateFraction(new Float64Array(0), 0.5)).toThrow(InvalidParameterError);
    expect(() => nearDuplicateFraction(new Float64Array([1]), -1)).toThrow(/nearDuplicateFactor/);
    expect(() => nearDuplicateFraction(new Float64Array([1]), Number.NaN)).toThrow(
      InvalidParameterError,
    );
    expect(() => nearestOther(embeddingsFromRows([[1, 2]]))).toThrow(NotEnoughSamplesError);
  });

  it("median is numpy's: middle value, or the mean of the two middle ones", () => {
    expect(median(new Float64Array([3, 1, 2]))).toBe(2);
    expect(median(new Float64Array([4, 1, 3, 2]))).toBe(2.5);
    expect(median(new Float64Array(0))).toBeNaN();
  });
});
