import { InvalidParameterError, NotEnoughSamplesError } from "./errors.js";

/**
 * Checks k, the number of neighbours: an integer >= 1 and smaller than n.
 * @throws InvalidParameterError or NotEnoughSamplesError
 */
export function validateK(k: number, n: number): void {
  if (typeof k !== "number" || !Number.isSafeInteger(k) || k < 1) {
    throw new InvalidParameterError("k (numObservations)", k, "an integer >= 1");
  }
  if (n <= k) throw new NotEnoughSamplesError(n, k);
}

/**
 * Checks the adaptive fraction: a finite number in (0, 1].
 * @throws InvalidParameterError
 */
export function validatePercent(percent: number): void {
  if (typeof percent !== "number" || !(percent > 0 && percent <= 1)) {
    throw new InvalidParameterError("percent", percent, "a number in (0, 1]");
  }
}

/**
 * Checks class labels: one per sample, each an integer in [0, 2^31 - 1]. Returns them as an
 * Int32Array (the same object when it already is one).
 * @throws InvalidParameterError naming the length or the first bad label and its position
 */
export function validateLabels(labels: ArrayLike<number>, n: number): Int32Array {
  if (labels === null || typeof labels !== "object" || typeof labels.length !== "number") {
    throw new InvalidParameterError("labels", labels, "an array of integer class labels");
  }
  if (labels.length !== n) {
    throw new InvalidParameterError("labels.length", labels.length, `${n}, one label per sample`);
  }
  if (labels instanceof Int32Array) {
    for (let i = 0; i < n; i++) {
      if (labels[i]! < 0) {
        throw new InvalidParameterError(`labels[${i}]`, labels[i], "an integer >= 0");
      }
    }
    return labels;
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      throw new InvalidParameterError(`labels[${i}]`, v, "an integer in [0, 2147483647]");
    }
    out[i] = v;
  }
  return out;
}
