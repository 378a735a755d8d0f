import { describe, expect, it } from "vitest";
import { perClassCoverage, perClassCoverageFromRadii, perClassStatistics } from "./classes.js";
import { coverageAdaptive } from "./coverage.js";
import { type CoverageMethod } from "./coverage.js";
import { createEmbeddings, type Embeddings } from "./embeddings.js";
import { InvalidParameterError, NotEnoughSamplesError } from "./errors.js";
import { criticalValueRadii } from "./knn.js";
import { random } from "./test-support/random.js";
import { validateLabels } from "./validate.js";

/** Labelled rows: each class is `count` rows made by `row(i)`; returns embeddings and labels. */
function labelled(
  d: number,
  classes: { label: number; count: number; row: (i: number) => number[] }[],
) {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const c of classes) {
    for (let i = 0; i < c.count; i++) {
      rows.push(c.row(i));
      labels.push(c.label);
    }
  }
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { embeddings: createEmbeddings(data, rows.length, d), labels: Int32Array.from(labels) };
}

function uniformRow(d: number, seed: number) {
  const rand = random(seed);
  return () => Array.from({ length: d }, () => rand());
}

/** Mean distance to the centroid, computed the plain way. */
function spread(e: Embeddings, labels: Int32Array, label: number): number {
  const members: number[] = [];
  labels.forEach((l, i) => {
    if (l === label) members.push(i);
  });
  const centroid = new Array<number>(e.d).fill(0);
  for (const i of members) for (let c = 0; c < e.d; c++) centroid[c]! += e.data[i * e.d + c]!;
  for (let c = 0; c < e.d; c++) centroid[c]! /= members.length;
  let total = 0;
  for (const i of members) {
    let s = 0;
    for (let c = 0; c < e.d; c++) s += (e.data[i * e.d + c]! - centroid[c]!) ** 2;
    total += Math.sqrt(s);
  }
  return total / members.length;
}

describe("per-class coverage: degenerate classes", () => {
  // 0: at the origin; 1: uniform; 2: 25 copies of 0.1 (numpy's mean of these is off by rounding)
  const { embeddings, labels } = labelled(3, [
    { label: 0, count: 25, row: () => [0, 0, 0] },
    { label: 1, count: 25, row: uniformRow(3, 1) },
    { label: 2, count: 25, row: () => [0.1, 0.1, 0.1] },
  ]);
  const result = perClassCoverage(embeddings, labels, { k: 5, percent: 0.05 });

  it("identical samples: dispersion 0, isotropy 1, near-duplicate fraction 1", () => {
    const [zero, tenth, uniform] = result.perClass;
    expect(zero).toMatchObject({ class: 0, dispersion: 0, isotropy: 1, nearDuplicateFraction: 1 });
    expect(tenth).toMatchObject({ class: 2, dispersion: 0, isotropy: 1, nearDuplicateFraction: 1 });
    expect(uniform!.class).toBe(1);
  });

  it("a median spread of 0 makes the reference 1: dispersion is the raw spread", () => {
    expect(result.perClass[2]!.dispersion).toBeCloseTo(spread(embeddings, labels, 1), 14);
  });

  it("flags only the uniform class's scattered points", () => {
    const uncovered = result.perClass.reduce((s, r) => s + r.uncovered, 0);
    expect(uncovered).toBe(result.coverage.uncoveredIndices.length);
    expect(result.perClass[2]!.uncovered).toBe(uncovered);
  });
});

describe("per-class coverage: options and ordering", () => {
  it("sorts unassessable classes after the rest, by label as a string", () => {
    const { embeddings, labels } = labelled(2, [
      { label: 2, count: 5, row: uniformRow(2, 2) },
      { label: 100, count: 5, row: uniformRow(2, 3) },
      { label: 10, count: 5, row: uniformRow(2, 4) },
      { label: 7, count: 30, row: uniformRow(2, 5) },
    ]);
    const rows = perClassCoverage(embeddings, labels, { k: 3 }).perClass;
    expect(rows.map((r) => r.class)).toEqual([7, 10, 100, 2]);
    expect(rows.map((r) => r.assessable)).toEqual([true, false, false, false]);
    expect(rows[1]).toMatchObject({
      dispersion: null,
      isotropy: null,
      nearDuplicateFraction: null,
    });
    expect(rows[0]!.dispersion).toBe(1);
  });

  it("reports no isotropy for an assessable class with fewer than d + 1 samples", () => {
    const { embeddings, labels } = labelled(30, [
      { label: 0, count: 25, row: uniformRow(30, 6) },
      { label: 1, count: 40, row: uniformRow(30, 7) },
    ]);
    const rows = perClassCoverage(embeddings, labels, { k: 5 }).perClass;
    const byClass = new Map(rows.map((r) => [r.class, r]));
    expect(byClass.get(0)).toMatchObject({ assessable: true, isotropy: null });
    expect(byClass.get(1)!.isotropy).toBeGreaterThan(0);
    // dispersion and near duplicates need only minClassSamples
    expect(byClass.get(0)!.nearDuplicateFraction).not.toBeNull();
  });

  it("accepts labels as a plain array, and radii or uncovered indices computed elsewhere", () => {
    const { embeddings, labels } = labelled(4, [
      { label: 3, count: 40, row: uniformRow(4, 8) },
      { label: 1, count: 30, row: uniformRow(4, 9) },
    ]);
    const options = { k: 7, percent: 0.1, method: "adaptive" as CoverageMethod };
    const whole = perClassCoverage(embeddings, labels, options);
    expect(perClassCoverage(embeddings, Array.from(labels), options)).toEqual(whole);
    const radii = criticalValueRadii(embeddings, 7);
    expect(perClassCoverageFromRadii(embeddings, labels, radii, options)).toEqual(whole);
    const cov = coverageAdaptive(embeddings, 7, 0.1);
    expect(perClassStatistics(embeddings, labels, cov.uncoveredIndices, options)).toEqual(
      whole.perClass,
    );
  });

  it("uses the defaults k = 20, 1 % adaptive, 20 samples, factor 0.5", () => {
    const { embeddings, labels } = labelled(3, [
      { label: 0, count: 60, row: uniformRow(3, 10) },
      { label: 1, count: 19, row: uniformRow(3, 11) },
    ]);
    const defaults = perClassCoverage(embeddings, labels);
    const explicit = perClassCoverage(embeddings, labels, {
      k: 20,
      percent: 0.01,
      method: "adaptive",
      minClassSamples: 20,
      nearDuplicateFactor: 0.5,
    });
    expect(defaults).toEqual(explicit);
    expect(defaults.coverage.uncoveredIndices.length).toBe(1);
    expect(defaults.perClass.map((r) => r.assessable)).toEqual([true, false]);
  });
});

describe("per-class coverage: refusals", () => {
  const { embeddings, labels } = labelled(2, [{ label: 0, count: 30, row: uniformRow(2, 12) }]);

  it("refuses labels of the wrong length, negative or non-integer", () => {
    expect(() => perClassCoverage(embeddings, labels.subarray(1))).toThrow(
      /labels.length must be 30, one label per sample; received 29/,
    );
    const negative = labels.slice();
    negative[4] = -1;
    expect(() => perClassCoverage(embeddings, negative)).toThrow(
      /labels\[4\] must be an integer >= 0/,
    );
    const fractional = Array.from(labels, (v, i) => (i === 2 ? 1.5 : v));
    expect(() => perClassCoverage(embeddings, fractional)).toThrow(InvalidParameterError);
    expect(() => validateLabels([0, Number.NaN], 2)).toThrow(/labels\[1\]/);
    expect(() => validateLabels([0, 2 ** 31], 2)).toThrow(InvalidParameterError);
    expect(() => validateLabels(Float64Array.of(0, 0.5), 2)).toThrow(InvalidParameterError);
    expect(() => validateLabels(null as unknown as number[], 2)).toThrow(InvalidParameterError);
    expect(validateLabels(labels, 30)).toBe(labels);
  });

  it("refuses bad options before any neighbour search", () => {
    const bad: [object, RegExp][] = [
      [{ minClassSamples: 1 }, /minClassSamples must be an integer >= 2/],
      [{ minClassSamples: 2.5 }, /minClassSamples/],
      [{ nearDuplicateFactor: -0.1 }, /nearDuplicateFactor must be a finite number >= 0/],
      [{ nearDuplicateFactor: Infinity }, /nearDuplicateFactor/],
      [{ method: "exact" }, /method must be one of adaptive, naive/],
      [{ percent: 0 }, /percent must be a number in \(0, 1\]/],
      [{ percent: 2, method: "naive" }, /percent/],
      [{ k: 0 }, /k \(numObservations\) must be an integer >= 1/],
    ];
    for (const [options, message] of bad) {
      expect(() => perClassCoverage(embeddings, labels, options), message.source).toThrow(message);
      expect(() => perClassCoverage(embeddings, labels, options)).toThrow(InvalidParameterError);
    }
    expect(() => perClassCoverage(embeddings, labels, { k: 30 })).toThrow(NotEnoughSamplesError);
  });

  it("refuses radii or uncovered indices that do not fit the samples", () => {
    const radii = criticalValueRadii(embeddings, 5);
    expect(() =>
      perClassCoverageFromRadii(embeddings, labels, radii.subarray(2), { k: 5 }),
    ).toThrow(/radii.length must be 30/);
    expect(() => perClassStatistics(embeddings, labels, Int32Array.of(30))).toThrow(
      /uncoveredIndices must be sample indices in \[0, 30\)/,
    );
  });
});
