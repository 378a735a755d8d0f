import { logGammaHalfPlusOne } from "./log-gamma.js";
import { validatePercent } from "./validate.js";

/**
 * DataEval's naive coverage radius, (1/sqrt(pi)) * ((2 k Gamma(d/2 + 1)) / n)^(1/d), evaluated in
 * log space so that high d (Gamma(393) for d = 784 overflows a double) stays finite.
 * In the units of unit-interval embeddings.
 */
export function naiveRadius(n: number, d: number, k: number): number {
  const logRadius = (Math.log(2 * k) + logGammaHalfPlusOne(d) - Math.log(n)) / d;
  return Math.exp(logRadius) / Math.sqrt(Math.PI);
}

/** How many samples adaptive coverage flags: max(floor(n * percent), 1), as DataEval rounds. */
export function adaptiveSelectionSize(n: number, percent: number): number {
  validatePercent(percent);
  return Math.floor(Math.max(n * percent, 1));
}

/**
 * Sample indices by radius, descending; equal radii larger index first (numpy's stable ascending
 * argsort, reversed, as DataEval orders them).
 */
export function descendingOrder(radii: Float64Array): Int32Array {
  const order = new Int32Array(radii.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => radii[b]! - radii[a]! || b - a);
}

/**
 * The adaptive coverage radius: the mean of the sel-th and (sel+1)-th largest radii (only the
 * sel-th when sel = n, as numpy's mean of a one-element slice).
 */
export function adaptiveRadius(radii: Float64Array, order: Int32Array, sel: number): number {
  const a = radii[order[sel - 1]!]!;
  return sel < radii.length ? (a + radii[order[sel]!]!) / 2 : a;
}
