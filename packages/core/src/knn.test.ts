import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEmbeddings, embeddingsFromRows } from "./embeddings.js";
import { InvalidParameterError, NotEnoughSamplesError } from "./errors.js";
import {
  criticalValueRadii,
  criticalValueRadiiBrute,
  criticalValueRadiiPartitioned,
  criticalValueRadiiReference,
  nearestNeighbours,
} from "./knn.js";
import { partitionWorkShare } from "./leaf-knn.js";
import { BALL_MIN_DIMENSIONS, buildSpatialIndex, leafSizeFor } from "./spatial-index.js";
import { embeddingsWithDuplicates, random } from "./test-support/random.js";

const withDuplicates = embeddingsWithDuplicates({ maxN: 300, maxD: 20 });

describe("criticalValueRadii", () => {
  it("equals the plain O(n^2) reference on random data with duplicates", () => {
    fc.assert(
      fc.property(withDuplicates, fc.integer({ min: 1, max: 25 }), (e, kRaw) => {
        const k = 1 + (kRaw % (e.n - 1));
        expect(Array.from(criticalValueRadiiBrute(e, k))).toEqual(
          Array.from(criticalValueRadiiReference(e, k)),
        );
      }),
      { numRuns: 150 },
    );
  });

  it("counts duplicates of a sample at distance 0 but never the sample itself", () => {
    const e = embeddingsFromRows([
      [0, 0],
      [0, 0],
      [0, 0],
      [3, 4],
    ]);
    expect(Array.from(criticalValueRadii(e, 1))).toEqual([0, 0, 0, 5]);
    expect(Array.from(criticalValueRadii(e, 2))).toEqual([0, 0, 0, 5]);
    expect(Array.from(criticalValueRadii(e, 3))).toEqual([5, 5, 5, 5]);
  });

  it("reads Float32 data exactly, widened to float64 before subtracting", () => {
    const f32 = new Float32Array([0.1, 0.2, 0.7, 0.3, 0.9, 0.4]);
    const f64 = Float64Array.from(f32);
    expect(criticalValueRadii(createEmbeddings(f32, 3, 2), 1)).toEqual(
      criticalValueRadii(createEmbeddings(f64, 3, 2), 1),
    );
  });

  it("picks a method by dimension and stays exact in high dimension", () => {
    const n = 60;
    const d = 200;
    const data = new Float64Array(n * d);
    for (let p = 0; p < data.length; p++) data[p] = ((p * 7919) % 101) / 101;
    const e = createEmbeddings(data, n, d);
    expect(Array.from(criticalValueRadii(e, 4))).toEqual(
      Array.from(criticalValueRadiiReference(e, 4)),
    );
  });

  it("refuses k that is not an integer >= 1, and n <= k", () => {
    const e = embeddingsFromRows([[0], [1], [2]]);
    expect(() => criticalValueRadii(e, 0)).toThrow(InvalidParameterError);
    expect(() => criticalValueRadii(e, 1.5)).toThrow(
      "k (numObservations) must be an integer >= 1; received 1.5",
    );
    expect(() => criticalValueRadii(e, Number.NaN)).toThrow(InvalidParameterError);
    expect(() => criticalValueRadii(e, 3)).toThrow(NotEnoughSamplesError);
    expect(() => criticalValueRadii(e, 3)).toThrow("n = 3 is less than or equal to k = 3");
  });
});

describe("nearestNeighbours", () => {
  it("returns each row's k neighbours sorted by distance then index, self excluded", () => {
    fc.assert(
      fc.property(withDuplicates, fc.integer({ min: 1, max: 10 }), (e, kRaw) => {
        const k = 1 + (kRaw % (e.n - 1));
        const nn = nearestNeighbours(e, k);
        const radii = criticalValueRadii(e, k);
        for (let i = 0; i < e.n; i++) {
          // brute force: all (distance, index) pairs sorted, the first k are the answer
          const all: [number, number][] = [];
          for (let j = 0; j < e.n; j++) {
            if (j === i) continue;
            let s = 0;
            for (let t = 0; t < e.d; t++) s += (e.data[i * e.d + t]! - e.data[j * e.d + t]!) ** 2;
            all.push([Math.sqrt(s), j]);
          }
          all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const got = Array.from({ length: k }, (_, t) => [
            nn.distances[i * k + t],
            nn.indices[i * k + t],
          ]);
          expect(got).toEqual(all.slice(0, k));
          expect(nn.distances[i * k + k - 1]).toBe(radii[i]);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("criticalValueRadiiPartitioned", () => {
  it("is bit-identical to the plain reference on random data with duplicates", () => {
    fc.assert(
      fc.property(withDuplicates, fc.integer({ min: 1, max: 40 }), (e, kRaw) => {
        const k = 1 + (kRaw % (e.n - 1));
        expect(Array.from(criticalValueRadiiPartitioned(e, k))).toEqual(
          Array.from(criticalValueRadiiReference(e, k)),
        );
      }),
      { numRuns: 150 },
    );
  });

  it("stays bit-identical where leaves are split across the data and pruned by balls (d >= 32)", () => {
    const wide = embeddingsWithDuplicates({ maxN: 400, maxD: 72 }).filter(
      (e) => e.d >= BALL_MIN_DIMENSIONS,
    );
    fc.assert(
      fc.property(wide, fc.integer({ min: 1, max: 30 }), (e, kRaw) => {
        const k = 1 + (kRaw % (e.n - 1));
        expect(Array.from(criticalValueRadiiPartitioned(e, k))).toEqual(
          Array.from(criticalValueRadiiBrute(e, k)),
        );
      }),
      { numRuns: 40 },
    );
  });

  it("prunes whole clusters by their balls in high dimension and stays exact at ties", () => {
    // ten tight clusters in 64-d, each point on a sphere around its centre (many equal distances,
    // and points exactly at a ball's edge), plus exact duplicates and a far outlier
    const n = 1500;
    const d = 64;
    const rand = random(99);
    const centres = Array.from({ length: 10 }, () => Array.from({ length: d }, () => rand() * 8));
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const c = centres[i % 10]!;
      const axis = Math.floor(rand() * d);
      for (let t = 0; t < d; t++) data[i * d + t] = c[t]! + (t === axis ? (i % 2 ? 0.5 : -0.5) : 0);
    }
    data.copyWithin(7 * d, 3 * d, 4 * d);
    data.fill(100, (n - 1) * d);
    const e = createEmbeddings(data, n, d);
    const index = buildSpatialIndex(e, leafSizeFor(5));
    expect(partitionWorkShare(index, 5, 8)).toBeLessThan(0.3);
    expect(Array.from(criticalValueRadiiPartitioned(e, 5))).toEqual(
      Array.from(criticalValueRadiiBrute(e, 5)),
    );
  });

  it("keeps a neighbour that sits exactly on a ball's bound (points on one line, 40-d)", () => {
    // the triangle inequality is tight along a line: a ball bound too eager by a fraction of the
    // spacing drops the k-th neighbour of queries near a leaf's edge
    const n = 500;
    const d = 40;
    const rand = random(17);
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) data[i * d] = i + 0.3 * rand();
    const e = createEmbeddings(data, n, d);
    for (const k of [3, 7, 16]) {
      expect(Array.from(criticalValueRadiiPartitioned(e, k))).toEqual(
        Array.from(criticalValueRadiiBrute(e, k)),
      );
    }
  });

  it("splits identical points in high dimension into balanced leaves, in O(n log n)", () => {
    // every point is on one side of the cut between two far points: the split falls back to
    // an eighth of the node, not a quarter-leaf at a time (depth n / 21, minutes, a stack overflow)
    const n = 60_000;
    const d = 32;
    const index = buildSpatialIndex(
      createEmbeddings(new Float64Array(n * d).fill(0.25), n, d),
      leafSizeFor(20),
    );
    const sizes = Array.from(index.leafStart.subarray(1), (end, l) => end - index.leafStart[l]!);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(21);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(84);
    // peeling a quarter-leaf at a time would leave every leaf at 21 points
    expect(n / sizes.length).toBeGreaterThan(28);
    const small = createEmbeddings(new Float64Array(900 * d).fill(0.25), 900, d);
    expect(criticalValueRadiiPartitioned(small, 20).every((r) => r === 0)).toBe(true);
  }, 15_000); // 0.6 s here; the quadratic build took 25 s

  it("measures no pruning on uniform noise in high dimension", () => {
    const rand = random(5);
    const n = 600;
    const d = 256;
    const e = createEmbeddings(
      Float64Array.from({ length: n * d }, () => rand()),
      n,
      d,
    );
    expect(partitionWorkShare(buildSpatialIndex(e, leafSizeFor(10)), 10, 8)).toBeGreaterThan(0.9);
  });

  it("handles many leaves of clustered points and a far outlier", () => {
    const n = 3000;
    const d = 3;
    const rand = random(12345);
    const data = new Float64Array(n * d);
    for (let p = 0; p < data.length; p++) data[p] = ((p / d) % 7) / 7 + rand() * 0.01;
    data.fill(1, (n - 1) * d);
    const e = createEmbeddings(data, n, d);
    expect(Array.from(criticalValueRadiiPartitioned(e, 5))).toEqual(
      Array.from(criticalValueRadiiReference(e, 5)),
    );
  });
});
