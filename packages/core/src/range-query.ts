import { abandonedDistSq, pointBoxGapSq } from "./leaf-geometry.js";
import type { IndexPoints, SpatialIndex } from "./spatial-index.js";

/**
 * Exact fixed-radius searches on a spatial index: "distance <= radius" means the distance core
 * computes everywhere, Math.sqrt of the float64 sum of squared differences in dimension order,
 * compared with `<=`, so a search finds exactly the points a double loop over all pairs would.
 * A leaf is skipped when the square root of its box gap already exceeds the radius (the gap never
 * exceeds a member's computed distance, and sqrt is monotone). (Leaf balls, which the kNN
 * searches use from 32 dimensions, pruned less than boxes here: on MNIST pixels, 5000 x 784, a
 * range search of radius 3.1 met 4728 points by balls, 3609 by boxes.) A point's sum is abandoned once a
 * partial sum passes abandonBound(radius), past which no sum can have a square root <= radius
 * (partial sums of squares never decrease under rounding), so the answer is the full sums'. Work
 * per search: every leaf's box test (leaves * d) plus the points of the leaves the ball meets, each
 * up to the dimension where it is seen to lie outside.
 */

/**
 * A squared distance above which Math.sqrt exceeds `radius`: Math.sqrt(v) <= r needs
 * v <= (r + ulp(r) / 2)^2 <= r^2 (1 + 2^-52 + 2^-106), and r^2 (1 + 2^-50) stays above that after
 * its two roundings. Below 1e-140 r^2 nears the subnormals, whose rounding is coarse: no abandon.
 */
export function abandonBound(radius: number): number {
  return radius < 1e-140 ? Infinity : radius * radius * (1 + 2 ** -50);
}

/**
 * Calls `visit(original row)` for every indexed point within distance <= radius of the point
 * x[ox..ox+d), in leaf order (not sorted); the point itself is visited too when it is indexed.
 * `skip(row)`, when given, is asked before a point's distance: true passes over it unmeasured
 * (the gap regions' link search skips pairs already joined, which is most of them in a large
 * region).
 */
export function forEachWithinRadius(
  index: SpatialIndex,
  x: IndexPoints,
  ox: number,
  radius: number,
  visit: (row: number) => void,
  skip?: (row: number) => boolean,
): void {
  const { d, points, order, leafStart } = index;
  const leaves = leafStart.length - 1;
  const bound = abandonBound(radius);
  for (let l = 0; l < leaves; l++) {
    if (Math.sqrt(pointBoxGapSq(x, ox, index, l, d)) > radius) continue;
    for (let p = leafStart[l]!; p < leafStart[l + 1]!; p++) {
      if (skip?.(order[p]!)) continue;
      if (Math.sqrt(abandonedDistSq(x, ox, points, p * d, d, bound)) <= radius) visit(order[p]!);
    }
  }
}

/**
 * How many indexed points other than row `exclude` (-1: none) lie within distance <= radius of
 * the point x[ox..ox+d), counting no further than `limit` (the search stops there).
 */
export function countWithinRadius(
  index: SpatialIndex,
  x: IndexPoints,
  ox: number,
  radius: number,
  exclude: number,
  limit: number,
): number {
  const { d, points, order, leafStart } = index;
  const leaves = leafStart.length - 1;
  let count = 0;
  const bound = abandonBound(radius);
  for (let l = 0; l < leaves && count < limit; l++) {
    if (Math.sqrt(pointBoxGapSq(x, ox, index, l, d)) > radius) continue;
    for (let p = leafStart[l]!; p < leafStart[l + 1]! && count < limit; p++) {
      if (order[p] === exclude) continue;
      if (Math.sqrt(abandonedDistSq(x, ox, points, p * d, d, bound)) <= radius) count++;
    }
  }
  return count;
}
