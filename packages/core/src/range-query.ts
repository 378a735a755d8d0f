import { distSq, pointBoxGapSq } from "./leaf-geometry.js";
import type { SpatialIndex } from "./spatial-index.js";

/**
 * Exact fixed-radius searches on a spatial index: "distance <= radius" means the distance core
 * computes everywhere, Math.sqrt of the float64 sum of squared differences in dimension order,
 * compared with `<=`, so a search finds exactly the points a double loop over all pairs would.
 * A leaf is skipped when the square root of its box gap already exceeds the radius (the gap never
 * exceeds a member's computed distance, and sqrt is monotone). Work per search: every leaf's box
 * test (leaves * d) plus the points of the leaves the ball meets.
 */

/**
 * Calls `visit(original row)` for every indexed point within distance <= radius of the point
 * x[ox..ox+d), in leaf order (not sorted); the point itself is visited too when it is indexed.
 * `skip(row)`, when given, is asked before a point's distance: true passes over it unmeasured
 * (the gap regions' link search skips pairs already joined, which is most of them in a large
 * region).
 */
export function forEachWithinRadius(
  index: SpatialIndex,
  x: Float64Array,
  ox: number,
  radius: number,
  visit: (row: number) => void,
  skip?: (row: number) => boolean,
): void {
  const { d, points, order, leafStart } = index;
  const leaves = leafStart.length - 1;
  for (let l = 0; l < leaves; l++) {
    if (Math.sqrt(pointBoxGapSq(x, ox, index, l, d)) > radius) continue;
    for (let p = leafStart[l]!; p < leafStart[l + 1]!; p++) {
      if (skip?.(order[p]!)) continue;
      if (Math.sqrt(distSq(x, ox, points, p * d, d)) <= radius) visit(order[p]!);
    }
  }
}

/**
 * How many indexed points other than row `exclude` (-1: none) lie within distance <= radius of
 * the point x[ox..ox+d), counting no further than `limit` (the search stops there).
 */
export function countWithinRadius(
  index: SpatialIndex,
  x: Float64Array,
  ox: number,
  radius: number,
  exclude: number,
  limit: number,
): number {
  const { d, points, order, leafStart } = index;
  const leaves = leafStart.length - 1;
  let count = 0;
  for (let l = 0; l < leaves && count < limit; l++) {
    if (Math.sqrt(pointBoxGapSq(x, ox, index, l, d)) > radius) continue;
    for (let p = leafStart[l]!; p < leafStart[l + 1]! && count < limit; p++) {
      if (order[p] === exclude) continue;
      if (Math.sqrt(distSq(x, ox, points, p * d, d)) <= radius) count++;
    }
  }
  return count;
}
