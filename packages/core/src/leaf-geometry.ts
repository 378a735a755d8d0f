/**
 * The leaf geometry both exact searches share (the self search of leaf-knn.ts and the cross-set
 * search of cross-knn.ts): distances summed over the dimensions in order from direct float64
 * differences, and lower bounds on them (box gaps, ball gaps) that rounding can only make smaller
 * than a point's computed distance, so that no point brute force would keep is ever pruned. Both
 * searches index leaves of core's SpatialIndex; the self search passes one index twice.
 */
import type { IndexPoints, SpatialIndex } from "./spatial-index.js";

/** Squared distance between x[ox..ox+d) and y[oy..oy+d), summed in dimension order. */
export function distSq(x: IndexPoints, ox: number, y: IndexPoints, oy: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = x[ox + t]! - y[oy + t]!;
    s += diff * diff;
  }
  return s;
}

/**
 * Squared distance between x[ox..ox+d) and y[oy..oy+d), summed in dimension order; once a partial
 * sum exceeds `bound` (checked every 8 dimensions) the partial sum is returned, which is then also
 * over the bound: partial sums of non-negative terms never decrease under rounding.
 */
export function abandonedDistSq(
  x: IndexPoints,
  ox: number,
  y: IndexPoints,
  oy: number,
  d: number,
  bound: number,
): number {
  let s = 0;
  let t = 0;
  while (t < d) {
    const stop = t + 8 < d ? t + 8 : d;
    for (; t < stop; t++) {
      const diff = x[ox + t]! - y[oy + t]!;
      s += diff * diff;
    }
    if (s > bound) return s;
  }
  return s;
}

/**
 * Squared gap from the point x[ox..ox+d) to leaf l's box in `index`: no point of the leaf has a
 * smaller computed squared distance to it (each coordinate's rounded gap is at most the rounded
 * difference). 0 inside the box.
 */
export function pointBoxGapSq(
  x: IndexPoints,
  ox: number,
  index: SpatialIndex,
  l: number,
  d: number,
): number {
  const { boxLow, boxHigh } = index;
  const ol = l * d;
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = x[ox + t]!;
    const below = boxLow[ol + t]! - v;
    const above = v - boxHigh[ol + t]!;
    const g = below > 0 ? below : above > 0 ? above : 0;
    s += g * g;
  }
  return s;
}

/**
 * Squared gap between leaf a's box of index `ia` and leaf b's box of index `ib` (0 when they
 * meet); `ia` and `ib` may be the same index.
 */
export function boxGapSq(
  ia: SpatialIndex,
  a: number,
  ib: SpatialIndex,
  b: number,
  d: number,
): number {
  let s = 0;
  const oa = a * d;
  const ob = b * d;
  for (let t = 0; t < d; t++) {
    const g1 = ib.boxLow[ob + t]! - ia.boxHigh[oa + t]!;
    const g2 = ia.boxLow[oa + t]! - ib.boxHigh[ob + t]!;
    const g = g1 > 0 ? g1 : g2 > 0 ? g2 : 0;
    s += g * g;
  }
  return s;
}

/**
 * Squared distance between the centres of leaf a's box (index `ia`) and leaf b's (index `ib`),
 * times 4 (which keeps the order): how both searches visit the nearest leaves first.
 */
export function boxCentreDistSq(
  ia: SpatialIndex,
  a: number,
  ib: SpatialIndex,
  b: number,
  d: number,
): number {
  let s = 0;
  const oa = a * d;
  const ob = b * d;
  for (let t = 0; t < d; t++) {
    const diff =
      ia.boxLow[oa + t]! + ia.boxHigh[oa + t]! - ib.boxLow[ob + t]! - ib.boxHigh[ob + t]!;
    s += diff * diff;
  }
  return s;
}

/**
 * A squared distance that no point of a ball of radius `reach` (around a centre at distance
 * `centreDist`) can come under, safe against rounding: by the triangle inequality every such
 * point is at least centreDist - reach away, and both values carry the rounding of a d-term sum
 * and a square root (relative error under (d + 2) 2^-53), so each is widened by (d + 8) 2^-50 and
 * the square shrunk by as much. A point the bound rules out thus has a computed squared distance
 * above the bound it was tested against, as direct computation would have found: radii stay
 * bit-identical to brute force. 0 when the ball may hold the centre's point.
 */
export function ballGap(centreDist: number, reach: number, d: number): number {
  const e = (d + 8) * 2 ** -50;
  const gap = centreDist * (1 - e) - reach * (1 + e);
  return gap > 0 ? gap * gap * (1 - e) : 0;
}

/**
 * A lower bound on the squared distance between leaf a's points of `ia` and leaf b's of `ib`,
 * by their balls (rounding-safe, see ballGap).
 */
export function leafBallGap(
  ia: SpatialIndex,
  a: number,
  ib: SpatialIndex,
  b: number,
  d: number,
): number {
  const centres = Math.sqrt(distSq(ia.centre, a * d, ib.centre, b * d, d));
  return ballGap(centres, ia.radius[a]! + ib.radius[b]!, d);
}

/**
 * A lower bound on the squared distance from the point x[ox..ox+d) to leaf l's points: its box
 * gap, or with `balls` (from BALL_MIN_DIMENSIONS) its ball gap, since a box in high dimension
 * rules out little that its ball has not and is not worth its d steps.
 */
export function pointLeafGap(
  x: IndexPoints,
  ox: number,
  index: SpatialIndex,
  l: number,
  d: number,
  balls: boolean,
): number {
  if (!balls) return pointBoxGapSq(x, ox, index, l, d);
  return ballGap(Math.sqrt(distSq(x, ox, index.centre, l * d, d)), index.radius[l]!, d);
}
