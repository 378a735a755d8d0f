import { describe, expect, it } from "vitest";
import { crossCoverage } from "./cross-coverage.js";
import { crossNearestNeighbours } from "./cross-knn.js";
import { embeddingsFromRows } from "./embeddings.js";
import { radiusRank } from "./explain.js";
import { flaggedSampleRows, selectRows } from "./export-rows.js";
import { crossCoverageGapRegions } from "./gaps.js";

describe("flaggedSampleRows", () => {
  const ref = embeddingsFromRows([[0], [0.1], [0.2], [0.3]]);
  const query = embeddingsFromRows([[0.05], [0.9], [0.95], [0.45], [0.1]]);
  const labels = [3, 1, 1, 2, 0];
  const cross = crossCoverage(ref, query, { k: 2, percent: 0.25 });
  const flagged = cross.uncoveredIndices;

  it("gives each flagged query row its label, radius, rank, region and reference neighbours", () => {
    const gaps = crossCoverageGapRegions(cross, { labels });
    const neighbours = crossNearestNeighbours(ref, selectRows(query, flagged), 2);
    const rows = flaggedSampleRows({
      flagged,
      radii: cross.criticalValueRadii,
      labels,
      regionOf: gaps.regionOf,
      neighbours,
    });
    expect(rows.map((r) => r.index)).toEqual([2, 1, 3]);
    expect(rows.map((r) => r.label)).toEqual([1, 1, 2]);
    rows.forEach((row) => {
      expect(row.radius).toBe(cross.criticalValueRadii[row.index]);
      expect(row.rank).toBe(radiusRank(cross.criticalValueRadii, row.index));
      expect(row.neighbours).toEqual([3, 2]);
      expect(row.neighbourDistances[1]).toBe(row.radius);
    });
    // 0.9 and 0.95 lie within 2R of each other; 0.45 is farther from both
    expect(rows[0]!.region).toBe(rows[1]!.region);
    expect(rows[2]!.region).not.toBe(rows[0]!.region);
  });

  it("leaves labels, regions and neighbours empty when not given", () => {
    const rows = flaggedSampleRows({ flagged, radii: cross.criticalValueRadii });
    expect(rows[0]).toEqual({
      index: 2,
      label: null,
      radius: cross.criticalValueRadii[2],
      rank: 1,
      region: null,
      neighbours: [],
      neighbourDistances: [],
    });
  });

  it("refuses inputs of the wrong length", () => {
    expect(() =>
      flaggedSampleRows({ flagged, radii: cross.criticalValueRadii, regionOf: Int32Array.of(0) }),
    ).toThrow("regionOf.length must be 3, one per flagged sample; received 1");
    expect(() => selectRows(query, Int32Array.of(5))).toThrow(
      "indices[0] must be an index in [0, 5); received 5",
    );
  });
});
