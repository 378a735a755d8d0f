import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverage, coverageAdaptive, coverageNaive } from "./coverage.js";
import { createEmbeddings, embeddingsFromRows } from "./embeddings.js";
import {
  ConstantEmbeddingsError,
  InvalidParameterError,
  NotEnoughSamplesError,
  OutOfUnitIntervalError,
} from "./errors.js";
import { logGammaHalfPlusOne } from "./log-gamma.js";
import { adaptiveSelectionSize, naiveRadius } from "./radius.js";
import { randomEmbeddings } from "./testing.js";

function zeros(n: number, d: number) {
  return createEmbeddings(new Float64Array(n * d), n, d);
}

/** 101 points in 2-D: 100 at the origin and one at (1, 1), DataEval's edge case. */
function edgeCase() {
  const e = zeros(101, 2);
  e.data[200] = 1;
  e.data[201] = 1;
  return e;
}

describe("DataEval's unit cases (tests/core/test_coverage.py)", () => {
  it("refuses n <= k with a message saying so", () => {
    expect(() => coverageNaive(zeros(3, 2), 3)).toThrow(NotEnoughSamplesError);
    expect(() => coverageNaive(zeros(3, 2), 3)).toThrow(/less than or equal to/);
  });

  it("naive radius of 3 zeros in 2-D with k = 1 is sqrt(2/3)/sqrt(pi)", () => {
    const r = coverageNaive(zeros(3, 2), 1);
    expect(r.coverageRadius).toBeCloseTo(Math.sqrt(2 / 3) / Math.sqrt(Math.PI), 12);
  });

  it("adaptive on 100 zeros gives radii all 0", () => {
    const r = coverageAdaptive(zeros(100, 2), 1, 0.01);
    expect(Array.from(r.criticalValueRadii)).toEqual(new Array(100).fill(0));
  });

  it("refuses values outside the unit interval", () => {
    const e = zeros(16, 16);
    e.data[3] = 1.5;
    expect(() => coverageNaive(e, 5)).toThrow(OutOfUnitIntervalError);
    expect(() => coverageNaive(e, 5)).toThrow(/unit interval \[0, 1\]: found values from 0 to 1.5/);
  });

  it("naive edge: with k = 100 all 101 are uncovered at radius sqrt(2)", () => {
    const r = coverageNaive(edgeCase(), 100);
    expect(r.uncoveredIndices.length).toBe(101);
    expect(r.uncoveredIndices[100]).toBe(100);
    expect(r.criticalValueRadii[0]).toBeCloseTo(Math.SQRT2, 8);
    expect(r.criticalValueRadii[100]).toBeCloseTo(Math.SQRT2, 8);
  });

  it("adaptive edge: with k = 100 one sample, index 100, is uncovered", () => {
    const r = coverageAdaptive(edgeCase(), 100, 0.01);
    expect(Array.from(r.uncoveredIndices)).toEqual([100]);
    expect(r.criticalValueRadii[0]).toBeCloseTo(Math.SQRT2, 8);
    expect(r.criticalValueRadii[100]).toBeCloseTo(Math.SQRT2, 8);
  });

  it("naive and adaptive with k = 20 put index 100 first", () => {
    const naive = coverageNaive(edgeCase(), 20);
    expect(naive.uncoveredIndices[0]).toBe(100);
    expect(naive.criticalValueRadii[100]).toBeCloseTo(Math.SQRT2, 8);
    const adaptive = coverageAdaptive(edgeCase(), 20, 0.01);
    expect(adaptive.uncoveredIndices[0]).toBe(100);
  });
});

describe("adaptive coverage", () => {
  const unitData = fc
    .record({
      n: fc.integer({ min: 3, max: 200 }),
      d: fc.integer({ min: 1, max: 6 }),
      seed: fc.nat(),
    })
    // quantised, so equal radii (ties) are common
    .map(({ n, d, seed }) => randomEmbeddings(n, d, seed, { grid: 8 }));

  it("returns max(floor(n p), 1) indices, radii non-increasing, ties larger index first", () => {
    fc.assert(
      fc.property(
        unitData,
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.nat(),
        (e, p, kRaw) => {
          const k = 1 + (kRaw % (e.n - 1));
          const r = coverageAdaptive(e, k, p);
          const sel = Math.max(Math.floor(e.n * p), 1);
          expect(r.uncoveredIndices.length).toBe(sel);
          const radii = r.criticalValueRadii;
          for (let t = 1; t < sel; t++) {
            const a = r.uncoveredIndices[t - 1]!;
            const b = r.uncoveredIndices[t]!;
            expect(radii[a]! > radii[b]! || (radii[a] === radii[b] && a > b)).toBe(true);
          }
          // nothing left out has a larger radius than the smallest flagged one
          const flagged = new Set(r.uncoveredIndices);
          const last = radii[r.uncoveredIndices[sel - 1]!]!;
          for (let i = 0; i < e.n; i++) if (!flagged.has(i)) expect(radii[i]! <= last).toBe(true);
          expect(r.coverageRadius).toBeLessThanOrEqual(last);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("uses the sel-th radius alone when percent = 1 (sel = n)", () => {
    const e = embeddingsFromRows([[0], [0.1], [0.3], [0.7]]);
    const r = coverageAdaptive(e, 1, 1);
    expect(r.uncoveredIndices.length).toBe(4);
    expect(r.coverageRadius).toBe(Math.min(...r.criticalValueRadii));
  });

  it("refuses percent outside (0, 1]", () => {
    const e = zeros(10, 2);
    for (const p of [0, -0.1, 1.01, Number.NaN, Infinity]) {
      expect(() => coverageAdaptive(e, 2, p)).toThrow(InvalidParameterError);
    }
    expect(() => coverageAdaptive(e, 2, 2)).toThrow(
      "percent must be a number in (0, 1]; received 2",
    );
  });

  it("floors n * percent as numpy's int() does", () => {
    expect(adaptiveSelectionSize(2000, 0.01)).toBe(20);
    expect(adaptiveSelectionSize(99, 0.01)).toBe(1);
    expect(adaptiveSelectionSize(1000, 0.05)).toBe(50);
    expect(adaptiveSelectionSize(200, 0.1)).toBe(20);
  });
});

describe("unit interval", () => {
  it("rescales by the global min and max when forced", () => {
    const e = embeddingsFromRows([[-1], [1], [3], [3.5]]);
    const forced = coverageAdaptive(e, 1, 0.25, { forceUnitInterval: true });
    const manual = coverageAdaptive(embeddingsFromRows([[0], [2 / 4.5], [4 / 4.5], [1]]), 1, 0.25);
    expect(Array.from(forced.uncoveredIndices)).toEqual(Array.from(manual.uncoveredIndices));
    forced.criticalValueRadii.forEach((r, i) =>
      expect(r).toBeCloseTo(manual.criticalValueRadii[i]!, 14),
    );
  });

  it("leaves data already in [0, 1] untouched even when forced", () => {
    const e = embeddingsFromRows([[0.2], [0.4], [0.8]]);
    const r = coverageNaive(e, 1, { forceUnitInterval: true });
    expect(Array.from(r.criticalValueRadii).map((v) => +v.toFixed(12))).toEqual([0.2, 0.2, 0.4]);
  });

  it("refuses to force constant data outside [0, 1] (max - min = 0)", () => {
    const e = createEmbeddings(new Float64Array(20).fill(5), 10, 2);
    expect(() => coverageNaive(e, 2, { forceUnitInterval: true })).toThrow(ConstantEmbeddingsError);
    expect(() => coverageNaive(e, 2, { forceUnitInterval: true })).toThrow(/every value equals 5/);
  });
});

describe("naive radius", () => {
  // math.lgamma(d / 2 + 1) from CPython
  const lgamma: [number, number][] = [
    [1, -0.12078223763524543],
    [2, 0],
    [3, 0.2846828704729196],
    [10, 4.787491742782047],
    [16, 10.604602902745249],
    [512, 1167.2572785628802],
    [784, 1952.6394232359492],
    [4096, 13571.950972370836],
    [100001, 491000.65294649836],
  ];
  it.each(lgamma)("ln Gamma(%i/2 + 1) matches lgamma", (d, expected) => {
    const got = logGammaHalfPlusOne(d);
    expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(expected)));
  });

  it("equals DataEval's direct formula where that does not overflow", () => {
    const gamma = (x: number): number =>
      x <= 1 ? (x === 0.5 ? Math.sqrt(Math.PI) : 1) : (x - 1) * gamma(x - 1);
    for (const [n, d, k] of [
      [2000, 10, 20],
      [500, 16, 20],
      [1000, 3, 5],
      [101, 2, 20],
      [3, 2, 1],
    ] as const) {
      const direct = (1 / Math.sqrt(Math.PI)) * ((2 * k * gamma(d / 2 + 1)) / n) ** (1 / d);
      expect(naiveRadius(n, d, k)).toBeCloseTo(direct, 12);
    }
  });

  it("stays finite at d = 784 and 4096, where Gamma(d/2 + 1) overflows", () => {
    expect(Number.isFinite(naiveRadius(300, 784, 10))).toBe(true);
    expect(naiveRadius(300, 784, 10)).toBeCloseTo(6.785530114800262, 12);
    expect(Number.isFinite(naiveRadius(1000, 4096, 20))).toBe(true);
  });
});

describe("coverage by method name", () => {
  it("dispatches and refuses unknown methods", () => {
    const e = edgeCase();
    expect(coverage(e, 20, "naive", 0.01).coverageRadius).toBe(coverageNaive(e, 20).coverageRadius);
    expect(coverage(e, 20, "adaptive", 0.01).coverageRadius).toBe(
      coverageAdaptive(e, 20, 0.01).coverageRadius,
    );
    expect(() => coverage(e, 20, "fancy" as "naive", 0.01)).toThrow(
      'method must be one of adaptive, naive; received "fancy"',
    );
  });
});
