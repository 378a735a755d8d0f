import type { Projection } from "@lacuna/client";
import { describe, expect, it } from "vitest";
import { type RunResult, flaggedRows } from "./flagged.js";
import { joinProjection } from "./join.js";

describe("joinProjection", () => {
  it("gives each point its row's radius and flag by dataset index, in any order", () => {
    const rows: RunResult = {
      method: "ADAPTIVE",
      coverageRadius: 0.5,
      radii: Float64Array.from([0.9, 0.1, 0.6]),
      indices: Int32Array.from([10, 11, 12]),
      labels: [1, 2, 3],
      uncoveredCount: 2,
    };
    const flagged = flaggedRows(rows);
    const projection = {
      datasetId: "d",
      method: "PCA",
      seed: 0,
      count: 4,
      coordinates: [0, 0, 1, 1, 2, 2, 3, 3],
      indices: [12, 10, 99, 11],
      labels: [3, 1, null, 2],
      cached: false,
    } satisfies Projection;
    const joined = joinProjection(projection, rows, flagged);
    expect(Array.from(joined.rowOfPoint)).toEqual([2, 0, -1, 1]);
    expect(Array.from(joined.points.flagged)).toEqual([1, 1, 0, 0]);
    expect(Array.from(joined.points.radii)).toEqual([0.6, 0.9, Number.NaN, 0.1]);
    expect(Array.from(joined.rowsOf(Uint8Array.from([1, 0, 1, 1])))).toEqual([0, 1, 1]);
    expect(Array.from(joined.pointsOf(flagged.byRadius))).toEqual([1, 0]);
  });
});
