/**
 * numpy's median: the middle value of the sorted values, or the mean of the two middle ones for an
 * even count. NaN for no values. Does not change its argument.
 */
export function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const half = n >> 1;
  return n % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}
