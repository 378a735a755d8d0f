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
