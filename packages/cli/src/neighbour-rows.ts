import {
  type CoverageResult,
  type Embeddings,
  type FlaggedSampleRow,
  type GapRegions,
  type NearestNeighbours,
  crossNearestNeighbours,
  flaggedSampleRows,
  selectRows,
} from "@lacuna/core";

/**
 * Export rows for a plain coverage's flagged samples with their k nearest other samples: core's
 * exact cross search of the flagged rows against the whole set for k + 1 neighbours, each row's
 * own entry removed (the flagged row is in the set it is searched against). When a row has more
 * than k samples at distance 0 before it in index order, its own entry is not among the k + 1
 * and the last one is dropped instead: the k that remain are still its k nearest others.
 */
export function selfNeighbourRows(
  embeddings: Embeddings,
  result: CoverageResult,
  k: number,
  gaps: GapRegions,
  labels?: ArrayLike<number>,
): FlaggedSampleRow[] {
  const flagged = result.uncoveredIndices;
  const found = crossNearestNeighbours(embeddings, selectRows(embeddings, flagged), k + 1);
  return flaggedSampleRows({
    flagged,
    radii: result.criticalValueRadii,
    labels,
    regionOf: gaps.regionOf,
    neighbours: withoutSelf(found, flagged, k),
  });
}

/** Drops each row's own index from its k + 1 neighbours (or its last one when absent). */
function withoutSelf(found: NearestNeighbours, rows: Int32Array, k: number): NearestNeighbours {
  const m = rows.length;
  const indices = new Int32Array(m * k);
  const distances = new Float64Array(m * k);
  for (let t = 0; t < m; t++) {
    let out = t * k;
    let skipped = false;
    for (let c = 0; c <= k && out < (t + 1) * k; c++) {
      const j = found.indices[t * (k + 1) + c]!;
      if (!skipped && j === rows[t]) {
        skipped = true;
        continue;
      }
      indices[out] = j;
      distances[out] = found.distances[t * (k + 1) + c]!;
      out++;
    }
  }
  return { n: m, k, indices, distances };
}
