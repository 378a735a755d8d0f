import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type ClassCoverageRow, perClassCoverage, perClassCoverageFromRadii } from "./classes.js";
import { type CoverageMethod } from "./coverage.js";
import { type Embeddings, createEmbeddings } from "./embeddings.js";
import { completeness, isotropy } from "./isotropy.js";
import { criticalValueRadii } from "./knn.js";
import { nearDuplicateFraction, nearestNeighbourPairs } from "./near-duplicates.js";
import { ensureUnitInterval } from "./unit-interval.js";

/** Golden results from /work/shared/tools/per-class-oracle.py, copied into the repository. */
const fixtures = new URL("../../../test/fixtures/", import.meta.url);

/** A little-endian, C-order .npy file (format 1.0 to 3.0) of float32, float64, int32 or int64. */
function readNpy(relative: string): {
  data: Float32Array | Float64Array | Int32Array;
  shape: number[];
} {
  const bytes = readFileSync(fileURLToPath(new URL(relative, fixtures)));
  const major = bytes[6]!;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLength).toString("latin1");
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? "")
    .split(",")
    .filter((s) => s.trim() !== "")
    .map(Number);
  expect(header).toMatch(/'fortran_order':\s*False/);
  const body = bytes.subarray(start + headerLength);
  const copy = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  if (descr === "<f4") return { data: new Float32Array(copy), shape };
  if (descr === "<f8") return { data: new Float64Array(copy), shape };
  if (descr === "<i4") return { data: new Int32Array(copy), shape };
  if (descr === "<i8") return { data: Int32Array.from(new BigInt64Array(copy), Number), shape };
  throw new Error(`unsupported dtype ${String(descr)} in ${relative}`);
}

function loadEmbeddings(relative: string): Embeddings {
  const { data, shape } = readNpy(relative);
  if (data instanceof Int32Array) throw new Error(`${relative} holds integers`);
  return createEmbeddings(data, shape[0]!, shape[1]!);
}

function loadLabels(relative: string): Int32Array {
  const { data } = readNpy(relative);
  if (!(data instanceof Int32Array)) throw new Error(`${relative} does not hold integers`);
  return data;
}

interface OracleRow {
  class: string;
  count: number;
  uncovered: number;
  uncoveredFraction: number;
  dispersion: number | null;
  isotropy: number | null;
  nearDuplicateFraction: number | null;
  assessable: boolean;
}

interface OracleResult {
  coverageRadius: number;
  uncoveredIndices: number[];
  perClass: OracleRow[];
  args?: string[];
}

function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(relative, fixtures)), "utf8")) as T;
}

/** |actual - expected| <= 1e-9 |expected| (or 1e-12 absolute near 0); null must be null. */
function expectClose(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  const tol = Math.max(1e-9 * Math.abs(expected), 1e-12);
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tol,
  );
}

function expectRows(actual: ClassCoverageRow[], expected: OracleRow[]): void {
  expect(actual.map((r) => String(r.class))).toEqual(expected.map((r) => r.class));
  for (let t = 0; t < expected.length; t++) {
    const a = actual[t]!;
    const e = expected[t]!;
    const what = `class ${e.class}`;
    expect(a.count, what).toBe(e.count);
    expect(a.uncovered, what).toBe(e.uncovered);
    expect(a.assessable, what).toBe(e.assessable);
    expectClose(a.uncoveredFraction, e.uncoveredFraction, `${what} uncoveredFraction`);
    expectClose(a.dispersion, e.dispersion, `${what} dispersion`);
    expectClose(a.isotropy, e.isotropy, `${what} isotropy`);
    expectClose(a.nearDuplicateFraction, e.nearDuplicateFraction, `${what} nearDuplicateFraction`);
  }
}

describe("per-class coverage against DataEval's scope.Coverage (per-class oracle)", () => {
  it("blobs-2000x10, k = 20, 1 % adaptive: every field of every row, in order", () => {
    const embeddings = loadEmbeddings("reference/blobs-2000x10.npy");
    const labels = loadLabels("reference/blobs-2000x10.labels.npy");
    const expected = readJson<OracleResult>("reference/blobs-2000x10.k20.per-class.json");
    const result = perClassCoverage(embeddings, labels, { k: 20, percent: 0.01 });
    expect(Array.from(result.coverage.uncoveredIndices)).toEqual(expected.uncoveredIndices);
    expectClose(result.coverage.coverageRadius, expected.coverageRadius, "coverageRadius");
    expectRows(result.perClass, expected.perClass);
  });

  const mixed: { file: string; options: Parameters<typeof perClassCoverage>[2] }[] = [
    { file: "mixed-465x8.k20.adaptive.per-class.json", options: {} },
    {
      file: "mixed-465x8.k5.naive.min5.nd0.8.per-class.json",
      options: {
        k: 5,
        percent: 0.05,
        method: "naive" as CoverageMethod,
        minClassSamples: 5,
        nearDuplicateFactor: 0.8,
      },
    },
    {
      file: "mixed-465x8.k10.p0.05.min22.per-class.json",
      options: { k: 10, percent: 0.05, minClassSamples: 22 },
    },
  ];
  for (const { file, options } of mixed) {
    it(`mixed-465x8 (clustered, flat, broad, identical, tiny classes): ${file}`, () => {
      const embeddings = loadEmbeddings("per-class/mixed-465x8.npy");
      const labels = loadLabels("per-class/mixed-465x8.labels.npy");
      const expected = readJson<OracleResult>(`per-class/${file}`);
      const result = perClassCoverage(embeddings, labels, options);
      expect(Array.from(result.coverage.uncoveredIndices)).toEqual(expected.uncoveredIndices);
      expectClose(result.coverage.coverageRadius, expected.coverageRadius, "coverageRadius");
      expectRows(result.perClass, expected.perClass);

      // the same from radii computed elsewhere (what the server's worker pool hands over)
      const radii = criticalValueRadii(ensureUnitInterval(embeddings, true), options?.k ?? 20);
      const fromRadii = perClassCoverageFromRadii(embeddings, labels, radii, options);
      expect(fromRadii.perClass).toEqual(result.perClass);
      expect(fromRadii.coverage.coverageRadius).toBe(result.coverage.coverageRadius);
    });
  }
});

interface DatasetLevel {
  isotropy: number;
  effectiveDimension: number;
  rank: number;
  pairs: number;
  nearDuplicateFraction: number;
  rankEffectiveDimension: number;
  completeness: number;
}

describe("dataset-level isotropy and DataEval's completeness", () => {
  const expected = readJson<Record<string, DatasetLevel>>("per-class/dataset-level.json");
  const cases = [
    ["blobs-2000x10", "reference/blobs-2000x10.npy"],
    ["completeness-50x3", "per-class/completeness-50x3.npy"],
  ] as const;
  for (const [name, file] of cases) {
    it(`${name}: isotropy, rank, nearest-neighbour pairs and completeness`, () => {
      const e = expected[name]!;
      const embeddings = loadEmbeddings(file);
      const iso = isotropy(embeddings);
      expectClose(iso.isotropy, e.isotropy, "isotropy");
      expectClose(iso.effectiveDimension, e.effectiveDimension, "effectiveDimension");
      expect(iso.rank).toBe(e.rank);
      const pairs = nearestNeighbourPairs(embeddings);
      expect(pairs.first.length).toBe(e.pairs);
      expectClose(
        nearDuplicateFraction(pairs.distances, 0.5),
        e.nearDuplicateFraction,
        "nearDuplicateFraction",
      );
      const score = completeness(embeddings);
      expectClose(score.completeness, e.completeness, "completeness");
      expectClose(score.effectiveDimension, e.rankEffectiveDimension, "rank effective dimension");
    });
  }

  it("reproduces DataEval's docstring example: 0.9963684026790749", () => {
    const score = completeness(loadEmbeddings("per-class/completeness-50x3.npy")).completeness;
    expect(Math.abs(score - 0.9963684026790749)).toBeLessThan(1e-12);
  });
});
