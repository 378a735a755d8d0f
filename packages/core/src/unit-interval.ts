import type { Embeddings } from "./embeddings.js";
import { ConstantEmbeddingsError, OutOfUnitIntervalError, ValuesTooLargeError } from "./errors.js";

/** Smallest and largest value of a non-empty array. */
export function valueRange(data: Float32Array | Float64Array): { min: number; max: number } {
  const range = Float64Array.of(Infinity, -Infinity);
  for (let a = 0; a < data.length; a += SCAN_CHUNK)
    chunkRange(data, a, Math.min(data.length, a + SCAN_CHUNK), range);
  return { min: range[0]!, max: range[1]! };
}

/**
 * Values a pass over a whole array takes per call of its inner loop: the engine optimises a
 * function after a few calls, while one loop over millions of values (20 000 MNIST pixels) runs
 * mostly unoptimised, several times slower (the README's Benchmarks have the run).
 */
export const SCAN_CHUNK = 2 ** 16;

/** Widens range [min, max] by the values [a, b). */
function chunkRange(data: Float32Array | Float64Array, a: number, b: number, range: Float64Array) {
  let min = range[0]!;
  let max = range[1]!;
  for (let p = a; p < b; p++) {
    const v = data[p]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  range[0] = min;
  range[1] = max;
}

/**
 * Returns embeddings that lie in [0, 1], as DataEval requires. Data already inside is returned
 * as is (same object, even with `force`). Data outside is refused, or with `force` rescaled by
 * the global min and max, (x - min) / (max - min), into a new Float64Array. Where max - min
 * overflows (values near +/-1.7e308), every term is first divided by max(|min|, |max|), so the
 * result is still in [0, 1] instead of silently 0.
 * @throws OutOfUnitIntervalError when values fall outside [0, 1] and force is false
 * @throws ConstantEmbeddingsError when rescaling is needed but max equals min
 */
export function ensureUnitInterval(embeddings: Embeddings, force: boolean): Embeddings {
  const { min, max } = valueRange(embeddings.data);
  if (min >= 0 && max <= 1) return embeddings;
  if (!force) throw new OutOfUnitIntervalError(min, max);
  if (max === min) throw new ConstantEmbeddingsError(min);
  const src = embeddings.data;
  const out = new Float64Array(src.length);
  const span = max - min;
  if (Number.isFinite(span)) {
    for (let p = 0; p < src.length; p++) out[p] = (src[p]! - min) / span;
  } else {
    const s = Math.max(Math.abs(min), Math.abs(max));
    const lo = min / s;
    const scaledSpan = max / s - lo;
    for (let p = 0; p < src.length; p++)
      out[p] = Math.min(1, Math.max(0, (src[p]! / s - lo) / scaledSpan));
  }
  return { data: out, n: embeddings.n, d: embeddings.d };
}

/**
 * Refuses embeddings whose squared distances or variances could overflow a double: a sum of
 * max(n, d) terms of (2 max|x|)^2 must stay finite. Values of any sensible scale pass; this is for
 * finite values near 1e154 and above, which would otherwise give infinite distances or NaN
 * coordinates without an error.
 * @throws ValuesTooLargeError naming the largest magnitude and the limit for this n and d
 */
export function assertNoOverflow(embeddings: Embeddings): void {
  const { min, max } = valueRange(embeddings.data);
  const largest = Math.max(Math.abs(min), Math.abs(max));
  const limit = Math.sqrt(Number.MAX_VALUE / Math.max(embeddings.n, embeddings.d)) / 2;
  if (!(largest < limit)) throw new ValuesTooLargeError(largest, limit);
}
