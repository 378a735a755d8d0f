import fc from "fast-check";
import { ProjectionMethod } from "@lacuna/client";
import { describe, expect, it } from "vitest";
import {
  COVERAGE_METHODS,
  PROJECTION_METHODS,
  SEED_CONTROLS,
  checkControls,
  controlsOfResult,
  coverageInput,
  fieldError,
  fractionOfPercent,
  percentText,
  sameCoverage,
  sameProjection,
} from "./controls.js";

describe("controls", () => {
  it("default to the seed tutorial's scenario and list the schema's enums", () => {
    expect(coverageInput(SEED_CONTROLS)).toEqual({
      datasetId: "mnist:train",
      selection: { limit: 2000 },
      numObservations: 20,
      percent: 0.01,
      method: "ADAPTIVE",
    });
    expect(COVERAGE_METHODS).toEqual(["ADAPTIVE", "NAIVE"]);
    expect([...PROJECTION_METHODS].sort()).toEqual(["PCA", "TSNE", "UMAP"]);
  });

  it("clamp first n to the dataset with a note, and refuse k and fractions the server would", () => {
    const big = checkControls({ ...SEED_CONTROLS, limit: 20_000 }, 10_000);
    expect(big.controls.limit).toBe(10_000);
    expect(big.notes.limit).toMatch(/has 10000 samples: first n is 10000, not 20000/);
    expect(big.errors).toEqual({});
    expect(checkControls({ ...SEED_CONTROLS, limit: 10, k: 20 }, 60_000).errors.k).toMatch(
      /less than the 10 samples selected \(at most 9\)/,
    );
    expect(checkControls({ ...SEED_CONTROLS, k: 2.5 }, undefined).errors.k).toMatch(/whole/);
    expect(checkControls({ ...SEED_CONTROLS, percent: 1.5 }, undefined).errors.percent).toMatch(
      /at most 100 %/,
    );
    expect(checkControls({ ...SEED_CONTROLS, percent: 0 }, undefined).errors.percent).toBeDefined();
    // naive coverage does not use the fraction
    expect(
      checkControls({ ...SEED_CONTROLS, method: "NAIVE", percent: 7 }, undefined).errors,
    ).toEqual({});
    expect(checkControls({ ...SEED_CONTROLS, limit: 1 }, 100).errors.limit).toBeDefined();
  });

  it("put a server error on its form field, named as the form names it", () => {
    expect(fieldError("input.numObservations", "")?.field).toBe("k");
    expect(
      fieldError(undefined, "input.numObservations must be an integer k with 1 <= k <= 10000"),
    ).toEqual({ field: "k", message: "k must be an integer k with 1 <= k <= 10000" });
    expect(fieldError("input.percent", "input.percent must be at most 1; received 2")).toEqual({
      field: "percent",
      message: "fraction flagged must be at most 1; received 2",
    });
    expect(
      fieldError("input.selection", "input.selection.limit must be at least 1; received 0"),
    ).toEqual({ field: "limit", message: "first n must be at least 1; received 0" });
    expect(fieldError("datasetId", 'no dataset "x"; known: mnist:train')).toEqual({
      field: "dataset",
      message: 'no dataset "x"; known: mnist:train',
    });
    expect(fieldError(undefined, "the server stopped")).toBeUndefined();
    expect(fieldError("seed", "seed must be an integer")).toBeUndefined();
  });

  it("show the fraction in % and read it back without float noise", () => {
    expect(percentText(0.07)).toBe("7");
    expect(percentText(0.0001)).toBe("0.01");
    expect(fractionOfPercent("1")).toBe(0.01);
    expect(fractionOfPercent(" ")).toBeNaN();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (basisPoints) => {
        const fraction = basisPoints / 100_000;
        expect(fractionOfPercent(percentText(fraction))).toBe(fraction);
      }),
    );
  });

  it("tell a projection-only change from a coverage change", () => {
    const umap = { ...SEED_CONTROLS, projection: "UMAP" as const };
    expect(sameCoverage(SEED_CONTROLS, umap)).toBe(true);
    expect(sameProjection(SEED_CONTROLS, umap)).toBe(false);
    const k5 = { ...SEED_CONTROLS, k: 5 };
    expect(sameCoverage(SEED_CONTROLS, k5)).toBe(false);
    expect(sameProjection(SEED_CONTROLS, k5)).toBe(true);
    // t-SNE of 60 000 projects a subsample keeping the flagged: another k, other points
    const many = { ...SEED_CONTROLS, limit: 60_000 };
    expect(sameProjection(many, { ...many, k: 5 })).toBe(false);
    expect(sameProjection(many, { ...many })).toBe(true);
    const pca = { ...many, projection: ProjectionMethod.Pca };
    expect(sameProjection(pca, { ...pca, k: 5 })).toBe(true);
  });
});

describe("controlsOfResult", () => {
  const stored = {
    datasetId: "mnist:test",
    selection: { limit: 500, classes: null, indexCount: null },
    numObservations: 8,
    percent: 0.03,
    method: COVERAGE_METHODS[1]!,
    forceUnitInterval: false,
  };

  it("rebuilds the request that computed a limit-only result, keeping the projection", () => {
    const controls = controlsOfResult(stored, PROJECTION_METHODS[0]!);
    expect(controls).toEqual({
      datasetId: "mnist:test",
      limit: 500,
      k: 8,
      percent: 0.03,
      method: COVERAGE_METHODS[1],
      projection: PROJECTION_METHODS[0],
    });
    // the coverage input the page then sends is the stored one's
    expect(coverageInput(controls!)).toEqual({
      datasetId: "mnist:test",
      selection: { limit: 500 },
      numObservations: 8,
      percent: 0.03,
      method: COVERAGE_METHODS[1],
    });
  });

  it("is null for what the form cannot send", () => {
    const p = PROJECTION_METHODS[0]!;
    const selection = stored.selection;
    expect(controlsOfResult({ ...stored, selection: { ...selection, limit: null } }, p)).toBeNull();
    expect(
      controlsOfResult({ ...stored, selection: { ...selection, classes: [1] } }, p),
    ).toBeNull();
    expect(
      controlsOfResult({ ...stored, selection: { ...selection, indexCount: 3 } }, p),
    ).toBeNull();
    expect(controlsOfResult({ ...stored, forceUnitInterval: true }, p)).toBeNull();
  });
});
