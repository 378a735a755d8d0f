/**
 * The lower bounds the partitioned search prunes by (boxes, balls, their gaps), each safe against
 * float64 rounding so that pruning never changes a radius.
 */
import type { SpatialIndex } from "./spatial-index.js";

/** Squared gap between the bounding boxes of leaves a and b (0 when they overlap). */
export function boxGapSq(
  low: Float64Array,
  high: Float64Array,
  d: number,
  a: number,
  b: number,
): number {
  let s = 0;
  const oa = a * d;
  const ob = b * d;
  for (let t = 0; t < d; t++) {
    const g1 = low[ob + t]! - high[oa + t]!;
    const g2 = low[oa + t]! - high[ob + t]!;
    const g = g1 > 0 ? g1 : g2 > 0 ? g2 : 0;
    s += g * g;
  }
  return s;
}

/** Squared distance between the centres of the boxes of leaves a and b (times 4, which keeps order). */
export function boxCentreDistSq(
  low: Float64Array,
  high: Float64Array,
  d: number,
  a: number,
  b: number,
): number {
  let s = 0;
  const oa = a * d;
  const ob = b * d;
  for (let t = 0; t < d; t++) {
    const diff = low[oa + t]! + high[oa + t]! - low[ob + t]! - high[ob + t]!;
    s += diff * diff;
  }
  return s;
}

/** Squared distance between row a of `x` and row b of `y` (both d wide). */
export function distSq(x: Float64Array, d: number, a: number, y: Float64Array, b: number): number {
  let s = 0;
  const oa = a * d;
  const ob = b * d;
  for (let t = 0; t < d; t++) {
    const diff = x[oa + t]! - y[ob + t]!;
    s += diff * diff;
  }
  return s;
}

/**
 * A lower bound on the squared distance from leaf q's points to leaf l's: the gap between
 * their boxes, and with `balls` also between their balls.
 */
export function leafGapSq(index: SpatialIndex, balls: boolean, q: number, l: number): number {
  const { d, boxLow, boxHigh, centre, radius } = index;
  const box = boxGapSq(boxLow, boxHigh, d, q, l);
  if (!balls) return box;
  const ball = ballGap(Math.sqrt(distSq(centre, d, q, centre, l)), radius[q]! + radius[l]!, d);
  return ball > box ? ball : box;
}

/**
 * A squared distance that no point of a ball of radius `reach` (around a centre at distance
 * `centreDist`) can come under, safe against rounding: by the triangle inequality every such
 * point is at least centreDist - reach away, and both values carry the rounding of a d-term sum
 * and a square root (relative error under (d + 2) 2^-53), so each is widened by (d + 8) 2^-50 and
 * the square shrunk by as much. A point the bound rules out thus has a computed squared distance
 * above the bound it was tested against, as direct computation would have found: radii stay
 * bit-identical to brute force.
 */
export function ballGap(centreDist: number, reach: number, d: number): number {
  const e = (d + 8) * 2 ** -50;
  const gap = centreDist * (1 - e) - reach * (1 + e);
  return gap > 0 ? gap * gap * (1 - e) : 0;
}
