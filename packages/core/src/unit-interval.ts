import type { Embeddings } from "./embeddings.js";
import { ConstantEmbeddingsError, OutOfUnitIntervalError } from "./errors.js";

/** Smallest and largest value of a non-empty array. */
export function valueRange(data: Float32Array | Float64Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let p = 0; p < data.length; p++) {
    const v = data[p]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * Returns embeddings that lie in [0, 1], as DataEval requires. Data already inside is returned
 * as is (same object, even with `force`). Data outside is refused, or with `force` rescaled by
 * the global min and max, (x - min) / (max - min), into a new Float64Array.
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
  for (let p = 0; p < src.length; p++) out[p] = (src[p]! - min) / span;
  return { data: out, n: embeddings.n, d: embeddings.d };
}
